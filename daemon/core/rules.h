/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules: the alarm rule engine (prefix rules_).
 *
 * Pure logic: no I/O, no clock reads, no allocation after rules_new().
 * Time comes from the caller with every call as a struct rules_now:
 *
 *	mono_ns   CLOCK_BOOTTIME (the kernel's sensor stamps use it): every
 *	          duration (absence, max, prealarm, realarm) is measured here
 *	wall      CLOCK_REALTIME seconds: only for "at night" windows and
 *	          clock times, converted with localtime_r()/mktime() in the
 *	          process's TZ - so a window is right across DST changes
 *	          (22:00-07:00 is 8 h on the spring-forward night, 10 h on
 *	          the autumn night) and a clock step re-evaluates them.
 *
 * carehubd feeds real clocks; --replay and the unit tests feed a virtual
 * one. Inputs are level-based: rules_sensor() gets a sensor's complete
 * state (never a toggle) and may be called again with the same state
 * (resync) without effect. Each rule instance (rule, sensor) owns at most
 * one deadline; rules_next() returns the earliest, the caller arms one
 * timer and calls rules_advance() when it fires (calling it early or late
 * is harmless: due work is done, the rest recomputed).
 *
 * Output: every call that can decide something appends its transitions,
 * in order, to the caller's struct rules_out; the engine calls nothing
 * outside itself. The pre-alarm indicator is rules_prealarm_active().
 *
 * Alarm instances: a rule raises at most one alarm per key (rule index,
 * sensor index or -1) at a time. The caller (alarm lifecycle) tells the
 * engine about alarms still open from before a restart with
 * rules_restore(), so none is raised twice.
 */
#ifndef RULES_H
#define RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "sensor.h"

#define RULES_NEVER	UINT64_MAX

struct rules_now {
	uint64_t mono_ns;	/* CLOCK_BOOTTIME */
	time_t wall;		/* CLOCK_REALTIME, seconds */
};

enum rules_tr {
	RULES_PREALARM,		/* local warning starts (buzzer/LED) */
	RULES_PREALARM_CANCEL,	/* Cancel pressed: no alarm */
	RULES_PREALARM_CLEAR,	/* condition ended during pre-alarm: no alarm */
	RULES_RAISE,		/* raise: send to the care network */
	RULES_REALARM,		/* still true @realarm_s after the last raise */
	RULES_CLEAR,		/* condition over (back in bed, door shut, ...) */
	RULES_LOCAL_CANCEL,	/* Cancel pressed while a cancellable alarm
				 * (sos) is raised and not yet acknowledged */
};

/**
 * struct rules_alarm - one alarm transition
 * @tr: what happened
 * @rule: index into conf->rules
 * @sensor: index into conf->sensors, or -1 (hub button, hub-wide rule)
 * @code: Contact ID event code (the rule's, or 381 for a sensor-fault
 *	instance raised because the sensor is offline or missing)
 * @zone: the sensor's zone, 0 for hub-wide
 * @at_mono: when the condition began (e.g. the bed-exit settle stamp),
 *	CLOCK_BOOTTIME ns; for RAISE this is the evidence time, not now
 * @text: one line for people: "Bed exit at night: bedroom bed empty for
 *	20 min (since 02:14)", "SOS button pressed (hub button)", ...
 */
struct rules_alarm {
	enum rules_tr tr;
	unsigned int rule;
	int sensor;
	uint16_t code;
	uint16_t zone;
	uint64_t at_mono;
	char text[160];
};

/**
 * struct rules_out - where a call puts its transitions
 * @v: the caller's array of @cap entries (rules_out_cap() is always enough)
 * @n: entries written; the engine appends, the caller empties
 * @dropped: transitions that did not fit (a caller's bug: logged, counted)
 */
struct rules_out {
	struct rules_alarm *v;
	unsigned int cap;
	unsigned int n;
	unsigned int dropped;
};


enum rules_button {
	RULES_BUTTON_SOS,	/* the hub's call button */
	RULES_BUTTON_CANCEL,	/* the hub's Cancel / "I'm OK" button */
};

struct rules;

/* @c must outlive the engine (on reload: build a new engine). NULL on ENOMEM. */
struct rules *rules_new(const struct conf *c, const struct rules_now *now,
			struct rules_out *out);
/* The most transitions one call of an engine for @c can return. */
unsigned int rules_out_cap(const struct conf *c);
void rules_free(struct rules *r);

/*
 * A configured sensor's state (@sensor: index into conf->sensors).
 * Sensors the kernel has that the config does not name are not given to
 * the engine.
 */
void rules_sensor(struct rules *r, unsigned int sensor,
		  const struct sensor_state *s, const struct rules_now *now,
		  struct rules_out *out);
/* A hub button was pressed (press, after debouncing). */
void rules_button(struct rules *r, enum rules_button b,
		  const struct rules_now *now, struct rules_out *out);
/* Receivers reachable (@up) or not (from the transports). */
void rules_link(struct rules *r, bool up, const struct rules_now *now,
		struct rules_out *out);
/* Vital signs of a pad sensor (hook; HR/RR per minute, 0 = no estimate). */
void rules_vitals(struct rules *r, unsigned int sensor, unsigned int hr,
		  unsigned int rr, const struct rules_now *now,
		  struct rules_out *out);
/*
 * An alarm of (@rule, @sensor) was acknowledged or closed by a person:
 * the engine stops re-alarming it; a new occurrence (condition ends and
 * starts again) raises a new alarm.
 */
void rules_acked(struct rules *r, unsigned int rule, int sensor,
		 const struct rules_now *now, struct rules_out *out);
/*
 * After a restart: the store has an open alarm of (@rule, @sensor) raised
 * at @raised_mono (CLOCK_BOOTTIME; 0 if raised before this boot). The
 * engine treats the instance as raised (no second RAISE; RULES_CLEAR when
 * the condition is found over; re-alarm counted from @raised_mono).
 * Call before the first rules_sensor().
 */
void rules_restore(struct rules *r, unsigned int rule, int sensor,
		   uint64_t raised_mono);

/*
 * After a reload: take over what @old (the engine of the previous config,
 * still alive) knew that the new config did not change - each sensor's
 * state, since when it is missing, its fault and vital signs (by sensor
 * name), the receivers' link, a carer's door override (by rule name) and
 * the engine's start. So a reload never restarts a grace period or a
 * "since". Call right after rules_new(), before rules_restore().
 */
void rules_carry(struct rules *r, const struct rules *old);

/* Do what is due at @now and recompute deadlines. */
void rules_advance(struct rules *r, const struct rules_now *now,
		   struct rules_out *out);
/* Earliest deadline, CLOCK_BOOTTIME ns, or RULES_NEVER. */
uint64_t rules_next(const struct rules *r);

/* Is a pre-alarm running (the indicator's state)? */
bool rules_prealarm_active(const struct rules *r);

const char *rules_tr_name(enum rules_tr tr);

#endif /* RULES_H */
