/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules_harness: a virtual clock, a config builder and a recorder for the
 * rule engine's tests (test_rules*.c).
 *
 * The clock has CLOCK_BOOTTIME (mono) and wall time moving together, wall
 * = wall0 + (mono - mono0) / 1 s, and wall can be stepped. rh_run_to()
 * moves time forward by calling rules_advance() at every deadline
 * rules_next() names - never skipping one - so the recorded times of
 * callbacks are exactly when a real daemon would have seen them.
 */
#ifndef RULES_HARNESS_H
#define RULES_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "rules.h"

#define RH_NS		1000000000ULL
#define RH_MIN		(60 * RH_NS)
#define RH_REC_MAX	8192

struct rh_rec {
	bool indicate;		/* an indicate() call, @on */
	bool on;
	struct rules_alarm a;
	uint64_t mono;		/* when it was called */
	time_t wall;
};

struct rh {
	struct conf c;
	struct rules *r;
	uint64_t mono, mono0;
	time_t wall0;
	struct rh_rec rec[RH_REC_MAX];
	unsigned int n, seen;	/* recorded; checked by rh_expect */
	struct rules_alarm buf[RH_REC_MAX];	/* the engine's output */
	struct rules_out out;
	bool ind_on;		/* the indicator as last recorded */
	unsigned long advances;
};

/* Europe/London for the whole process (DST on the last Sundays). */
void rh_tz_london(void);
/* Local time in the process TZ; isdst -1 = let mktime choose. */
time_t rh_local(int y, int mo, int d, int h, int mi, int s);
time_t rh_utc(int y, int mo, int d, int h, int mi, int s);

struct rh *rh_new(void);	/* empty conf, one resident */
void rh_free(struct rh *h);
unsigned int rh_add_sensor(struct rh *h, const char *name, uint32_t kind);
struct conf_rule *rh_add_rule(struct rh *h, enum conf_rule_type t,
			      unsigned int n_sensors, ...);
/* Start the engine at wall time @wall (mono starts at 100000 s). */
void rh_start(struct rh *h, time_t wall);

struct rules_now rh_now(const struct rh *h);
/*
 * For a direct engine call: rh_out() is the empty output array to pass,
 * rh_collect() records what the call returned (alarms in order, then an
 * indicate record when rules_prealarm_active() changed).
 */
struct rules_out *rh_out(struct rh *h);
void rh_collect(struct rh *h);
time_t rh_wall(const struct rh *h);
uint64_t rh_mono_of_wall(const struct rh *h, time_t wall);
void rh_run_to(struct rh *h, uint64_t mono);
void rh_run(struct rh *h, uint64_t ns);
void rh_run_to_wall(struct rh *h, time_t wall);
/* Step the wall clock by @delta s and notify the engine (rules_advance). */
void rh_step_wall(struct rh *h, long delta);

void rh_set(struct rh *h, unsigned int sensor, uint8_t state);
void rh_set_full(struct rh *h, unsigned int sensor, bool present,
		 uint8_t state, uint32_t faults, uint64_t since);
void rh_gone(struct rh *h, unsigned int sensor);
void rh_button(struct rh *h, enum rules_button b);
void rh_link(struct rh *h, bool up);
void rh_ack(struct rh *h, unsigned int rule, int sensor);
void rh_vitals(struct rh *h, unsigned int sensor, unsigned int hr,
	       unsigned int rr);

/*
 * The next unchecked alarm record must be @tr of (@rule, @sensor) called
 * at mono @mono (RH_ANY: any time). Indicate records are skipped unless
 * checked with rh_expect_ind_at(). Fails the test with a dump otherwise.
 */
#define RH_ANY	UINT64_MAX
const struct rules_alarm *rh_expect_at(struct rh *h, enum rules_tr tr,
				       unsigned int rule, int sensor,
				       uint64_t mono, int line);
#define rh_expect(h, tr, rule, sensor, mono) \
	rh_expect_at((h), (tr), (rule), (sensor), (mono), __LINE__)
void rh_expect_none_at(struct rh *h, int line);
#define rh_expect_none(h) rh_expect_none_at((h), __LINE__)
/* The very next unchecked record must be indicate(@on). */
void rh_expect_ind_at(struct rh *h, bool on, int line);
#define rh_expect_ind(h, on) rh_expect_ind_at((h), (on), __LINE__)
/* Count of indicate(on) calls with @on so far. */
unsigned int rh_count_ind(const struct rh *h, bool on);
void rh_dump(const struct rh *h);

#endif /* RULES_HARNESS_H */
