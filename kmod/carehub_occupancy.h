/* SPDX-License-Identifier: GPL-2.0 */
/*
 * carehub bed-occupancy decision for mattress pads: a pure state machine
 * with no kernel-only dependencies, compiled into carehub.ko and into the
 * host unit test (tests/unit/test_occupancy.c).
 *
 * The caller feeds it every sample (time, raw value) or read error and acts
 * on what it returns. All times are nanoseconds on one monotonic clock.
 *
 * Occupancy uses two thresholds with hysteresis, rise > fall, and separate
 * hold times. Empty -> occupied: a sample >= rise starts a candidate
 * (its time is the first crossing); samples in the band [fall, rise) keep
 * it going; a sample < fall cancels it (a glitch: sitting on the edge of
 * the bed, a pet). Once the candidate has lasted enter_ns the pad is
 * occupied, stamped with the first crossing and the settle time. Leaving
 * is the mirror image with leave_ns: a person turning over unloads part of
 * the pad for a few seconds, then comes back above rise. A failed read
 * cancels a pending candidate (not counted as a glitch): no hold completes
 * across time that was not observed; the first good sample beyond the
 * threshold after the outage starts a new candidate.
 *
 * Faults: `stuck` when the signal stays within stuck_delta for stuck_ns
 * (a live pad always shows noise, breathing or drift), cleared when it
 * moves again; `offline` when reads fail for offline_ns, cleared by the
 * next good sample.
 */
#ifndef _CAREHUB_OCCUPANCY_H
#define _CAREHUB_OCCUPANCY_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include <stdbool.h>
typedef unsigned long long u64;
typedef unsigned int u32;
typedef long long s64;
#ifndef BIT
#define BIT(nr) (1UL << (nr))
#endif
#endif

/* What cho_sample() / cho_error() ask the caller to do; a bit mask. */
#define CHO_REPORT_STATE	BIT(0) /* occupancy changed */
#define CHO_REPORT_FAULT	BIT(1) /* fault flags changed */

/* Fault flags, the same values as CAREHUB_FAULT_STUCK / _OFFLINE. */
#define CHO_FAULT_STUCK		BIT(1)
#define CHO_FAULT_OFFLINE	BIT(2)

/**
 * struct cho_cfg - occupancy configuration
 * @rise: enter threshold (raw); > @fall
 * @fall: leave threshold (raw)
 * @enter_ns: hold time before empty -> occupied
 * @leave_ns: hold time before occupied -> empty
 * @stuck_ns: flat time before the stuck fault; 0 disables it
 * @stuck_delta: largest max-min that still counts as flat
 * @offline_ns: time of failing reads before the offline fault
 */
struct cho_cfg {
	s64 rise;
	s64 fall;
	u64 enter_ns;
	u64 leave_ns;
	u64 stuck_ns;
	s64 stuck_delta;
	u64 offline_ns;
};

/**
 * struct cho - occupancy state of one pad
 * @cfg: configuration (cho_set_cfg() to change it)
 * @level: reported occupancy, 1 = occupied
 * @faults: CHO_FAULT_* flags
 * @pending: a candidate change is being held
 * @first_cross_ns: first crossing of the candidate (or the last change)
 * @settle_ns: when the last reported change settled
 * @win_start_ns: start of the current flat window
 * @win_min: lowest value in the flat window
 * @win_max: highest value in the flat window
 * @erring: reads are failing
 * @err_since_ns: first failure of the current run of failures
 * @last_value: last good sample
 * @samples: good samples seen
 * @errors: failed reads seen
 * @crossings: candidates started
 * @glitches: candidates cancelled
 */
struct cho {
	struct cho_cfg cfg;
	int level;
	u32 faults;
	bool pending;
	u64 first_cross_ns;
	u64 settle_ns;
	u64 win_start_ns;
	s64 win_min;
	s64 win_max;
	bool erring;
	u64 err_since_ns;
	s64 last_value;
	u64 samples;
	u64 errors;
	u64 crossings;
	u64 glitches;
};

int cho_check_cfg(const struct cho_cfg *cfg);
void cho_init(struct cho *o, const struct cho_cfg *cfg, s64 value, u64 now);
void cho_set_cfg(struct cho *o, const struct cho_cfg *cfg);
u32 cho_sample(struct cho *o, u64 now, s64 value);
u32 cho_error(struct cho *o, u64 now);

#endif /* _CAREHUB_OCCUPANCY_H */
