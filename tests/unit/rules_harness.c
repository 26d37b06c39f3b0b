// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_harness: virtual clock, conf builder and recorder for the rule
 * engine's unit tests. See rules_harness.h.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE	/* timegm */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules_harness.h"

#define RH_MONO0	(100000 * RH_NS)	/* ~28 h of uptime */

void rh_tz_london(void)
{
	setenv("TZ", "Europe/London", 1);
	tzset();
}

time_t rh_local(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = s, .tm_isdst = -1,
	};

	return mktime(&tm);
}

time_t rh_utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = s,
	};

	return timegm(&tm);
}

static void rh_on_alarm(struct rh *h, const struct rules_alarm *a)
{
	struct rh_rec *rec;

	assert_true(h->n < RH_REC_MAX);
	rec = &h->rec[h->n++];
	memset(rec, 0, sizeof(*rec));
	rec->a = *a;
	rec->mono = h->mono;
	rec->wall = rh_wall(h);
	/* Every text is one non-empty, terminated human line. */
	assert_non_null(memchr(a->text, 0, sizeof(a->text)));
	assert_true(a->text[0] != 0);
	assert_null(strchr(a->text, '\n'));
}

static void rh_on_indicate(struct rh *h, bool on)
{
	struct rh_rec *rec;

	assert_true(h->n < RH_REC_MAX);
	rec = &h->rec[h->n++];
	memset(rec, 0, sizeof(*rec));
	rec->indicate = true;
	rec->on = on;
	rec->mono = h->mono;
	rec->wall = rh_wall(h);
}

struct rules_out *rh_out(struct rh *h)
{
	h->out.v = h->buf;
	h->out.cap = sizeof(h->buf) / sizeof(h->buf[0]);
	h->out.n = 0;
	h->out.dropped = 0;
	return &h->out;
}

void rh_collect(struct rh *h)
{
	bool on = rules_prealarm_active(h->r);

	assert_int_equal(h->out.dropped, 0);
	if (h->r)	/* a call never returns more than the engine says */
		assert_true(h->out.n <= rules_out_cap(&h->c));
	for (unsigned int i = 0; i < h->out.n; i++)
		rh_on_alarm(h, &h->out.v[i]);
	h->out.n = 0;
	if (on != h->ind_on) {
		h->ind_on = on;
		rh_on_indicate(h, on);
	}
}

struct rh *rh_new(void)
{
	struct rh *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	h->c.n_residents = 1;
	strcpy(h->c.residents[0].name, "ann");
	strcpy(h->c.residents[0].account, "1234");
	return h;
}

void rh_free(struct rh *h)
{
	if (!h)
		return;
	rules_free(h->r);
	free(h);
}

unsigned int rh_add_sensor(struct rh *h, const char *name, uint32_t kind)
{
	unsigned int i = h->c.n_sensors++;
	struct conf_sensor *s = &h->c.sensors[i];

	assert_true(i < CONF_SENSORS_MAX);
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->label, sizeof(s->label), "%s label", name);
	s->zone = (uint16_t)(i + 1);
	s->kind = kind;
	s->activity = true;
	return i;
}

struct conf_rule *rh_add_rule(struct rh *h, enum conf_rule_type t,
			      unsigned int n_sensors, ...)
{
	unsigned int i = h->c.n_rules++;
	struct conf_rule *r = &h->c.rules[i];
	va_list ap;

	assert_true(i < CONF_RULES_MAX);
	snprintf(r->name, sizeof(r->name), "rule%u", i);
	r->type = t;
	r->enabled = true;
	r->faults = CONF_FAULT_ALL;
	r->active_state = 1;
	va_start(ap, n_sensors);
	for (unsigned int j = 0; j < n_sensors; j++)
		r->sensors[j] = va_arg(ap, unsigned int);
	va_end(ap);
	r->n_sensors = n_sensors;
	return r;
}

void rh_start(struct rh *h, time_t wall)
{
	struct rules_now now;

	h->mono = h->mono0 = RH_MONO0;
	h->wall0 = wall;
	now = rh_now(h);
	h->r = rules_new(&h->c, &now, rh_out(h));
	assert_non_null(h->r);
	rh_collect(h);
}

struct rules_now rh_now(const struct rh *h)
{
	struct rules_now now = { .mono_ns = h->mono, .wall = rh_wall(h) };

	return now;
}

time_t rh_wall(const struct rh *h)
{
	return h->wall0 + (time_t)((h->mono - h->mono0) / RH_NS);
}

uint64_t rh_mono_of_wall(const struct rh *h, time_t wall)
{
	assert_true(wall >= h->wall0);
	return h->mono0 + (uint64_t)(wall - h->wall0) * RH_NS;
}

void rh_run_to(struct rh *h, uint64_t mono)
{
	unsigned long guard = 0;
	uint64_t next;

	assert_true(mono >= h->mono);
	while ((next = rules_next(h->r)) <= mono) {
		struct rules_now now;

		/* A deadline not in the future would make a daemon spin. */
		if (next <= h->mono)
			fail_msg("deadline %llu not after now %llu",
				 (unsigned long long)next,
				 (unsigned long long)h->mono);
		assert_true(++guard < 10000000);
		h->mono = next;
		now = rh_now(h);
		rules_advance(h->r, &now, rh_out(h));
		rh_collect(h);
		h->advances++;
	}
	h->mono = mono;
}

