// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the rule engine's clock-time rules: not-in-bed-by,
 * not-up-by and periodic-test - exact firing second, once per local day
 * across both DST changes in Europe/London (a time inside the spring gap
 * fires when the clocks jump; a repeated autumn time fires once), clock
 * steps either way, restart with an open alarm, acknowledgement; and
 * that the engine's memos of local-time conversions (rules_int.h) follow
 * a TZ change and wall-clock steps, and do save the libc calls.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE	/* setenv, tzset */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <uapi/linux/carehub.h>

#include "rules_harness.h"
#include "rules_int.h"	/* the memo's miss counter */

static struct rh *clock_setup(enum conf_rule_type t, conf_tod at,
			      unsigned int *bed)
{
	struct rh *h = rh_new();
	struct conf_rule *r;

	*bed = rh_add_sensor(h, "bed", CAREHUB_KIND_BED);
	if (t == CONF_RULE_PERIODIC_TEST)
		r = rh_add_rule(h, t, 0);
	else
		r = rh_add_rule(h, t, 1, *bed);
	r->at = at;
	return h;
}

static void test_not_in_bed_by(void **state)
{
	unsigned int bed;
	struct rh *h = clock_setup(CONF_RULE_NOT_IN_BED_BY, 22 * 60 + 30, &bed);
	time_t d0 = rh_local(2026, 1, 15, 20, 0, 0);
	const struct rules_alarm *a;

	(void)state;
	rh_start(h, d0);
	rh_set(h, bed, 0);
	rh_run_to_wall(h, d0 + 150 * 60 - 1);		/* 22:29:59 */
	rh_expect_none(h);
	rh_run(h, RH_NS);
	a = rh_expect(h, RULES_RAISE, 0, (int)bed,
		      rh_mono_of_wall(h, d0 + 150 * 60));
	assert_int_equal(a->code, 641);
	assert_string_equal(a->text,
			    "Not in bed by 22:30: bed label empty (since 20:00)");
	rh_set_full(h, bed, true, 0, 0, h->mono0);	/* resync: nothing */
	rh_run_to_wall(h, d0 + 3 * 3600);
	rh_expect_none(h);
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, rh_mono_of_wall(h, d0 + 3 * 3600));
	/* next day in bed at 22:30: nothing; out after it: nothing */
	rh_run_to_wall(h, d0 + 86400 + 160 * 60);
	rh_set(h, bed, 0);
	rh_run_to_wall(h, d0 + 2 * 86400);
	rh_expect_none(h);
	rh_free(h);
}

static void test_not_up_by(void **state)
{
	unsigned int bed;
	struct rh *h = clock_setup(CONF_RULE_NOT_UP_BY, 9 * 60, &bed);
	time_t d0 = rh_local(2026, 1, 15, 6, 0, 0);

	(void)state;
	rh_start(h, d0);
	rh_set(h, bed, 1);
	rh_run_to_wall(h, d0 + 4 * 3600);
	rh_expect(h, RULES_RAISE, 0, (int)bed, rh_mono_of_wall(h, d0 + 3 * 3600));
	rh_ack(h, 0, (int)bed);
	rh_set(h, bed, 0);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, rh_mono_of_wall(h, d0 + 4 * 3600));
	/* next day still in bed after an ack the day before: raised anew */
	rh_set(h, bed, 1);
	rh_run_to_wall(h, d0 + 86400 + 4 * 3600);
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, d0 + 86400 + 3 * 3600));
	/* open and unacknowledged the day after: not raised twice */
	rh_run_to_wall(h, d0 + 2 * 86400 + 4 * 3600);
	rh_expect_none(h);
	rh_free(h);
}

