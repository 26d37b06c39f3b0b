// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules: the alarm rule engine - instances, input bookkeeping, dispatch
 * and the public calls of rules.h.
 *
 * Every input only updates what the engine knows (sensor states, link,
 * vitals, buttons) and then re-evaluates every instance from that
 * knowledge (rules_eval.c). Evaluation is level-based and idempotent, so a
 * resync with the same state, an early or a late rules_advance() and a
 * clock step all come out right without special cases. A config has at
 * most 64 rules x 17 instances, and inputs arrive a few times a minute:
 * evaluating everything is cheap and far simpler than tracking what
 * depends on what.
 */
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"
#include "utf8.h"

/* Contact ID code when the config left it 0 (tests, partial configs). */
uint16_t rules_code_of(const struct conf_rule *rule)
{
	if (rule->code)
		return rule->code;
	return conf_rule_default_code(rule->type);
}

const char *rules_tr_name(enum rules_tr tr)
{
	switch (tr) {
	case RULES_PREALARM:		return "prealarm";
	case RULES_PREALARM_CANCEL:	return "prealarm-cancel";
	case RULES_PREALARM_CLEAR:	return "prealarm-clear";
	case RULES_RAISE:		return "raise";
	case RULES_REALARM:		return "realarm";
	case RULES_CLEAR:		return "clear";
	case RULES_LOCAL_CANCEL:	return "local-cancel";
	}
	return "?";
}

void rules_emit(struct rules *r, struct rules_inst *in, enum rules_tr tr,
		uint64_t at_mono)
{
	struct rules_alarm a;

	memset(&a, 0, sizeof(a));
	a.tr = tr;
	a.rule = in->rule;
	a.sensor = in->sensor;
	a.code = in->code;
	a.zone = in->sensor >= 0 ? r->c->sensors[in->sensor].zone : 0;
	a.at_mono = at_mono;
	rules_text(r, in, at_mono, a.text, sizeof(a.text));
	/* snprintf() may have cut a character of a label in two */
	utf8_copy(a.text, sizeof(a.text), a.text);
	if (!r->out)
		return;
	if (r->out->n < r->out->cap)
		r->out->v[r->out->n++] = a;
	else
		r->out->dropped++;
}

/* Change state, keeping the pre-alarm count and the indicator right. */
void rules_set_st(struct rules *r, struct rules_inst *in, enum rules_st st)
{
	enum rules_st old = in->st;

	in->st = st;
	if (old == RULES_ST_PRE && st != RULES_ST_PRE) {
		if (r->n_pre)
			r->n_pre--;
	} else if (old != RULES_ST_PRE && st == RULES_ST_PRE) {
		r->n_pre++;
	}
}

/* How many instances a rule has: one per sensor, plus the hub's own. */
static unsigned int rules_n_inst(const struct conf *c,
				 const struct conf_rule *rule, bool hub)
{
	switch (rule->type) {
	case CONF_RULE_SOS:
		return hub ? 1 : rule->n_sensors;
	case CONF_RULE_NO_ACTIVITY:
	case CONF_RULE_LINK_DOWN:
	case CONF_RULE_PERIODIC_TEST:
		return hub ? 1 : 0;
	case CONF_RULE_BED_EXIT:
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
	case CONF_RULE_DOOR_NIGHT:
	case CONF_RULE_DOOR_OPEN:
	case CONF_RULE_TOO_LONG:
	case CONF_RULE_SENSOR_FAULT:
	case CONF_RULE_SENSOR_SILENT:
	case CONF_RULE_VITALS:
		(void)c;
		return hub ? 0 : rule->n_sensors;
	}
	return 0;
}

/* Disabled rules, and rules naming sensors we have no room for, get none. */
static bool rules_rule_ok(const struct conf_rule *rule, unsigned int ns)
{
	if (!rule->enabled || rule->n_sensors > CONF_RULE_SENSORS_MAX ||
	    (unsigned int)rule->type >= CONF_RULE_TYPES)
		return false;
	for (unsigned int i = 0; i < rule->n_sensors; i++)
		if (rule->sensors[i] >= ns)
			return false;
	return true;
}

static void rules_set_now(struct rules *r, const struct rules_now *now,
			  struct rules_out *out)
{
	r->out = out;
	r->now = *now;
	/* A caller going back in CLOCK_BOOTTIME is a bug; never underflow. */
	if (r->now.mono_ns < r->last_mono)
		r->now.mono_ns = r->last_mono;
	r->last_mono = r->now.mono_ns;
	rules_tz_check(r);
}

static void rules_eval_all(struct rules *r)
{
	for (unsigned int i = 0; i < r->n_inst; i++)
		rules_eval(r, &r->inst[i]);
}

struct rules *rules_new(const struct conf *c, const struct rules_now *now,
			struct rules_out *out)
{
	unsigned int n = 0, k = 0, nr, ns;
	struct rules *r;