void rh_run(struct rh *h, uint64_t ns)
{
	rh_run_to(h, h->mono + ns);
}

void rh_run_to_wall(struct rh *h, time_t wall)
{
	time_t cur = rh_wall(h);

	assert_true(wall >= cur);
	/* Land on the start of that wall second. */
	rh_run_to(h, h->mono - (h->mono - h->mono0) % RH_NS +
		     (uint64_t)(wall - cur) * RH_NS);
}

void rh_step_wall(struct rh *h, long delta)
{
	struct rules_now now;

	h->wall0 += delta;
	now = rh_now(h);
	rules_advance(h->r, &now, rh_out(h));
	rh_collect(h);
}

void rh_set_full(struct rh *h, unsigned int sensor, bool present,
		 uint8_t state, uint32_t faults, uint64_t since)
{
	struct sensor_state s = {
		.present = present,
		.kind = h->c.sensors[sensor].kind,
		.state = state,
		.faults = faults,
		.since_ns = since,
	};
	struct rules_now now = rh_now(h);

	rules_sensor(h->r, sensor, &s, &now, rh_out(h));
	rh_collect(h);
}

void rh_set(struct rh *h, unsigned int sensor, uint8_t state)
{
	rh_set_full(h, sensor, true, state, 0, h->mono);
}

void rh_gone(struct rh *h, unsigned int sensor)
{
	rh_set_full(h, sensor, false, 0, 0, 0);
}

void rh_button(struct rh *h, enum rules_button b)
{
	struct rules_now now = rh_now(h);

	rules_button(h->r, b, &now, rh_out(h));
	rh_collect(h);
}

void rh_link(struct rh *h, bool up)
{
	struct rules_now now = rh_now(h);

	rules_link(h->r, up, &now, rh_out(h));
	rh_collect(h);
}

void rh_ack(struct rh *h, unsigned int rule, int sensor)
{
	struct rules_now now = rh_now(h);

	rules_acked(h->r, rule, sensor, &now, rh_out(h));
	rh_collect(h);
}

void rh_vitals(struct rh *h, unsigned int sensor, unsigned int hr,
	       unsigned int rr)
{
	struct rules_now now = rh_now(h);

	rules_vitals(h->r, sensor, hr, rr, &now, rh_out(h));
	rh_collect(h);
}

void rh_dump(const struct rh *h)
{
	for (unsigned int i = 0; i < h->n; i++) {
		const struct rh_rec *r = &h->rec[i];
		char buf[32];
		struct tm tm;

		gmtime_r(&r->wall, &tm);
		strftime(buf, sizeof(buf), "%F %TZ", &tm);
		if (r->indicate)
			print_message("%c %3u t=%.0fs %s indicate(%d)\n",
				      i < h->seen ? ' ' : '>', i,
				      (r->mono - RH_MONO0) / 1e9, buf, r->on);
		else
			print_message("%c %3u t=%.0fs %s %s rule %u sensor %d "
				      "code %u zone %u at %.0fs: %s\n",
				      i < h->seen ? ' ' : '>', i,
				      (r->mono - RH_MONO0) / 1e9, buf,
				      rules_tr_name(r->a.tr), r->a.rule,
				      r->a.sensor, r->a.code, r->a.zone,
				      ((double)r->a.at_mono - RH_MONO0) / 1e9,
				      r->a.text);
	}
}

const struct rules_alarm *rh_expect_at(struct rh *h, enum rules_tr tr,
				       unsigned int rule, int sensor,
				       uint64_t mono, int line)
{
	const struct rh_rec *r;

	while (h->seen < h->n && h->rec[h->seen].indicate)
		h->seen++;
	if (h->seen >= h->n) {
		rh_dump(h);
		fail_msg("line %d: expected %s, got nothing", line,
			 rules_tr_name(tr));
	}
	r = &h->rec[h->seen];
	if (r->a.tr != tr || r->a.rule != rule || r->a.sensor != sensor ||
	    (mono != RH_ANY && r->mono != mono)) {
		rh_dump(h);
		fail_msg("line %d: record %u: expected %s rule %u sensor %d "
			 "at t=%.3fs", line, h->seen, rules_tr_name(tr), rule,
			 sensor, mono == RH_ANY ? -1.0 :
			 ((double)mono - RH_MONO0) / 1e9);
	}
	h->seen++;
	return &r->a;
}

void rh_expect_ind_at(struct rh *h, bool on, int line)
{
	if (h->seen >= h->n || !h->rec[h->seen].indicate ||
	    h->rec[h->seen].on != on) {
		rh_dump(h);
		fail_msg("line %d: record %u: expected indicate(%d)", line,
			 h->seen, on);
	}
	h->seen++;
}

void rh_expect_none_at(struct rh *h, int line)
{
	while (h->seen < h->n && h->rec[h->seen].indicate)
		h->seen++;
	if (h->seen < h->n) {
		rh_dump(h);
		fail_msg("line %d: unexpected record %u", line, h->seen);
	}
}

unsigned int rh_count_ind(const struct rh *h, bool on)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < h->n; i++)
		n += h->rec[i].indicate && h->rec[i].on == on;
	return n;
}
