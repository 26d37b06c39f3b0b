// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the rule engine's door, activity and supervision rules:
 * door-night (window edges, carer override), door-open, no-activity
 * (pre-alarm, Cancel), too-long, sensor-fault (missing grace, fault
 * bits, wrong kind), sensor-silent, link-down and vitals - each at max - 1 s
 * (nothing) and max (alarm), with auto-clear and re-alarm.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <uapi/linux/carehub.h>

#include "rules_harness.h"

#define T(h, s)		((h)->mono0 + (uint64_t)(s) * RH_NS)
#define WINTER(hh, mm)	rh_local(2026, 1, 15, (hh), (mm), 0)

static void test_door_night(void **state)
{
	struct rh *h = rh_new();
	unsigned int d = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_DOOR_NIGHT, 1, d);
	time_t d0 = WINTER(21, 0);
	const struct rules_alarm *a;

	(void)state;
	r->window = (struct conf_window){ true, 22 * 60, 6 * 60 };
	r->override_s = 15 * 60;
	rh_start(h, d0);
	rh_set(h, d, 1);
	rh_run_to_wall(h, WINTER(22, 0) - 1);		/* 21:59:59 open */
	rh_set(h, d, 0);
	rh_run(h, 600 * RH_NS);
	rh_set(h, d, 1);
	rh_expect_none(h);
	rh_run_to_wall(h, WINTER(23, 0));
	rh_set(h, d, 0);
	a = rh_expect(h, RULES_RAISE, 0, (int)d, h->mono);
	assert_int_equal(a->code, 150);
	assert_non_null(strstr(a->text, "opened at 23:00"));
	rh_set(h, d, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)d, h->mono);
	/* carer leaves: Cancel with nothing pending, then the door */
	rh_run(h, 60 * RH_NS);
	rh_button(h, RULES_BUTTON_CANCEL);
	rh_run(h, 5 * RH_MIN);
	rh_set(h, d, 0);
	rh_run(h, RH_MIN);
	rh_set(h, d, 1);
	rh_run_to(h, T(h, 2 * 3600 + 60 + 15 * 60 - 1));
	rh_set(h, d, 0);				/* last override second */
	rh_set(h, d, 1);
	rh_expect_none(h);
	rh_run(h, RH_NS);				/* override over */
	rh_set(h, d, 0);
	rh_expect(h, RULES_RAISE, 0, (int)d, h->mono);
	rh_set(h, d, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)d, h->mono);
	/* after midnight, inside; 06:00 is outside */
	rh_run_to_wall(h, d0 + 4 * 3600);
	rh_set(h, d, 0);
	rh_expect(h, RULES_RAISE, 0, (int)d, h->mono);
	rh_ack(h, 0, (int)d);
	rh_run(h, 3600 * RH_NS);
	rh_set(h, d, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)d, h->mono);
	rh_run_to_wall(h, d0 + 9 * 3600);
	rh_set(h, d, 0);
	rh_expect_none(h);
	rh_free(h);
}

static void test_door_open(void **state)
{
	struct rh *h = rh_new();
	unsigned int d = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_DOOR_OPEN, 1, d);
	const struct rules_alarm *a;

	(void)state;
	r->max_s = 600;
	r->realarm_s = 300;
	rh_start(h, WINTER(12, 0));
	rh_set(h, d, 0);
	rh_run_to(h, T(h, 599));
	rh_expect_none(h);
	rh_run_to(h, T(h, 1320));
	a = rh_expect(h, RULES_RAISE, 0, (int)d, T(h, 600));
	assert_int_equal(a->code, 134);
	assert_int_equal(a->zone, 1);
	assert_string_equal(a->text, "Door left open: door label open for "
			    "10 min (since 12:00)");
	rh_expect(h, RULES_REALARM, 0, (int)d, T(h, 900));
	rh_expect(h, RULES_REALARM, 0, (int)d, T(h, 1200));
	rh_set(h, d, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)d, T(h, 1320));
	rh_expect_none(h);
	rh_free(h);
}

