/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Directed cases for the carehub debounce state machine, shared by the host
 * unit test (cmocka) and the KUnit suite. The includer defines:
 *
 *   CHD_TC                      the test function's parameter type
 *   CHD_EQ(tc, got, want)       assert equality of two integers, stop if not
 *
 * and lists every chd_case_*() in its own table (a case left out is an
 * unused static function: a build error on the host, a warning in Kbuild).
 */
#ifndef _CHD_CASES_H
#define _CHD_CASES_H

#include "chd_model.h"

#if !defined(CHD_TC) || !defined(CHD_EQ)
#error "define CHD_TC and CHD_EQ first"
#endif

#define CHD_T0		CHD_MS(1000)
#define CHD_AT(us)	(CHD_T0 + CHD_US(us))
#define CHD_DEB		CHD_MS(10)
#define CHD_HOLD	CHD_MS(50)

/* Non-zero chd_expire() results of a chd_drive() run. */
struct chd_log {
	u32 n;			/* may exceed ARRAY_SIZE(ev): only counted */
	u32 expiries;		/* chd_expire() calls */
	struct chd_ev ev[8];
};

/*
 * Drive @d as the driver does, without latency: toggle @line @count times,
 * every @period from @start, then run the timer until it stays idle.
 * False if the state machine asked for a deadline not in the future or
 * never settled.
 */
static inline bool chd_drive(struct chd *d, int *line, u64 start, u64 period,
			     u32 count, struct chd_log *log)
{
	u64 timer = 0, t = start, next;
	u32 i = 0, act, steps = 4 * count + 16;

	log->n = 0;
	log->expiries = 0;
	while (steps--) {
		if (timer && (i == count || timer <= t)) {
			act = chd_expire(d, timer, *line, &next);
			log->expiries++;
			if (act && log->n < ARRAY_SIZE(log->ev)) {
				log->ev[log->n].now = timer;
				log->ev[log->n].act = act;
				log->ev[log->n].level = d->level;
				log->ev[log->n].first_edge_ns = d->first_edge_ns;
				log->ev[log->n].settle_ns = d->settle_ns;
			}
			log->n += act != 0;
			if (next && next <= timer)
				return false;
			timer = next;
		} else if (i < count) {
			*line = !*line;
			timer = chd_edge(d, t);
			t += period;
			i++;
		} else {
			return true;
		}
	}
	return false;
}

static void chd_case_init(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 2, CHD_T0);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.debounce_ns, CHD_DEB);
	CHD_EQ(tc, d.holdoff_max_ns, CHD_HOLD);
	CHD_EQ(tc, d.in_burst, false);
	CHD_EQ(tc, d.chatter, false);
	CHD_EQ(tc, d.first_edge_ns, CHD_T0);
	CHD_EQ(tc, d.last_edge_ns, CHD_T0);
	CHD_EQ(tc, d.settle_ns, CHD_T0);
	CHD_EQ(tc, d.edges, 0);
	CHD_EQ(tc, d.glitches, 0);
	CHD_EQ(tc, d.chatter_faults, 0);

	/* A stray expiry with nothing pending does nothing. */
	CHD_EQ(tc, chd_expire(&d, CHD_AT(5000), 0, &next), 0);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.glitches, 0);

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	CHD_EQ(tc, d.level, 0);
}

static void chd_case_clean_edge(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	CHD_EQ(tc, chd_edge(&d, CHD_AT(1000)), CHD_AT(11000));
	CHD_EQ(tc, d.in_burst, true);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.last_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.edges, 1);

	CHD_EQ(tc, chd_expire(&d, CHD_AT(11000), 1, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.in_burst, false);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(11000));
	CHD_EQ(tc, d.glitches, 0);

	/* and back */
	CHD_EQ(tc, chd_edge(&d, CHD_AT(50000)), CHD_AT(60000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(60000), 0, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.level, 0);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(50000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(60000));
	CHD_EQ(tc, d.edges, 2);
	CHD_EQ(tc, d.glitches, 0);
	CHD_EQ(tc, d.chatter_faults, 0);
}

