// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of the carehub bed-occupancy state machine
 * (kmod/carehub_occupancy.c, linked as its own object).
 *
 *  - directed cases: the behaviours a mattress pad relies on, one by one
 *    (enter after the hold, sitting on the edge, short dips, turning over,
 *    noise at a threshold, the stamps, the stuck and offline faults, the
 *    configuration check, the first sample);
 *  - a property test: CHO_STREAMS (default 10000) random sample streams,
 *    fed to the state machine as carehub_pad.c does (cho_init() with the
 *    first sample, then cho_sample() / cho_error() in time order) and
 *    compared, sample by sample, with an independent reference model
 *    computed from the whole stream at once (see "Reference model").
 *
 * Environment:
 *   CHO_SEED=N     seed of the property run (default: from the clock; the
 *                  seed used is printed, set it to reproduce a failure)
 *   CHO_STREAMS=N  number of streams (default 10000)
 *   CHO_STREAM=N   run only stream N of the seed (as printed on a failure)
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

#include "carehub_occupancy.h"

#define MS(x)	((u64)(x) * 1000000ULL)
#define SEC(x)	((u64)(x) * 1000000000ULL)

/* Calibrated like a pad: empty bed 0, person 1000, rise 60 %, fall 40 %. */
static struct cho_cfg cfg_pad(void)
{
	return (struct cho_cfg){
		.rise = 600,
		.fall = 400,
		.enter_ns = SEC(10),
		.leave_ns = SEC(10),
		.stuck_ns = 0,
		.stuck_delta = 0,
		.offline_ns = SEC(5),
	};
}

/* ------------------------------------------------------------------ */
/* Directed cases: a clock-driven feeder and a log of what was reported */

struct rep {
	u64 t;
	u32 act;
	int level;
	u32 faults;
	u64 first;
	u64 settle;
};

struct feeder {
	struct cho o;
	u64 now;	/* time of the next sample */
	u64 period;
	unsigned int n;	/* reports */
	struct rep rep[256];
};

/* Start at t0 with a first sample, then one sample per period. */
static void fd_init(struct feeder *f, const struct cho_cfg *cfg, s64 value,
		    u64 t0, u64 period)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(cho_check_cfg(cfg), 0);
	cho_init(&f->o, cfg, value, t0);
	f->now = t0 + period;
	f->period = period;
}

static void fd_log(struct feeder *f, u32 act)
{
	struct rep *r;

	if (!act)
		return;
	assert_true(f->n < sizeof(f->rep) / sizeof(f->rep[0]));
	r = &f->rep[f->n++];
	*r = (struct rep){
		.t = f->now, .act = act, .level = f->o.level,
		.faults = f->o.faults, .first = f->o.first_cross_ns,
		.settle = f->o.settle_ns,
	};
}

static u32 fd_sample(struct feeder *f, s64 value)
{
	u32 act = cho_sample(&f->o, f->now, value);

	fd_log(f, act);
	f->now += f->period;
	return act;
}

static u32 fd_error(struct feeder *f)
{
	u32 act = cho_error(&f->o, f->now);

	fd_log(f, act);
	f->now += f->period;
	return act;
}

/* Samples of @value for @dur (those at now, now + period, ... < now + dur). */
static u32 fd_hold(struct feeder *f, s64 value, u64 dur)
{
	u64 end = f->now + dur;
	u32 act = 0;

	while (f->now < end)
		act |= fd_sample(f, value);
	return act;
}

static u32 fd_errors(struct feeder *f, u64 dur)
{
	u64 end = f->now + dur;
	u32 act = 0;

	while (f->now < end)
		act |= fd_error(f);
	return act;
}