/* Door-open with a window and override: counted from the later edge. */
static void test_door_open_window_override(void **state)
{
	struct rh *h = rh_new();
	unsigned int d = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_DOOR_OPEN, 1, d);
	time_t d0 = WINTER(21, 30);

	(void)state;
	r->max_s = 600;
	r->override_s = 1800;
	r->window = (struct conf_window){ true, 22 * 60, 6 * 60 };
	rh_start(h, d0);
	rh_set(h, d, 0);				/* open 21:30 */
	rh_run_to_wall(h, WINTER(22, 10) - 1);
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)d, rh_mono_of_wall(h, WINTER(22, 10)));
	rh_set(h, d, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)d, RH_ANY);
	rh_button(h, RULES_BUTTON_CANCEL);		/* override to 22:40 */
	rh_set(h, d, 0);
	rh_run_to_wall(h, WINTER(22, 50) - 1);
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)d, rh_mono_of_wall(h, WINTER(22, 50)));
	rh_free(h);
}

static void test_no_activity(void **state)
{
	struct rh *h = rh_new();
	unsigned int d = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	unsigned int b = rh_add_sensor(h, "bed", CAREHUB_KIND_BED);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_NO_ACTIVITY, 2, d, b);
	const struct rules_alarm *a;

	(void)state;
	r->max_s = 3600;
	r->prealarm_s = 600;
	rh_start(h, WINTER(8, 0));
	rh_set(h, d, 1);
	rh_set(h, b, 0);
	rh_run(h, 300 * RH_NS);
	rh_set(h, b, 1);				/* activity at 300 s */
	rh_run_to(h, T(h, 300 + 3599));
	rh_expect_none(h);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_PREALARM, 0, -1, T(h, 3900));
	rh_run(h, 120 * RH_NS);
	rh_button(h, RULES_BUTTON_CANCEL);		/* "I'm OK" */
	rh_expect(h, RULES_PREALARM_CANCEL, 0, -1, T(h, 4020));
	rh_run_to(h, T(h, 4020 + 3600 + 600));
	rh_expect(h, RULES_PREALARM, 0, -1, T(h, 4020 + 3600));
	a = rh_expect(h, RULES_RAISE, 0, -1, T(h, 4020 + 4200));
	assert_int_equal(a->code, 641);
	assert_int_equal(a->zone, 0);
	assert_int_equal(a->at_mono, T(h, 300));	/* the last activity */
	assert_string_equal(a->text, "No activity: no sensor change for "
			    "2 h 12 min (since 08:05)");
	rh_run(h, RH_MIN);
	rh_set(h, d, 0);
	rh_expect(h, RULES_CLEAR, 0, -1, h->mono);
	/* resync of the same state is not activity */
	rh_set_full(h, d, true, 0, 0, h->mono);
	rh_run(h, 3599 * RH_NS);
	rh_set_full(h, d, true, 0, 0, h->mono - 3599 * RH_NS);
	rh_run(h, RH_NS);
	rh_expect(h, RULES_PREALARM, 0, -1, h->mono);
	rh_free(h);
}

static void test_too_long(void **state)
{
	struct rh *h = rh_new();
	unsigned int t = rh_add_sensor(h, "toilet", CAREHUB_KIND_TOILET);
	unsigned int bd = rh_add_sensor(h, "bath", CAREHUB_KIND_TOILET);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_TOO_LONG, 1, t);
	struct conf_rule *r2;

	(void)state;
	r->max_s = 900;
	r->realarm_s = 1800;
	r2 = rh_add_rule(h, CONF_RULE_TOO_LONG, 1, bd);
	r2->max_s = 900;
	r2->active_state = 0;		/* bathroom door open = free... */
	rh_start(h, WINTER(3, 0));
	rh_set(h, t, 1);
	rh_set(h, bd, 1);
	rh_run_to(h, T(h, 899));
	rh_expect_none(h);
	rh_run_to(h, T(h, 2800));
	rh_expect(h, RULES_RAISE, 0, (int)t, T(h, 900));
	rh_expect(h, RULES_REALARM, 0, (int)t, T(h, 2700));
	rh_set(h, t, 0);
	rh_expect(h, RULES_CLEAR, 0, (int)t, T(h, 2800));
	rh_set(h, bd, 0);
	rh_run(h, 900 * RH_NS);
	rh_expect(h, RULES_RAISE, 1, (int)bd, T(h, 3700));
	rh_expect_none(h);
	rh_free(h);
}