	if (!c || !now)
		return NULL;
	nr = c->n_rules < CONF_RULES_MAX ? c->n_rules : CONF_RULES_MAX;
	ns = c->n_sensors < CONF_SENSORS_MAX ? c->n_sensors : CONF_SENSORS_MAX;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->c = c;
	r->n_sensors = ns;
	r->n_rules = nr;
	rules_set_now(r, now, out);
	r->start_mono = r->now.mono_ns;
	for (unsigned int i = 0; i < ns; i++)
		r->sens[i].absent_since = r->start_mono;
	for (unsigned int i = 0; i < nr; i++)
		if (rules_rule_ok(&c->rules[i], ns))
			n += rules_n_inst(c, &c->rules[i], false) +
			     rules_n_inst(c, &c->rules[i], true);
	r->inst = calloc(n ? n : 1, sizeof(*r->inst));
	if (!r->inst) {
		free(r);
		return NULL;
	}
	for (unsigned int i = 0; i < nr; i++) {
		const struct conf_rule *rule = &c->rules[i];
		unsigned int ni, nh;

		if (!rules_rule_ok(rule, ns))
			continue;
		ni = rules_n_inst(c, rule, false);
		nh = rules_n_inst(c, rule, true);
		for (unsigned int j = 0; j < ni + nh; j++) {
			struct rules_inst *in = &r->inst[k++];

			in->rule = i;
			in->sensor = j < ni ? (int)rule->sensors[j] : -1;
			in->code = rules_code_of(rule);
			in->due = RULES_NEVER;
		}
	}
	r->n_inst = k;
	rules_eval_all(r);
	return r;
}

/*
 * A call emits at most one transition per instance for a button press and
 * three per evaluation (a CLEAR, then PREALARM and RAISE of a new
 * occurrence); the rest is margin.
 */
unsigned int rules_out_cap(const struct conf *c)
{
	unsigned int n = 0, nr, ns;

	nr = c->n_rules < CONF_RULES_MAX ? c->n_rules : CONF_RULES_MAX;
	ns = c->n_sensors < CONF_SENSORS_MAX ? c->n_sensors : CONF_SENSORS_MAX;
	for (unsigned int i = 0; i < nr; i++)
		if (rules_rule_ok(&c->rules[i], ns))
			n += rules_n_inst(c, &c->rules[i], false) +
			     rules_n_inst(c, &c->rules[i], true);
	return 6 * n + 8;
}

void rules_carry(struct rules *r, const struct rules *old)
{
	if (!r || !old)
		return;
	r->start_mono = old->start_mono;
	r->last_mono = old->last_mono > r->last_mono ? old->last_mono :
						      r->last_mono;
	r->link_known = old->link_known;
	r->link_up = old->link_up;
	r->link_since = old->link_since;
	for (unsigned int i = 0; i < r->n_sensors; i++) {
		int j = conf_sensor_find(old->c, r->c->sensors[i].name);

		if (j >= 0 && (unsigned int)j < old->n_sensors)
			r->sens[i] = old->sens[j];
	}
	for (unsigned int i = 0; i < r->n_rules; i++) {
		int j = conf_rule_find(old->c, r->c->rules[i].name);

		if (j >= 0 && (unsigned int)j < old->n_rules) {
			r->override_from[i] = old->override_from[j];
			r->override_until[i] = old->override_until[j];
		}
	}
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	free(r->inst);
	free(r);
}

static struct rules_inst *rules_find(struct rules *r, unsigned int rule,
				     int sensor)
{
	for (unsigned int i = 0; i < r->n_inst; i++)
		if (r->inst[i].rule == rule && r->inst[i].sensor == sensor)
			return &r->inst[i];
	return NULL;
}

void rules_sensor(struct rules *r, unsigned int sensor,
		  const struct sensor_state *s, const struct rules_now *now,
		  struct rules_out *out)
{
	struct rules_sens *se;

	if (!r || !s || !now || sensor >= r->n_sensors)
		return;
	rules_set_now(r, now, out);
	se = &r->sens[sensor];
	if (!s->present) {
		/* Keep the last state: a module reload must not look like
		 * "bed empty" or "door shut". sensor-fault watches absence. */
		if (se->present)
			se->absent_since = r->now.mono_ns;
		se->present = false;
	} else {
		const struct conf_sensor *cs = &r->c->sensors[sensor];
		bool faulty = s->faults || (cs->kind && s->kind != cs->kind);

		se->s = *s;
		se->s.state = s->state ? 1 : 0;
		/* A stamp from the future is bad input: take it as now. */
		if (se->s.since_ns > r->now.mono_ns)
			se->s.since_ns = r->now.mono_ns;
		if (faulty && !se->faulty)
			se->fault_since = r->now.mono_ns;
		se->faulty = faulty;
		if (!se->s.state) {	/* out of bed: estimates are over */
			se->hr = 0;
			se->rr = 0;
		}
		se->known = true;
		se->present = true;
	}
	rules_eval_all(r);
}

