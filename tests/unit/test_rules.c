// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the rule engine (daemon/rules*.c): sos and bed-exit -
 * boundaries (max - 1 s: nothing; max: alarm), pre-alarm and Cancel,
 * re-alarm, acknowledgement, window edges and windows across midnight,
 * both DST nights in Europe/London, restart with rules_restore() and with
 * an absence that began before the restart, and resyncs that change
 * nothing. Time is virtual (rules_harness.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uapi/linux/carehub.h>

#include "rules_harness.h"

#define T(h, s)	((h)->mono0 + (uint64_t)(s) * RH_NS)	/* s after start */

/* A winter day: London local time is UTC. */
#define WINTER(hh, mm)	rh_local(2026, 1, 15, (hh), (mm), 0)

static struct rh *bed_setup(uint32_t max_s, uint32_t pre_s, uint32_t re_s,
			    bool window, unsigned int *bed)
{
	struct rh *h = rh_new();
	struct conf_rule *r;

	*bed = rh_add_sensor(h, "bed", CAREHUB_KIND_BED);
	r = rh_add_rule(h, CONF_RULE_BED_EXIT, 1, *bed);
	r->max_s = max_s;
	r->prealarm_s = pre_s;
	r->realarm_s = re_s;
	if (window)
		r->window = (struct conf_window){ true, 22 * 60, 7 * 60 };
	return h;
}

/* ---- sos ---- */

static void test_sos_sensor(void **state)
{
	struct rh *h = rh_new();
	unsigned int b = rh_add_sensor(h, "cord", CAREHUB_KIND_SOS);
	const struct rules_alarm *a;

	(void)state;
	rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	rh_add_rule(h, CONF_RULE_SOS, 1, b);
	rh_tz_london();
	rh_start(h, WINTER(10, 0));
	rh_set(h, b, 0);
	rh_run(h, 5 * RH_NS);
	rh_expect_none(h);
	rh_set(h, b, 1);
	a = rh_expect(h, RULES_RAISE, 0, (int)b, T(h, 5));
	assert_int_equal(a->code, 101);
	assert_int_equal(a->zone, 1);
	assert_int_equal(a->at_mono, T(h, 5));
	assert_non_null(strstr(a->text, "cord label"));
	assert_non_null(strstr(a->text, "10:00"));
	/* resync, release, press again: still the same open alarm */
	rh_set_full(h, b, true, 1, 0, T(h, 5));
	rh_set(h, b, 0);
	rh_run(h, RH_NS);
	rh_set(h, b, 1);
	rh_run(h, 3600 * RH_NS);	/* no auto-clear, no re-alarm */
	assert_int_equal(rules_next(h->r), RULES_NEVER);
	rh_expect_none(h);
	/* Cancel while raised and not acknowledged: the lifecycle decides */
	rh_button(h, RULES_BUTTON_CANCEL);
	rh_expect(h, RULES_LOCAL_CANCEL, 0, (int)b, h->mono);
	rh_ack(h, 0, (int)b);
	rh_button(h, RULES_BUTTON_CANCEL);	/* nothing left to cancel */
	rh_expect_none(h);
	rh_set(h, b, 0);
	rh_run(h, RH_NS);
	rh_set(h, b, 1);
	rh_expect(h, RULES_RAISE, 0, (int)b, h->mono);
	rh_expect_none(h);
	rh_free(h);
}

static void test_sos_hub_button(void **state)
{
	struct rh *h = rh_new();
	unsigned int b = rh_add_sensor(h, "cord", CAREHUB_KIND_SOS);
	const struct rules_alarm *a;

	(void)state;
	rh_add_rule(h, CONF_RULE_SOS, 1, b);
	rh_start(h, WINTER(3, 0));
	rh_button(h, RULES_BUTTON_SOS);
	a = rh_expect(h, RULES_RAISE, 0, -1, T(h, 0));
	assert_int_equal(a->zone, 0);
	assert_int_equal(a->code, 101);
	assert_non_null(strstr(a->text, "hub button"));
	rh_run(h, 10 * RH_NS);
	rh_button(h, RULES_BUTTON_SOS);		/* still open: no second */
	rh_expect_none(h);
	rh_ack(h, 0, -1);
	rh_button(h, RULES_BUTTON_SOS);
	rh_expect(h, RULES_RAISE, 0, -1, T(h, 10));
	rh_expect_none(h);
	rh_free(h);
}

/* A press while the daemon was down is a call; a restored one is not new. */
static void test_sos_restore(void **state)
{
	struct rh *h = rh_new();
	unsigned int b = rh_add_sensor(h, "cord", CAREHUB_KIND_SOS);

	(void)state;
	rh_add_rule(h, CONF_RULE_SOS, 1, b);
	rh_start(h, WINTER(3, 0));
	rules_restore(h->r, 0, (int)b, 500 * RH_NS);
	rh_set_full(h, b, true, 1, 0, 400 * RH_NS);
	rh_expect_none(h);
	rh_button(h, RULES_BUTTON_CANCEL);
	rh_expect(h, RULES_LOCAL_CANCEL, 0, (int)b, h->mono);
	rh_free(h);
}

/* ---- bed-exit: boundaries, pre-alarm, Cancel, re-alarm, ack ---- */

static void test_bed_boundary(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 0, 0, false, &bed);
	const struct rules_alarm *a;

	(void)state;
	rh_start(h, WINTER(2, 0));
	rh_set(h, bed, 1);
	rh_run(h, 60 * RH_NS);
	rh_set(h, bed, 0);				/* exit at 02:01 */
	rh_run_to(h, T(h, 60 + 20 * 60 - 1));		/* max - 1 s */
	rh_expect_none(h);
	rh_run(h, RH_NS);				/* max exactly */
	a = rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 60 + 20 * 60));
	assert_int_equal(a->code, 150);
	assert_int_equal(a->at_mono, T(h, 60));
	assert_string_equal(a->text, "Bed exit at night: bed label empty for "
			    "20 min (since 02:01)");
	rh_run(h, 5 * 3600 * RH_NS);			/* no re-alarm set */
	rh_expect_none(h);
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, h->mono);
	assert_int_equal(rules_next(h->r), RULES_NEVER);
	rh_expect_none(h);
	/* back within max - 1 s: nothing at all */
	rh_set(h, bed, 0);
	rh_run(h, (20 * 60 - 1) * RH_NS);
	rh_set(h, bed, 1);
	rh_run(h, 3600 * RH_NS);
	rh_expect_none(h);
	rh_free(h);
}

