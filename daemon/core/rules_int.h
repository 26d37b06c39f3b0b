/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules_int: what the rule engine's files share (not an interface for
 * the rest of carehubd; that is rules.h).
 *
 *	rules.c		instances, dispatch, the public calls, emitting
 *	rules_eval.c	the per-type conditions and the two state machines
 *			(duration rules; daily clock-time rules)
 *	rules_time.c	wall clock: local dates, clock times, windows, DST
 *	rules_text.c	the one-line texts for people
 */
#ifndef RULES_INT_H
#define RULES_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "rules.h"

#define RULES_NS		1000000000ULL
/* A configured sensor absent this long is "missing" (module reloads). */
#define RULES_MISSING_GRACE_NS	(60 * RULES_NS)

/* A local calendar date as y*10000 + m*100 + d (comparable, printable). */
typedef int32_t rules_date;

enum rules_st {
	RULES_ST_IDLE,		/* condition false, or not armed */
	RULES_ST_CAND,		/* condition true, counting towards max */
	RULES_ST_PRE,		/* pre-alarm running */
	RULES_ST_RAISED,	/* raised (maybe acknowledged) */
};

/**
 * struct rules_inst - one (rule, sensor) alarm instance
 * @since: the condition's start as last seen (evidence); a different
 *	value means a new occurrence for the rules that say so
 * @cancel_base: Cancel during pre-alarm: counting restarts here
 * @deadline: CAND: when max is reached
 * @arm_until: CAND: end of the armed period the candidate counts in
 * @pre_end: PRE: when the pre-alarm turns into a raise
 * @last_raise: RAISED: the last RAISE/REALARM (re-alarm base)
 * @acked: RAISED: a person acknowledged it: no re-alarm, and no new
 *	alarm until the condition ends
 * @restored: raised before a restart (rules_restore), not yet compared
 *	with a fresh condition
 * @target: daily rules: the local date whose clock time is awaited
 * @fired: daily rules: the last local date the clock time was handled
 * @due: the instance's one deadline (CLOCK_BOOTTIME), or RULES_NEVER
 */
struct rules_inst {
	unsigned int rule;
	int sensor;
	enum rules_st st;
	bool acked;
	bool restored;
	bool seen;
	uint16_t code;
	uint64_t since;
	uint64_t cancel_base;
	uint64_t deadline;
	uint64_t arm_until;
	uint64_t pre_end;
	uint64_t last_raise;
	bool v_out;		/* vitals: out of range as last evaluated */
	uint64_t v_since;	/* vitals: since when */
	rules_date target;
	rules_date fired;
	uint64_t due;
};

/*
 * Memos of the local-time conversions (rules_time.c). Every evaluation of
 * every windowed or daily instance needs "HH:MM on date D" as an instant
 * and the local date of an instant; through glibc each costs a mktime()
 * or localtime_r() that re-reads the zone (a TZ-string parse with sscanf)
 * - that was nearly all of a replay's time. Both are pure functions of
 * their arguments and the zone, so the memos are keyed by the exact
 * arguments: a wall-clock step just asks for other keys, and only a zone
 * change (TZ differs from @tz) empties them.
 */
#define RULES_WALL_SETS		64	/* (date, HH:MM) -> instant, in */
#define RULES_WALL_WAYS		4	/* sets of this many, LRU */
#define RULES_DATE_MEMO		4	/* instant -> local date */
#define RULES_TZ_MAX		128	/* longer TZ values: memos off */

struct rules_tzc {
	bool on;			/* memos usable (TZ fits in @tz) */
	char tz[RULES_TZ_MAX];		/* getenv("TZ") they were filled
					 * under, "" if unset */
	struct {
		rules_date d;		/* 0: empty */
		conf_tod tod;
		uint32_t used;		/* @tick of the last use (LRU) */
		time_t t;
	} wall[RULES_WALL_SETS * RULES_WALL_WAYS];
	uint32_t tick;
	struct {
		bool used;
		time_t t;
		rules_date d;
	} date[RULES_DATE_MEMO];
	unsigned int date_next;		/* round-robin victim */
	unsigned long misses;		/* conversions done through libc */
};

/* What the engine knows of one configured sensor. */
struct rules_sens {
	bool known;		/* reported present at least once */
	bool present;
	struct sensor_state s;	/* last present state (kept while absent) */
	uint64_t absent_since;	/* engine start, or when it went away */
	bool faulty;		/* faults != 0 or the wrong kind */
	uint64_t fault_since;
	/* vitals */
	unsigned int hr, rr;	/* last estimates, 0 = none */
	uint64_t vit_mono;	/* when the last estimate came */
};

struct rules {
	const struct conf *c;
	struct rules_out *out;		/* of the call being handled */
	uint64_t start_mono;
	uint64_t last_mono;		/* latest now.mono_ns seen */
	struct rules_now now;		/* of the call being handled */
	unsigned int n_sensors, n_rules;	/* of c, bounded */
	struct rules_sens sens[CONF_SENSORS_MAX];
	bool link_known, link_up;
	uint64_t link_since;
	/* door rules: Cancel with nothing pending disarms [from, until) */
	uint64_t override_from[CONF_RULES_MAX];
	uint64_t override_until[CONF_RULES_MAX];
	unsigned int n_pre;		/* instances in RULES_ST_PRE */
	struct rules_inst *inst;
	unsigned int n_inst;
	struct rules_tzc tzc;
};

/* rules.c */
void rules_emit(struct rules *r, struct rules_inst *in, enum rules_tr tr,
		uint64_t at_mono);
void rules_set_st(struct rules *r, struct rules_inst *in, enum rules_st st);
uint16_t rules_code_of(const struct conf_rule *rule);

/* rules_eval.c */
void rules_eval(struct rules *r, struct rules_inst *in);
void rules_cancel_pre(struct rules *r, struct rules_inst *in);

/* rules_time.c */
void rules_tz_check(struct rules *r);
uint64_t rules_wall_to_mono(const struct rules_now *now, time_t wall);
time_t rules_mono_to_wall(const struct rules_now *now, uint64_t mono);
rules_date rules_date_of(struct rules *r, time_t wall);
rules_date rules_date_add(rules_date d, int days);
time_t rules_wall_at(struct rules *r, rules_date d, conf_tod tod);
bool rules_window_at(struct rules *r, const struct conf_window *w, time_t t,
		     time_t *start, time_t *end, time_t *next_start);
void rules_hhmm(time_t t, char *buf, unsigned int len);

/* rules_text.c */
void rules_text(const struct rules *r, const struct rules_inst *in,
		uint64_t at_mono, char *buf, unsigned int len);

#endif /* RULES_INT_H */