void rules_button(struct rules *r, enum rules_button b,
		  const struct rules_now *now, struct rules_out *out)
{
	bool any = false;

	if (!r || !now)
		return;
	rules_set_now(r, now, out);
	switch (b) {
	case RULES_BUTTON_SOS:
		for (unsigned int i = 0; i < r->n_inst; i++) {
			struct rules_inst *in = &r->inst[i];

			if (r->c->rules[in->rule].type != CONF_RULE_SOS ||
			    in->sensor >= 0 || in->st == RULES_ST_RAISED)
				continue;
			in->since = r->now.mono_ns;
			in->acked = false;
			in->restored = false;
			rules_emit(r, in, RULES_RAISE, in->since);
			rules_set_st(r, in, RULES_ST_RAISED);
		}
		break;
	case RULES_BUTTON_CANCEL:
		for (unsigned int i = 0; i < r->n_inst; i++) {
			struct rules_inst *in = &r->inst[i];

			if (in->st == RULES_ST_PRE) {
				rules_cancel_pre(r, in);
				any = true;
			} else if (in->st == RULES_ST_RAISED && !in->acked &&
				   r->c->rules[in->rule].type == CONF_RULE_SOS) {
				rules_emit(r, in, RULES_LOCAL_CANCEL, in->since);
				any = true;
			}
		}
		/* Nothing to cancel: a carer going out - disarm door rules. */
		for (unsigned int i = 0; !any && i < r->n_rules; i++) {
			const struct conf_rule *rule = &r->c->rules[i];

			if ((rule->type != CONF_RULE_DOOR_NIGHT &&
			     rule->type != CONF_RULE_DOOR_OPEN) ||
			    !rule->enabled || !rule->override_s)
				continue;
			r->override_from[i] = r->now.mono_ns;
			r->override_until[i] = r->now.mono_ns +
					       rule->override_s * RULES_NS;
		}
		break;
	}
	rules_eval_all(r);
}

void rules_link(struct rules *r, bool up, const struct rules_now *now,
		struct rules_out *out)
{
	if (!r || !now)
		return;
	rules_set_now(r, now, out);
	if (!r->link_known || r->link_up != up)
		r->link_since = r->now.mono_ns;
	r->link_known = true;
	r->link_up = up;
	rules_eval_all(r);
}

void rules_vitals(struct rules *r, unsigned int sensor, unsigned int hr,
		  unsigned int rr, const struct rules_now *now,
		  struct rules_out *out)
{
	struct rules_sens *se;

	if (!r || !now || sensor >= r->n_sensors)
		return;
	rules_set_now(r, now, out);
	se = &r->sens[sensor];
	/* Estimates only count while the pad says someone is in bed. */
	if (!se->known || se->s.state != 1)
		return;
	/* 0 = no estimate: keep the last one. Absurd values are dropped. */
	if (hr && hr < 400)
		se->hr = hr;
	if (rr && rr < 200)
		se->rr = rr;
	se->vit_mono = r->now.mono_ns;
	rules_eval_all(r);
}

void rules_acked(struct rules *r, unsigned int rule, int sensor,
		 const struct rules_now *now, struct rules_out *out)
{
	struct rules_inst *in;

	if (!r || !now)
		return;
	rules_set_now(r, now, out);
	in = rules_find(r, rule, sensor);
	if (in && in->st == RULES_ST_RAISED) {
		enum conf_rule_type t = r->c->rules[in->rule].type;

		in->acked = true;
		/* No condition to end: the next press / day is new. */
		if (t == CONF_RULE_SOS || t == CONF_RULE_PERIODIC_TEST)
			rules_set_st(r, in, RULES_ST_IDLE);
	}
	rules_eval_all(r);
}

void rules_restore(struct rules *r, unsigned int rule, int sensor,
		   uint64_t raised_mono)
{
	struct rules_inst *in;

	if (!r)
		return;
	in = rules_find(r, rule, sensor);
	if (!in)
		return;
	rules_set_st(r, in, RULES_ST_RAISED);
	in->acked = false;
	in->restored = true;
	in->last_raise = raised_mono;
	in->since = raised_mono;
}

void rules_advance(struct rules *r, const struct rules_now *now,
		   struct rules_out *out)
{
	if (!r || !now)
		return;
	rules_set_now(r, now, out);
	rules_eval_all(r);
}

uint64_t rules_next(const struct rules *r)
{
	uint64_t next = RULES_NEVER;

	if (!r)
		return next;
	for (unsigned int i = 0; i < r->n_inst; i++)
		if (r->inst[i].due < next)
			next = r->inst[i].due;
	return next;
}

bool rules_prealarm_active(const struct rules *r)
{
	return r && r->n_pre > 0;
}