static void test_bed_prealarm_cancel(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 120, 0, false, &bed);

	(void)state;
	rh_start(h, WINTER(2, 0));
	rh_set(h, bed, 0);
	rh_run_to(h, T(h, 20 * 60));
	rh_expect(h, RULES_PREALARM, 0, (int)bed, T(h, 20 * 60));
	rh_expect_ind(h, true);
	assert_true(rules_prealarm_active(h->r));
	rh_run(h, 60 * RH_NS);				/* 21 min */
	rh_button(h, RULES_BUTTON_CANCEL);
	rh_expect(h, RULES_PREALARM_CANCEL, 0, (int)bed, T(h, 21 * 60));
	rh_expect_ind(h, false);
	assert_false(rules_prealarm_active(h->r));
	/* the absence count restarts from the press */
	rh_run_to(h, T(h, 41 * 60 - 1));
	rh_expect_none(h);
	rh_run_to(h, T(h, 41 * 60 + 120 - 1));
	rh_expect(h, RULES_PREALARM, 0, (int)bed, T(h, 41 * 60));
	rh_expect_ind(h, true);
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 43 * 60));
	rh_expect_ind(h, false);
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, T(h, 43 * 60));
	/* back in bed during the pre-alarm: no alarm */
	rh_set(h, bed, 0);
	rh_run(h, 21 * RH_MIN);
	rh_expect(h, RULES_PREALARM, 0, (int)bed, T(h, 63 * 60));
	rh_set(h, bed, 1);
	rh_expect(h, RULES_PREALARM_CLEAR, 0, (int)bed, T(h, 64 * 60));
	rh_run(h, 3600 * RH_NS);
	rh_expect_none(h);
	assert_int_equal(rh_count_ind(h, true), 3);
	assert_int_equal(rh_count_ind(h, false), 3);
	rh_free(h);
}