/* Quiet for exactly the debounce period is settled; 1 ns less is not. */
static void chd_case_settle_boundary(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	chd_edge(&d, CHD_AT(1000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(11000) - 1, 1, &next), 0);
	CHD_EQ(tc, next, CHD_AT(11000));
	CHD_EQ(tc, d.in_burst, true);
	CHD_EQ(tc, d.level, 0);
	CHD_EQ(tc, chd_expire(&d, CHD_AT(11000), 1, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.settle_ns, CHD_AT(11000));

	/* An expiry delivered late settles all the same, stamped late. */
	chd_edge(&d, CHD_AT(20000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(32500), 0, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(20000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(32500));
}

static void chd_case_bounce_train(CHD_TC tc)
{
	static const u64 us[] = { 1000, 1300, 2100, 3000, 3200, 5500, 5600 };
	struct chd d;
	u64 next = 1;
	u32 i, reports = 0;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	for (i = 0; i < ARRAY_SIZE(us); i++)
		CHD_EQ(tc, chd_edge(&d, CHD_AT(us[i])),
		       CHD_AT(us[i]) + CHD_DEB);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.last_edge_ns, CHD_AT(5600));

	/* The first deadline, superseded but already firing: not yet. */
	CHD_EQ(tc, chd_expire(&d, CHD_AT(11000), 1, &next), 0);
	CHD_EQ(tc, next, CHD_AT(15600));
	CHD_EQ(tc, d.level, 0);

	reports += chd_expire(&d, CHD_AT(15600), 1, &next) ==
		   CHD_REPORT_STATE;
	CHD_EQ(tc, next, 0);
	reports += chd_expire(&d, CHD_AT(30000), 1, &next) != 0;
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, reports, 1);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(15600));
	CHD_EQ(tc, d.edges, ARRAY_SIZE(us));
	CHD_EQ(tc, d.glitches, 0);
	CHD_EQ(tc, d.chatter_faults, 0);
}

static void chd_case_glitch(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	chd_edge(&d, CHD_AT(5000));
	CHD_EQ(tc, chd_edge(&d, CHD_AT(5200)), CHD_AT(15200));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(15200), 0, &next), CHD_GLITCH);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.level, 0);
	CHD_EQ(tc, d.in_burst, false);
	CHD_EQ(tc, d.glitches, 1);
	CHD_EQ(tc, d.settle_ns, CHD_T0);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(5000));

	/* The level is taken as read, never inferred from the edge count. */
	chd_edge(&d, CHD_AT(30000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(40000), 0, &next), CHD_GLITCH);
	CHD_EQ(tc, d.glitches, 2);
	CHD_EQ(tc, d.edges, 3);
	CHD_EQ(tc, d.level, 0);
	CHD_EQ(tc, d.settle_ns, CHD_T0);
}

/*
 * Toggles every 3 ms for 300 ms, debounce 10 ms, holdoff 50 ms: the fault
 * is raised once at first + 50 ms and cleared at last + 10 ms, together
 * with the state change (101 toggles: the level changed).
 */
static void chd_case_chatter(CHD_TC tc)
{
	struct chd_log log;
	struct chd d;
	int line = 0;

	chd_init(&d, CHD_DEB, CHD_HOLD, line, CHD_T0);
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(1000), CHD_US(3000), 101,
			     &log), true);
	CHD_EQ(tc, log.n, 2);
	CHD_EQ(tc, log.ev[0].now, CHD_AT(51000));
	CHD_EQ(tc, log.ev[0].act, CHD_REPORT_FAULT);
	CHD_EQ(tc, log.ev[1].now, CHD_AT(311000));
	CHD_EQ(tc, log.ev[1].act, CHD_REPORT_FAULT | CHD_REPORT_STATE);
	CHD_EQ(tc, log.ev[1].level, 1);
	CHD_EQ(tc, log.ev[1].first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, log.ev[1].settle_ns, CHD_AT(311000));
	CHD_EQ(tc, d.chatter, false);
	CHD_EQ(tc, d.in_burst, false);
	CHD_EQ(tc, d.chatter_faults, 1);
	CHD_EQ(tc, d.glitches, 0);
	CHD_EQ(tc, d.edges, 101);
}