/* 01:30 does not exist on 2026-03-29 in London: fires at 02:00 BST. */
static void test_not_up_by_spring_gap(void **state)
{
	unsigned int bed;
	struct rh *h = clock_setup(CONF_RULE_NOT_UP_BY, 90, &bed);

	(void)state;
	rh_tz_london();
	rh_start(h, rh_utc(2026, 3, 28, 12, 0, 0));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 3, 28, 23, 0, 0));
	rh_set(h, bed, 1);
	rh_run_to_wall(h, rh_utc(2026, 3, 30, 3, 0, 0));
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, rh_utc(2026, 3, 29, 1, 0, 0)));
	rh_expect_none(h);	/* 30th: still open, not acked */
	rh_free(h);

	/* and 01:30 on the autumn night (twice): once, the first */
	h = clock_setup(CONF_RULE_NOT_UP_BY, 90, &bed);
	rh_start(h, rh_utc(2026, 10, 24, 12, 0, 0));
	rh_set(h, bed, 1);
	rh_run_to_wall(h, rh_utc(2026, 10, 25, 12, 0, 0));
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, rh_utc(2026, 10, 25, 0, 30, 0)));
	rh_ack(h, 0, (int)bed);
	rh_expect_none(h);
	rh_free(h);
}

/* Run a periodic test at @at through [from, to) and count fires per day. */
static void periodic_days(conf_tod at, time_t from, time_t to,
			  const time_t *want, unsigned int n_want)
{
	unsigned int bed;
	struct rh *h = clock_setup(CONF_RULE_PERIODIC_TEST, at, &bed);
	unsigned int n = 0;

	rh_start(h, from);
	while (rh_wall(h) < to) {
		rh_run(h, 600 * RH_NS);
		while (h->seen < h->n) {
			const struct rules_alarm *a;

			a = rh_expect(h, RULES_RAISE, 0, -1, RH_ANY);
			assert_int_equal(a->code, 602);
			assert_true(n < n_want);
			assert_int_equal(h->rec[h->seen - 1].wall, want[n]);
			n++;
			rh_ack(h, 0, -1);	/* delivered: closed */
		}
	}
	assert_int_equal(n, n_want);
	rh_free(h);
}

static void test_periodic_dst(void **state)
{
	const time_t spring[] = {
		rh_utc(2026, 3, 28, 9, 0, 0),	/* 09:00 GMT */
		rh_utc(2026, 3, 29, 8, 0, 0),	/* 09:00 BST */
		rh_utc(2026, 3, 30, 8, 0, 0),
	};
	const time_t autumn[] = {
		rh_utc(2026, 10, 24, 8, 0, 0),
		rh_utc(2026, 10, 25, 9, 0, 0),
		rh_utc(2026, 10, 26, 9, 0, 0),
	};
	/* 01:30: in the spring gap, and twice in autumn */
	const time_t spring_gap[] = {
		rh_utc(2026, 3, 28, 1, 30, 0),
		rh_utc(2026, 3, 29, 1, 0, 0),	/* 02:00 BST */
		rh_utc(2026, 3, 30, 0, 30, 0),
	};
	const time_t autumn_twice[] = {
		rh_utc(2026, 10, 24, 0, 30, 0),
		rh_utc(2026, 10, 25, 0, 30, 0),	/* the first 01:30 */
		rh_utc(2026, 10, 26, 1, 30, 0),
	};

	(void)state;
	rh_tz_london();
	periodic_days(9 * 60, rh_utc(2026, 3, 28, 0, 0, 0),
		      rh_utc(2026, 3, 31, 0, 0, 0), spring, 3);
	periodic_days(9 * 60, rh_utc(2026, 10, 24, 0, 0, 0),
		      rh_utc(2026, 10, 27, 0, 0, 0), autumn, 3);
	periodic_days(90, rh_utc(2026, 3, 27, 23, 0, 0),
		      rh_utc(2026, 3, 31, 0, 0, 0), spring_gap, 3);
	periodic_days(90, rh_utc(2026, 10, 23, 23, 0, 0),
		      rh_utc(2026, 10, 27, 0, 0, 0), autumn_twice, 3);
}

static void test_periodic_clock_steps(void **state)
{
	unsigned int bed;
	struct rh *h = clock_setup(CONF_RULE_PERIODIC_TEST, 9 * 60, &bed);
	time_t d0 = rh_local(2026, 1, 15, 8, 0, 0);

	(void)state;
	rh_start(h, d0);
	rh_run(h, 3600 * RH_NS);
	rh_expect(h, RULES_RAISE, 0, -1, h->mono0 + 3600 * RH_NS);
	rh_ack(h, 0, -1);
	/* clock stepped back an hour after the test: not again today */
	rh_run(h, 600 * RH_NS);
	rh_step_wall(h, -3600);
	rh_run(h, 7200 * RH_NS);
	rh_expect_none(h);
	/* stepped forward over tomorrow's 09:00: once, at the step */
	rh_step_wall(h, 86400);
	rh_expect(h, RULES_RAISE, 0, -1, h->mono);
	rh_run(h, 3600 * RH_NS);
	rh_expect_none(h);
	/* not acknowledged by the next day: re-sent, not a second alarm */
	rh_run(h, 86400 * RH_NS);
	rh_expect(h, RULES_REALARM, 0, -1, RH_ANY);
	rh_expect_none(h);
	rh_free(h);
}