static void test_bed_realarm_ack(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 0, 30 * 60, false, &bed);

	(void)state;
	rh_start(h, WINTER(1, 0));
	rh_set(h, bed, 0);
	rh_run(h, 90 * RH_MIN);
	rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 20 * 60));
	rh_expect(h, RULES_REALARM, 0, (int)bed, T(h, 50 * 60));
	rh_expect(h, RULES_REALARM, 0, (int)bed, T(h, 80 * 60));
	rh_expect_none(h);
	rh_ack(h, 0, (int)bed);
	rh_run(h, 120 * RH_MIN);			/* acked: quiet */
	rh_expect_none(h);
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, T(h, 210 * 60));
	rh_set(h, bed, 0);				/* new occurrence */
	rh_run(h, 20 * RH_MIN);
	rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 230 * 60));
	rh_expect_none(h);
	rh_free(h);
}

/* ---- windows ---- */

static void test_bed_window_edges(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 0, 0, true, &bed);
	time_t d0 = WINTER(21, 0);

	(void)state;
	rh_start(h, d0);
	rh_set(h, bed, 1);
	/* out at 21:50, before the window, back at 23:00: no exit at night */
	rh_run_to_wall(h, WINTER(21, 50));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, WINTER(23, 0));
	rh_expect_none(h);
	rh_set(h, bed, 1);
	/* out at 23:10: counted from there */
	rh_run_to_wall(h, WINTER(23, 10));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, WINTER(23, 30) - 1);
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, WINTER(23, 30)));
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, RH_ANY);
	/* out at 06:40 next morning: max reached at 07:00 = window end */
	rh_run_to_wall(h, d0 + 9 * 3600 + 40 * 60);
	rh_set(h, bed, 0);
	rh_run_to_wall(h, d0 + 11 * 3600);
	rh_expect_none(h);
	rh_set(h, bed, 1);
	/* next night, out at 06:39:59: raised at 06:59:59, stays after 07:00 */
	rh_run_to_wall(h, d0 + 86400 + 9 * 3600 + 39 * 60 + 59);
	rh_set(h, bed, 0);
	rh_run_to_wall(h, d0 + 86400 + 11 * 3600);
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, d0 + 86400 + 9 * 3600 + 59 * 60 + 59));
	rh_expect_none(h);
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, RH_ANY);
	rh_free(h);
}

/* A pre-alarm cut by the window end: cleared, then a new night starts. */
static void test_bed_window_prealarm_end(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 120, 0, true, &bed);
	time_t d0 = WINTER(6, 0);

	(void)state;
	rh_start(h, d0);
	rh_set(h, bed, 1);
	rh_run_to_wall(h, d0 + 39 * 60);		/* 06:39 */
	rh_set(h, bed, 0);
	rh_run_to_wall(h, d0 + 18 * 3600);		/* 24:00 */
	rh_expect(h, RULES_PREALARM, 0, (int)bed,
		  rh_mono_of_wall(h, d0 + 59 * 60));
	rh_expect(h, RULES_PREALARM_CLEAR, 0, (int)bed,
		  rh_mono_of_wall(h, d0 + 3600));
	/* still out when the next night's window opens: that exit was the
	 * morning's, not the night's - nothing more */
	rh_expect_none(h);
	assert_false(rules_prealarm_active(h->r));
	rh_free(h);
}

static void test_bed_window_midnight(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 0, 0, false, &bed);
	time_t d0 = WINTER(23, 0);

	(void)state;
	h->c.rules[0].window = (struct conf_window){ true, 23 * 60 + 30, 30 };
	rh_start(h, d0);
	rh_set(h, bed, 1);
	rh_run_to_wall(h, d0 + 65 * 60);		/* 00:05 */
	rh_set(h, bed, 0);
	rh_run_to_wall(h, d0 + 85 * 60 - 1);
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)bed, rh_mono_of_wall(h, d0 + 85 * 60));
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, RH_ANY);
	/* next night out at 00:15: the window ends 00:30, dropped */
	rh_run_to_wall(h, d0 + 24 * 3600 + 75 * 60);
	rh_set(h, bed, 0);
	rh_run_to_wall(h, d0 + 47 * 3600);		/* 22:00 */
	rh_expect_none(h);
	/* still out when the next window opens at 23:30: that exit belongs
	 * to the night before, nothing */
	rh_run_to_wall(h, d0 + 49 * 3600);
	rh_expect_none(h);
	rh_free(h);
}

/* ---- DST: 22:00-07:00 is 8 h long in spring, 10 h in autumn ---- */

