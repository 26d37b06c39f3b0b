// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hwgpio_probe: daemon/hwgpio.c + hwgpio_v1.c (libgpiod 1.6) against a
 * real GPIO character device, a gpio-sim chip made by tests/e2e/hwgpio.sh.
 *
 *   hwgpio_probe SIMDIR
 *
 * SIMDIR is the simulated chip's sysfs directory
 * (/sys/devices/platform/gpio-sim.N/gpiochipM) whose lines 0..3 are named
 * HUB_SOS, HUB_CANCEL, HUB_BUZZER, HUB_LED. The probe plays the hand on
 * the buttons through each line's `pull` attribute (active low: pull-down
 * = pressed) and reads the outputs back from `value`, driving hwgpio the
 * way carehubd's loop does (epoll on hwgpio_fd, timer at hwgpio_next, on
 * CLOCK_BOOTTIME). Prints TAP and "N passed, N failed"; exit 1 on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "../../daemon/hwgpio.h"

/* Long enough that a slow TCG guest still bounces within it. */
#define PROBE_DEBOUNCE_MS	100

static const char *simdir;
static unsigned int n_ok, n_fail;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %u - ", ok ? "ok" : "not ok", n_ok + n_fail + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (ok)
		n_ok++;
	else
		n_fail++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int sim_write(unsigned int line, const char *attr, const char *val)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/sim_gpio%u/%s", simdir, line, attr);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	rc = fputs(val, f) < 0 ? -EIO : 0;
	if (fclose(f) != 0 && !rc)
		rc = -errno;
	return rc;
}

/* The level gpio-sim reports for @line (0/1), -1 on error. */
static int sim_value(unsigned int line)
{
	char path[512], buf[8] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/sim_gpio%u/value", simdir, line);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] == '1' ? 1 : buf[0] == '0' ? 0 : -1;
}

/* Press (pull-down) or release (pull-up) button line @line. */
static void hand(unsigned int line, int pressed)
{
	int rc = sim_write(line, "pull", pressed ? "pull-down" : "pull-up");

	if (rc < 0) {
		printf("Bail out! writing pull of line %u: %s\n", line,
		       strerror(-rc));
		exit(1);
	}
}

/* @n alternating levels ending on @final, 1 ms apart: a bouncing contact. */
static void bounce(unsigned int line, int final, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		hand(line, (n - 1 - i) % 2 ? !final : final);
		usleep(1000);
	}
}

struct seen {
	unsigned int n[HWGPIO_BUTTONS];
};

static void on_press(void *arg, enum hwgpio_button b)
{
	struct seen *s = arg;

	s->n[b]++;
}

/* Run the loop as carehubd would, for @ms milliseconds. */
static void pump(struct hwgpio *h, unsigned int ms, struct seen *s)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000ull;
	int ep = hwgpio_fd(h);

	for (;;) {
		uint64_t now = now_ns(), wake = hwgpio_next(h);
		struct epoll_event ev;
		int timeout, rc;

		if (wake > end)
			wake = end;
		if (now >= end)
			break;
		timeout = wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
		rc = epoll_wait(ep, &ev, 1, timeout);
		if (rc < 0 && errno != EINTR) {
			printf("Bail out! epoll_wait: %s\n", strerror(errno));
			exit(1);
		}
		if (rc > 0 && hwgpio_read(h, now_ns()) < 0)
			printf("# hwgpio_read failed\n");
		if (hwgpio_advance(h, now_ns(), on_press, s) < 0)
			printf("# hwgpio_advance failed\n");
	}
}

static struct conf_gpio probe_cfg(void)
{
	struct conf_gpio c = { .active_low = true,
			       .debounce_ms = PROBE_DEBOUNCE_MS };

	strcpy(c.sos_button, "HUB_SOS");
	strcpy(c.cancel_button, "HUB_CANCEL");
	strcpy(c.buzzer, "HUB_BUZZER");
	strcpy(c.led, "HUB_LED");
	return c;
}