/* Started after today's time: the first test is tomorrow. */
static void test_periodic_start_late(void **state)
{
	unsigned int bed;
	struct rh *h = clock_setup(CONF_RULE_PERIODIC_TEST, 9 * 60, &bed);
	time_t d0 = rh_local(2026, 1, 15, 9, 0, 1);

	(void)state;
	rh_start(h, d0);
	rh_run_to_wall(h, d0 + 86400 - 2);
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_RAISE, 0, -1, rh_mono_of_wall(h, d0 + 86400 - 1));
	rh_free(h);
}

/* Restart with an open not-in-bed-by: no second raise; CLEAR when over. */
static void test_clock_restore(void **state)
{
	unsigned int bed;
	struct rh *h = clock_setup(CONF_RULE_NOT_IN_BED_BY, 22 * 60, &bed);
	time_t d0 = rh_local(2026, 1, 15, 22, 30, 0);

	(void)state;
	rh_start(h, d0);
	rules_restore(h->r, 0, (int)bed, h->mono0 - 1800 * RH_NS);
	rh_set_full(h, bed, true, 0, 0, h->mono0 - 7200 * RH_NS);
	rh_run(h, 3600 * RH_NS);
	rh_expect_none(h);
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, h->mono);
	rh_free(h);

	h = clock_setup(CONF_RULE_NOT_IN_BED_BY, 22 * 60, &bed);
	rh_start(h, d0);
	rules_restore(h->r, 0, (int)bed, 0);
	rh_set_full(h, bed, true, 1, 0, h->mono0 - 600 * RH_NS);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, h->mono0);
	rh_free(h);
}

/* ---- memos of local time ---- */

/*
 * A windowed duration rule that counts from the window start when its
 * condition began earlier: the door-open rule (a bed exit counts only when
 * it happened inside the window). "bed" is the door here: 0 = open.
 */
static struct rh *window_setup(unsigned int *bed)
{
	struct rh *h = rh_new();
	struct conf_rule *r;

	*bed = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	r = rh_add_rule(h, CONF_RULE_DOOR_OPEN, 1, *bed);
	r->max_s = 1200;
	r->window = (struct conf_window){ true, 22 * 60, 7 * 60 };
	return h;
}

static void rh_advance_now(struct rh *h)
{
	struct rules_now now = rh_now(h);

	rules_advance(h->r, &now, rh_out(h));
	rh_collect(h);
}

/* A TZ change between calls moves the window: the memos are per zone. */
static void test_window_tz_change(void **state)
{
	unsigned int bed;
	struct rh *h = window_setup(&bed);
	time_t d0 = rh_utc(2026, 1, 15, 12, 0, 0);	/* London = UTC */

	(void)state;
	rh_start(h, d0);
	rh_set(h, bed, 0);
	assert_int_equal(rules_next(h->r),
			 rh_mono_of_wall(h, rh_utc(2026, 1, 15, 22, 0, 0)));
	rh_run(h, 3600 * RH_NS);
	rh_advance_now(h);
	/* New York, UTC-5 (with tzset, as carehubd does): 03:00Z */
	setenv("TZ", "America/New_York", 1);
	tzset();
	rh_run(h, RH_NS);
	rh_advance_now(h);
	assert_int_equal(rules_next(h->r),
			 rh_mono_of_wall(h, rh_utc(2026, 1, 16, 3, 0, 0)));
	/* Tokyo, UTC+9, TZ set without tzset(): in the window since 13:00Z,
	 * empty since 12:00Z: max counts from the window start */
	setenv("TZ", "Asia/Tokyo", 1);
	rh_run(h, RH_NS);
	rh_advance_now(h);
	assert_int_equal(rules_next(h->r),
			 rh_mono_of_wall(h, rh_utc(2026, 1, 15, 13, 20, 0)));
	rh_tz_london();
	rh_run(h, RH_NS);
	rh_advance_now(h);
	assert_int_equal(rules_next(h->r),
			 rh_mono_of_wall(h, rh_utc(2026, 1, 15, 22, 0, 0)));
	rh_expect_none(h);
	rh_free(h);
}