static void test_sensor_fault(void **state)
{
	struct rh *h = rh_new();
	unsigned int a = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	unsigned int b = rh_add_sensor(h, "bed", CAREHUB_KIND_BED);
	const struct rules_alarm *al;

	(void)state;
	rh_add_rule(h, CONF_RULE_SENSOR_FAULT, 2, a, b);
	rh_start(h, WINTER(3, 0));
	rh_set(h, a, 1);
	/* b never appears: missing after 60 s from engine start */
	rh_run_to(h, T(h, 59));
	rh_expect_none(h);
	rh_run(h, RH_NS);
	al = rh_expect(h, RULES_RAISE, 0, (int)b, T(h, 60));
	assert_int_equal(al->code, 381);
	assert_non_null(strstr(al->text, "missing"));
	rh_set(h, b, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)b, T(h, 60));
	/* a module reload: gone 59 s, back: nothing */
	rh_gone(h, a);
	rh_run(h, 59 * RH_NS);
	rh_set_full(h, a, true, 1, 0, T(h, 0));
	rh_run(h, 600 * RH_NS);
	rh_expect_none(h);
	/* gone for good */
	rh_gone(h, a);
	rh_run(h, 60 * RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)a, h->mono);
	rh_set(h, a, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)a, h->mono);
	/* chatter: rule code at once; offline: 381 */
	rh_set_full(h, a, true, 1, CAREHUB_FAULT_CHATTER, h->mono);
	assert_int_equal(rh_expect(h, RULES_RAISE, 0, (int)a, h->mono)->code,
			 380);
	rh_set_full(h, a, true, 1, CAREHUB_FAULT_CHATTER, h->mono);
	rh_expect_none(h);
	rh_set(h, a, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)a, h->mono);
	rh_set_full(h, b, true, 1, CAREHUB_FAULT_OFFLINE, h->mono);
	assert_int_equal(rh_expect(h, RULES_RAISE, 0, (int)b, h->mono)->code,
			 381);
	rh_set(h, b, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)b, h->mono);
	/* the wrong kind is a fault */
	{
		struct sensor_state s = {
			.present = true, .kind = CAREHUB_KIND_SOS, .state = 0,
			.since_ns = h->mono,
		};
		struct rules_now now = rh_now(h);

		rules_sensor(h->r, a, &s, &now, rh_out(h));
		rh_collect(h);
		al = rh_expect(h, RULES_RAISE, 0, (int)a, h->mono);
		assert_non_null(strstr(al->text, "wrong kind"));
	}
	rh_set(h, a, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)a, h->mono);
	rh_expect_none(h);
	rh_free(h);
}

/* Without the "missing" bit, absence is not this rule's business. */
static void test_sensor_fault_mask(void **state)
{
	struct rh *h = rh_new();
	unsigned int a = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_SENSOR_FAULT, 1, a);

	(void)state;
	r->faults = CONF_FAULT_OFFLINE;
	rh_start(h, WINTER(3, 0));
	rh_run(h, 3600 * RH_NS);
	rh_set_full(h, a, true, 1, CAREHUB_FAULT_STUCK, h->mono);
	rh_expect_none(h);
	rh_free(h);
}

