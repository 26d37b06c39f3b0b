// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alarm health: what happens when the store cannot commit (disk full,
 * read-only, corrupt, I/O error). Nothing may be lost for it:
 *
 *  - a RAISE or REALARM whose transaction failed is still sent at once to
 *    every recipient of the chain whose transport is up ("unstored": msg
 *    id 0, no escalation, no retry of its own - the condition is
 *    re-evaluated when the store works again, which raises it properly);
 *  - the store is retried with back-off (1 s doubling to 60 s) instead of
 *    at every loop turn, so a due escalation cannot spin;
 *  - its state, the error and since when are kept for `carehubctl
 *    status`, and logged once when it fails and once when it recovers;
 *  - alarm_take_recovered() tells the caller to re-evaluate (core builds
 *    a new rule engine from the sensors' level state).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alarm_int.h"
#include "store.h"

#define ALARM_RETRY_MIN_S	1
#define ALARM_RETRY_MAX_S	60

static const char *alarm_why(int err)
{
	switch (err) {
	case -ENOSPC:
		return "disk full";
	case -EROFS:
		return "read-only";
	case -EBADMSG:
		return "corrupt";
	case -EBUSY:
		return "locked by another process";
	case -ENOMEM:
		return "out of memory";
	default:
		return "I/O error";
	}
}

bool alarm_store_error(int rc)
{
	return rc < 0 && rc != -EALREADY && rc != -ENOENT && rc != -EINVAL &&
	       rc != -EAGAIN && rc != -EEXIST;
}

void alarm_store_failed(struct alarm *a, int rc, const struct alarm_now *now)
{
	if (!a->h.failing) {
		a->h.failing = true;
		a->h.since = now->wall;
		a->h.backoff_s = ALARM_RETRY_MIN_S;
		alarm_log(a, 2, "the alarm store %s cannot commit: %s (%s);"
			  " alarms are sent without being kept, retrying",
			  a->path, alarm_why(rc), strerror(-rc));
	} else if (a->h.backoff_s < ALARM_RETRY_MAX_S) {
		a->h.backoff_s *= 2;
		if (a->h.backoff_s > ALARM_RETRY_MAX_S)
			a->h.backoff_s = ALARM_RETRY_MAX_S;
	}
	a->h.err = rc;
	a->h.retry_mono = now->mono_ns + (uint64_t)a->h.backoff_s * ALARM_NS;
	a->h.failures++;
}

int alarm_store_result(struct alarm *a, int rc, const struct alarm_now *now)
{
	if (alarm_store_error(rc))
		alarm_store_failed(a, rc, now);
	return rc;
}

/* A commit worked: the store is back. */
void alarm_store_ok(struct alarm *a)
{
	if (!a->h.failing)
		return;
	alarm_log(a, 5, "the alarm store %s works again after %u failed"
		  " commits; re-evaluating", a->path, a->h.failures);
	a->h.failing = false;
	a->h.failures = 0;
	a->h.recovered = true;
}

/* Due: try one write transaction. */
void alarm_store_retry(struct alarm *a, const struct alarm_now *now)
{
	int rc;

	if (!a->h.failing || now->mono_ns < a->h.retry_mono)
		return;
	rc = alarm_tx_begin(a);
	if (rc >= 0)
		rc = alarm_event(a, 0, now, "store-recovered", NULL,
				 alarm_why(a->h.err));
	if (rc < 0) {
		alarm_tx_abort(a);
		alarm_store_failed(a, rc, now);
		return;
	}
	rc = alarm_tx_commit(a);
	if (rc < 0)
		alarm_store_failed(a, rc, now);
}

bool alarm_take_recovered(struct alarm *a)
{
	bool r = a->h.recovered;

	a->h.recovered = false;
	return r;
}

void alarm_health(const struct alarm *a, struct alarm_health *out)
{
	memset(out, 0, sizeof(*out));
	out->ok = !a->h.failing;
	out->err = a->h.failing ? a->h.err : 0;
	out->since = a->h.failing ? a->h.since : 0;
	out->why = a->h.failing ? alarm_why(a->h.err) : "ok";
	out->unstored = a->h.unstored;
}

/* The transition could not be kept: send it now, to everyone in the chain. */
void alarm_send_unstored(struct alarm *a, const struct alarm_new *n,
			 const struct alarm_now *now)
{
	const struct conf *c = a->c;
	unsigned int sent = 0;

	for (unsigned int i = 0; i < c->n_chain; i++) {
		const struct conf_recipient *r = &c->recipients[c->chain[i]];
		const struct alarm_transport *t =
			(unsigned int)r->transport < ALARM_TRANSPORTS_MAX ?
			&a->tr[r->transport] : NULL;
		struct alarm_msg m = {
			.id = 0, .alarm = 0, .kind = ALARM_MSG_ALARM,
			.recipient = r->name, .hub = c->hub_name,
			.resident = n->resident, .account = n->account,
			.rule = n->rule, .type = n->type,
			.code = (uint16_t)n->code, .zone = (uint16_t)n->zone,
			.sensor = n->sensor, .sensor_label = n->label,
			.text = n->text, .raised_wall = now->wall,
		};

		if (t && t->send && t->send(t->ctx, &m) >= 0)
			sent++;
	}
	a->h.unstored++;
	alarm_log(a, 2, "rule %s: alarm sent to %u of %u recipients WITHOUT"
		  " being stored (%s): %s", n->rule, sent, c->n_chain,
		  alarm_why(a->h.err), n->text);
}
