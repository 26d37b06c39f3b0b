// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * carehubctl --kernel sensors | monitor: straight from carehub.ko over
 * generic netlink (daemon/kernel/chnl.h), without the daemon - e.g. while
 * wiring sensors - and with the kernel's raw counters.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* signalfd, localtime_r, wcwidth */
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "carehubctl.h"
#include "chnl.h"
#include "jsonw.h"


static uint64_t carehubctl_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Bytes from the kernel shown to a terminal: valid UTF-8 as is, control
 * characters (C0, DEL, C1) and invalid bytes as \xNN. Returns the display
 * width, and prints only when @f is not NULL.
 */
static void carehubctl_kind(char *buf, size_t size, uint32_t kind)
{
	const char *k = sensor_kind_name(kind);

	if (k)
		snprintf(buf, size, "%s", k);
	else
		snprintf(buf, size, "%" PRIu32, kind);
}

/* Names of the bits of @v, comma-separated; unknown bits as 0x... */
static void carehubctl_bits(char *buf, size_t size, uint32_t v,
			    const char *(*name)(uint32_t))
{
	size_t off = 0;
	int b;

	buf[0] = '\0';
	for (b = 0; b < 32 && off < size; b++) {
		uint32_t bit = UINT32_C(1) << b;
		const char *n;
		int w;

		if (!(v & bit))
			continue;
		n = name(bit);
		if (n)
			w = snprintf(buf + off, size - off, "%s%s",
				     off ? "," : "", n);
		else
			w = snprintf(buf + off, size - off, "%s0x%" PRIx32,
				     off ? "," : "", bit);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

static void carehubctl_json_bits(struct jw *w, const char *key, uint32_t v,
				 const char *(*name)(uint32_t))
{
	char hex[16];
	int b;

	jw_key(w, key);
	jw_arr_open(w);
	for (b = 0; b < 32; b++) {
		uint32_t bit = UINT32_C(1) << b;
		const char *n;

		if (!(v & bit))
			continue;
		n = name(bit);
		if (!n) {
			snprintf(hex, sizeof(hex), "0x%" PRIx32, bit);
			n = hex;
		}
		jw_str(w, n);
	}
	jw_arr_close(w);
}

/* "3d04h", "2h05m", "4m10s", "12.3s", "-" */
static void carehubctl_age(char *buf, size_t size, uint64_t then_ns)
{
	uint64_t now = carehubctl_now_ns(CLOCK_BOOTTIME), s;

	if (!then_ns || then_ns > now) {
		snprintf(buf, size, "-");
		return;
	}
	s = (now - then_ns) / 1000000000u;
	if (s >= 86400)
		snprintf(buf, size, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, size, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
			 s % 60);
	else
		snprintf(buf, size, "%.1fs", (double)(now - then_ns) / 1e9);
}

/* ---- sensor output ---- */

static void carehubctl_json_sensor(struct jw *w, const char *event,
				   const struct chnl_sensor *s)
{
	char kind[16];

	carehubctl_kind(kind, sizeof(kind), s->kind);
	jw_obj_open(w);
	if (event)
		jw_kstr(w, "event", event);
	jw_ku64(w, "seq", s->seq);
	jw_ku64(w, "sensor_seq", s->sensor_seq);
	jw_ku64(w, "id", s->id);
	jw_kstr(w, "name", s->name);
	jw_kstr(w, "label", s->label);
	jw_kstr(w, "kind", kind);
	jw_ku64(w, "state", s->state);
	jw_kstr(w, "state_name", sensor_state_name(s->kind, s->state));
	carehubctl_json_bits(w, "faults", s->faults, sensor_fault_name);
	if (s->cmd == CHNL_CMD_CHANGE)
		carehubctl_json_bits(w, "reason", s->reason,
				     chnl_reason_name);
	jw_ku64(w, "first_edge_ns", s->first_edge_ns);
	jw_ku64(w, "settle_ns", s->settle_ns);
	jw_ku64(w, "edges", s->edges);
	jw_ku64(w, "glitches", s->glitches);
	jw_ku64(w, "chatter_faults", s->chatter_faults);
	jw_ku64(w, "debounce_ms", s->debounce_ms);
	jw_ku64(w, "holdoff_max_ms", s->holdoff_max_ms);
	jw_obj_close(w);
}

/* Write a whole line and flush it: 0, or 1 if stdout failed. */
static int carehubctl_json_line(const char *event, const struct chnl_sensor *s)
{
	struct jw w;

	jw_init(&w, stdout);
	carehubctl_json_sensor(&w, event, s);
	fputc('\n', stdout);
	return jw_finish(&w) || fflush(stdout) ? 1 : 0;
}

/* ---- sensors ---- */

struct carehubctl_list {
	struct chnl_sensor *v;
	size_t n, cap;
};

static int carehubctl_collect(const struct chnl_sensor *s, void *arg)
{
	struct carehubctl_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct chnl_sensor *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *s;
	return 0;
}

static void carehubctl_table(const struct chnl_sensor *v, size_t n)
{
	static const char *const hdr[] = {
		"ID", "NAME", "KIND", "STATE", "FAULTS", "SINCE", "LABEL"
	};
	enum { C_ID, C_NAME, C_KIND, C_STATE, C_FAULTS, C_SINCE, C_LABEL,
	       C_N };
	char cell[C_N][64];
	int width[C_N];
	size_t i;
	int c;

	for (c = 0; c < C_N; c++)
		width[c] = (int)strlen(hdr[c]);
	for (i = 0; i < n; i++) {
		char buf[64];
		int w;

		w = snprintf(buf, sizeof(buf), "%" PRIu32, v[i].id);
		width[C_ID] = w > width[C_ID] ? w : width[C_ID];
		w = carehubctl_safe(NULL, v[i].name);
		width[C_NAME] = w > width[C_NAME] ? w : width[C_NAME];
		carehubctl_kind(buf, sizeof(buf), v[i].kind);
		w = (int)strlen(buf);
		width[C_KIND] = w > width[C_KIND] ? w : width[C_KIND];
		w = (int)strlen(sensor_state_name(v[i].kind, v[i].state));
		width[C_STATE] = w > width[C_STATE] ? w : width[C_STATE];
		carehubctl_bits(buf, sizeof(buf), v[i].faults,
				sensor_fault_name);
		w = (int)strlen(buf);
		width[C_FAULTS] = w > width[C_FAULTS] ? w : width[C_FAULTS];
		carehubctl_age(buf, sizeof(buf), v[i].settle_ns);
		w = (int)strlen(buf);
		width[C_SINCE] = w > width[C_SINCE] ? w : width[C_SINCE];
	}

	printf("%*s  %-*s  %-*s  %-*s  %-*s  %*s  %s\n",
	       width[C_ID], hdr[C_ID], width[C_NAME], hdr[C_NAME],
	       width[C_KIND], hdr[C_KIND], width[C_STATE], hdr[C_STATE],
	       width[C_FAULTS], hdr[C_FAULTS], width[C_SINCE], hdr[C_SINCE],
	       hdr[C_LABEL]);
	for (i = 0; i < n; i++) {
		const struct chnl_sensor *s = &v[i];

		carehubctl_kind(cell[C_KIND], sizeof(cell[C_KIND]), s->kind);
		carehubctl_bits(cell[C_FAULTS], sizeof(cell[C_FAULTS]),
				s->faults, sensor_fault_name);
		carehubctl_age(cell[C_SINCE], sizeof(cell[C_SINCE]),
			       s->settle_ns);
		printf("%*" PRIu32 "  ", width[C_ID], s->id);
		carehubctl_pad(stdout, width[C_NAME] -
			       carehubctl_safe(stdout, s->name));
		printf("  %-*s  %-*s  %-*s  %*s  ", width[C_KIND],
		       cell[C_KIND], width[C_STATE],
		       sensor_state_name(s->kind, s->state), width[C_FAULTS],
		       cell[C_FAULTS], width[C_SINCE], cell[C_SINCE]);
		carehubctl_safe(stdout, s->label);
		fputc('\n', stdout);
	}
	if (!n)
		printf("(no sensors)\n");
}

static int carehubctl_open(struct chnl **h, const struct chnl_opts *opts)
{
	char err[256];

	if (chnl_open(h, opts, err, sizeof(err))) {
		carehubctl_err("%s", err);
		return 1;
	}
	return 0;
}

int carehubctl_k_sensors(int argc, char **argv, bool json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct carehubctl_list l = { 0 };
	struct chnl *h;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(carehubctl_usage, stdout);
			return 0;
		default:
			return carehubctl_usage_err("sensors: bad option");
		}
	}
	if (optind < argc)
		return carehubctl_usage_err("sensors: unexpected '%s'",
					    argv[optind]);

	if (carehubctl_open(&h, &(struct chnl_opts){ .requests_only = true }))
		return 1;
	ret = chnl_dump(h, carehubctl_collect, &l);
	if (ret) {
		carehubctl_err("%s", ret == -ENOMEM ? "out of memory" :
			       chnl_errmsg(h));
		chnl_close(h);
		free(l.v);
		return 1;
	}
	chnl_close(h);

	if (json) {
		struct jw w;
		size_t i;

		jw_init(&w, stdout);
		jw_arr_open(&w);
		for (i = 0; i < l.n; i++)
			carehubctl_json_sensor(&w, NULL, &l.v[i]);
		jw_arr_close(&w);
		fputc('\n', stdout);
		ret = jw_finish(&w);
	} else {
		carehubctl_table(l.v, l.n);
	}
	free(l.v);
	if (ret || fflush(stdout)) {
		carehubctl_err("writing the output: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* ---- monitor ---- */

struct carehubctl_mon {
	bool json;
	bool state;
	bool out_err;
	unsigned long count;	/* 0: unlimited */
	unsigned long seen;
};

static void carehubctl_clock(FILE *f)
{
	struct timespec ts;
	struct tm tm;
	char buf[16];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	fprintf(f, "%s.%03ld ", buf, ts.tv_nsec / 1000000);
}

static void carehubctl_human_sensor(const char *event,
				    const struct chnl_sensor *s)
{
	char kind[16], bits[128];

	carehubctl_clock(stdout);
	carehubctl_kind(kind, sizeof(kind), s->kind);
	printf("%-6s #%" PRIu32 " ", event, s->id);
	carehubctl_safe(stdout, s->name);
	printf(" %s %s", kind, sensor_state_name(s->kind, s->state));
	if (s->faults) {
		carehubctl_bits(bits, sizeof(bits), s->faults,
				sensor_fault_name);
		printf(" FAULT=%s", bits);
	}
	if (s->cmd == CHNL_CMD_CHANGE) {
		carehubctl_bits(bits, sizeof(bits), s->reason,
				chnl_reason_name);
		printf(" reason=%s", bits);
	}
	printf(" seq=%" PRIu64 " edges=%" PRIu64 " glitches=%" PRIu64 " \"",
	       s->seq, s->edges, s->glitches);
	carehubctl_safe(stdout, s->label);
	printf("\"\n");
}

static void carehubctl_mon_sensor(struct carehubctl_mon *m, const char *ev,
				  const struct chnl_sensor *s)
{
	if (m->json) {
		if (carehubctl_json_line(ev, s))
			m->out_err = true;
		return;
	}
	carehubctl_human_sensor(ev, s);
	if (fflush(stdout))
		m->out_err = true;
}

static void carehubctl_mon_resync(struct carehubctl_mon *m,
				  const struct chnl_event *ev)
{
	const char *cause = chnl_resync_cause_name(ev->cause);
	size_t i;

	if (m->json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj_open(&w);
		jw_kstr(&w, "event", "resync");
		if (ev->lost == CHNL_LOST_UNKNOWN)
			jw_knull(&w, "lost");
		else
			jw_ki64(&w, "lost", ev->lost);
		jw_kstr(&w, "cause", cause);
		jw_ku64(&w, "seq", ev->seq);
		jw_ku64(&w, "sensors", ev->n_sensors);
		jw_obj_close(&w);
		fputc('\n', stdout);
		if (jw_finish(&w))
			m->out_err = true;
	} else {
		carehubctl_clock(stdout);
		if (ev->lost == CHNL_LOST_UNKNOWN)
			printf("resync lost=unknown");
		else
			printf("resync lost=%" PRId64, ev->lost);
		printf(" (%s) seq=%" PRIu64 ", state of %zu sensor%s follows\n",
		       cause, ev->seq, ev->n_sensors,
		       ev->n_sensors == 1 ? "" : "s");
	}
	if (fflush(stdout))
		m->out_err = true;
	for (i = 0; i < ev->n_sensors; i++)
		carehubctl_mon_sensor(m, "state", &ev->sensors[i]);
}

static void carehubctl_mon_event(const struct chnl_event *ev, void *arg)
{
	struct carehubctl_mon *m = arg;

	/* Events that arrive in the same read after --count are dropped. */
	if (m->count && m->seen >= m->count)
		return;
	switch (ev->type) {
	case CHNL_EV_SENSOR:
		carehubctl_mon_sensor(m, chnl_cmd_name(ev->sensor->cmd),
				      ev->sensor);
		break;
	case CHNL_EV_RESYNC:
		if (ev->cause == CHNL_RESYNC_START) {
			/* The baseline: shown on request, never counted. */
			if (m->state)
				carehubctl_mon_resync(m, ev);
			return;
		}
		carehubctl_mon_resync(m, ev);
		break;
	}
	m->seen++;
}

int carehubctl_k_monitor(int argc, char **argv, bool json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "state", no_argument, NULL, 's' },
		{ "rcvbuf", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct carehubctl_mon m = { 0 };
	struct chnl_opts copts = { 0 };
	unsigned long rcvbuf;
	uint64_t deadline = 0;
	struct pollfd pfd[2];
	sigset_t sigs;
	struct chnl *h;
	double secs;
	int c, ret, sfd;

	while ((c = getopt_long(argc, argv, "+jn:t:sh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'n':
			if (carehubctl_parse_ulong(optarg, &m.count) ||
			    m.count == 0)
				return carehubctl_usage_err(
					"--count: '%s' is not a positive number",
					optarg);
			break;
		case 't':
			if (carehubctl_parse_secs(optarg, &secs))
				return carehubctl_usage_err(
					"--timeout: '%s' is not a number of seconds in (0, 1e7]",
					optarg);
			deadline = carehubctl_now_ns(CLOCK_MONOTONIC) +
				   (uint64_t)(secs * 1e9);
			break;
		case 's':
			m.state = true;
			break;
		case 'r':
			if (carehubctl_parse_ulong(optarg, &rcvbuf) ||
			    rcvbuf == 0 || rcvbuf > (1UL << 30))
				return carehubctl_usage_err(
					"--rcvbuf: '%s' is not a size in 1..1073741824",
					optarg);
			copts.rcvbuf = (int)rcvbuf;
			break;
		case 'h':
			fputs(carehubctl_usage, stdout);
			return 0;
		default:
			return carehubctl_usage_err("monitor: bad option");
		}
	}
	if (optind < argc)
		return carehubctl_usage_err("monitor: unexpected '%s'",
					    argv[optind]);
	m.json = json;

	/* Signals are events: read from a signalfd, never handled. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) ||
	    (sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		carehubctl_err("signalfd: %s", strerror(errno));
		return 1;
	}

	if (carehubctl_open(&h, &copts)) {
		close(sfd);
		return 1;
	}
	/* Subscribed at open; this dump is the baseline. */
	ret = chnl_sync(h, carehubctl_mon_event, &m);
	if (ret) {
		carehubctl_err("%s", chnl_errmsg(h));
		goto out;
	}

	pfd[0] = (struct pollfd){ .fd = chnl_fd(h), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		int tmo = -1;

		if (deadline) {
			uint64_t now = carehubctl_now_ns(CLOCK_MONOTONIC);

			if (now >= deadline)
				break;
			/* Round up: never wake just before the deadline. */
			tmo = (int)((deadline - now + 999999) / 1000000);
		}
		ret = poll(pfd, 2, tmo);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			carehubctl_err("poll: %s", strerror(errno));
			ret = 1;
			goto out;
		}
		if (pfd[1].revents)
			break;	/* SIGINT / SIGTERM: a normal end */
		if (pfd[0].revents) {
			ret = chnl_read(h, carehubctl_mon_event, &m);
			if (ret < 0) {
				carehubctl_err("%s", chnl_errmsg(h));
				ret = 1;
				goto out;
			}
		}
		if (m.out_err) {
			carehubctl_err("writing the output: %s",
				       strerror(errno));
			ret = 1;
			goto out;
		}
		if (m.count && m.seen >= m.count)
			break;
	}
	ret = 0;
out:
	chnl_close(h);
	close(sfd);
	return ret ? 1 : 0;
}