static void test_bed_dst_spring(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(40 * 60, 0, 0, true, &bed);
	const struct rules_alarm *a;

	(void)state;
	rh_tz_london();
	rh_start(h, rh_utc(2026, 3, 28, 20, 0, 0));
	rh_set(h, bed, 1);
	/* 22:05 GMT out: raise 22:45 GMT */
	rh_run_to_wall(h, rh_utc(2026, 3, 28, 22, 5, 0));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 3, 28, 23, 0, 0));
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, rh_utc(2026, 3, 28, 22, 45, 0)));
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, RH_ANY);
	/* 00:50 GMT out: 40 min of real time across the jump: 02:30 BST */
	rh_run_to_wall(h, rh_utc(2026, 3, 29, 0, 50, 0));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 3, 29, 2, 0, 0));
	a = rh_expect(h, RULES_RAISE, 0, (int)bed,
		      rh_mono_of_wall(h, rh_utc(2026, 3, 29, 1, 30, 0)));
	assert_non_null(strstr(a->text, "40 min (since 00:50)"));
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, RH_ANY);
	/* 05:30 UTC = 06:30 BST out: the window ends 07:00 BST (06:00 UTC) */
	rh_run_to_wall(h, rh_utc(2026, 3, 29, 5, 30, 0));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 3, 29, 8, 0, 0));
	rh_expect_none(h);
	rh_free(h);
}

static void test_bed_dst_autumn(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 0, 0, true, &bed);

	(void)state;
	rh_tz_london();
	rh_start(h, rh_utc(2026, 10, 24, 19, 0, 0));
	rh_set(h, bed, 1);
	/* the window opens 22:00 BST = 21:00 UTC: out at 20:50 UTC (21:50
	 * BST) is before it, out at 21:05 UTC inside it */
	rh_run_to_wall(h, rh_utc(2026, 10, 24, 20, 50, 0));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 10, 24, 21, 2, 0));
	rh_set(h, bed, 1);
	rh_run_to_wall(h, rh_utc(2026, 10, 24, 21, 5, 0));
	rh_expect_none(h);
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 10, 24, 22, 0, 0));
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, rh_utc(2026, 10, 24, 21, 25, 0)));
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, RH_ANY);
	/* out across the repeated hour: 20 min of real time */
	rh_run_to_wall(h, rh_utc(2026, 10, 25, 0, 50, 0));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 10, 25, 2, 0, 0));
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, rh_utc(2026, 10, 25, 1, 10, 0)));
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, RH_ANY);
	/* 06:30 GMT out: the window still runs to 07:00 GMT */
	rh_run_to_wall(h, rh_utc(2026, 10, 25, 6, 30, 0));
	rh_set(h, bed, 0);
	rh_run_to_wall(h, rh_utc(2026, 10, 25, 9, 0, 0));
	rh_expect(h, RULES_RAISE, 0, (int)bed,
		  rh_mono_of_wall(h, rh_utc(2026, 10, 25, 6, 50, 0)));
	rh_expect_none(h);
	rh_free(h);
}

/* ---- restart ---- */

