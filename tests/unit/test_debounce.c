// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the carehub debounce state machine
 * (kmod/carehub_debounce.c, linked as its own object).
 *
 *  - the directed cases of chd_cases.h (also run by the KUnit suite);
 *  - a property test: CHD_TRAINS (default 100000) random bounce trains,
 *    each simulated as carehub.ko drives the state machine and compared
 *    with the reference model of chd_model.h.
 *
 * Environment:
 *   CHD_SEED=N    seed of the property run (default: from the clock; the
 *                 seed used is printed, set it to reproduce a failure)
 *   CHD_TRAINS=N  number of trains (default 100000)
 *   CHD_TRAIN=N   run only train N of the seed (as printed on a failure)
 *   CHD_STRICT=1  fail, rather than only report, the cases of known bugs
 *
 * Output is TAP.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_util.h"

#include "carehub_debounce.h"

#define CHD_TC void **
#define CHD_EQ(tc, got, want)					\
	do {							\
		(void)(tc);					\
		assert_int_equal((got), (want));		\
	} while (0)
#include "chd_model.h"
#include "chd_cases.h"

/* Everything about a failed train, relative to t0, as TAP comments. */
static void dump_train(const struct chd_prop *p)
{
	const struct chd_train *tr = &p->tr;
	const struct chd_sim *sim = &p->sim;
	u32 i;

	printf("# debounce=%llu holdoff=%llu t0=%llu level0=%d late_pct=%u toggles=%u\n",
	       (unsigned long long)tr->debounce_ns,
	       (unsigned long long)tr->holdoff_ns,
	       (unsigned long long)tr->t0, tr->level0, tr->late_pct, tr->n);
	printf("# toggles (t - t0):");
	for (i = 0; i < tr->n && i < 400; i++)
		printf("%s%llu", i % 8 ? " " : "\n#   ",
		       (unsigned long long)(tr->t[i] - tr->t0));
	printf("\n# expiries (t - t0):");
	for (i = 0; i < sim->nchecks && i < 400; i++)
		printf("%s%llu", i % 8 ? " " : "\n#   ",
		       (unsigned long long)(sim->checks[i] - tr->t0));
	printf("\n# reports:\n");
	for (i = 0; i < sim->nev && i < 100; i++)
		printf("#   t=%llu act=%#x level=%d first_edge=%llu settle=%llu\n",
		       (unsigned long long)(sim->ev[i].now - tr->t0),
		       sim->ev[i].act, sim->ev[i].level,
		       (unsigned long long)(sim->ev[i].first_edge_ns - tr->t0),
		       (unsigned long long)(sim->ev[i].settle_ns - tr->t0));
	printf("# model bursts (first..last toggle index: settle raise level report):\n");
	for (i = 0; i < p->eff.nseg && i < 100; i++)
		printf("#   %u..%u: %llu %llu %d %d\n", p->eff.seg[i].first,
		       p->eff.seg[i].last,
		       (unsigned long long)(p->eff.seg[i].settle - tr->t0),
		       p->eff.seg[i].raise ?
		       (unsigned long long)(p->eff.seg[i].raise - tr->t0) : 0,
		       p->eff.seg[i].level, p->eff.seg[i].report);
}

static void test_property(void **state)
{
	u64 seed, trains, only, i;
	struct chd_fail f = { 0 };
	struct chd_prop *p;
	int seed_set, only_set;
	bool covered;
	double t;

	(void)state;
	seed = env_u64("CHD_SEED", 0, &seed_set);
	if (!seed_set) {
		u64 s = (u64)time(NULL) ^ ((u64)getpid() << 32);

		s ^= (u64)(now_s() * 1e9);
		seed = chd_rng_next(&s);
	}
	trains = env_u64("CHD_TRAINS", 100000, NULL);
	only = env_u64("CHD_TRAIN", 0, &only_set);
	printf("# property: CHD_SEED=%#llx trains=%llu%s\n",
	       (unsigned long long)seed,
	       (unsigned long long)(only_set ? 1 : trains),
	       seed_set ? "" : " (set CHD_SEED to reproduce)");

	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	t = now_s();
	for (i = only_set ? only : 0; i < (only_set ? only + 1 : trains); i++) {
		if (chd_prop_one(p, seed, i, &f))
			continue;
		printf("# train %llu failed: %s (t-t0=%lld got=%llu want=%llu)\n",
		       (unsigned long long)i, f.what,
		       (long long)(f.t ? f.t - p->tr.t0 : 0),
		       (unsigned long long)f.got, (unsigned long long)f.want);
		dump_train(p);
		free(p);
		fail_msg("train %llu: %s; reproduce: CHD_SEED=%#llx CHD_TRAIN=%llu",
			 (unsigned long long)i, f.what,
			 (unsigned long long)seed, (unsigned long long)i);
	}
	t = now_s() - t;
	printf("# property: %llu trains (%llu with expiry latency), %llu edges, %.2f s\n",
	       (unsigned long long)p->trains,
	       (unsigned long long)p->late_trains,
	       (unsigned long long)p->edges, t);
	printf("# property: %llu bursts, %llu state reports, %llu glitches, %llu chatter faults, %llu bursts merged by latency, %llu expiries (%llu coalesced)\n",
	       (unsigned long long)p->bursts, (unsigned long long)p->reports,
	       (unsigned long long)p->glitches,
	       (unsigned long long)p->chatters,
	       (unsigned long long)p->merged,
	       (unsigned long long)p->expiries,
	       (unsigned long long)p->coalesced);
	/* The generator must keep reaching every kind of outcome. */
	covered = p->reports && p->glitches && p->chatters && p->merged &&
		  p->coalesced;
	free(p);
	if (!only_set && trains >= 1000)
		assert_true(covered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chd_case_init),
		cmocka_unit_test(chd_case_clean_edge),
		cmocka_unit_test(chd_case_settle_boundary),
		cmocka_unit_test(chd_case_bounce_train),
		cmocka_unit_test(chd_case_glitch),
		cmocka_unit_test(chd_case_chatter),
		cmocka_unit_test(chd_case_chatter_same_level),
		cmocka_unit_test(chd_case_holdoff_boundary),
		cmocka_unit_test(chd_case_late_holdoff),
		cmocka_unit_test(chd_case_equal_timestamps),
		cmocka_unit_test(chd_case_out_of_order_last_edge),
		cmocka_unit_test(chd_case_out_of_order_first_edge),
		cmocka_unit_test(chd_case_resync_idle),
		cmocka_unit_test(chd_case_resync_pending),
		cmocka_unit_test(chd_case_counters),
		cmocka_unit_test(test_property),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("carehub_debounce", tests, NULL,
					   NULL);
}
