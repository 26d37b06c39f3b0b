/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reply: carehubd's answers to control-socket requests and its monitor
 * events, as JSON (prefix reply_). The vocabulary is ctlproto.h; the
 * fields are documented in docs/control-protocol.md. Replay --json prints
 * the same alarm event objects, so one reader serves both.
 */
#ifndef REPLY_H
#define REPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "alarm.h"
#include "core.h"
#include "ctlproto.h"

struct reply_ctx {
	struct core *core;
	bool kernel_up;		/* the carehub family is reachable */
	const char *gpio_fault;	/* hub controls that failed, "" or NULL: none */
	uint64_t uptime_s;
	struct core_now now;
	const char *who;	/* the caller, for the audit trail */
};

/* The whole reply datagram for @req ({"ok":...}); NULL on ENOMEM. */
json_t *reply_handle(const struct reply_ctx *rc, const struct ctlp_req *req);

/* {"event":"alarm","what":...,"time":...,"alarm":{...}} */
json_t *reply_alarm_event(const struct alarm_info *ai, const char *what,
			  time_t when);
/* {"event":"sensor","present":...,"time":...,"sensor":{...}} */
json_t *reply_sensor_event(struct core *k, const struct sensor *s,
			   int conf_idx, const struct core_now *now);

/* One alarm as a JSON object. */
json_t *reply_alarm(const struct alarm_info *ai);
/* Local ISO 8601 with offset, "2026-03-29T02:14:00+01:00"; JSON null for 0. */
json_t *reply_time(time_t t);

#endif /* REPLY_H */