/* A tiny deterministic generator for the directed cases' noise. */
static u64 rng_next(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n <= 2^32. */
static u64 rng_below(u64 *s, u64 n)
{
	return ((rng_next(s) >> 32) * n) >> 32;
}

/* Uniform in [lo, hi], hi - lo < 2^32. */
static s64 rng_range(u64 *s, s64 lo, s64 hi)
{
	return lo + (s64)rng_below(s, (u64)(hi - lo) + 1);
}

static void case_check_cfg(void **state)
{
	struct cho_cfg c = cfg_pad();

	(void)state;
	assert_int_equal(cho_check_cfg(&c), 0);
	c.rise = c.fall + 1;		/* the narrowest band */
	assert_int_equal(cho_check_cfg(&c), 0);
	c.rise = c.fall;
	assert_int_equal(cho_check_cfg(&c), -1);
	c.rise = c.fall - 1;
	assert_int_equal(cho_check_cfg(&c), -1);
	c = cfg_pad();
	c.rise = 400;
	c.fall = 600;			/* inverted */
	assert_int_equal(cho_check_cfg(&c), -1);
	c = cfg_pad();
	c.stuck_delta = -1;
	assert_int_equal(cho_check_cfg(&c), -1);
	/* Negative raw levels are fine (a bridge read the other way round). */
	c = cfg_pad();
	c.rise = -1000;
	c.fall = -5000;
	assert_int_equal(cho_check_cfg(&c), 0);
	/* 24-bit ADC extremes. */
	c.rise = (1 << 23) - 1;
	c.fall = -(1 << 23);
	assert_int_equal(cho_check_cfg(&c), 0);
}

static void expect_init(const struct cho_cfg *c, s64 value, int level)
{
	struct cho o;

	memset(&o, 0x5a, sizeof(o));	/* cho_init must set every field */
	cho_init(&o, c, value, MS(123));
	assert_int_equal(o.level, level);
	assert_int_equal(o.faults, 0);
	assert_false(o.pending);
	assert_false(o.erring);
	assert_int_equal(o.first_cross_ns, MS(123));
	assert_int_equal(o.settle_ns, MS(123));
	assert_int_equal(o.win_start_ns, MS(123));
	assert_int_equal(o.win_min, value);
	assert_int_equal(o.win_max, value);
	assert_int_equal(o.last_value, value);
	assert_int_equal(o.samples, 1);
	assert_int_equal(o.errors, 0);
	assert_int_equal(o.crossings, 0);
	assert_int_equal(o.glitches, 0);
	assert_memory_equal(&o.cfg, c, sizeof(*c));
}

static void case_init_in_band(void **state)
{
	struct cho_cfg c = cfg_pad();	/* band [400, 600), middle 500 */

	(void)state;
	expect_init(&c, -7, 0);
	expect_init(&c, 399, 0);
	expect_init(&c, 400, 0);	/* in band, below the middle */
	expect_init(&c, 499, 0);
	expect_init(&c, 500, 1);	/* at the middle: occupied */
	expect_init(&c, 599, 1);
	expect_init(&c, 600, 1);
	expect_init(&c, 5000, 1);

	/* Odd band width [400, 601): the middle 500.5 is rounded down. */
	c.rise = 601;
	expect_init(&c, 499, 0);
	expect_init(&c, 500, 1);

	/* Negative levels: band [-3000, -2000), middle -2500. */
	c.rise = -2000;
	c.fall = -3000;
	expect_init(&c, -2501, 0);
	expect_init(&c, -2500, 1);
	/* Odd and negative: band [-3, 0), middle -1.5 rounds down to -2. */
	c.rise = 0;
	c.fall = -3;
	expect_init(&c, -3, 0);
	expect_init(&c, -2, 1);

	/*
	 * Starting in the band holds no candidate: staying in the band for
	 * much longer than the holds changes nothing, from either side.
	 */
	{
		struct cho_cfg p = cfg_pad();
		struct feeder f;

		fd_init(&f, &p, 450, 0, MS(10));
		assert_int_equal(fd_hold(&f, 450, SEC(60)), 0);
		assert_int_equal(f.o.level, 0);
		fd_init(&f, &p, 550, 0, MS(10));
		assert_int_equal(fd_hold(&f, 550, SEC(60)), 0);
		assert_int_equal(f.o.level, 1);
		assert_int_equal(f.o.crossings, 0);
	}
}

static void case_enter_after_hold(void **state)
{
	struct cho_cfg c = cfg_pad();
	struct feeder f;

	(void)state;
	fd_init(&f, &c, 0, SEC(1) - MS(10), MS(10));	/* 100 Hz, empty */
	assert_int_equal(fd_hold(&f, 5, SEC(5)), 0);
	/* A person lies down at t = 6 s: the first sample >= rise. */
	assert_int_equal(f.now, SEC(6));
	assert_int_equal(fd_hold(&f, 1000, c.enter_ns), 0);
	assert_int_equal(f.o.level, 0);
	assert_true(f.o.pending);
	/* The sample at exactly first crossing + enter_ns decides. */
	assert_int_equal(f.now, SEC(16));
	assert_int_equal(fd_sample(&f, 1000), CHO_REPORT_STATE);
	assert_int_equal(f.o.level, 1);
	assert_false(f.o.pending);
	assert_int_equal(f.o.first_cross_ns, SEC(6));
	assert_int_equal(f.o.settle_ns, SEC(16));
	assert_int_equal(fd_hold(&f, 1000, SEC(30)), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.o.crossings, 1);
	assert_int_equal(f.o.glitches, 0);

	/* Leaving is the mirror image, with leave_ns. */
	c.leave_ns = SEC(3);
	cho_set_cfg(&f.o, &c);
	{
		u64 t = f.now;

		assert_int_equal(fd_hold(&f, 20, SEC(3)), 0);
		assert_int_equal(fd_sample(&f, 20), CHO_REPORT_STATE);
		assert_int_equal(f.o.level, 0);
		assert_int_equal(f.o.first_cross_ns, t);
		assert_int_equal(f.o.settle_ns, t + SEC(3));
	}

	/* Hold 0: the first sample beyond the threshold decides. */
	c.enter_ns = 0;
	cho_set_cfg(&f.o, &c);
	assert_int_equal(fd_hold(&f, 599, SEC(1)), 0);
	{
		u64 t = f.now;

		assert_int_equal(fd_sample(&f, 600), CHO_REPORT_STATE);
		assert_int_equal(f.o.first_cross_ns, t);
		assert_int_equal(f.o.settle_ns, t);
	}
	assert_int_equal(f.o.crossings, 3);
	assert_int_equal(f.o.glitches, 0);
}

static void case_sitting_on_edge(void **state)
{
	struct cho_cfg c = cfg_pad();
	struct feeder f;
	u64 seed = 1;
	u64 i;

	(void)state;
	/* Someone sits on the edge of the bed: the level stays in the band. */
	fd_init(&f, &c, 0, 0, MS(10));
	assert_int_equal(fd_hold(&f, 0, SEC(2)), 0);
	for (i = 0; i < 6000; i++)	/* 60 s, anywhere in [fall, rise) */
		assert_int_equal(fd_sample(&f, rng_range(&seed, 400, 599)), 0);
	assert_int_equal(fd_hold(&f, 599, SEC(60)), 0);	/* right below rise */
	assert_int_equal(f.o.level, 0);
	assert_int_equal(f.o.crossings, 0);
	assert_false(f.o.pending);
	/* Exactly rise is beyond: a candidate, and after the hold, occupied. */
	assert_int_equal(fd_hold(&f, 600, c.enter_ns), 0);
	assert_true(f.o.pending);
	assert_int_equal(fd_sample(&f, 600), CHO_REPORT_STATE);
	/* Occupied, exactly fall is still in the band; fall - 1 is beyond. */
	assert_int_equal(fd_hold(&f, 400, SEC(60)), 0);
	assert_int_equal(f.o.level, 1);
	assert_false(f.o.pending);
	assert_int_equal(fd_sample(&f, 399), 0);
	assert_true(f.o.pending);

	/*
	 * As documented ("samples in the band keep it going"), not a bug:
	 * sitting down on the edge with one sample of overshoot >= rise,
	 * then staying in the band, does enter after enter_ns. Only a band
	 * level that never reaches rise is safe from entering.
	 */
	fd_init(&f, &c, 0, 0, MS(10));
	assert_int_equal(fd_sample(&f, 650), 0);
	assert_int_equal(fd_hold(&f, 450, c.enter_ns - MS(10)), 0);
	assert_int_equal(fd_sample(&f, 450), CHO_REPORT_STATE);
	assert_int_equal(f.o.level, 1);
}

static void case_short_dip_glitch(void **state)
{
	struct cho_cfg c = cfg_pad();
	struct feeder f;
	u64 dip;

	(void)state;
	fd_init(&f, &c, 1000, 0, MS(10));	/* occupied */
	assert_int_equal(f.o.level, 1);
	assert_int_equal(fd_hold(&f, 1000, SEC(5)), 0);
	/* The person lifts off for 9.99 s (< leave_ns) and comes back. */
	dip = f.now;
	assert_int_equal(fd_hold(&f, 100, c.leave_ns - MS(10)), 0);
	assert_true(f.o.pending);
	assert_int_equal(f.o.first_cross_ns, dip);
	assert_int_equal(fd_sample(&f, 900), 0);	/* back above rise */
	assert_false(f.o.pending);
	assert_int_equal(f.o.level, 1);
	assert_int_equal(f.o.crossings, 1);
	assert_int_equal(f.o.glitches, 1);
	assert_int_equal(f.o.settle_ns, 0);	/* no change settled since */
	assert_int_equal(f.n, 0);

	/* A dip below fall, then the band: the band does not cancel it. */
	dip = f.now;
	assert_int_equal(fd_hold(&f, 100, SEC(1)), 0);
	assert_int_equal(fd_hold(&f, 500, c.leave_ns - SEC(1)), 0);
	assert_int_equal(fd_sample(&f, 500), CHO_REPORT_STATE);
	assert_int_equal(f.o.level, 0);
	assert_int_equal(f.o.first_cross_ns, dip);
	assert_int_equal(f.o.settle_ns, dip + c.leave_ns);
	assert_int_equal(f.o.crossings, 2);
	assert_int_equal(f.o.glitches, 1);

	/* The same on the way in: a pet jumps on the bed for 3 s. */
	assert_int_equal(fd_hold(&f, 0, SEC(2)), 0);
	assert_int_equal(fd_hold(&f, 700, SEC(3)), 0);
	assert_int_equal(fd_sample(&f, 50), 0);
	assert_int_equal(f.o.level, 0);
	assert_int_equal(f.o.crossings, 3);
	assert_int_equal(f.o.glitches, 2);
	assert_int_equal(f.n, 1);
}

static void case_turnover_artefacts(void **state)
{
	struct cho_cfg c = cfg_pad();
	struct feeder f;
	u64 seed = 42, k;
	int turn;

	(void)state;
	fd_init(&f, &c, 950, 0, MS(4));		/* 250 Hz, occupied */
	for (turn = 0; turn < 20; turn++) {
		/* Lying still: breathing, +-30 around 950. */
		for (k = 0; k < 2500; k++)
			assert_int_equal(fd_sample(&f, 950 + rng_range(&seed, -30, 30)), 0);
		/*
		 * Turning over, 4 s: weight shifts off the pad (down to -500,
		 * below fall) and back, with spikes far above rise (2500) as
		 * the body lands: artefacts of the whole span and beyond.
		 */
		for (k = 0; k < 1000; k++) {
			s64 v;

			switch (rng_below(&seed, 4)) {
			case 0: v = rng_range(&seed, -500, 399); break;
			case 1: v = rng_range(&seed, 400, 599); break;
			case 2: v = rng_range(&seed, 600, 2500); break;
			default: v = k < 600 ? rng_range(&seed, -500, 200) :
					   rng_range(&seed, 700, 2500);
			}
			assert_int_equal(fd_sample(&f, v), 0);
		}
	}
	/* Settled again: the first sample above rise ends the last one. */
	assert_int_equal(fd_hold(&f, 950, SEC(2)), 0);
	assert_int_equal(f.o.level, 1);
	assert_int_equal(f.n, 0);
	assert_false(f.o.pending);
	assert_true(f.o.glitches > 20);
	assert_int_equal(f.o.crossings, f.o.glitches);

	/* Then the person really gets up: one exit, leave_ns after. */
	{
		u64 t = f.now;

		assert_int_equal(fd_hold(&f, 10, c.leave_ns), 0);
		assert_int_equal(fd_sample(&f, 10), CHO_REPORT_STATE);
		assert_int_equal(f.o.first_cross_ns, t);
	}
}

/*
 * Noise hovering around one threshold crosses it again and again; with
 * hysteresis the pad changes at most once, and not at all when the noise
 * stays inside the band.
 */
static unsigned int hover(const struct cho_cfg *c, s64 start, s64 centre,
			  s64 amp, unsigned int *crossed, s64 thr)
{
	struct feeder f;
	u64 seed = (u64)centre * 7 + (u64)start;
	s64 prev = start, v;
	unsigned int k;

	*crossed = 0;
	fd_init(&f, c, start, 0, MS(10));
	for (k = 0; k < 12000; k++) {	/* 120 s */
		v = centre + rng_range(&seed, -amp, amp);
		if ((prev >= thr) != (v >= thr))
			(*crossed)++;
		prev = v;
		fd_sample(&f, v);
	}
	return f.n;
}

static void case_hysteresis_noise(void **state)
{
	struct cho_cfg c = cfg_pad();
	unsigned int crossed;

	(void)state;
	c.enter_ns = SEC(2);
	c.leave_ns = SEC(2);
	/* Around rise, +-90 (< band 200): empty -> occupied once, never back. */
	assert_int_equal(hover(&c, 0, 600, 90, &crossed, 600), 1);
	assert_true(crossed > 1000);
	/* Already occupied there: nothing. */
	assert_int_equal(hover(&c, 1000, 600, 90, &crossed, 600), 0);
	/* Around fall: occupied -> empty once; empty there: nothing. */
	assert_int_equal(hover(&c, 1000, 400, 90, &crossed, 400), 1);
	assert_true(crossed > 1000);
	assert_int_equal(hover(&c, 0, 400, 90, &crossed, 400), 0);
	/* In the middle of the band, +-99: never, from either side. */
	assert_int_equal(hover(&c, 0, 500, 99, &crossed, 500), 0);
	assert_int_equal(hover(&c, 1000, 500, 99, &crossed, 500), 0);
	/*
	 * Zero hold: still no flapping. Enter on the first sample >= rise,
	 * then the noise never gets below fall.
	 */
	c.enter_ns = 0;
	c.leave_ns = 0;
	assert_int_equal(hover(&c, 0, 600, 90, &crossed, 600), 1);
	assert_int_equal(hover(&c, 1000, 400, 90, &crossed, 400), 1);
}

/*
 * First-crossing stamp = time of the first sample beyond the threshold;
 * settle = the first sample at or after first + hold, so within one
 * period of it, for every rate the pad supports and any phase.
 */
static void case_stamps(void **state)
{
	static const u32 rates[] = { 10, 25, 50, 100, 120, 200, 250 };
	struct cho_cfg c = cfg_pad();
	u64 seed = 7;
	unsigned int r, k;

	(void)state;
	for (r = 0; r < sizeof(rates) / sizeof(rates[0]); r++) {
		u64 period = SEC(1) / rates[r];

		for (k = 0; k < 50; k++) {
			struct feeder f;
			u64 first, t0 = rng_below(&seed, 1u << 31) * 1000ULL;
			int dir;

			c.enter_ns = rng_below(&seed, 20000) * 1000ULL + 1;
			c.leave_ns = k == 0 ? 0 : rng_below(&seed, 20000) * 999ULL;
			fd_init(&f, &c, 0, t0, period);
			fd_hold(&f, 0, rng_below(&seed, 300) * MS(10));
			for (dir = 1; dir >= 0; dir--) {
				u64 hold = dir ? c.enter_ns : c.leave_ns;

				/* Approach through the band first. */
				fd_hold(&f, 500, rng_below(&seed, 5) * period);
				first = f.now;
				while (!fd_sample(&f, dir ? 800 : 200))
					assert_true(f.now - first <= hold + period);
				assert_int_equal(f.o.level, dir);
				assert_int_equal(f.o.first_cross_ns, first);
				assert_true(f.o.settle_ns >= first + hold);
				assert_true(f.o.settle_ns < first + hold + period);
				assert_int_equal(f.o.settle_ns, f.now - period);
				fd_hold(&f, dir ? 800 : 200, SEC(1));
			}
			assert_int_equal(f.n, 2);
			assert_int_equal(f.rep[0].act, CHO_REPORT_STATE);
			assert_int_equal(f.rep[0].level, 1);
			assert_int_equal(f.rep[1].level, 0);
		}
	}
}

static void case_stuck(void **state)
{
	struct cho_cfg c = cfg_pad();
	struct feeder f;
	u64 seed = 3, moved;

	(void)state;
	c.stuck_ns = SEC(5);
	c.stuck_delta = 3;
	fd_init(&f, &c, 100, 0, MS(10));
	/* Values spanning exactly stuck_delta are flat. */
	while (f.now < SEC(5))
		assert_int_equal(fd_sample(&f, 100 + rng_range(&seed, 0, 3)), 0);
	assert_int_equal(f.o.faults, 0);
	/* Raised by the first sample at window start + stuck_ns. */
	assert_int_equal(f.now, SEC(5));
	assert_int_equal(fd_sample(&f, 103), CHO_REPORT_FAULT);
	assert_int_equal(f.o.faults, CHO_FAULT_STUCK);
	assert_int_equal(fd_hold(&f, 101, SEC(30)), 0);	/* raised once */
	assert_int_equal(f.n, 1);
	/* Moving by stuck_delta + 1 from the window's extremes clears it. */
	moved = f.now;
	assert_int_equal(fd_sample(&f, 104), CHO_REPORT_FAULT);
	assert_int_equal(f.o.faults, 0);
	/* The moving sample starts the next window. */
	assert_int_equal(fd_hold(&f, 104, SEC(5) - MS(10)), 0);
	assert_int_equal(f.now, moved + SEC(5));
	assert_int_equal(fd_sample(&f, 107), CHO_REPORT_FAULT);
	assert_int_equal(f.o.faults, CHO_FAULT_STUCK);
	assert_int_equal(fd_sample(&f, 103), CHO_REPORT_FAULT);	/* 107 - 103 > 3 */
	assert_int_equal(f.o.faults, 0);

	/* A stuck pad still decides occupancy; the two reports can coincide. */
	c = cfg_pad();
	c.stuck_ns = SEC(10);
	c.enter_ns = SEC(10);
	fd_init(&f, &c, 1000, 0, MS(10));	/* flat at 1000: occupied */
	assert_int_equal(fd_hold(&f, 1000, SEC(10) - MS(10)), 0);
	assert_int_equal(fd_sample(&f, 1000), CHO_REPORT_FAULT);
	/* Drops to a flat 0: leaves after leave_ns and the window restarts. */
	assert_int_equal(fd_sample(&f, 0), CHO_REPORT_FAULT);
	assert_int_equal(fd_hold(&f, 0, SEC(10) - MS(10)), 0);
	assert_int_equal(fd_sample(&f, 0),
			 CHO_REPORT_FAULT | CHO_REPORT_STATE);
	assert_int_equal(f.o.level, 0);
	assert_int_equal(f.o.faults, CHO_FAULT_STUCK);
}

static void case_stuck_disabled(void **state)
{
	struct cho_cfg c = cfg_pad();
	struct feeder f;

	(void)state;
	c.stuck_ns = 0;
	c.stuck_delta = 1000000;
	fd_init(&f, &c, 0, 0, MS(100));
	assert_int_equal(fd_hold(&f, 0, SEC(3600)), 0);	/* an hour, flat */
	assert_int_equal(f.o.faults, 0);
	assert_int_equal(f.n, 0);
}

static void case_offline(void **state)
{
	struct cho_cfg c = cfg_pad();
	struct feeder f;
	u64 first_err;

	(void)state;
	c.offline_ns = SEC(2);
	fd_init(&f, &c, 1000, 0, MS(10));
	assert_int_equal(fd_hold(&f, 1000, SEC(1)), 0);
	/* The cable is pulled: every read fails. */
	first_err = f.now;
	assert_int_equal(fd_errors(&f, SEC(2)), 0);
	assert_int_equal(f.now, first_err + SEC(2));
	assert_int_equal(fd_error(&f), CHO_REPORT_FAULT);
	assert_int_equal(f.o.faults, CHO_FAULT_OFFLINE);
	assert_int_equal(fd_errors(&f, SEC(20)), 0);		/* raised once */
	assert_int_equal(f.o.errors, 2201);
	/* Errors are not samples: occupancy is unchanged, none pending. */
	assert_int_equal(f.o.level, 1);
	assert_false(f.o.pending);
	/* Plugged back: the next good sample clears it. */
	assert_int_equal(fd_sample(&f, 990), CHO_REPORT_FAULT);
	assert_int_equal(f.o.faults, 0);
	assert_false(f.o.erring);

	/* Intermittent failures never add up to offline_ns. */
	{
		int k;

		for (k = 0; k < 3000; k++) {
			assert_int_equal(fd_error(&f), 0);
			assert_int_equal(fd_sample(&f, 1000 - k % 2), 0);
		}
	}
	/* A new run of failures counts from its own first failure. */
	first_err = f.now;
	assert_int_equal(fd_errors(&f, SEC(1)), 0);
	assert_int_equal(fd_sample(&f, 1000), 0);
	assert_int_equal(fd_errors(&f, SEC(2)), 0);
	assert_int_equal(fd_error(&f), CHO_REPORT_FAULT);
	assert_int_equal(f.n, 3);

	/* offline_ns 0: the first failure is enough. */
	c.offline_ns = 0;
	fd_init(&f, &c, 0, 0, MS(10));
	assert_int_equal(fd_error(&f), CHO_REPORT_FAULT);
	assert_int_equal(fd_error(&f), 0);
	assert_int_equal(fd_sample(&f, 0), CHO_REPORT_FAULT);

	/*
	 * The driver's probe with the ADC unplugged: cho_init() from
	 * fall - 1, then cho_error() at the same time. Offline after
	 * offline_ns; empty; the first good sample clears the fault and
	 * starts deciding.
	 */
	c = cfg_pad();
	memset(&f, 0, sizeof(f));
	cho_init(&f.o, &c, c.fall - 1, SEC(100));
	assert_int_equal(cho_error(&f.o, SEC(100)), 0);
	assert_int_equal(f.o.level, 0);
	f.now = SEC(100) + MS(10);
	f.period = MS(10);
	assert_int_equal(fd_errors(&f, c.offline_ns - MS(10)), 0);
	assert_int_equal(fd_error(&f), CHO_REPORT_FAULT);
	assert_int_equal(fd_sample(&f, 1000), CHO_REPORT_FAULT);
	assert_true(f.o.pending);
}

/* ------------------------------------------------------------------ */
/*
 * Reference model.
 *
 * A stream is the first sample (cho_init()) and then, in time order,
 * good samples (value) and failed reads. The model reads the whole stream
 * and says, for every entry, what must be reported there and the state
 * after it. It is written from the rules of carehub_occupancy.h, not from
 * the implementation's loop:
 *
 *  - Occupancy looks at good samples, and at failed reads only as a gap
 *    that no hold may span. The initial level is 1 iff
 *    v0 >= floor((rise + fall) / 2). From position i with level L, a
 *    candidate starts at the first good sample s >= i beyond the
 *    threshold (L = 0: v >= rise; L = 1: v < fall). Let b be the first
 *    good sample after s back on L's side (L = 0: v < fall; L = 1:
 *    v >= rise), d the first good sample at or after s with
 *    t_d - t_s >= hold (enter_ns for L = 0, leave_ns for 1), and e the
 *    first failed read after s. If d exists, comes before b and before
 *    e, the pad changes at d (stamps t_s and t_d) and the search goes on
 *    from d + 1 with !L; else, if b exists and comes before e, that was
 *    a glitch and the search goes on from b + 1; else, if e exists, the
 *    candidate is cancelled there (not a glitch: a hold whose time was
 *    not observed never completes) and the search goes on from the first
 *    good sample after e; else the candidate is still pending at the
 *    end.
 *  - Stuck: the good samples are cut greedily into flat windows: a
 *    window starts at a sample and takes the following ones while the
 *    spread (max - min) of its values stays <= stuck_delta; the first
 *    sample that would widen it beyond starts the next window. If
 *    stuck_ns != 0, stuck is raised at the first sample of a window at
 *    least stuck_ns after the window's first sample, and cleared by the
 *    window's end (the sample that starts the next one).
 *  - Offline: in each maximal run of failed reads, raised at the first
 *    failure at least offline_ns after the run's first failure; cleared
 *    by the good sample that ends the run.
 */

#define NMAX	4096
#define SEGMAX	64

enum seg_kind { SEG_LEVEL, SEG_ERRORS };
enum target { T_EMPTY, T_OCCUPIED, T_BAND, T_RISE, T_FALL, T_ANY, T_N };
enum noise { N_NONE, N_FLAT, N_HOVER, N_WILD, N_SPIKES, N_N };

static const char *const target_name[T_N] = {
	"empty", "occupied", "band", "at rise", "at fall", "anywhere",
};
static const char *const noise_name[N_N] = {
	"none", "within stuck_delta", "hovering", "wild", "spikes",
};

struct seg {
	u32 start;	/* index of the first entry */
	enum seg_kind kind;
	enum target target;
	enum noise noise;
	s64 level;
};

struct stream {
	struct cho_cfg cfg;
	s64 empty, occupied;	/* calibration the thresholds came from */
	u64 period;
	int jitter;
	u32 n;
	u64 t[NMAX];
	s64 v[NMAX];
	bool err[NMAX];		/* err[0] is always false */
	u32 nseg;
	struct seg seg[SEGMAX];
};

struct expect {
	u32 act[NMAX];
	int level[NMAX];
	u32 faults[NMAX];
	u64 first[NMAX];	/* at a state report */
	u64 settle[NMAX];
	u64 crossings, glitches, samples, errors;
	bool pending;
	u64 last_first;		/* first_cross_ns at the end */
	u64 last_settle;
	/* what happened, for the coverage figures */
	u32 changes, raise_stuck, clear_stuck, raise_offline, clear_offline;
	u32 error_cancels;
	u32 zero_hold_changes, coincide;
};

static void model(const struct stream *s, struct expect *x)
{
	const struct cho_cfg *c = &s->cfg;
	static u32 g[NMAX];
	static bool stuck_set[NMAX], stuck_clr[NMAX];
	static bool off_set[NMAX], off_clr[NMAX];
	static bool change[NMAX];
	u32 m = 0, i, j, w;
	int level;

	memset(x, 0, sizeof(*x));
	memset(stuck_set, 0, sizeof(stuck_set[0]) * s->n);
	memset(stuck_clr, 0, sizeof(stuck_clr[0]) * s->n);
	memset(off_set, 0, sizeof(off_set[0]) * s->n);
	memset(off_clr, 0, sizeof(off_clr[0]) * s->n);
	memset(change, 0, sizeof(change[0]) * s->n);
	for (i = 0; i < s->n; i++) {
		if (s->err[i])
			x->errors++;
		else
			g[m++] = i;
	}
	x->samples = m;

	/* Occupancy, on the good samples g[0..m). */
	level = 2 * s->v[0] + 1 >= c->rise + c->fall;
	x->last_first = x->last_settle = s->t[0];
	i = 1;
	while (i < m) {
		u32 st, b, d, e;
		u64 hold = level ? c->leave_ns : c->enter_ns;

		for (st = i; st < m; st++)
			if (level ? s->v[g[st]] < c->fall :
				    s->v[g[st]] >= c->rise)
				break;
		if (st == m)
			break;
		x->crossings++;
		x->last_first = s->t[g[st]];
		for (b = st + 1; b < m; b++)
			if (level ? s->v[g[b]] >= c->rise :
				    s->v[g[b]] < c->fall)
				break;
		for (d = st; d < m; d++)
			if (s->t[g[d]] - s->t[g[st]] >= hold)
				break;
		for (e = g[st] + 1; e < s->n; e++)
			if (s->err[e])
				break;
		if (d < m && d < b && g[d] < e) {
			change[g[d]] = true;
			x->first[g[d]] = s->t[g[st]];
			x->settle[g[d]] = x->last_settle = s->t[g[d]];
			x->changes++;
			x->zero_hold_changes += !hold;
			level = !level;
			i = d + 1;
		} else if (b < m && g[b] < e) {
			x->glitches++;
			i = b + 1;
		} else if (e < s->n) {
			x->error_cancels++;
			for (i = st + 1; i < m && g[i] < e; i++)
				;
		} else {
			x->pending = true;
			break;
		}
	}

	/* Stuck, on the good samples: greedy flat windows. */
	for (w = 0; w < m; w = j) {
		s64 lo = s->v[g[w]], hi = lo;
		bool raised = false;

		for (j = w + 1; j < m; j++) {
			s64 v = s->v[g[j]];
			s64 nlo = v < lo ? v : lo, nhi = v > hi ? v : hi;

			if (nhi - nlo > c->stuck_delta)
				break;
			lo = nlo;
			hi = nhi;
			if (c->stuck_ns && !raised &&
			    s->t[g[j]] - s->t[g[w]] >= c->stuck_ns) {
				raised = true;
				stuck_set[g[j]] = true;
			}
		}
		if (raised && j < m)
			stuck_clr[g[j]] = true;
	}

	/* Offline, on runs of failed reads. */
	for (i = 1; i < s->n; i = j) {
		bool raised = false;

		if (!s->err[i]) {
			j = i + 1;
			continue;
		}
		for (j = i; j < s->n && s->err[j]; j++)
			if (!raised && s->t[j] - s->t[i] >= c->offline_ns) {
				raised = true;
				off_set[j] = true;
			}
		if (raised && j < s->n)
			off_clr[j] = true;
	}

	/* Per entry: what is reported there, and the state after it. */
	{
		int lv = 2 * s->v[0] + 1 >= c->rise + c->fall;
		u32 faults = 0;

		for (i = 0; i < s->n; i++) {
			u32 act = 0;

			if (change[i]) {
				lv = !lv;
				act |= CHO_REPORT_STATE;
			}
			if (stuck_set[i] || stuck_clr[i] || off_set[i] ||
			    off_clr[i])
				act |= CHO_REPORT_FAULT;
			if (change[i] && act & CHO_REPORT_FAULT)
				x->coincide++;
			if (stuck_set[i])
				faults |= CHO_FAULT_STUCK, x->raise_stuck++;
			if (stuck_clr[i])
				faults &= ~CHO_FAULT_STUCK, x->clear_stuck++;
			if (off_set[i])
				faults |= CHO_FAULT_OFFLINE, x->raise_offline++;
			if (off_clr[i])
				faults &= ~CHO_FAULT_OFFLINE, x->clear_offline++;
			x->act[i] = i ? act : 0;
			x->level[i] = lv;
			x->faults[i] = faults;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Generator: segments of levels with noise, and runs of failed reads */

static s64 clamp_s32ish(s64 v)
{
	const s64 lim = (s64)1 << 30;

	return v < -lim ? -lim : v > lim ? lim : v;
}

/*
 * A duration of up to @n periods: any number of ns, or a whole number of
 * periods (+-1 ns), so that without jitter a sample lands exactly on the
 * boundary, or 1 ns either side of it: the >= versus > comparisons.
 */
static u64 gen_dur(u64 *r, u64 p, u64 n)
{
	u64 d = p * rng_below(r, n + 1);

	switch (rng_below(r, 4)) {
	case 0: return d;
	case 1: return d + 1;
	case 2: return d ? d - 1 : 0;
	default: return rng_below(r, n * p + 1);
	}
}

static void gen_cfg(struct stream *s, u64 *r)
{
	struct cho_cfg *c = &s->cfg;
	u64 p;

	/* Sampling period: the driver's 10..250 Hz, sometimes odd. */
	switch (rng_below(r, 4)) {
	case 0: p = SEC(1) / 250; break;
	case 1: p = SEC(1) / 100; break;
	case 2: p = SEC(1) / 10; break;
	default: p = SEC(1) / (u64)rng_range(r, 10, 250); break;
	}
	s->period = p;
	s->jitter = (int)rng_below(r, 3);

	if (rng_below(r, 4)) {
		/* As carehub_pad_thresholds() derives them. */
		for (;;) {
			s64 span;
			u32 ep, lp;

			s->empty = rng_range(r, -(1 << 23), (1 << 23) - 1);
			span = rng_below(r, 3) ? rng_range(r, 2, 1 << 24) :
						 rng_range(r, 2, 300);
			s->occupied = s->empty + span;
			ep = (u32)rng_range(r, 1, 100);
			lp = (u32)rng_range(r, 0, ep - 1);
			c->rise = s->empty + span * ep / 100;
			c->fall = s->empty + span * lp / 100;
			if (c->rise > c->fall)
				break;
		}
	} else {
		/* Any thresholds, often the narrowest band. */
		c->fall = rng_range(r, -(1 << 23), 1 << 23);
		c->rise = c->fall + (rng_below(r, 3) ? 1 :
				     rng_range(r, 2, 1000));
		s->empty = c->fall - rng_range(r, 1, 1000);
		s->occupied = c->rise + rng_range(r, 0, 1000);
	}

	/* Hold times: 0 sometimes, else up to 40 periods. */
	c->enter_ns = rng_below(r, 10) ? gen_dur(r, p, 40) : 0;
	c->leave_ns = rng_below(r, 10) ? gen_dur(r, p, 40) : 0;
	c->stuck_ns = rng_below(r, 3) ? gen_dur(r, p, 60) : 0;
	switch (rng_below(r, 3)) {
	case 0: c->stuck_delta = 0; break;
	case 1: c->stuck_delta = rng_range(r, 1, 20); break;
	default: c->stuck_delta = (c->rise - c->fall) / 4; break;
	}
	c->offline_ns = rng_below(r, 8) ? gen_dur(r, p, 30) : 0;
}

static s64 gen_target(const struct stream *s, enum target t, u64 *r)
{
	const struct cho_cfg *c = &s->cfg;
	s64 span = s->occupied - s->empty;

	switch (t) {
	case T_EMPTY: return s->empty;
	case T_OCCUPIED: return s->occupied;
	case T_BAND: return rng_range(r, c->fall, c->rise - 1);
	case T_RISE: return c->rise - (s64)rng_below(r, 2);
	case T_FALL: return c->fall - (s64)rng_below(r, 2);
	default: return rng_range(r, s->empty - span / 2,
				  s->occupied + span / 2);
	}
}

static s64 gen_value(const struct stream *s, const struct seg *sg, u64 *r)
{
	const struct cho_cfg *c = &s->cfg;
	s64 band = c->rise - c->fall, span = s->occupied - s->empty;
	s64 a;

	switch (sg->noise) {
	case N_NONE:
		return sg->level;
	case N_FLAT:	/* spread <= stuck_delta */
		return sg->level + (s64)rng_below(r, (u64)c->stuck_delta + 1);
	case N_HOVER:	/* less than the band: hysteresis territory */
		a = band / 2;
		return sg->level + rng_range(r, -a, a);
	case N_WILD:
		a = span + band;
		return clamp_s32ish(sg->level + rng_range(r, -a, a));
	default:
		if (rng_below(r, 8))
			return sg->level + (s64)rng_below(r, 3);
		a = span + band;
		return clamp_s32ish(sg->level + rng_range(r, -a, a));
	}
}

static u64 gen_interval(const struct stream *s, u64 *r)
{
	u64 p = s->period;

	if (s->jitter == 0)
		return p;
	if (rng_below(r, 64) == 0)	/* missed deadlines: a gap */
		return p * rng_range(r, 2, 10);
	if (rng_below(r, 128) == 0)	/* same clock reading */
		return 0;
	if (s->jitter == 1)		/* late wake-ups, no catch-up */
		return p + rng_below(r, p / 2 + 1);
	return p - p / 4 + rng_below(r, p / 4 + p / 2 + 1);
}

static void gen_stream(struct stream *s, u64 seed, u64 index)
{
	u64 r = seed ^ (index * 0xd1342543de82ef95ULL);
	u64 p, hold_n, off_n;
	u32 nseg, k;

	rng_next(&r);
	s->n = 0;
	s->nseg = 0;
	gen_cfg(s, &r);
	p = s->period;
	hold_n = (s->cfg.enter_ns > s->cfg.leave_ns ? s->cfg.enter_ns :
		  s->cfg.leave_ns) / p + 1;
	off_n = s->cfg.offline_ns / p + 1;
	s->t[0] = (u64)rng_below(&r, 1u << 31) * rng_range(&r, 1, 1 << 20);

	nseg = (u32)rng_range(&r, 3, 40);
	for (k = 0; k < nseg && k < SEGMAX && s->n < NMAX; k++) {
		struct seg *sg = &s->seg[s->nseg++];
		u64 len, e;

		sg->start = s->n;
		sg->kind = k && !rng_below(&r, 8) ? SEG_ERRORS : SEG_LEVEL;
		sg->target = (enum target)rng_below(&r, T_N);
		sg->noise = (enum noise)rng_below(&r, N_N);
		sg->level = gen_target(s, sg->target, &r);

		if (sg->kind == SEG_ERRORS)
			len = rng_range(&r, 1, 2 * off_n + 2);
		else if (rng_below(&r, 3))
			len = rng_range(&r, 1, 2 * hold_n + 3);
		else			/* right around a hold */
			len = hold_n - 1 + rng_below(&r, 3);
		if (!len)
			len = 1;
		if (!rng_below(&r, 16) && s->cfg.stuck_ns)	/* long flat */
			len += s->cfg.stuck_ns / p + 2;

		for (e = 0; e < len && s->n < NMAX; e++) {
			u32 i = s->n++;

			if (i)
				s->t[i] = s->t[i - 1] + gen_interval(s, &r);
			s->err[i] = i && sg->kind == SEG_ERRORS &&
				    rng_below(&r, 32);	/* a few good ones */
			s->v[i] = gen_value(s, sg, &r);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Property run */

struct prop_fail {
	const char *what;
	u32 at;
	u64 got, want;
};

struct prop {
	struct stream s;
	struct expect x;
	struct prop_fail f;
	/* totals */
	u64 streams, entries, errors, changes, glitches, crossings;
	u64 raise_stuck, clear_stuck, raise_offline, clear_offline;
	u64 zero_hold, coincide, pending_end, narrow_band, error_cancels;
};

#define PCHECK(p, cond, what_, at_, got_, want_)			\
	do {								\
		if (!(cond)) {						\
			(p)->f = (struct prop_fail){ (what_), (at_),	\
				(u64)(got_), (u64)(want_) };		\
			return false;					\
		}							\
	} while (0)

static bool prop_one(struct prop *p, u64 seed, u64 index)
{
	struct stream *s = &p->s;
	struct expect *x = &p->x;
	struct cho o;
	u32 i;

	gen_stream(s, seed, index);
	model(s, x);
	PCHECK(p, cho_check_cfg(&s->cfg) == 0, "cho_check_cfg", 0, 1, 0);
	cho_init(&o, &s->cfg, s->v[0], s->t[0]);
	PCHECK(p, o.level == x->level[0], "initial level", 0, o.level,
	       x->level[0]);
	for (i = 1; i < s->n; i++) {
		u32 act = s->err[i] ? cho_error(&o, s->t[i]) :
				      cho_sample(&o, s->t[i], s->v[i]);

		PCHECK(p, act == x->act[i], "reported", i, act, x->act[i]);
		PCHECK(p, o.level == x->level[i], "level", i, o.level,
		       x->level[i]);
		PCHECK(p, o.faults == x->faults[i], "faults", i, o.faults,
		       x->faults[i]);
		if (act & CHO_REPORT_STATE) {
			PCHECK(p, o.first_cross_ns == x->first[i],
			       "first-crossing stamp", i, o.first_cross_ns,
			       x->first[i]);
			PCHECK(p, o.settle_ns == x->settle[i], "settle stamp",
			       i, o.settle_ns, x->settle[i]);
		}
	}
	i = s->n;
	PCHECK(p, o.samples == x->samples, "samples", i, o.samples,
	       x->samples);
	PCHECK(p, o.errors == x->errors, "errors", i, o.errors, x->errors);
	PCHECK(p, o.crossings == x->crossings, "crossings", i, o.crossings,
	       x->crossings);
	PCHECK(p, o.glitches == x->glitches, "glitches", i, o.glitches,
	       x->glitches);
	PCHECK(p, o.pending == x->pending, "pending at the end", i, o.pending,
	       x->pending);
	PCHECK(p, o.first_cross_ns == x->last_first,
	       "first-crossing stamp at the end", i, o.first_cross_ns,
	       x->last_first);
	PCHECK(p, o.settle_ns == x->last_settle, "settle stamp at the end", i,
	       o.settle_ns, x->last_settle);

	p->streams++;
	p->entries += s->n;
	p->errors += x->errors;
	p->changes += x->changes;
	p->glitches += x->glitches;
	p->crossings += x->crossings;
	p->raise_stuck += x->raise_stuck;
	p->clear_stuck += x->clear_stuck;
	p->raise_offline += x->raise_offline;
	p->clear_offline += x->clear_offline;
	p->zero_hold += x->zero_hold_changes;
	p->coincide += x->coincide;
	p->error_cancels += x->error_cancels;
	p->pending_end += x->pending;
	p->narrow_band += s->cfg.rise - s->cfg.fall == 1;
	return true;
}

/* The failed stream around the failure, relative to t0, as TAP comments. */
static void dump_stream(const struct prop *p)
{
	const struct stream *s = &p->s;
	const struct expect *x = &p->x;
	const struct cho_cfg *c = &s->cfg;
	u32 i, k, from, to;

	printf("# rise=%lld fall=%lld enter=%llu leave=%llu stuck=%llu delta=%lld offline=%llu\n",
	       (long long)c->rise, (long long)c->fall,
	       (unsigned long long)c->enter_ns,
	       (unsigned long long)c->leave_ns,
	       (unsigned long long)c->stuck_ns, (long long)c->stuck_delta,
	       (unsigned long long)c->offline_ns);
	printf("# empty=%lld occupied=%lld period=%llu jitter=%d t0=%llu entries=%u\n",
	       (long long)s->empty, (long long)s->occupied,
	       (unsigned long long)s->period, s->jitter,
	       (unsigned long long)s->t[0], s->n);
	for (k = 0; k < s->nseg; k++)
		printf("#   segment %u at %u: %s, %s, %s (%lld)\n", k,
		       s->seg[k].start,
		       s->seg[k].kind == SEG_ERRORS ? "failed reads" : "level",
		       target_name[s->seg[k].target],
		       noise_name[s->seg[k].noise],
		       (long long)s->seg[k].level);
	from = p->f.at > 60 ? p->f.at - 60 : 0;
	to = p->f.at + 5 < s->n ? p->f.at + 5 : s->n;
	printf("# entries %u..%u (i: t-t0 value -> expected act level faults [first settle]):\n",
	       from, to - 1);
	for (i = from; i < to; i++) {
		if (s->err[i])
			printf("#   %u: %llu error", i,
			       (unsigned long long)(s->t[i] - s->t[0]));
		else
			printf("#   %u: %llu %lld", i,
			       (unsigned long long)(s->t[i] - s->t[0]),
			       (long long)s->v[i]);
		printf(" -> %#x %d %#x", x->act[i], x->level[i], x->faults[i]);
		if (x->act[i] & CHO_REPORT_STATE)
			printf(" [%llu %llu]",
			       (unsigned long long)(x->first[i] - s->t[0]),
			       (unsigned long long)(x->settle[i] - s->t[0]));
		printf("%s\n", i == p->f.at ? "   <== here" : "");
	}
}

static void test_property(void **state)
{
	u64 seed, streams, only, i;
	int seed_set, only_set;
	struct prop *p;
	char msg[160];
	bool covered;
	double t;

	(void)state;
	seed = env_u64("CHO_SEED", 0, &seed_set);
	if (!seed_set) {
		u64 s = (u64)time(NULL) ^ ((u64)getpid() << 32);

		s ^= (u64)(now_s() * 1e9);
		seed = rng_next(&s);
	}
	streams = env_u64("CHO_STREAMS", 10000, NULL);
	only = env_u64("CHO_STREAM", 0, &only_set);
	printf("# property: CHO_SEED=%#llx streams=%llu%s\n",
	       (unsigned long long)seed,
	       (unsigned long long)(only_set ? 1 : streams),
	       seed_set ? "" : " (set CHO_SEED to reproduce)");

	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	t = now_s();
	for (i = only_set ? only : 0; i < (only_set ? only + 1 : streams); i++) {
		if (prop_one(p, seed, i))
			continue;
		printf("# stream %llu failed: %s at entry %u (got %llu = %#llx, want %llu = %#llx)\n",
		       (unsigned long long)i, p->f.what, p->f.at,
		       (unsigned long long)p->f.got,
		       (unsigned long long)p->f.got,
		       (unsigned long long)p->f.want,
		       (unsigned long long)p->f.want);
		dump_stream(p);
		snprintf(msg, sizeof(msg),
			 "stream %llu: %s; reproduce: CHO_SEED=%#llx CHO_STREAM=%llu",
			 (unsigned long long)i, p->f.what,
			 (unsigned long long)seed, (unsigned long long)i);
		free(p);
		fail_msg("%s", msg);
	}
	t = now_s() - t;
	printf("# property: %llu streams, %llu entries (%llu failed reads), %.2f s\n",
	       (unsigned long long)p->streams,
	       (unsigned long long)p->entries,
	       (unsigned long long)p->errors, t);
	printf("# property: %llu changes (%llu with hold 0), %llu crossings, %llu glitches, %llu cancelled by a failed read, %llu pending at the end\n",
	       (unsigned long long)p->changes,
	       (unsigned long long)p->zero_hold,
	       (unsigned long long)p->crossings,
	       (unsigned long long)p->glitches,
	       (unsigned long long)p->error_cancels,
	       (unsigned long long)p->pending_end);
	printf("# property: stuck %llu raised / %llu cleared, offline %llu raised / %llu cleared, %llu state+fault coincidences, %llu narrowest bands\n",
	       (unsigned long long)p->raise_stuck,
	       (unsigned long long)p->clear_stuck,
	       (unsigned long long)p->raise_offline,
	       (unsigned long long)p->clear_offline,
	       (unsigned long long)p->coincide,
	       (unsigned long long)p->narrow_band);
	/* The generator must keep reaching every kind of outcome. */
	covered = p->changes && p->zero_hold && p->glitches &&
		  p->raise_stuck && p->clear_stuck && p->raise_offline &&
		  p->clear_offline && p->coincide && p->pending_end &&
		  p->narrow_band && p->error_cancels;
	free(p);
	if (!only_set && streams >= 1000)
		assert_true(covered);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case_check_cfg),
		cmocka_unit_test(case_init_in_band),
		cmocka_unit_test(case_enter_after_hold),
		cmocka_unit_test(case_sitting_on_edge),
		cmocka_unit_test(case_short_dip_glitch),
		cmocka_unit_test(case_turnover_artefacts),
		cmocka_unit_test(case_hysteresis_noise),
		cmocka_unit_test(case_stamps),
		cmocka_unit_test(case_stuck),
		cmocka_unit_test(case_stuck_disabled),
		cmocka_unit_test(case_offline),
		cmocka_unit_test(test_property),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("carehub_occupancy", tests, NULL,
					   NULL);
}
