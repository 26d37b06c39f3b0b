// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Property test of the bed-exit rule: random streams of bed exits and
 * returns, resyncs, sensor drop-outs, Cancel presses and
 * acknowledgements over several nights, with random max, pre-alarm and
 * re-alarm. Every callback is checked against invariants, exactly:
 *
 *  - the pre-alarm (or the raise, without one) comes exactly when the
 *    bed has been empty for max, counted from the later of the exit and
 *    a Cancel press, inside the window the exit happened in; an exit
 *    before the window opened never counts (up at 21:30 and still up at
 *    22:00 is no bed exit at night);
 *  - a raise follows its pre-alarm exactly prealarm later, unless the
 *    bed was occupied again, Cancel was pressed or the window ended;
 *  - a re-alarm comes exactly realarm after the last raise, only while
 *    out and not acknowledged; never two raises without a clear between;
 *  - a raised instance is cleared exactly when the bed is occupied;
 *  - and no alarm is missed: an absence that reached max inside the
 *    window has produced its pre-alarm or raise by now.
 *
 * RULES_SEED=n replays a run; RULES_RUNS=n sets how many (default 300).
 * Winter dates: London local time is UTC, so the model's window test is
 * plain arithmetic, independent of the engine's.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE	/* clock_gettime in unit_util.h */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <uapi/linux/carehub.h>

#include "rules_harness.h"
#include "unit_util.h"

static uint64_t rnd_state;
static uint64_t cur_seed;	/* of the run in progress, for the report */
static bool running;
static unsigned long tot_raises, tot_clears, tot_pre;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state >> 16);
}

