/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reference model, signal generator and discrete-event simulator for the
 * carehub debounce state machine (kmod/carehub_debounce.c).
 *
 * Shared by the host unit test (tests/unit/test_debounce.c) and the KUnit
 * suite (kmod/carehub_debounce_kunit.c), so it uses only u64/u32/int/bool
 * arithmetic: no libc, no allocation (the includer owns the memory), no
 * 64-bit division (it must build for 32-bit kernels).
 *
 * One property run ("train") is:
 *
 * 1. chd_gen_train(): a random physical line signal, i.e. the level at
 *    t0 and a strictly increasing list of toggle times, made of bursts
 *    (sub-debounce bounces of 0.05-5 ms, single pulses, chatter longer
 *    than holdoff_max) separated by quiet periods (long, near the debounce
 *    boundary to the nanosecond, or inside the timer-latency window), with
 *    a random debounce of 1-100 ms and holdoff_max > debounce.
 *
 * 2. chd_sim_run(): drives the state machine as carehub.ko does. Every
 *    toggle is an interrupt: chd_edge() and re-arm the one timer with the
 *    deadline it returns. A timer expiry queues the expiry work, which runs
 *    after a random latency of 0-CHD_LAT_MAX (on some trains only) and
 *    calls chd_expire() with the line level at that instant; if *next is
 *    not 0 it re-arms the timer. Edges arriving meanwhile are accounted and
 *    re-arm the timer as usual; a timer expiring while the work is still
 *    queued is absorbed by it (queue_work() on a pending work is a no-op).
 *    Ties at one nanosecond run timer, then work, then edge, so an expiry
 *    at exactly last_edge + debounce sees a line that was quiet for the
 *    whole debounce period. A deadline already in the past fires 1 ns
 *    after the edge that armed it.
 *
 * 3. chd_model_build(): the reference model, from the signal alone. A
 *    burst is a maximal run of toggles whose gaps are < debounce (a gap of
 *    exactly debounce ends the burst); it settles at last + debounce to the
 *    level after its last toggle; that is a reported transition when it
 *    differs from the previous reported level, else a glitch; it raises the
 *    chatter fault at first + holdoff_max when last + debounce is later
 *    than that (a tie settles first), and clears it when it settles.
 *
 *    With expiry latency the state machine can only decide when an expiry
 *    runs, so the model is also built against the times at which expiries
 *    ran (the environment's schedule, recorded by the simulator): a burst
 *    then ends at a toggle gap containing an expiry at or after
 *    prev + debounce (quiet for the debounce period when it ran), settles
 *    at the first such expiry, and raises chatter at the first expiry in
 *    [first + holdoff_max, last + debounce). The tolerance between the
 *    two models is asserted: bursts only merge across gaps shorter than
 *    debounce + CHD_LAT_MAX, settling and raising are at most CHD_LAT_MAX
 *    late, and without latency the two models are identical.
 *
 * 4. chd_prop_one(): compares what the state machine reported (every
 *    non-zero chd_expire() result, its stamps, its counters) with the
 *    model, exactly.
 */
#ifndef _CHD_MODEL_H
#define _CHD_MODEL_H

#include "../../kmod/carehub_debounce.h"

#ifndef __KERNEL__
#include <stddef.h>
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define CHD_US(x)	((u64)(x) * 1000ULL)
#define CHD_MS(x)	((u64)(x) * 1000000ULL)

/* Worst expiry latency the simulator injects (inclusive). */
#define CHD_LAT_MAX	CHD_MS(3)

#ifndef CHD_MAX_TOGGLES
#define CHD_MAX_TOGGLES	1024
#endif
/* Expiries per train: a few per edge at most (asserted, not assumed). */
#define CHD_MAX_CHECKS	(4 * CHD_MAX_TOGGLES + 16)
#define CHD_MAX_EVENTS	(2 * CHD_MAX_TOGGLES + 8)

/* Why a train failed; the includer turns it into a message. */
struct chd_fail {
	const char *what;
	u64 t;		/* time concerned, ns */
	u64 got;
	u64 want;
};

static inline bool chd_fail(struct chd_fail *f, const char *what, u64 t,
			    u64 got, u64 want)
{
	f->what = what;
	f->t = t;
	f->got = got;
	f->want = want;
	return false;
}

/* splitmix64: tiny, good enough, and the same on every architecture. */
static inline u64 chd_rng_next(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) for n <= 2^32, without division. */
static inline u64 chd_rng_below(u64 *s, u64 n)
{
	return ((chd_rng_next(s) >> 32) * n) >> 32;
}

/* Uniform in [lo, hi], hi - lo < 2^32. */
static inline u64 chd_rng_range(u64 *s, u64 lo, u64 hi)
{
	return lo + chd_rng_below(s, hi - lo + 1);
}

static inline bool chd_rng_pct(u64 *s, u32 pct)
{
	return chd_rng_below(s, 100) < pct;
}

/* A physical line signal and the parameters it is debounced with. */
struct chd_train {
	u64 debounce_ns;
	u64 holdoff_ns;
	u64 t0;			/* chd_init() time */
	int level0;		/* line level at t0 */
	u32 late_pct;		/* % of expiries delivered late */
	u32 n;			/* toggles */
	u64 t[CHD_MAX_TOGGLES];	/* toggle times, strictly increasing */
};

static inline bool chd_gen_push(struct chd_train *tr, u64 t)
{
	if (tr->n >= CHD_MAX_TOGGLES)
		return false;
	tr->t[tr->n++] = t;
	return true;
}

/* A gap within a few microseconds of the debounce period, or on it. */
static inline u64 chd_gen_gap_boundary(u64 *s, u64 deb)
{
	switch (chd_rng_below(s, 5)) {
	case 0:
		return deb - 1;
	case 1:
		return deb;
	case 2:
		return deb + 1;
	case 3:
		return deb - chd_rng_below(s, CHD_US(50));
	default:
		return deb + chd_rng_below(s, CHD_US(50));
	}
}

/* A gap between two toggles of one bounce train (mostly). */
static inline u64 chd_gen_gap_bounce(u64 *s, u64 deb)
{
	u32 r = chd_rng_below(s, 100);

	if (r < 70)
		return chd_rng_range(s, CHD_US(50), CHD_MS(5));
	if (r < 82)
		return chd_gen_gap_boundary(s, deb);
	if (r < 92)	/* quiet, but maybe not for the late expiry */
		return deb + chd_rng_range(s, 0, CHD_LAT_MAX);
	return chd_rng_range(s, CHD_US(50), CHD_US(100));
}

/* A gap after a burst. */
static inline u64 chd_gen_gap_quiet(u64 *s, const struct chd_train *tr)
{
	u64 deb = tr->debounce_ns;
	u32 r = chd_rng_below(s, 100);

	if (r < 45)
		return deb + chd_rng_range(s, 0, 10 * deb);
	if (r < 65)
		return chd_gen_gap_boundary(s, deb);
	if (r < 85)
		return deb + chd_rng_range(s, 0, CHD_LAT_MAX);
	return tr->holdoff_ns + chd_rng_range(s, 0, CHD_MS(1000));
}

/* Chatter: sub-debounce toggles until the burst passes holdoff. */
static inline u64 chd_gen_chatter(u64 *s, struct chd_train *tr, u64 t)
{
	u64 deb = tr->debounce_ns;
	u64 span = tr->holdoff_ns - deb;	/* chatter iff last-first > */
	u64 gmax = deb - (deb >> 3);
	u64 first = t;

	if (gmax > CHD_MS(5))
		gmax = CHD_MS(5);
	if (chd_rng_pct(s, 30)) {
		/* end within 1 ms of the chatter boundary */
		span += chd_rng_range(s, 0, CHD_MS(2));
		span = span > CHD_MS(1) ? span - CHD_MS(1) : 0;
	} else {
		span += chd_rng_range(s, 0, 2 * deb);
	}
	while (chd_gen_push(tr, t) && t - first < span)
		t += chd_rng_range(s, CHD_US(50), gmax);
	return t;
}

static inline void chd_gen_train(struct chd_train *tr, u64 *s)
{
	u64 deb = chd_rng_range(s, CHD_MS(1), CHD_MS(100));
	u32 bursts, b, i, k;
	u64 t;

	tr->debounce_ns = deb;
	if (chd_rng_pct(s, 20))
		tr->holdoff_ns = deb + chd_rng_range(s, 1, CHD_MS(1));
	else
		tr->holdoff_ns = deb + chd_rng_range(s, 1, 4 * deb);
	tr->t0 = CHD_MS(1000) + chd_rng_below(s, 1ULL << 32);
	tr->level0 = chd_rng_below(s, 2);
	tr->late_pct = chd_rng_pct(s, 50) ? 0 : chd_rng_range(s, 10, 100);
	tr->n = 0;

	t = tr->t0 + chd_gen_gap_quiet(s, tr);
	bursts = 1 + chd_rng_below(s, 6);
	for (b = 0; b < bursts && tr->n < CHD_MAX_TOGGLES; b++) {
		u32 kind = chd_rng_below(s, 100);

		if (kind < 12) {
			t = chd_gen_chatter(s, tr, t);
		} else {
			k = kind < 30 ? 1 + chd_rng_below(s, 2) :
					1 + chd_rng_below(s, 24);
			for (i = 0; i < k && chd_gen_push(tr, t); i++)
				if (i + 1 < k)
					t += chd_gen_gap_bounce(s, deb);
		}
		t += chd_gen_gap_quiet(s, tr);
	}
}

/* One chd_expire() call that returned non-zero, and the state after it. */
struct chd_ev {
	u64 now;
	u32 act;
	int level;
	u64 first_edge_ns;
	u64 settle_ns;
};

struct chd_sim {
	struct chd d;
	u64 rng;		/* latency draws */
	u32 nchecks;
	u32 nev;
	u32 coalesced;		/* timer expiries absorbed by queued work */
	u32 late;		/* expiries delivered late */
	u64 checks[CHD_MAX_CHECKS];	/* when chd_expire() ran, ascending */
	struct chd_ev ev[CHD_MAX_EVENTS];
};

static inline bool chd_sim_expire(struct chd_sim *sim, u64 now, int line,
				  u64 *timer, struct chd_fail *f)
{
	struct chd *d = &sim->d;
	struct chd_ev *ev;
	u64 next = 0xdeadbeefULL;
	u32 act;

	if (sim->nchecks >= CHD_MAX_CHECKS)
		return chd_fail(f, "too many expiries", now, sim->nchecks,
				CHD_MAX_CHECKS);
	sim->checks[sim->nchecks++] = now;
	act = chd_expire(d, now, line, &next);
	if (next && next <= now)
		return chd_fail(f, "chd_expire: *next not in the future", now,
				next, now + 1);
	if (next)
		*timer = next;
	if (!act)
		return true;
	if (sim->nev >= CHD_MAX_EVENTS)
		return chd_fail(f, "too many reports", now, sim->nev,
				CHD_MAX_EVENTS);
	ev = &sim->ev[sim->nev++];
	ev->now = now;
	ev->act = act;
	ev->level = d->level;
	ev->first_edge_ns = d->first_edge_ns;
	ev->settle_ns = d->settle_ns;
	return true;
}

/*
 * Run the whole train, then until the timer stays idle. Times are >= t0 >=
 * 1 s, so 0 means "not armed".
 */
static inline bool chd_sim_run(struct chd_sim *sim, const struct chd_train *tr,
			       struct chd_fail *f)
{
	u64 timer = 0, work = 0, limit = 8 * (u64)tr->n + 64;
	bool queued = false;
	int line = tr->level0;
	u32 i = 0;

	sim->nchecks = 0;
	sim->nev = 0;
	sim->coalesced = 0;
	sim->late = 0;
	chd_init(&sim->d, tr->debounce_ns, tr->holdoff_ns, line, tr->t0);

	while (limit--) {
		bool edge = i < tr->n;
		u64 te = edge ? tr->t[i] : 0;
		u64 lat = 0;

		if (timer && (!queued || timer <= work) &&
		    (!edge || timer <= te)) {
			/* timer expiry: queue the work */
			if (queued) {
				sim->coalesced++;
			} else {
				if (tr->late_pct &&
				    chd_rng_pct(&sim->rng, tr->late_pct))
					lat = chd_rng_range(&sim->rng, 0,
							    CHD_LAT_MAX);
				sim->late += lat != 0;
				queued = true;
				work = timer + lat;
			}
			timer = 0;
		} else if (queued && (!edge || work <= te)) {
			queued = false;
			if (!chd_sim_expire(sim, work, line, &timer, f))
				return false;
		} else if (edge) {
			u64 dl;

			line = !line;
			dl = chd_edge(&sim->d, te);
			timer = dl > te ? dl : te + 1;
			i++;
		} else {
			return true;
		}
	}
	return chd_fail(f, "simulation does not end", 0, 0, 0);
}

/* A burst of the reference model. */
struct chd_seg {
	u32 first;		/* index of its first toggle */
	u32 last;		/* index of its last toggle */
	u64 settle;		/* when it settles */
	u64 raise;		/* when it raises the chatter fault, 0: never */
	int level;		/* settled level */
	bool report;		/* differs from the previous reported level */
};

struct chd_model {
	u32 nseg;
	u32 reports;
	u32 glitches;
	u32 chatters;
	struct chd_seg seg[CHD_MAX_TOGGLES];
};

/* Index of the first a[i] >= x, or n. */
static inline u32 chd_lower_bound(const u64 *a, u32 n, u64 x)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + ((hi - lo) >> 1);

		if (a[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Build the model of @tr: the ideal one when @checks is NULL, else the one
 * against the recorded expiry times (see the top of this file).
 */
static inline bool chd_model_build(struct chd_model *m,
				   const struct chd_train *tr,
				   const u64 *checks, u32 nchecks,
				   struct chd_fail *f)
{
	u64 deb = tr->debounce_ns, hold = tr->holdoff_ns;
	int reported = !!tr->level0;
	u32 j, c, first = 0;

	m->nseg = 0;
	m->reports = 0;
	m->glitches = 0;
	m->chatters = 0;
	for (j = 1; j <= tr->n; j++) {
		struct chd_seg *sg;
		u64 fe, le;

		if (j < tr->n) {
			bool split;

			if (!checks) {
				split = tr->t[j] - tr->t[j - 1] >= deb;
			} else {
				c = chd_lower_bound(checks, nchecks,
						    tr->t[j - 1] + deb);
				split = c < nchecks && checks[c] <= tr->t[j];
			}
			if (!split)
				continue;
		}
		fe = tr->t[first];
		le = tr->t[j - 1];
		sg = &m->seg[m->nseg++];
		sg->first = first;
		sg->last = j - 1;
		if (!checks) {
			sg->settle = le + deb;
			sg->raise = le + deb > fe + hold ? fe + hold : 0;
		} else {
			c = chd_lower_bound(checks, nchecks, le + deb);
			if (c == nchecks)
				return chd_fail(f, "burst never settled", le,
						0, le + deb);
			sg->settle = checks[c];
			c = chd_lower_bound(checks, nchecks, fe + hold);
			sg->raise = c < nchecks && checks[c] < le + deb ?
				    checks[c] : 0;
		}
		/* j toggles so far */
		sg->level = tr->level0 ^ (j & 1);
		sg->report = sg->level != reported;
		reported = sg->level;
		m->reports += sg->report;
		m->chatters += sg->raise != 0;
		m->glitches += !sg->report && !sg->raise;
		first = j;
	}
	return true;
}

/* One property run and the running totals of all of them. */
struct chd_prop {
	struct chd_train tr;
	struct chd_sim sim;
	struct chd_model ideal;
	struct chd_model eff;
	u64 trains;
	u64 late_trains;
	u64 edges;
	u64 bursts;
	u64 reports;
	u64 glitches;
	u64 chatters;
	u64 merged;		/* ideal bursts merged by expiry latency */
	u64 expiries;
	u64 coalesced;
};

/* Ideal vs latency-aware model: equal without latency, else tolerance. */
static inline bool chd_prop_tolerance(struct chd_prop *p, struct chd_fail *f)
{
	const struct chd_train *tr = &p->tr;
	u64 deb = tr->debounce_ns, hold = tr->holdoff_ns;
	u32 k, i = 0;

	for (k = 0; k < p->eff.nseg; k++) {
		const struct chd_seg *e = &p->eff.seg[k];
		u64 fe = tr->t[e->first], le = tr->t[e->last];

		/* It starts where an ideal burst starts... */
		if (i >= p->ideal.nseg || p->ideal.seg[i].first != e->first)
			return chd_fail(f, "burst split inside an ideal burst",
					fe, e->first,
					i < p->ideal.nseg ?
					p->ideal.seg[i].first : 0);
		/* ...and swallows whole ideal bursts across short gaps. */
		while (p->ideal.seg[i].last != e->last) {
			u32 l = p->ideal.seg[i].last;

			if (!tr->late_pct)
				return chd_fail(f, "bursts merged without latency",
						tr->t[l + 1], e->last, l);
			if (tr->t[l + 1] - tr->t[l] >= deb + CHD_LAT_MAX)
				return chd_fail(f, "bursts merged across a long gap",
						tr->t[l + 1],
						tr->t[l + 1] - tr->t[l],
						deb + CHD_LAT_MAX);
			p->merged++;
			i++;
		}
		if (!tr->late_pct &&
		    (e->settle != p->ideal.seg[i].settle ||
		     e->raise != p->ideal.seg[i].raise))
			return chd_fail(f, "expiry not at the ideal time", fe,
					e->settle, p->ideal.seg[i].settle);
		i++;
		if (e->settle < le + deb || e->settle > le + deb + CHD_LAT_MAX)
			return chd_fail(f, "settled too late", le, e->settle,
					le + deb);
		if (e->raise && e->raise > fe + hold + CHD_LAT_MAX)
			return chd_fail(f, "chatter raised too late", fe,
					e->raise, fe + hold);
		if (!e->raise && le + deb > fe + hold + CHD_LAT_MAX)
			return chd_fail(f, "chatter not raised", fe, le, fe);
	}
	if (i != p->ideal.nseg)
		return chd_fail(f, "ideal bursts left over", 0, i,
				p->ideal.nseg);
	return true;
}

/* What the state machine reported vs the model, exactly. */
static inline bool chd_prop_compare(struct chd_prop *p, struct chd_fail *f)
{
	const struct chd_train *tr = &p->tr;
	const struct chd_sim *sim = &p->sim;
	const struct chd *d = &sim->d;
	u32 k, e = 0;

	for (k = 0; k < p->eff.nseg; k++) {
		const struct chd_seg *sg = &p->eff.seg[k];
		const struct chd_ev *ev;
		u32 want;

		if (sg->raise) {
			if (e >= sim->nev)
				return chd_fail(f, "chatter fault missing",
						sg->raise, 0, CHD_REPORT_FAULT);
			ev = &sim->ev[e++];
			if (ev->now != sg->raise)
				return chd_fail(f, "report at the wrong time",
						ev->now, ev->now, sg->raise);
			if (ev->act != CHD_REPORT_FAULT)
				return chd_fail(f, "chatter raise: wrong report",
						ev->now, ev->act,
						CHD_REPORT_FAULT);
		}
		want = sg->raise ? CHD_REPORT_FAULT : 0;
		if (sg->report)
			want |= CHD_REPORT_STATE;
		else if (!sg->raise)
			want |= CHD_GLITCH;
		if (e >= sim->nev)
			return chd_fail(f, "settle report missing", sg->settle,
					0, want);
		ev = &sim->ev[e++];
		if (ev->now != sg->settle)
			return chd_fail(f, "report at the wrong time", ev->now,
					ev->now, sg->settle);
		if (ev->act != want)
			return chd_fail(f, "settle: wrong report", ev->now,
					ev->act, want);
		if (ev->level != sg->level)
			return chd_fail(f, "settled to the wrong level",
					ev->now, ev->level, sg->level);
		if (!sg->report)
			continue;
		if (ev->first_edge_ns != tr->t[sg->first])
			return chd_fail(f, "first_edge_ns", ev->now,
					ev->first_edge_ns, tr->t[sg->first]);
		if (ev->settle_ns != sg->settle)
			return chd_fail(f, "settle_ns", ev->now, ev->settle_ns,
					sg->settle);
		if (ev->settle_ns < tr->t[sg->last] + tr->debounce_ns)
			return chd_fail(f, "settle_ns before last + debounce",
					ev->now, ev->settle_ns,
					tr->t[sg->last] + tr->debounce_ns);
	}
	if (e != sim->nev)
		return chd_fail(f, "unexpected report", sim->ev[e].now,
				sim->ev[e].act, 0);
	if (d->edges != tr->n)
		return chd_fail(f, "edges counter", 0, d->edges, tr->n);
	if (d->glitches != p->eff.glitches)
		return chd_fail(f, "glitches counter", 0, d->glitches,
				p->eff.glitches);
	if (d->chatter_faults != p->eff.chatters)
		return chd_fail(f, "chatter_faults counter", 0,
				d->chatter_faults, p->eff.chatters);
	if (d->in_burst || d->chatter)
		return chd_fail(f, "not settled at the end", 0,
				d->in_burst + 2 * d->chatter, 0);
	if (d->level != (tr->level0 ^ (int)(tr->n & 1)))
		return chd_fail(f, "final level", 0, d->level,
				tr->level0 ^ (tr->n & 1));
	return true;
}

/* Property run number @idx of the run seeded with @seed. */
static inline bool chd_prop_one(struct chd_prop *p, u64 seed, u64 idx,
				struct chd_fail *f)
{
	u64 s = seed ^ (idx * 0xd1342543de82ef95ULL);

	chd_rng_next(&s);
	chd_gen_train(&p->tr, &s);
	p->sim.rng = chd_rng_next(&s);
	if (!chd_sim_run(&p->sim, &p->tr, f) ||
	    !chd_model_build(&p->ideal, &p->tr, NULL, 0, f) ||
	    !chd_model_build(&p->eff, &p->tr, p->sim.checks, p->sim.nchecks,
			     f) ||
	    !chd_prop_tolerance(p, f) ||
	    !chd_prop_compare(p, f))
		return false;

	p->trains++;
	p->late_trains += p->tr.late_pct != 0;
	p->edges += p->tr.n;
	p->bursts += p->eff.nseg;
	p->reports += p->eff.reports;
	p->glitches += p->eff.glitches;
	p->chatters += p->eff.chatters;
	p->expiries += p->sim.nchecks;
	p->coalesced += p->sim.coalesced;
	return true;
}

#endif /* _CHD_MODEL_H */