static void test_sensor_silent(void **state)
{
	struct rh *h = rh_new();
	unsigned int a = rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_SENSOR_SILENT, 1, a);

	(void)state;
	r->max_s = 7200;
	rh_start(h, WINTER(3, 0));
	rh_set(h, a, 1);
	rh_run(h, 3600 * RH_NS);
	rh_set(h, a, 0);
	rh_run_to(h, T(h, 3600 + 7199));
	rh_expect_none(h);
	rh_run(h, RH_NS);
	assert_int_equal(rh_expect(h, RULES_RAISE, 0, (int)a,
				   T(h, 3600 + 7200))->code, 381);
	rh_set(h, a, 1);
	rh_expect(h, RULES_CLEAR, 0, (int)a, h->mono);
	rh_expect_none(h);
	rh_free(h);
}

static void test_link_down(void **state)
{
	struct rh *h = rh_new();
	struct conf_rule *r;

	(void)state;
	rh_add_sensor(h, "door", CAREHUB_KIND_DOOR);
	r = rh_add_rule(h, CONF_RULE_LINK_DOWN, 0);
	r->max_s = 300;
	rh_start(h, WINTER(3, 0));
	rh_link(h, true);
	rh_link(h, false);
	rh_run(h, 299 * RH_NS);
	rh_link(h, true);
	rh_link(h, false);
	rh_link(h, false);			/* repeated: same outage */
	rh_run(h, 299 * RH_NS);
	rh_expect_none(h);
	rh_run(h, RH_NS);
	assert_int_equal(rh_expect(h, RULES_RAISE, 0, -1, T(h, 599))->code,
			 350);
	rh_link(h, true);
	rh_expect(h, RULES_CLEAR, 0, -1, T(h, 599));
	rh_expect_none(h);
	rh_free(h);
}

static void test_vitals(void **state)
{
	struct rh *h = rh_new();
	unsigned int p = rh_add_sensor(h, "pad", CAREHUB_KIND_PAD);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_VITALS, 1, p);
	const struct rules_alarm *a;

	(void)state;
	r->max_s = 300;
	r->hr_min = 40;
	r->hr_max = 120;
	r->rr_min = 8;
	r->rr_max = 30;
	rh_start(h, WINTER(3, 0));
	rh_vitals(h, p, 140, 12);		/* not in bed: ignored */
	rh_set(h, p, 1);
	rh_run(h, 600 * RH_NS);
	rh_expect_none(h);
	rh_vitals(h, p, 130, 12);		/* out of range at 600 s */
	rh_run(h, 100 * RH_NS);
	rh_vitals(h, p, 0, 0);			/* no estimate: ignored */
	rh_run_to(h, T(h, 899));
	rh_expect_none(h);
	rh_run(h, RH_NS);
	a = rh_expect(h, RULES_RAISE, 0, (int)p, T(h, 900));
	assert_int_equal(a->code, 100);
	assert_int_equal(a->at_mono, T(h, 600));
	assert_non_null(strstr(a->text, "heart rate 130/min"));
	rh_vitals(h, p, 70, 12);
	rh_expect(h, RULES_CLEAR, 0, (int)p, T(h, 900));
	rh_vitals(h, p, 70, 40);		/* breathing now */
	rh_run(h, 300 * RH_NS);
	rh_expect(h, RULES_RAISE, 0, (int)p, T(h, 1200));
	rh_set(h, p, 0);			/* out of bed: over */
	rh_expect(h, RULES_CLEAR, 0, (int)p, T(h, 1200));
	rh_set(h, p, 1);
	rh_run(h, 3600 * RH_NS);
	rh_expect_none(h);
	rh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_door_night),
		cmocka_unit_test(test_door_open),
		cmocka_unit_test(test_door_open_window_override),
		cmocka_unit_test(test_no_activity),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_sensor_fault),
		cmocka_unit_test(test_sensor_fault_mask),
		cmocka_unit_test(test_sensor_silent),
		cmocka_unit_test(test_link_down),
		cmocka_unit_test(test_vitals),
	};

	rh_tz_london();
	return cmocka_run_group_tests_name("rules_misc", tests, NULL, NULL);
}