/* Chatter that ends on the old level: fault set and cleared, no glitch. */
static void chd_case_chatter_same_level(CHD_TC tc)
{
	struct chd_log log;
	struct chd d;
	int line = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, line, CHD_T0);
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(1000), CHD_US(3000), 100,
			     &log), true);
	CHD_EQ(tc, log.n, 2);
	CHD_EQ(tc, log.ev[0].now, CHD_AT(51000));
	CHD_EQ(tc, log.ev[0].act, CHD_REPORT_FAULT);
	CHD_EQ(tc, log.ev[1].now, CHD_AT(308000));
	CHD_EQ(tc, log.ev[1].act, CHD_REPORT_FAULT);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.settle_ns, CHD_T0);
	CHD_EQ(tc, d.chatter, false);
	CHD_EQ(tc, d.chatter_faults, 1);
	CHD_EQ(tc, d.glitches, 0);

	/* a second chatter burst is a second fault */
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(400000), CHD_US(3000), 30,
			     &log), true);
	CHD_EQ(tc, log.n, 2);
	CHD_EQ(tc, log.ev[0].now, CHD_AT(450000));
	CHD_EQ(tc, log.ev[0].act, CHD_REPORT_FAULT);
	CHD_EQ(tc, log.ev[1].act, CHD_REPORT_FAULT);
	CHD_EQ(tc, d.chatter_faults, 2);
	CHD_EQ(tc, d.glitches, 0);
}

/* The deadline is min(settle, holdoff) until chatter, then settle only. */
static void chd_case_holdoff_boundary(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;
	u32 i;

	/* last + debounce == first + holdoff: settles, no fault */
	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	for (i = 0; i < 6; i++)
		CHD_EQ(tc, chd_edge(&d, CHD_AT(1000 + 8000 * i)),
		       CHD_AT(11000 + 8000 * i));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(51000), 0, &next), CHD_GLITCH);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.chatter_faults, 0);

	/* 1 ns later: the holdoff comes first and raises the fault */
	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	for (i = 0; i < 5; i++)
		chd_edge(&d, CHD_AT(1000 + 8000 * i));
	CHD_EQ(tc, chd_edge(&d, CHD_AT(41000) + 1), CHD_AT(51000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(51000), 0, &next),
	       CHD_REPORT_FAULT);
	CHD_EQ(tc, next, CHD_AT(51000) + 1);
	CHD_EQ(tc, d.chatter, true);
	CHD_EQ(tc, d.chatter_faults, 1);
	/* once raised, only the end of the burst matters */
	CHD_EQ(tc, chd_edge(&d, CHD_AT(55000)), CHD_AT(65000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(65000), 1, &next),
	       CHD_REPORT_FAULT | CHD_REPORT_STATE);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.chatter, false);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.chatter_faults, 1);
	CHD_EQ(tc, d.glitches, 0);
}

/*
 * Chatter is judged when the expiry runs: a holdoff expiry delivered after
 * the line went quiet settles the burst without a fault. (The property
 * test bounds this: a burst still going CHD_LAT_MAX after the holdoff
 * always raises it.)
 */