int main(int argc, char **argv)
{
	struct conf_gpio cfg = probe_cfg();
	const struct hwgpio_deb *sos, *cancel;
	struct hwgpio *h, *h2;
	struct seen s = { { 0 } };
	uint64_t edges0;
	char err[256];
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SIMDIR\n", argv[0]);
		return 2;
	}
	simdir = argv[1];
	printf("TAP version 13\n");
	/* Both buttons start released (gpio-sim pulls down by default). */
	hand(0, 0);
	hand(1, 0);

	rc = hwgpio_open(&h, &cfg, err, sizeof(err));
	check(rc == 0, "open HUB_SOS, HUB_CANCEL, HUB_BUZZER, HUB_LED by name (%d %s)",
	      rc, err);
	if (rc) {
		printf("Bail out! cannot go on without the lines\n");
		return 1;
	}
	sos = hwgpio_button(h, HWGPIO_SOS);
	cancel = hwgpio_button(h, HWGPIO_CANCEL);
	check(hwgpio_fd(h) >= 0 && sos && cancel, "one event fd for both buttons");
	check(sim_value(2) == 0 && sim_value(3) == 0,
	      "buzzer and LED start off (sysfs value 0)");

	pump(h, 300, &s);
	check(s.n[HWGPIO_SOS] == 0 && s.n[HWGPIO_CANCEL] == 0 && !sos->pressed,
	      "released buttons: no press at start");

	/* SOS: 7 bounces ending pressed, then held. */
	edges0 = sos->edges;
	bounce(0, 1, 7);
	pump(h, 4 * PROBE_DEBOUNCE_MS + 300, &s);
	check(s.n[HWGPIO_SOS] == 1,
	      "SOS with 7 bounces: exactly one press (got %u, %llu edges seen)",
	      s.n[HWGPIO_SOS], (unsigned long long)(sos->edges - edges0));
	check(sos->edges - edges0 >= 3,
	      "the kernel delivered the bounces as edges (%llu >= 3)",
	      (unsigned long long)(sos->edges - edges0));
	pump(h, 500, &s);
	check(s.n[HWGPIO_SOS] == 1 && sos->pressed, "held: no second press");

	/* Release with bounces: tracked, not reported. */
	bounce(0, 0, 5);
	pump(h, 4 * PROBE_DEBOUNCE_MS + 300, &s);
	check(s.n[HWGPIO_SOS] == 1 && sos->releases == 1 && !sos->pressed,
	      "release with 5 bounces: tracked (releases %llu), no press",
	      (unsigned long long)sos->releases);

	/* A glitch: down and straight back up. */
	hand(0, 1);
	hand(0, 0);
	pump(h, 4 * PROBE_DEBOUNCE_MS + 300, &s);
	check(s.n[HWGPIO_SOS] == 1 && sos->glitches >= 1,
	      "glitch (press and release within the period): no press, counted (%llu)",
	      (unsigned long long)sos->glitches);

	/* Cancel. */
	bounce(1, 1, 3);
	pump(h, 4 * PROBE_DEBOUNCE_MS + 300, &s);
	check(s.n[HWGPIO_CANCEL] == 1 && s.n[HWGPIO_SOS] == 1,
	      "Cancel pressed: one Cancel press, SOS untouched (%u/%u)",
	      s.n[HWGPIO_CANCEL], s.n[HWGPIO_SOS]);
	hand(1, 0);

	/* Outputs, as gpio-sim sees them. */
	rc = hwgpio_set(h, HWGPIO_BUZZER, true);
	check(rc == 0 && sim_value(2) == 1, "buzzer on: sysfs value 1");
	rc = hwgpio_set(h, HWGPIO_BUZZER, false);
	check(rc == 0 && sim_value(2) == 0, "buzzer off: sysfs value 0");
	rc = hwgpio_set(h, HWGPIO_LED, true);
	check(rc == 0 && sim_value(3) == 1 && sim_value(2) == 0,
	      "LED on: its value 1, the buzzer's still 0");

	/* A second instance finds the lines busy. */
	rc = hwgpio_open(&h2, &cfg, err, sizeof(err));
	check(rc == -EBUSY && !h2 && strstr(err, "busy") &&
	      strstr(err, "'HUB_BUZZER'"),
	      "lines held by the first: second open fails busy: %s", err);

	/* Closing switches the LED off and gives the lines back. */
	hwgpio_close(h);
	check(sim_value(3) == 0, "close: LED off (sysfs value 0)");
	rc = hwgpio_open(&h, &cfg, err, sizeof(err));
	check(rc == 0, "after close the lines can be taken again (%d %s)", rc,
	      err);
	hwgpio_close(h);

	/* A name no chip has. */
	strcpy(cfg.cancel_button, "HUB_NO_SUCH_LINE");
	rc = hwgpio_open(&h, &cfg, err, sizeof(err));
	check(rc == -ENOENT && !h && strstr(err, "'HUB_NO_SUCH_LINE'") &&
	      strstr(err, "cancel_button"),
	      "unknown line name: fails naming it: %s", err);
	cfg = probe_cfg();
	rc = hwgpio_open(&h, &cfg, err, sizeof(err));
	check(rc == 0, "the failed open left no line taken (%d %s)", rc, err);
	hwgpio_close(h);

	printf("%u passed, %u failed\n", n_ok, n_fail);
	return n_fail ? 1 : 0;
}
