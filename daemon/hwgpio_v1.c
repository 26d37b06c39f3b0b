// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hwgpio_v1: the hwgpio backend for libgpiod 1.6 (v1 API), the version in
 * Debian 12 and Raspberry Pi OS bookworm. Build: pkg-config libgpiod.
 * See hwgpio_backend.h for the contract of each operation.
 *
 * libgpiod 1.6 notes that shape this file:
 * - gpiod_line_find() opens every /dev/gpiochip* and fails as a whole
 *   (EACCES) if any one cannot be opened, not only the chip with the line.
 * - gpiod_line_event_read() blocks; the event fd is made non-blocking and
 *   read with gpiod_line_event_read_fd_multiple(), so a spurious wake-up
 *   can never stall the daemon's loop.
 * - The v1 uAPI stamps events on CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <gpiod.h>

#include "hwgpio_backend.h"

struct hwgpio_be_line {
	struct gpiod_line *line;	/* its chip is open until release */
};

/* errno after a failed libgpiod call, never 0. */
static int hwgpio_v1_err(void)
{
	return errno > 0 ? -errno : -EIO;
}

static int hwgpio_v1_find(const char *name, struct hwgpio_be_line **out,
			  char *where, size_t wherelen)
{
	struct hwgpio_be_line *l;
	struct gpiod_line *line;

	*out = NULL;
	errno = 0;
	line = gpiod_line_find(name);
	if (!line)
		return errno == ENOENT || errno == 0 ? -ENOENT : -errno;
	l = malloc(sizeof(*l));
	if (!l) {
		gpiod_line_close_chip(line);
		return -ENOMEM;
	}
	l->line = line;
	if (where && wherelen)
		snprintf(where, wherelen, "%s line %u",
			 gpiod_chip_name(gpiod_line_get_chip(line)),
			 gpiod_line_offset(line));
	*out = l;
	return 0;
}

static int hwgpio_v1_request_input(struct hwgpio_be_line *l,
				   const char *consumer, bool active_low)
{
	int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
	int fd, fl;

	/*
	 * Bias is left as it is: the board's wiring or device tree decides
	 * pull-ups, and not every pin controller supports setting it.
	 */
	if (gpiod_line_request_both_edges_events_flags(l->line, consumer,
						       flags) < 0)
		return hwgpio_v1_err();
	fd = gpiod_line_event_get_fd(l->line);
	fl = fd < 0 ? -1 : fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		int rc = fd < 0 ? -EIO : -errno;

		gpiod_line_release(l->line);
		return rc;
	}
	return 0;
}

static int hwgpio_v1_request_output(struct hwgpio_be_line *l,
				    const char *consumer, int value)
{
	if (gpiod_line_request_output(l->line, consumer, value ? 1 : 0) < 0)
		return hwgpio_v1_err();
	return 0;
}

static int hwgpio_v1_event_fd(struct hwgpio_be_line *l)
{
	int fd = gpiod_line_event_get_fd(l->line);

	return fd < 0 ? hwgpio_v1_err() : fd;
}

static int hwgpio_v1_read_events(struct hwgpio_be_line *l,
				 struct hwgpio_be_event *ev, unsigned int n)
{
	struct gpiod_line_event raw[16];
	int fd, got, i;

	if (n > sizeof(raw) / sizeof(raw[0]))
		n = sizeof(raw) / sizeof(raw[0]);
	fd = gpiod_line_event_get_fd(l->line);
	if (fd < 0)
		return hwgpio_v1_err();
	got = gpiod_line_event_read_fd_multiple(fd, raw, n);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : hwgpio_v1_err();
	if ((unsigned int)got > n)
		got = (int)n;
	for (i = 0; i < got; i++) {
		ev[i].ts_ns = (uint64_t)raw[i].ts.tv_sec * 1000000000ull +
			      (uint64_t)raw[i].ts.tv_nsec;
		ev[i].rising = raw[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE;
	}
	return got;
}

static int hwgpio_v1_get(struct hwgpio_be_line *l)
{
	int v = gpiod_line_get_value(l->line);

	return v < 0 ? hwgpio_v1_err() : !!v;
}

static int hwgpio_v1_set(struct hwgpio_be_line *l, int value)
{
	if (gpiod_line_set_value(l->line, value ? 1 : 0) < 0)
		return hwgpio_v1_err();
	return 0;
}

static void hwgpio_v1_release(struct hwgpio_be_line *l)
{
	if (!l)
		return;
	if (gpiod_line_is_requested(l->line))
		gpiod_line_release(l->line);
	gpiod_line_close_chip(l->line);
	free(l);
}

const struct hwgpio_backend hwgpio_v1_backend = {
	.name = "libgpiod 1.6",
	.find = hwgpio_v1_find,
	.request_input = hwgpio_v1_request_input,
	.request_output = hwgpio_v1_request_output,
	.event_fd = hwgpio_v1_event_fd,
	.read_events = hwgpio_v1_read_events,
	.get = hwgpio_v1_get,
	.set = hwgpio_v1_set,
	.release = hwgpio_v1_release,
};
