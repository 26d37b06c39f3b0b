// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "carehub_debounce" (carehub_kunit.ko): the debounce state
 * machine, compiled into this module from the very source carehub.ko uses,
 * against
 *  - the directed cases shared with the host unit test
 *    (tests/unit/chd_cases.h), and
 *  - a short deterministic property run: CHD_KUNIT_TRAINS random bounce
 *    trains through the driver simulator, checked against the reference
 *    model (tests/unit/chd_model.h). The host test (make -C tests/unit
 *    check) does the long randomised run.
 *
 * A failing train is reproduced on the host with the seed and train number
 * it prints and the same toggle cap:
 *   make -C tests/unit check CPPFLAGS=-DCHD_MAX_TOGGLES=256 \
 *	CHD_SEED=<seed> CHD_TRAIN=<n>
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "carehub_debounce.c"

#define CHD_MAX_TOGGLES		256
#define CHD_TC			struct kunit *
#define CHD_EQ(tc, got, want)	KUNIT_ASSERT_EQ(tc, (u64)(got), (u64)(want))

#include "../tests/unit/chd_model.h"
#include "../tests/unit/chd_cases.h"

#define CHD_KUNIT_SEED		0xca2e4ab0de1a7ULL
#define CHD_KUNIT_TRAINS	200

static void chd_property(struct kunit *test)
{
	struct chd_fail f = { };
	struct chd_prop *p;
	u32 i;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < CHD_KUNIT_TRAINS; i++) {
		if (chd_prop_one(p, CHD_KUNIT_SEED, i, &f))
			continue;
		KUNIT_FAIL(test,
			   "CHD_SEED=%#llx CHD_TRAIN=%u: %s (t-t0=%lld got=%llu want=%llu)",
			   CHD_KUNIT_SEED, i, f.what,
			   f.t ? (s64)(f.t - p->tr.t0) : 0LL, f.got, f.want);
		return;
	}
	kunit_info(test,
		   "%llu trains, %llu edges, %llu bursts, %llu reports, %llu glitches, %llu chatter faults, %llu merged by latency\n",
		   p->trains, p->edges, p->bursts, p->reports, p->glitches,
		   p->chatters, p->merged);
}

static struct kunit_case chd_kunit_cases[] = {
	KUNIT_CASE(chd_case_init),
	KUNIT_CASE(chd_case_clean_edge),
	KUNIT_CASE(chd_case_settle_boundary),
	KUNIT_CASE(chd_case_bounce_train),
	KUNIT_CASE(chd_case_glitch),
	KUNIT_CASE(chd_case_chatter),
	KUNIT_CASE(chd_case_chatter_same_level),
	KUNIT_CASE(chd_case_holdoff_boundary),
	KUNIT_CASE(chd_case_late_holdoff),
	KUNIT_CASE(chd_case_equal_timestamps),
	KUNIT_CASE(chd_case_out_of_order_last_edge),
	KUNIT_CASE(chd_case_out_of_order_first_edge),
	KUNIT_CASE(chd_case_resync_idle),
	KUNIT_CASE(chd_case_resync_pending),
	KUNIT_CASE(chd_case_counters),
	KUNIT_CASE(chd_property),
	{}
};

static struct kunit_suite chd_kunit_suite = {
	.name = "carehub_debounce",
	.test_cases = chd_kunit_cases,
};

kunit_test_suite(chd_kunit_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the carehub debounce state machine");
