// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * carehubctl monitor: follow carehubd's alarm and sensor events. After
 * the daemon's {"ok":true} every datagram is one event object; --json
 * prints each exactly as received, one per line, flushed at once (a
 * script may act on every line). The daemon drops a reader that falls
 * behind after a final {"event":"overflow"}: that ends the monitor with
 * exit 1, since events were lost.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* signalfd */
#endif
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "carehubctl.h"
#include "ctlclient.h"
#include "ctlproto.h"

static uint64_t carehubctl_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* "HH:MM:SS" of the event's "time", else of the local clock. */
static void carehubctl_ev_time(const json_t *ev)
{
	const char *t = json_string_value(json_object_get(ev, "time"));
	time_t now;
	struct tm tm;
	char buf[16];

	if (t && strlen(t) >= 19 && t[10] == 'T') {
		printf("%.8s ", t + 11);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	printf("%s ", buf);
}

/* Print " KEY=VALUE" for a member that is there and not null. */
static void carehubctl_kv(const json_t *o, const char *key, const char *label)
{
	const json_t *v = json_object_get(o, key);
	char *c;

	if (!v || json_is_null(v) || (json_is_array(v) && !json_array_size(v)))
		return;
	c = carehubctl_cell(v);
	printf(" %s=", label);
	carehubctl_safe(stdout, c ? c : "?");
	free(c);
}

static void carehubctl_quoted(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s)
		return;
	printf(" \"");
	carehubctl_safe(stdout, s);
	printf("\"");
}

static void carehubctl_ev_human(const json_t *ev)
{
	const char *kind = json_string_value(json_object_get(ev, "event"));
	const json_t *o;
	char *c;

	carehubctl_ev_time(ev);
	if (kind && !strcmp(kind, "alarm")) {
		o = json_object_get(ev, "alarm");
		c = carehubctl_cell(json_object_get(o, "id"));
		printf("alarm  #%s", c ? c : "?");
		free(c);
		carehubctl_kv(ev, "what", "what");
		carehubctl_kv(o, "state", "state");
		carehubctl_kv(o, "rule", "rule");
		carehubctl_kv(o, "code", "code");
		carehubctl_kv(o, "zone", "zone");
		carehubctl_kv(o, "sensor", "sensor");
		carehubctl_kv(o, "acked_by", "by");
		carehubctl_quoted(o, "text");
	} else if (kind && !strcmp(kind, "sensor")) {
		o = json_object_get(ev, "sensor");
		printf("sensor ");
		carehubctl_safe(stdout, json_string_value(json_object_get(o, "name")) ?: "?");
		if (json_is_false(json_object_get(ev, "present"))) {
			printf(" gone");
		} else {
			carehubctl_kv(o, "kind", "kind");
			carehubctl_kv(o, "state_name", "state");
			carehubctl_kv(o, "faults", "FAULT");
			carehubctl_quoted(o, "label");
		}
	} else {
		char *s = json_dumps(ev, JSON_COMPACT);

		printf("%s ", kind ? kind : "?");
		carehubctl_safe(stdout, s ? s : "?");
		free(s);
	}
	fputc('\n', stdout);
}

int carehubctl_d_monitor(int argc, char **argv, bool json)
{
	struct carehubctl_opts o = { .json = json };
	uint64_t deadline = 0;
	unsigned long seen = 0;
	struct pollfd pfd[2];
	char err[256];
	json_t *reply;
	sigset_t sigs;
	int ret, fd, sfd;

	ret = carehubctl_getopt(argc, argv, "monitor",
				CAREHUBCTL_O_COUNT | CAREHUBCTL_O_TIMEOUT, &o);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		return carehubctl_usage_err("monitor: unexpected '%s'",
					    argv[optind]);
	if (o.timeout > 0)
		deadline = carehubctl_mono_ms() + (uint64_t)(o.timeout * 1e3);

	/* Signals are events: read from a signalfd, never handled. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &sigs, NULL) ||
	    (sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		carehubctl_err("signalfd: %s", strerror(errno));
		return 1;
	}
	ret = carehubctl_call(&(struct ctlp_req){ .cmd = CTLP_MONITOR },
			      o.json, &reply, &fd);
	if (ret) {
		close(sfd);
		return ret;
	}
	json_decref(reply);

	pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	while (!o.count || seen < o.count) {
		int tmo = -1;
		json_t *ev;
		char *raw;
		const char *kind;

		if (deadline) {
			uint64_t now = carehubctl_mono_ms();

			if (now >= deadline)
				break;
			tmo = (int)(deadline - now);
		}
		ret = poll(pfd, 2, tmo);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			carehubctl_err("poll: %s", strerror(errno));
			ret = 1;
			goto out;
		}
		if (pfd[1].revents)
			break;	/* SIGINT / SIGTERM: a normal end */
		if (!pfd[0].revents)
			continue;
		ret = ctlc_recv(fd, &ev, &raw, 0, err, sizeof(err));
		if (ret == -ETIMEDOUT)
			continue;
		if (ret) {
			carehubctl_err("%s", err);
			ret = 1;
			goto out;
		}
		kind = json_string_value(json_object_get(ev, "event"));
		if (o.json)
			puts(raw);
		else if (!kind || strcmp(kind, "overflow"))
			carehubctl_ev_human(ev);
		free(raw);
		if (kind && !strcmp(kind, "overflow")) {
			json_decref(ev);
			fflush(stdout);
			carehubctl_err("too slow: carehubd dropped this monitor and events were lost");
			ret = 1;
			goto out;
		}
		json_decref(ev);
		if (carehubctl_flush()) {
			ret = 1;
			goto out;
		}
		seen++;
	}
	ret = 0;
out:
	close(fd);
	close(sfd);
	return ret;
}
