/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carehub debounce decision logic: a pure state machine with no kernel-only
 * dependencies, compiled into carehub.ko, into the KUnit suite and into the
 * host unit test (tests/unit/).
 *
 * The caller feeds it edges (from the hard-IRQ handler) and timer expiries
 * (with the line level read at that moment) and acts on what it returns:
 * arm the timer for the returned deadline, report a state change, report a
 * fault change. All times are nanoseconds on one monotonic clock (carehub.ko
 * uses CLOCK_BOOTTIME). The caller serialises calls on one instance.
 *
 * The rule: a burst starts at the first edge after a settled period; every
 * edge pushes the settle deadline to last_edge + debounce. When the line has
 * been quiet for the debounce period the level is taken as is - never
 * inferred from edge direction - and reported only if it differs from the
 * last reported level; a burst that settles back to the old level is a
 * glitch. A burst still going on holdoff_max after its first edge raises the
 * chatter fault, which clears when the line finally goes quiet.
 */
#ifndef _CAREHUB_DEBOUNCE_H
#define _CAREHUB_DEBOUNCE_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include <stdbool.h>
typedef unsigned long long u64;
typedef unsigned int u32;
#define BIT(nr) (1UL << (nr))
#endif

/* What chd_expire() asks the caller to do; a bit mask. */
#define CHD_REPORT_STATE	BIT(0) /* state changed: report it */
#define CHD_REPORT_FAULT	BIT(1) /* chatter fault set or cleared */
#define CHD_GLITCH		BIT(2) /* burst settled to the old level */

/**
 * struct chd - debounce state of one line
 * @debounce_ns: quiet time after the last edge before the level is taken
 * @holdoff_max_ns: burst length after which the chatter fault is raised
 * @level: last reported level, 0 or 1
 * @chatter: chatter fault active
 * @in_burst: edges seen since the last settle
 * @first_edge_ns: first edge of the current (or last settled) burst
 * @last_edge_ns: most recent edge
 * @settle_ns: when the last reported state settled
 * @edges: raw edges seen
 * @glitches: bursts that settled back to the reported level
 * @chatter_faults: times the chatter fault was raised
 */
struct chd {
	u64 debounce_ns;
	u64 holdoff_max_ns;
	int level;
	bool chatter;
	bool in_burst;
	u64 first_edge_ns;
	u64 last_edge_ns;
	u64 settle_ns;
	u64 edges;
	u64 glitches;
	u64 chatter_faults;
};

void chd_init(struct chd *d, u64 debounce_ns, u64 holdoff_max_ns, int level,
	      u64 now);
u64 chd_edge(struct chd *d, u64 now);
u32 chd_expire(struct chd *d, u64 now, int level, u64 *next);
u32 chd_resync(struct chd *d, u64 now, int level);

#endif /* _CAREHUB_DEBOUNCE_H */