static uint32_t rnd_in(uint32_t lo, uint32_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

enum m_st { M_IDLE, M_PRE, M_RAISED };

struct model {
	struct rh *h;
	uint32_t max_s, pre_s, re_s;
	bool out;
	uint64_t exit;		/* mono of the exit */
	uint64_t cancel;	/* Cancel during this absence's pre-alarm */
	enum m_st st;
	bool acked;
	uint64_t reach;		/* when max was reached (PREALARM/RAISE) */
	uint64_t last_raise;
	unsigned int raises, clears;
};

/* The window 22:00-07:00 in UTC wall seconds. */
static bool m_in_window(time_t w)
{
	long tod = (long)(w % 86400);

	return tod >= 22 * 3600 || tod < 7 * 3600;
}

static time_t m_window_start(time_t w)
{
	time_t day = w - w % 86400;

	return w % 86400 >= 22 * 3600 ? day + 22 * 3600 :
	       day - 2 * 3600;
}

static uint64_t m_mono(const struct model *m, time_t w)
{
	const struct rh *h = m->h;

	return w <= h->wall0 ? h->mono0 - (uint64_t)(h->wall0 - w) * RH_NS :
	       h->mono0 + (uint64_t)(w - h->wall0) * RH_NS;
}

static time_t m_wall(const struct model *m, uint64_t mono)
{
	return m->h->wall0 + (time_t)((mono - m->h->mono0) / RH_NS);
}

/* When should max be reached for the current absence (or 0: not yet)? */
static uint64_t m_expected_reach(const struct model *m, uint64_t upto)
{
	uint64_t base = m->exit > m->cancel ? m->exit : m->cancel;
	time_t w = m_wall(m, m->exit), we;
	uint64_t at;

	if (!m_in_window(w))
		return 0;	/* out before the night began */
	we = m_window_start(w) + 9 * 3600;
	at = base + (uint64_t)m->max_s * RH_NS;
	if (at < m_mono(m, we))
		return at <= upto ? at : 0;
	return 0;
}

static void m_check_record(struct model *m, const struct rh_rec *r)
{
	const struct rules_alarm *a = &r->a;
	uint64_t t = r->mono;

	switch (a->tr) {
	case RULES_PREALARM:
	case RULES_RAISE:
		assert_true(m->out);
		if (a->tr == RULES_RAISE && m->st == M_PRE) {
			assert_int_equal(t, m->reach +
					 (uint64_t)m->pre_s * RH_NS);
		} else {
			assert_int_equal(m->st, M_IDLE);
			assert_true(m_in_window(r->wall));
			if (t != m_expected_reach(m, t)) {
				rh_dump(m->h);
				fail_msg("reach at %ld, exit %ld, base %ld, "
					 "max %u", (long)r->wall,
					 (long)m_wall(m, m->exit),
					 (long)m_wall(m, m->cancel),
					 m->max_s);
			}
			assert_int_equal(a->tr, m->pre_s ? RULES_PREALARM :
					 RULES_RAISE);
			m->reach = t;
		}
		assert_int_equal(a->at_mono, m->exit);
		if (a->tr == RULES_RAISE) {
			m->st = M_RAISED;
			m->acked = false;
			m->last_raise = t;
			m->raises++;
		} else {
			m->st = M_PRE;
			tot_pre++;
		}
		return;
	case RULES_REALARM:
		assert_true(m->out && m->st == M_RAISED && !m->acked);
		assert_true(m->re_s);
		assert_int_equal(t, m->last_raise + (uint64_t)m->re_s * RH_NS);
		m->last_raise = t;
		return;
	case RULES_CLEAR:
		assert_int_equal(m->st, M_RAISED);
		assert_false(m->out);
		m->st = M_IDLE;
		m->clears++;
		return;
	case RULES_PREALARM_CLEAR:
		assert_int_equal(m->st, M_PRE);
		/* back in bed, or the window ended at this very second */
		assert_true(!m->out || (r->wall % 86400 == 7 * 3600));
		m->st = M_IDLE;
		m->cancel = t;	/* this night's chance is spent */
		return;
	case RULES_PREALARM_CANCEL:
		assert_int_equal(m->st, M_PRE);
		m->st = M_IDLE;
		m->cancel = t;
		return;
	case RULES_LOCAL_CANCEL:
		fail_msg("local cancel from a bed-exit rule");
	}
}

static void m_drain(struct model *m)
{
	struct rh *h = m->h;

	while (h->seen < h->n) {
		const struct rh_rec *r = &h->rec[h->seen++];

		if (r->indicate)
			assert_int_equal(r->on, m->st == M_PRE);
		else
			m_check_record(m, r);
	}
	/* liveness: nothing missed */
	if (m->out && m->st == M_IDLE && !(m->acked))
		assert_int_equal(m_expected_reach(m, h->mono), 0);
	assert_int_equal(rules_prealarm_active(h->r), m->st == M_PRE);
}

static void one_run(uint64_t seed, unsigned int steps)
{
	struct model m;
	struct rh *h = rh_new();
	unsigned int bed = rh_add_sensor(h, "bed", CAREHUB_KIND_BED);
	struct conf_rule *r = rh_add_rule(h, CONF_RULE_BED_EXIT, 1, bed);

	rnd_state = seed * 2654435761ULL + 88172645463325252ULL;
	memset(&m, 0, sizeof(m));
	m.h = h;
	m.max_s = rnd_in(60, 1800);
	m.pre_s = rnd() % 2 ? 0 : rnd_in(30, 180);
	m.re_s = rnd() % 2 ? 0 : rnd_in(300, 1200);
	r->max_s = m.max_s;
	r->prealarm_s = m.pre_s;
	r->realarm_s = m.re_s;
	r->window = (struct conf_window){ true, 22 * 60, 7 * 60 };
	rh_start(h, rh_utc(2026, 1, 10, 0, 0, 0) + rnd_in(0, 86399));
	rh_set(h, bed, 1);
	m_drain(&m);
	/* Stay in winter: the model's window arithmetic has no DST. */
	for (unsigned int i = 0; i < steps && h->n < RH_REC_MAX - 64 &&
	     rh_wall(h) < rh_utc(2026, 3, 15, 0, 0, 0); i++) {
		uint32_t k = rnd() % 100;
		uint64_t dt = k < 40 ? rnd_in(1, 120) : k < 85 ?
			      rnd_in(60, 2400) : rnd_in(1800, 4 * 3600);

		/* Sometimes aim an event at an edge: max before a window
		 * edge, or the edge itself, give or take a second. */
		if (rnd() % 100 < 15) {
			time_t w = rh_wall(h), day = w - w % 86400, edge;

			edge = day + (rnd() % 2 ? 7 : 22) * 3600 +
			       (rnd() % 2) * 86400;
			edge -= rnd() % 2 ? (time_t)m.max_s : 0;
			edge += (time_t)rnd_in(0, 2) - 1;
			if (edge > w)
				dt = (uint64_t)(edge - w);
		}
		rh_run(h, dt * RH_NS);
		m_drain(&m);
		k = rnd() % 100;
		if (k < 55) {
			m.out = !m.out;
			if (m.out) {
				m.exit = h->mono;
				m.cancel = 0;
			} else if (m.st == M_RAISED) {
				m.acked = false;
			}
			rh_set(h, bed, m.out ? 0 : 1);
			if (!m.out)
				m.acked = false;
		} else if (k < 65) {
			unsigned int before = h->n;

			rh_set_full(h, bed, true, m.out ? 0 : 1, 0,
				    m.out ? m.exit : h->mono0);
			if (m.out)	/* a resync changes nothing */
				assert_int_equal(h->n, before);
		} else if (k < 78) {
			rh_button(h, RULES_BUTTON_CANCEL);
		} else if (k < 88) {
			if (m.st == M_RAISED) {
				m.acked = true;
				rh_ack(h, 0, (int)bed);
			}
		} else {
			unsigned int before = h->n;

			rh_gone(h, bed);
			assert_int_equal(h->n, before);
		}
		m_drain(&m);
		if (k >= 88) {		/* back with the same state */
			rh_set_full(h, bed, true, m.out ? 0 : 1, 0,
				    m.out ? m.exit : h->mono0);
			m_drain(&m);
		}
	}
	tot_raises += m.raises;
	tot_clears += m.clears;
	rh_free(h);
}

static void test_bed_exit_random(void **state)
{
	int set;
	uint64_t seed = env_u64("RULES_SEED", 1, &set);
	unsigned long runs = set ? 1 : env_u64("RULES_RUNS", 300, NULL);
	double t0 = now_s();

	(void)state;
	running = true;
	for (unsigned long i = 0; i < runs; i++) {
		cur_seed = seed + i;
		one_run(cur_seed, 400);
	}
	running = false;
	print_message("# %lu runs x 400 steps in %.2f s: %lu pre-alarms, "
		      "%lu raises, %lu clears\n", runs, now_s() - t0, tot_pre,
		      tot_raises, tot_clears);
	/* The streams must actually exercise the rule. */
	assert_true(tot_raises > runs && tot_clears > runs / 2);
}

static int report_seed(void **state)
{
	(void)state;
	if (running)
		print_message("# failed in run RULES_SEED=%llu\n",
			      (unsigned long long)cur_seed);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_bed_exit_random, report_seed),
	};

	rh_tz_london();
	return cmocka_run_group_tests_name("rules_random", tests, NULL, NULL);
}