static void chd_case_late_holdoff(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;
	u32 i;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	for (i = 0; i < 6; i++)
		chd_edge(&d, CHD_AT(1000 + 8000 * i));
	CHD_EQ(tc, chd_edge(&d, CHD_AT(45000)), CHD_AT(51000));
	/* the deadline is 51 ms, the expiry runs at 55 ms: quiet by then */
	CHD_EQ(tc, chd_expire(&d, CHD_AT(55000), 1, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, d.chatter_faults, 0);
	CHD_EQ(tc, d.chatter, false);

	/* 1 ns earlier it is still bouncing past the holdoff: fault */
	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	for (i = 0; i < 6; i++)
		chd_edge(&d, CHD_AT(1000 + 8000 * i));
	chd_edge(&d, CHD_AT(45000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(55000) - 1, 1, &next),
	       CHD_REPORT_FAULT);
	CHD_EQ(tc, next, CHD_AT(55000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(55000), 1, &next),
	       CHD_REPORT_FAULT | CHD_REPORT_STATE);
	CHD_EQ(tc, d.chatter_faults, 1);
}

static void chd_case_equal_timestamps(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	CHD_EQ(tc, chd_edge(&d, CHD_AT(1000)), CHD_AT(11000));
	CHD_EQ(tc, chd_edge(&d, CHD_AT(1000)), CHD_AT(11000));
	CHD_EQ(tc, d.edges, 2);
	CHD_EQ(tc, chd_expire(&d, CHD_AT(11000), 0, &next), CHD_GLITCH);
	CHD_EQ(tc, d.glitches, 1);

	CHD_EQ(tc, chd_edge(&d, CHD_AT(20000)), CHD_AT(30000));
	CHD_EQ(tc, chd_edge(&d, CHD_AT(20000)), CHD_AT(30000));
	CHD_EQ(tc, chd_edge(&d, CHD_AT(20000)), CHD_AT(30000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(30000), 1, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(20000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(30000));
	CHD_EQ(tc, d.edges, 5);

	/* an edge at the very instant of the settle expiry, after it */
	chd_edge(&d, CHD_AT(40000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(50000), 0, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, chd_edge(&d, CHD_AT(50000)), CHD_AT(60000));
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(50000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(60000), 1, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(50000));
}

/* A late-stamped edge never moves the settle deadline backwards. */
static void chd_case_out_of_order_last_edge(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	CHD_EQ(tc, chd_edge(&d, CHD_AT(3000)), CHD_AT(13000));
	CHD_EQ(tc, chd_edge(&d, CHD_AT(2000)), CHD_AT(13000));
	CHD_EQ(tc, d.last_edge_ns, CHD_AT(3000));
	CHD_EQ(tc, d.edges, 2);
	CHD_EQ(tc, chd_expire(&d, CHD_AT(12000), 1, &next), 0);
	CHD_EQ(tc, next, CHD_AT(13000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(13000), 0, &next), CHD_GLITCH);
	CHD_EQ(tc, d.glitches, 1);
}

/*
 * The first edge of a burst is the earliest one, whatever order the
 * interrupts were accounted in: first_edge_ns (reported with the state and
 * the base of the holdoff) must not be later than an edge of the burst.
 */
static void chd_case_out_of_order_first_edge(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	chd_edge(&d, CHD_AT(3000));
	chd_edge(&d, CHD_AT(2000));
	chd_edge(&d, CHD_AT(4000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(14000), 1, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, d.settle_ns, CHD_AT(14000));
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(2000));
}

static void chd_case_resync_idle(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	CHD_EQ(tc, chd_resync(&d, CHD_AT(5000), 0), 0);
	CHD_EQ(tc, d.settle_ns, CHD_T0);
	CHD_EQ(tc, chd_resync(&d, CHD_AT(6000), 1), CHD_REPORT_STATE);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(6000));
	CHD_EQ(tc, d.last_edge_ns, CHD_AT(6000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(6000));
	CHD_EQ(tc, d.in_burst, false);
	CHD_EQ(tc, d.edges, 0);
	CHD_EQ(tc, d.glitches, 0);
	CHD_EQ(tc, chd_resync(&d, CHD_AT(6500), 7), 0);

	/* debouncing goes on as usual afterwards */
	CHD_EQ(tc, chd_edge(&d, CHD_AT(7000)), CHD_AT(17000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(17000), 0, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, d.level, 0);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(7000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(17000));
}

/* A pending burst is left to its deadline, chatter included. */
static void chd_case_resync_pending(CHD_TC tc)
{
	struct chd d;
	u64 next = 1;
	u32 i;

	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	chd_edge(&d, CHD_AT(1000));
	CHD_EQ(tc, chd_resync(&d, CHD_AT(2000), 1), 0);
	CHD_EQ(tc, chd_resync(&d, CHD_AT(2500), 0), 0);
	CHD_EQ(tc, d.level, 0);
	CHD_EQ(tc, d.in_burst, true);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.last_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(11000), 1, &next),
	       CHD_REPORT_STATE);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(1000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(11000));

	/* during chatter: 17 toggles 3 ms apart from 100 ms */
	chd_init(&d, CHD_DEB, CHD_HOLD, 0, CHD_T0);
	for (i = 0; i < 17; i++)
		chd_edge(&d, CHD_AT(100000 + 3000 * i));
	CHD_EQ(tc, chd_expire(&d, CHD_AT(150000), 0, &next),
	       CHD_REPORT_FAULT);
	CHD_EQ(tc, next, CHD_AT(158000));
	CHD_EQ(tc, chd_resync(&d, CHD_AT(152000), 1), 0);
	CHD_EQ(tc, d.chatter, true);
	CHD_EQ(tc, d.in_burst, true);
	CHD_EQ(tc, d.level, 0);
	CHD_EQ(tc, chd_expire(&d, CHD_AT(158000), 1, &next),
	       CHD_REPORT_FAULT | CHD_REPORT_STATE);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, d.first_edge_ns, CHD_AT(100000));
	CHD_EQ(tc, d.settle_ns, CHD_AT(158000));
}

/* Counters over a mixed run; stale expiries change nothing. */
static void chd_case_counters(CHD_TC tc)
{
	struct chd_log log;
	struct chd d;
	u64 next = 1;
	int line = 0;

	chd_init(&d, CHD_DEB, CHD_HOLD, line, CHD_T0);
	/* pulse: glitch */
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(1000), CHD_US(200), 2,
			     &log), true);
	CHD_EQ(tc, log.n, 1);
	CHD_EQ(tc, log.ev[0].act, CHD_GLITCH);
	/* bounce train to 1: report */
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(50000), CHD_US(1000), 5,
			     &log), true);
	CHD_EQ(tc, log.n, 1);
	CHD_EQ(tc, log.ev[0].act, CHD_REPORT_STATE);
	CHD_EQ(tc, log.ev[0].now, CHD_AT(64000));
	/* chatter back to 0: fault, then fault cleared with the state */
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(100000), CHD_US(3000), 41,
			     &log), true);
	CHD_EQ(tc, log.n, 2);
	CHD_EQ(tc, log.ev[1].act, CHD_REPORT_FAULT | CHD_REPORT_STATE);
	/* three toggles within a millisecond: report */
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(300000), CHD_US(300), 3,
			     &log), true);
	CHD_EQ(tc, log.n, 1);
	CHD_EQ(tc, log.ev[0].act, CHD_REPORT_STATE);
	/* pulse: glitch */
	CHD_EQ(tc, chd_drive(&d, &line, CHD_AT(400000), CHD_US(5000), 2,
			     &log), true);
	CHD_EQ(tc, log.n, 1);
	CHD_EQ(tc, log.ev[0].act, CHD_GLITCH);

	CHD_EQ(tc, chd_expire(&d, CHD_AT(500000), line, &next), 0);
	CHD_EQ(tc, next, 0);
	CHD_EQ(tc, chd_expire(&d, CHD_AT(500000), !line, &next), 0);
	CHD_EQ(tc, d.edges, 2 + 5 + 41 + 3 + 2);
	CHD_EQ(tc, d.glitches, 2);
	CHD_EQ(tc, d.chatter_faults, 1);
	CHD_EQ(tc, d.level, 1);
	CHD_EQ(tc, line, 1);
}

#endif /* _CHD_CASES_H */
