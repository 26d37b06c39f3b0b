/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hwgpio_backend: the handful of GPIO character-device operations that
 * hwgpio needs, behind a table of functions so that the libgpiod API in
 * use is a build-time choice and the debouncing above it stays the same.
 *
 * Backends (exactly one is linked into carehubd):
 *
 *	hwgpio_v1.c	libgpiod 1.6 (v1 API): Debian 12, Raspberry Pi OS
 *			bookworm. pkg-config libgpiod < 2. Default.
 *	hwgpio_v2.c	libgpiod 2.x (v2 API: gpiod_chip_get_line_offset_from_name,
 *			gpiod_line_request, gpiod_edge_event_buffer): Debian 13,
 *			bookworm-backports. Not written yet.
 *
 * Choosing one: link its object instead of hwgpio_v1.o and compile
 * hwgpio.c with -DHWGPIO_BACKEND_V2, e.g. in daemon/Makefile
 *
 *	ifeq ($(shell $(PKG_CONFIG) --atleast-version=2 libgpiod && echo 2),2)
 *	HWGPIO_OBJ := hwgpio_v2.o
 *	hwgpio.o: CPPFLAGS += -DHWGPIO_BACKEND_V2
 *	else
 *	HWGPIO_OBJ := hwgpio_v1.o
 *	endif
 *
 * A v2 backend implements the same table; everything it must guarantee
 * is written beside each member below. The unit tests link a fake table
 * under the name hwgpio.c expects (hwgpio_v1_backend) instead of any of
 * these files, so the debouncer is tested without hardware.
 */
#ifndef HWGPIO_BACKEND_H
#define HWGPIO_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One GPIO line found by name: the backend's own handle. */
struct hwgpio_be_line;

/* One edge as the kernel timestamped it. */
struct hwgpio_be_event {
	uint64_t ts_ns;	/* kernel stamp; the backend's clock (v1 uAPI: MONOTONIC) */
	bool rising;	/* logical level went inactive -> active */
};

/*
 * Every int-returning member returns 0 (or a count / value as said) on
 * success and a negative errno on failure; none prints anything.
 */
struct hwgpio_backend {
	const char *name;	/* "libgpiod 1.6", for logs */
	/*
	 * find - look up the line called @name on every GPIO chip (never
	 * by chip number: numbering changes between boards and kernels).
	 * The first match wins. -ENOENT: no chip has such a line; other
	 * errors are about opening chips (-EACCES: see systemd/README.md).
	 * On success *@out is a handle that must be given to release(),
	 * and @where (if not NULL) says where it is: "gpiochip0 line 17".
	 */
	int (*find)(const char *name, struct hwgpio_be_line **out,
		    char *where, size_t wherelen);
	/*
	 * request_input - take the line as an input with events on both
	 * edges. @active_low: report the low level as 1 (get(), events).
	 * -EBUSY if a driver or another process holds the line.
	 */
	int (*request_input)(struct hwgpio_be_line *l, const char *consumer,
			     bool active_low);
	/* request_output - take the line as an output driven to @value. */
	int (*request_output)(struct hwgpio_be_line *l, const char *consumer,
			      int value);
	/* event_fd - readable while events are queued (inputs only). */
	int (*event_fd)(struct hwgpio_be_line *l);
	/*
	 * read_events - up to @n queued events without blocking: the count
	 * read, 0 when none is queued.
	 */
	int (*read_events)(struct hwgpio_be_line *l, struct hwgpio_be_event *ev,
			   unsigned int n);
	/* get - the logical level now: 0 or 1. */
	int (*get)(struct hwgpio_be_line *l);
	/* set - drive an output line to @value (0 or 1). */
	int (*set)(struct hwgpio_be_line *l, int value);
	/* release - give the line back, close its chip, free @l. */
	void (*release)(struct hwgpio_be_line *l);
};

extern const struct hwgpio_backend hwgpio_v1_backend;
extern const struct hwgpio_backend hwgpio_v2_backend;

#endif /* HWGPIO_BACKEND_H */
