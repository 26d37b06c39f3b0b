/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hwgpio: the hub's own controls on GPIO lines named in [gpio] of
 * carehubd.conf (struct conf_gpio): an SOS call button, a Cancel button,
 * a buzzer and an LED, each optional (line name "" = not fitted).
 *
 * Buttons are debounced here, in user space (Raspberry Pi pin controllers
 * have no hardware debounce), the way gpio_keys and carehub.ko do it:
 * every edge restarts a quiet timer of debounce_ms; when the line has been
 * quiet that long its level is read and reported if it differs from the
 * last reported level. The direction of edges is never trusted, so bounces
 * and missed edges (the kernel's event queue overflowing) do not matter,
 * and a glitch that settles back to the old level is only counted. A
 * contact that never goes quiet is read anyway after a capped hold-off
 * (HWGPIO_HOLDOFF_MAX_MS or 4 x debounce_ms, the larger), counted as
 * chatter: a bouncing SOS button must not be silenced forever.
 * Only presses are reported; releases are tracked (needed to see the next
 * press) and counted.
 *
 * Time: the caller passes "now" on CLOCK_BOOTTIME in ns (the clock of the
 * rule engine), and deadlines come back on it. Quiet periods are measured
 * from when hwgpio_read() drained the edges, not from the kernel's stamps:
 * the v1 uAPI stamps edges on CLOCK_MONOTONIC, which drifts from
 * BOOTTIME across suspend, and reading late only lengthens the wait.
 *
 * Use from an event loop (sd-event):
 *
 *	hwgpio_open(&h, &conf->gpio, err, sizeof(err));
 *	fd = hwgpio_fd(h);        io source, EPOLLIN, if fd >= 0
 *	on fd readable:  hwgpio_read(h, now);  then re-arm the timer
 *	timer at hwgpio_next(h) (disable if UINT64_MAX):
 *		hwgpio_advance(h, now, on_press, ctx);  re-arm
 *	hwgpio_set(h, HWGPIO_BUZZER, true) ...;  hwgpio_close(h)
 *
 * The backend (libgpiod v1 or v2) is chosen at build time:
 * hwgpio_backend.h.
 */
#ifndef HWGPIO_H
#define HWGPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/conf.h"

enum hwgpio_button {
	HWGPIO_SOS,
	HWGPIO_CANCEL,
};
#define HWGPIO_BUTTONS	(HWGPIO_CANCEL + 1)

enum hwgpio_out {
	HWGPIO_BUZZER,
	HWGPIO_LED,
};
#define HWGPIO_OUTS	(HWGPIO_LED + 1)

/* Never wait longer than this for a chattering button to go quiet. */
#define HWGPIO_HOLDOFF_MAX_MS	1000u
/* Requests show this consumer in gpioinfo. */
#define HWGPIO_CONSUMER		"carehubd"

struct hwgpio;

/*
 * The debouncer of one button: pure state, no I/O, tested on its own.
 * @deadline: when to read the level (UINT64_MAX: nothing pending)
 * @burst_start: first edge of the unsettled burst (hold-off cap)
 * @last_edge: latest edge seen
 * @holdoff_ns, @max_ns: quiet period and its cap
 * @pressed: the last reported level (true: pressed)
 * @edges, @presses, @releases, @glitches, @chatters: counters
 */
struct hwgpio_deb {
	uint64_t deadline;
	uint64_t burst_start;
	uint64_t last_edge;
	uint64_t holdoff_ns;
	uint64_t max_ns;
	bool pressed;
	uint64_t edges, presses, releases, glitches, chatters;
};

enum hwgpio_deb_result {
	HWGPIO_DEB_NONE,	/* nothing due, or the level did not change */
	HWGPIO_DEB_PRESS,
	HWGPIO_DEB_RELEASE,
};

/*
 * Start released, with a reading due at once (deadline 0): a button held
 * down while carehubd starts is reported after the first read of its
 * level, not ignored until the next press.
 */
void hwgpio_deb_init(struct hwgpio_deb *d, uint32_t debounce_ms);
/* An edge (any direction, or several) seen at @now: restart the timer. */
void hwgpio_deb_edge(struct hwgpio_deb *d, uint64_t now);
/* Whether the level must be read at @now. */
bool hwgpio_deb_due(const struct hwgpio_deb *d, uint64_t now);
/* The level read at @now (due): what to report. Clears the deadline. */
enum hwgpio_deb_result hwgpio_deb_settle(struct hwgpio_deb *d, uint64_t now,
					 bool pressed);

/*
 * hwgpio_open() - find every fitted line by name and request it: buttons
 * as inputs with both-edge events (active low if @cfg->active_low),
 * buzzer and LED as outputs, off. Return 0, or -errno with a message in
 * @err naming the line and its role: -ENOENT "no GPIO chip has a line
 * named ...", -EBUSY when a driver or another program holds a line,
 * -EACCES for the chips, -EINVAL when one line is named for two roles.
 * Nothing fitted is fine: *@out then does nothing. *@out is NULL on error.
 */
int hwgpio_open(struct hwgpio **out, const struct conf_gpio *cfg, char *err,
		size_t errlen);
/*
 * One fd (an epoll fd over the buttons' event fds) that is readable while
 * a button has edges queued; -1 when no button is fitted.
 */
int hwgpio_fd(const struct hwgpio *h);
/*
 * Drain the queued edges of every button, restarting its quiet timer at
 * @now. Returns the number of edges read, or -errno (the first error;
 * the other buttons are still drained).
 */
int hwgpio_read(struct hwgpio *h, uint64_t now_ns);
/* The earliest debounce deadline (CLOCK_BOOTTIME ns), UINT64_MAX: none. */
uint64_t hwgpio_next(const struct hwgpio *h);
/*
 * Read the level of every button whose deadline has passed and call
 * @pressed (may be NULL) for each new press. Returns the number of
 * presses, or -errno if a level could not be read (that button is tried
 * again one debounce period later; the others are still handled).
 */
int hwgpio_advance(struct hwgpio *h, uint64_t now_ns,
		   void (*pressed)(void *arg, enum hwgpio_button b), void *arg);
/* Switch the buzzer or LED; 0 and nothing done if it is not fitted. */
int hwgpio_set(struct hwgpio *h, enum hwgpio_out o, bool on);
/* Whether an output is fitted; whether it was last switched on. */
bool hwgpio_fitted_out(const struct hwgpio *h, enum hwgpio_out o);
bool hwgpio_out_on(const struct hwgpio *h, enum hwgpio_out o);
/* A button's debouncer (level, counters), NULL if it is not fitted. */
const struct hwgpio_deb *hwgpio_button(const struct hwgpio *h,
				       enum hwgpio_button b);
/* "sos_button", "cancel_button", "buzzer", "led": the keys of [gpio]. */
const char *hwgpio_button_name(enum hwgpio_button b);
const char *hwgpio_out_name(enum hwgpio_out o);
/* Outputs off, lines released, fds closed. NULL is fine. */
void hwgpio_close(struct hwgpio *h);

#endif /* HWGPIO_H */