static void test_bed_restore(void **state)
{
	unsigned int bed;
	struct rh *h;

	(void)state;
	/* open alarm, bed still empty since before it: no second RAISE */
	h = bed_setup(20 * 60, 0, 30 * 60, false, &bed);
	rh_start(h, WINTER(3, 0));
	rules_restore(h->r, 0, (int)bed, T(h, 0) - 400 * RH_NS);
	rh_set_full(h, bed, true, 0, 0, T(h, 0) - 1700 * RH_NS);
	rh_set_full(h, bed, true, 0, 0, T(h, 0) - 1700 * RH_NS); /* resync */
	rh_expect_none(h);
	/* re-alarm counted from the restored raise */
	assert_int_equal(rules_next(h->r), T(h, 0) - 400 * RH_NS + 30 * RH_MIN);
	rh_run(h, 5 * RH_MIN);
	rh_set(h, bed, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, T(h, 300));
	rh_expect_none(h);
	rh_free(h);

	/* open alarm, but the bed is occupied now: CLEAR at once */
	h = bed_setup(20 * 60, 0, 0, false, &bed);
	rh_start(h, WINTER(3, 0));
	rules_restore(h->r, 0, (int)bed, 0);
	rh_set_full(h, bed, true, 1, 0, T(h, 0) - 100 * RH_NS);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, T(h, 0));
	rh_expect_none(h);
	rh_free(h);

	/* open alarm; back and out again while down: CLEAR, new count */
	h = bed_setup(20 * 60, 0, 0, false, &bed);
	rh_start(h, WINTER(3, 0));
	rules_restore(h->r, 0, (int)bed, T(h, 0) - 800 * RH_NS);
	rh_set_full(h, bed, true, 0, 0, T(h, 0) - 100 * RH_NS);
	rh_expect(h, RULES_CLEAR, 0, (int)bed, T(h, 0));
	rh_run_to(h, T(h, 20 * 60 - 100));
	rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 20 * 60 - 100));
	rh_expect_none(h);
	rh_free(h);

	/* nothing open; empty since 15 min before the restart: 5 min left */
	h = bed_setup(20 * 60, 0, 0, false, &bed);
	rh_start(h, WINTER(3, 0));
	rh_set_full(h, bed, true, 0, 0, T(h, 0) - 15 * RH_MIN);
	rh_run_to(h, T(h, 5 * 60 - 1));
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 5 * 60));
	rh_free(h);

	/* empty since 30 min before: raised at once, evidence the exit */
	h = bed_setup(20 * 60, 0, 0, false, &bed);
	rh_start(h, WINTER(3, 0));
	rh_set_full(h, bed, true, 0, 0, T(h, 0) - 30 * RH_MIN);
	assert_int_equal(rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 0))->at_mono,
			 T(h, 0) - 30 * RH_MIN);
	rh_free(h);
}

/* Sensor gone while out of bed (module reload): nothing changes. */
static void test_bed_sensor_gone(void **state)
{
	unsigned int bed;
	struct rh *h = bed_setup(20 * 60, 0, 0, false, &bed);

	(void)state;
	rh_start(h, WINTER(3, 0));
	rh_set(h, bed, 0);
	rh_run(h, 10 * RH_MIN);
	rh_gone(h, bed);
	rh_run(h, 5 * RH_MIN);
	rh_set_full(h, bed, true, 0, 0, T(h, 0));	/* back, same state */
	rh_run_to(h, T(h, 20 * 60));
	rh_expect(h, RULES_RAISE, 0, (int)bed, T(h, 20 * 60));
	rh_gone(h, bed);
	rh_expect_none(h);
	rh_free(h);
}

/* Two pre-alarms overlapping: the indicator goes on once and off once. */
static void test_indicate_overlap(void **state)
{
	struct rh *h = rh_new();
	unsigned int b1 = rh_add_sensor(h, "bed1", CAREHUB_KIND_BED);
	unsigned int b2 = rh_add_sensor(h, "bed2", CAREHUB_KIND_BED);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_BED_EXIT, 2, b1, b2);

	(void)state;
	r->max_s = 60;
	r->prealarm_s = 120;
	rh_start(h, WINTER(3, 0));
	rh_set(h, b1, 0);
	rh_run(h, 30 * RH_NS);
	rh_set(h, b2, 0);
	rh_run(h, 120 * RH_NS);
	rh_expect(h, RULES_PREALARM, 0, (int)b1, T(h, 60));
	rh_expect_ind(h, true);
	rh_expect(h, RULES_PREALARM, 0, (int)b2, T(h, 90));
	rh_set(h, b1, 1);
	rh_expect(h, RULES_PREALARM_CLEAR, 0, (int)b1, T(h, 150));
	rh_run(h, 60 * RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)b2, T(h, 210));
	rh_expect_ind(h, false);
	assert_int_equal(rh_count_ind(h, true), 1);
	assert_int_equal(rh_count_ind(h, false), 1);
	rh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sos_sensor),
		cmocka_unit_test(test_sos_hub_button),
		cmocka_unit_test(test_sos_restore),
		cmocka_unit_test(test_bed_boundary),
		cmocka_unit_test(test_bed_prealarm_cancel),
		cmocka_unit_test(test_bed_realarm_ack),
		cmocka_unit_test(test_bed_window_edges),
		cmocka_unit_test(test_bed_window_prealarm_end),
		cmocka_unit_test(test_bed_window_midnight),
		cmocka_unit_test(test_bed_dst_spring),
		cmocka_unit_test(test_bed_dst_autumn),
		cmocka_unit_test(test_bed_restore),
		cmocka_unit_test(test_bed_sensor_gone),
		cmocka_unit_test(test_indicate_overlap),
	};

	rh_tz_london();
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