/* Wall-clock steps either way move the window edges in CLOCK_BOOTTIME. */
static void test_window_wall_steps(void **state)
{
	unsigned int bed;
	struct rh *h = window_setup(&bed);
	time_t d0 = rh_utc(2026, 1, 15, 12, 0, 0);
	const uint64_t to_22 = (3 * 3600 + 59 * 60) * RH_NS;

	(void)state;
	rh_start(h, d0);
	rh_set(h, bed, 0);
	rh_run(h, 60 * RH_NS);
	/* 12:01 -> 18:01: the window opens in 3 h 59 min */
	rh_step_wall(h, 6 * 3600);
	assert_int_equal(rules_next(h->r), h->mono + to_22);
	/* -> 18:01 the day before: the same, a day earlier */
	rh_step_wall(h, -86400);
	assert_int_equal(rules_next(h->r), h->mono + to_22);
	/* -> 03:01 the 15th, inside the window: 20 min from the exit */
	rh_step_wall(h, 9 * 3600);
	assert_int_equal(rules_next(h->r), h->mono0 + 1200 * RH_NS);
	rh_run(h, 1200 * RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)bed, h->mono0 + 1200 * RH_NS);
	rh_free(h);
}

/*
 * Performance, not behaviour: once the day's conversions are memoized, a
 * call costs at most one libc conversion (the date of the new "now"),
 * however many windowed and daily instances there are.
 */
static void test_memo_saves_libc(void **state)
{
	struct rh *h = rh_new();
	unsigned int s[3];
	unsigned long m0;
	struct conf_rule *r;
	time_t d0 = rh_local(2026, 3, 28, 12, 0, 0);

	(void)state;
	for (unsigned int i = 0; i < 3; i++) {
		char name[8];

		snprintf(name, sizeof(name), "s%u", i);
		s[i] = rh_add_sensor(h, name, CAREHUB_KIND_BED);
		r = rh_add_rule(h, CONF_RULE_BED_EXIT, 1, s[i]);
		r->max_s = 1200;
		r->window = (struct conf_window){ true, 22 * 60, 7 * 60 };
		r = rh_add_rule(h, CONF_RULE_NOT_UP_BY, 1, s[i]);
		r->at = 9 * 60 + 30;
	}
	r = rh_add_rule(h, CONF_RULE_PERIODIC_TEST, 0);
	r->at = 9 * 60;
	rh_start(h, d0);
	for (unsigned int i = 0; i < 3; i++)
		rh_set(h, s[i], 1);
	rh_run(h, 60 * RH_NS);
	rh_advance_now(h);
	m0 = h->r->tzc.misses;
	rh_run(h, RH_NS);
	rh_advance_now(h);
	assert_true(h->r->tzc.misses - m0 <= 1);
	m0 = h->r->tzc.misses;
	rh_advance_now(h);
	assert_int_equal(h->r->tzc.misses, m0);
	/* Across the spring-forward night, 2 days of minute-by-minute calls:
	 * one miss per call, plus a handful per new local date. */
	m0 = h->r->tzc.misses;
	for (unsigned int i = 0; i < 2 * 1440; i++) {
		rh_run(h, 60 * RH_NS);
		rh_advance_now(h);
	}
	assert_true(h->r->tzc.misses - m0 <= 2 * 1440 + h->advances + 3 * 20);
	rh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_in_bed_by),
		cmocka_unit_test(test_not_up_by),
		cmocka_unit_test(test_not_up_by_spring_gap),
		cmocka_unit_test(test_periodic_dst),
		cmocka_unit_test(test_periodic_clock_steps),
		cmocka_unit_test(test_periodic_start_late),
		cmocka_unit_test(test_clock_restore),
		cmocka_unit_test(test_window_tz_change),
		cmocka_unit_test(test_window_wall_steps),
		cmocka_unit_test(test_memo_saves_libc),
	};

	rh_tz_london();
	return cmocka_run_group_tests_name("rules_clock", tests, NULL, NULL);
}
