// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hwgpio: the hub's buttons, buzzer and LED (see hwgpio.h). This file is
 * the backend-independent part: the debouncer, output state, and the
 * bookkeeping of lines and fds. The GPIO calls go through a
 * struct hwgpio_backend chosen at build time (hwgpio_backend.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "hwgpio.h"
#include "hwgpio_backend.h"

#ifdef HWGPIO_BACKEND_V2
#define HWGPIO_BE	(&hwgpio_v2_backend)
#else
#define HWGPIO_BE	(&hwgpio_v1_backend)
#endif

/* Events read per backend call, and calls per button per hwgpio_read(). */
#define HWGPIO_EV_BATCH		16
#define HWGPIO_READ_BATCHES	64
/* Retry a level that could not be read no sooner than this. */
#define HWGPIO_RETRY_MIN_NS	10000000ull

#define HWGPIO_NONE		UINT64_MAX

struct hwgpio {
	const struct hwgpio_backend *be;
	int epfd;				/* -1: no button fitted */
	struct hwgpio_be_line *btn[HWGPIO_BUTTONS];	/* NULL: not fitted */
	struct hwgpio_deb deb[HWGPIO_BUTTONS];
	struct hwgpio_be_line *out[HWGPIO_OUTS];	/* NULL: not fitted */
	bool out_on[HWGPIO_OUTS];
};

static uint64_t hwgpio_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* ---- the debouncer: pure ---- */

void hwgpio_deb_init(struct hwgpio_deb *d, uint32_t debounce_ms)
{
	uint64_t max_ms = 4ull * debounce_ms;

	if (max_ms < HWGPIO_HOLDOFF_MAX_MS)
		max_ms = HWGPIO_HOLDOFF_MAX_MS;
	memset(d, 0, sizeof(*d));
	d->holdoff_ns = (uint64_t)debounce_ms * 1000000ull;
	d->max_ns = max_ms * 1000000ull;
	/* Read the level at the first hwgpio_advance(): see hwgpio.h. */
	d->deadline = 0;
	d->burst_start = HWGPIO_NONE;
}

void hwgpio_deb_edge(struct hwgpio_deb *d, uint64_t now)
{
	uint64_t quiet, cap;

	d->edges++;
	d->last_edge = now;
	if (d->burst_start == HWGPIO_NONE)
		d->burst_start = now;
	/*
	 * Restart the quiet timer, but never past the cap measured from the
	 * burst's first edge: a contact that chatters forever is still read.
	 */
	quiet = hwgpio_add_sat(now, d->holdoff_ns);
	cap = hwgpio_add_sat(d->burst_start, d->max_ns);
	d->deadline = quiet < cap ? quiet : cap;
}

bool hwgpio_deb_due(const struct hwgpio_deb *d, uint64_t now)
{
	return d->deadline != HWGPIO_NONE && now >= d->deadline;
}

enum hwgpio_deb_result hwgpio_deb_settle(struct hwgpio_deb *d, uint64_t now,
					 bool pressed)
{
	bool burst = d->burst_start != HWGPIO_NONE;

	if (!hwgpio_deb_due(d, now))
		return HWGPIO_DEB_NONE;
	/* Read before the line was quiet for the period: the cap struck. */
	if (burst && now - d->last_edge < d->holdoff_ns)
		d->chatters++;
	d->deadline = HWGPIO_NONE;
	d->burst_start = HWGPIO_NONE;
	if (pressed == d->pressed) {
		/* Edges that settled back where they started. */
		if (burst)
			d->glitches++;
		return HWGPIO_DEB_NONE;
	}
	d->pressed = pressed;
	if (pressed) {
		d->presses++;
		return HWGPIO_DEB_PRESS;
	}
	d->releases++;
	return HWGPIO_DEB_RELEASE;
}

/* ---- names ---- */

const char *hwgpio_button_name(enum hwgpio_button b)
{
	switch (b) {
	case HWGPIO_SOS:
		return "sos_button";
	case HWGPIO_CANCEL:
		return "cancel_button";
	}
	return "?";
}

const char *hwgpio_out_name(enum hwgpio_out o)
{
	switch (o) {
	case HWGPIO_BUZZER:
		return "buzzer";
	case HWGPIO_LED:
		return "led";
	}
	return "?";
}

static const char *hwgpio_cfg_button(const struct conf_gpio *cfg,
				     enum hwgpio_button b)
{
	switch (b) {
	case HWGPIO_SOS:
		return cfg->sos_button;
	case HWGPIO_CANCEL:
		return cfg->cancel_button;
	}
	return "";
}

static const char *hwgpio_cfg_out(const struct conf_gpio *cfg,
				  enum hwgpio_out o)
{
	switch (o) {
	case HWGPIO_BUZZER:
		return cfg->buzzer;
	case HWGPIO_LED:
		return cfg->led;
	}
	return "";
}

/* ---- open / close ---- */

/*
 * Find @name and request it; on failure say which line and role in @err.
 * @output: request as output (off), else as input with edge events.
 */
static int hwgpio_take(struct hwgpio *h, const char *role, const char *name,
		       bool output, bool active_low, struct hwgpio_be_line **out,
		       char *err, size_t errlen)
{
	struct hwgpio_be_line *l = NULL;
	char where[96] = "";
	int rc;

	rc = h->be->find(name, &l, where, sizeof(where));
	if (rc == -ENOENT) {
		snprintf(err, errlen,
			 "gpio: %s: no GPIO chip has a line named '%s'", role,
			 name);
		return rc;
	}
	if (rc < 0) {
		snprintf(err, errlen,
			 "gpio: %s: looking for line '%s': %s%s", role, name,
			 strerror(-rc),
			 rc == -EACCES ? " (every /dev/gpiochip* must be "
					 "readable: group gpio, see "
					 "systemd/README.md)" : "");
		return rc;
	}
	if (output)
		rc = h->be->request_output(l, HWGPIO_CONSUMER, 0);
	else
		rc = h->be->request_input(l, HWGPIO_CONSUMER, active_low);
	if (rc < 0) {
		snprintf(err, errlen, "gpio: %s: line '%s' (%s): %s%s", role,
			 name, where, rc == -EBUSY ? "busy" : strerror(-rc),
			 rc == -EBUSY ? ": a driver or another program holds "
					"it (gpioinfo shows which)" : "");
		h->be->release(l);
		return rc;
	}
	*out = l;
	return 0;
}

/* A line name used for two roles, or one that cannot fit: -EINVAL. */
static int hwgpio_check_names(const struct conf_gpio *cfg, char *err,
			      size_t errlen)
{
	const char *role[HWGPIO_BUTTONS + HWGPIO_OUTS];
	const char *name[HWGPIO_BUTTONS + HWGPIO_OUTS];
	unsigned int n = 0, i, j;

	for (i = 0; i < HWGPIO_BUTTONS; i++) {
		role[n] = hwgpio_button_name((enum hwgpio_button)i);
		name[n++] = hwgpio_cfg_button(cfg, (enum hwgpio_button)i);
	}
	for (i = 0; i < HWGPIO_OUTS; i++) {
		role[n] = hwgpio_out_name((enum hwgpio_out)i);
		name[n++] = hwgpio_cfg_out(cfg, (enum hwgpio_out)i);
	}
	for (i = 0; i < n; i++) {
		if (!memchr(name[i], 0, CONF_NAME_MAX)) {
			snprintf(err, errlen, "gpio: %s: line name too long",
				 role[i]);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (name[i][0] && !strcmp(name[i], name[j])) {
				snprintf(err, errlen,
					 "gpio: %s and %s both name line '%s'",
					 role[j], role[i], name[i]);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int hwgpio_open(struct hwgpio **out, const struct conf_gpio *cfg, char *err,
		size_t errlen)
{
	struct hwgpio *h;
	unsigned int i;
	int rc;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	rc = hwgpio_check_names(cfg, err, errlen);
	if (rc < 0)
		return rc;
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "gpio: out of memory");
		return -ENOMEM;
	}
	h->be = HWGPIO_BE;
	h->epfd = -1;
	for (i = 0; i < HWGPIO_BUTTONS; i++)
		hwgpio_deb_init(&h->deb[i], cfg->debounce_ms);

	for (i = 0; i < HWGPIO_OUTS; i++) {
		const char *name = hwgpio_cfg_out(cfg, (enum hwgpio_out)i);

		if (!name[0])
			continue;
		rc = hwgpio_take(h, hwgpio_out_name((enum hwgpio_out)i), name,
				 true, false, &h->out[i], err, errlen);
		if (rc < 0)
			goto fail;
	}
	for (i = 0; i < HWGPIO_BUTTONS; i++) {
		const char *name = hwgpio_cfg_button(cfg, (enum hwgpio_button)i);
		const char *role = hwgpio_button_name((enum hwgpio_button)i);
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
		int fd;

		if (!name[0])
			continue;
		rc = hwgpio_take(h, role, name, false, cfg->active_low,
				 &h->btn[i], err, errlen);
		if (rc < 0)
			goto fail;
		if (h->epfd < 0) {
			h->epfd = epoll_create1(EPOLL_CLOEXEC);
			if (h->epfd < 0) {
				rc = -errno;
				snprintf(err, errlen, "gpio: epoll: %s",
					 strerror(-rc));
				goto fail;
			}
		}
		fd = h->be->event_fd(h->btn[i]);
		if (fd < 0 || epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			rc = fd < 0 ? fd : -errno;
			snprintf(err, errlen, "gpio: %s: line '%s': events: %s",
				 role, name, strerror(-rc));
			goto fail;
		}
	}
	*out = h;
	return 0;
fail:
	hwgpio_close(h);
	return rc;
}

void hwgpio_close(struct hwgpio *h)
{
	unsigned int i;

	if (!h)
		return;
	/* Off before release: a released line keeps its last level. */
	for (i = 0; i < HWGPIO_OUTS; i++) {
		if (!h->out[i])
			continue;
		h->be->set(h->out[i], 0);
		h->be->release(h->out[i]);
	}
	for (i = 0; i < HWGPIO_BUTTONS; i++)
		if (h->btn[i])
			h->be->release(h->btn[i]);
	if (h->epfd >= 0)
		close(h->epfd);
	free(h);
}

/* ---- running ---- */

int hwgpio_fd(const struct hwgpio *h)
{
	return h->epfd;
}

int hwgpio_read(struct hwgpio *h, uint64_t now_ns)
{
	struct hwgpio_be_event ev[HWGPIO_EV_BATCH];
	int total = 0, first_err = 0;
	unsigned int i, batch;

	for (i = 0; i < HWGPIO_BUTTONS; i++) {
		if (!h->btn[i])
			continue;
		/*
		 * Bounded: under an edge storm the fd stays readable and the
		 * loop comes back, instead of one button starving the rest.
		 */
		for (batch = 0; batch < HWGPIO_READ_BATCHES; batch++) {
			int n = h->be->read_events(h->btn[i], ev,
						   HWGPIO_EV_BATCH);
			int k;

			if (n < 0) {
				if (!first_err)
					first_err = n;
				break;
			}
			if (n == 0)
				break;
			if (n > HWGPIO_EV_BATCH)
				n = HWGPIO_EV_BATCH;
			/* Only that edges came matters, not their direction. */
			for (k = 0; k < n; k++)
				hwgpio_deb_edge(&h->deb[i], now_ns);
			total += n;
		}
	}
	return first_err ? first_err : total;
}

uint64_t hwgpio_next(const struct hwgpio *h)
{
	uint64_t next = HWGPIO_NONE;
	unsigned int i;

	for (i = 0; i < HWGPIO_BUTTONS; i++)
		if (h->btn[i] && h->deb[i].deadline < next)
			next = h->deb[i].deadline;
	return next;
}

int hwgpio_advance(struct hwgpio *h, uint64_t now_ns,
		   void (*pressed)(void *arg, enum hwgpio_button b), void *arg)
{
	int presses = 0, first_err = 0;
	unsigned int i;

	for (i = 0; i < HWGPIO_BUTTONS; i++) {
		struct hwgpio_deb *d = &h->deb[i];
		uint64_t retry;
		int v;

		if (!h->btn[i] || !hwgpio_deb_due(d, now_ns))
			continue;
		v = h->be->get(h->btn[i]);
		if (v < 0) {
			if (!first_err)
				first_err = v;
			retry = d->holdoff_ns > HWGPIO_RETRY_MIN_NS ?
				d->holdoff_ns : HWGPIO_RETRY_MIN_NS;
			d->deadline = hwgpio_add_sat(now_ns, retry);
			continue;
		}
		if (hwgpio_deb_settle(d, now_ns, v != 0) == HWGPIO_DEB_PRESS) {
			presses++;
			if (pressed)
				pressed(arg, (enum hwgpio_button)i);
		}
	}
	return first_err ? first_err : presses;
}

int hwgpio_set(struct hwgpio *h, enum hwgpio_out o, bool on)
{
	int rc;

	if ((unsigned int)o >= HWGPIO_OUTS)
		return -EINVAL;
	if (!h->out[o])
		return 0;
	rc = h->be->set(h->out[o], on ? 1 : 0);
	if (rc == 0)
		h->out_on[o] = on;
	return rc;
}

bool hwgpio_fitted_out(const struct hwgpio *h, enum hwgpio_out o)
{
	return (unsigned int)o < HWGPIO_OUTS && h->out[o];
}

bool hwgpio_out_on(const struct hwgpio *h, enum hwgpio_out o)
{
	return hwgpio_fitted_out(h, o) && h->out_on[o];
}

const struct hwgpio_deb *hwgpio_button(const struct hwgpio *h,
				       enum hwgpio_button b)
{
	if ((unsigned int)b >= HWGPIO_BUTTONS || !h->btn[b])
		return NULL;
	return &h->deb[b];
}
