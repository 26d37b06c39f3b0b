// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_eval: what each rule type's condition is, and the two state
 * machines that turn conditions into alarm transitions.
 *
 * Duration rules (everything but sos and the daily ones) reduce to one
 * condition: "true since T" (bed empty since the exit, door open since
 * it opened, quiet since the last activity...). The machine counts max
 * from T - or from the start of the armed period (window, carer
 * override) or a Cancel press if later - then pre-alarms, raises,
 * re-alarms, and clears when the condition ends. T comes from the
 * sensor's own settle stamp, so after a restart an absence that began
 * before it is counted from its real start.
 *
 * Daily rules (not-in-bed-by, not-up-by, periodic-test) wait for a local
 * clock time on a given local date; the date they last handled is kept,
 * so a DST change or a clock step never makes one fire twice a day.
 */
#include "rules_int.h"

/**
 * struct rules_cond - a duration rule's condition as of now
 * @known: false: nothing known yet (sensor never reported): hold still
 * @on: the condition holds
 * @since: since when (evidence); CLOCK_BOOTTIME
 * @max_ns: how long it must hold
 * @windowed: counting only while the rule's window (and no carer
 *	override) arms it
 * @new_on_since: a different @since is a new occurrence (the old one
 *	ended between two looks, e.g. a missed event): close the old first
 * @began_inside: only a condition that began inside the armed window
 *	counts (bed exit "at night": up at 21:30 and still up when the
 *	window opens at 22:00 is the not-in-bed-by rule's business, not an
 *	exit; counting from the window start would page every late evening)
 * @code: Contact ID code for a raise
 */
struct rules_cond {
	bool known;
	bool on;
	uint64_t since;
	uint64_t max_ns;
	bool windowed;
	bool new_on_since;
	bool began_inside;
	uint16_t code;
};

static uint64_t rules_add(uint64_t a, uint64_t b)
{
	return a > RULES_NEVER - 1 - b ? RULES_NEVER - 1 : a + b;
}

static uint64_t rules_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t rules_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The current occurrence is over: say so if anybody was told of it. */
static void rules_end(struct rules *r, struct rules_inst *in)
{
	switch (in->st) {
	case RULES_ST_IDLE:
	case RULES_ST_CAND:
		break;
	case RULES_ST_PRE:
		rules_emit(r, in, RULES_PREALARM_CLEAR, in->since);
		break;
	case RULES_ST_RAISED:
		rules_emit(r, in, RULES_CLEAR, in->since);
		break;
	}
	rules_set_st(r, in, RULES_ST_IDLE);
	in->acked = false;
	in->cancel_base = 0;
}

static void rules_raise(struct rules *r, struct rules_inst *in, uint16_t code)
{
	const struct conf_rule *rule = &r->c->rules[in->rule];

	in->code = code;
	rules_emit(r, in, RULES_RAISE, in->since);
	rules_set_st(r, in, RULES_ST_RAISED);
	in->acked = false;
	in->last_raise = r->now.mono_ns;
	in->due = rule->realarm_s ?
		  rules_add(in->last_raise, rule->realarm_s * RULES_NS) :
		  RULES_NEVER;
}

void rules_cancel_pre(struct rules *r, struct rules_inst *in)
{
	if (in->st != RULES_ST_PRE)
		return;
	rules_emit(r, in, RULES_PREALARM_CANCEL, in->since);
	rules_set_st(r, in, RULES_ST_CAND);
	in->cancel_base = r->now.mono_ns;
	/* Counting restarts from the press, within the same armed period. */
	in->deadline = RULES_NEVER;
}

/*
 * Is the rule armed now? *@from / *@until: the armed period's edges;
 * *@next: when it is armed again if not now.
 */
static bool rules_armed(struct rules *r, unsigned int ri, uint64_t *from,
			uint64_t *until, uint64_t *next)
{
	const struct conf_rule *rule = &r->c->rules[ri];
	uint64_t now = r->now.mono_ns;
	time_t ws, we, wn;

	*from = 0;
	*until = RULES_NEVER;
	*next = RULES_NEVER;
	if (rule->window.set) {
		if (!rules_window_at(r, &rule->window, r->now.wall, &ws, &we,
				     &wn)) {
			*next = rules_wall_to_mono(&r->now, wn);
			return false;
		}
		*from = rules_wall_to_mono(&r->now, ws);
		*until = rules_wall_to_mono(&r->now, we);
	}
	if (now >= r->override_from[ri] && now < r->override_until[ri]) {
		*next = r->override_until[ri];
		return false;
	}
	if (r->override_until[ri] && r->override_until[ri] <= now)
		*from = rules_max(*from, r->override_until[ri]);
	return true;
}

static void rules_fire(struct rules *r, struct rules_inst *in,
		       const struct rules_cond *k)
{
	const struct conf_rule *rule = &r->c->rules[in->rule];

	if (rule->prealarm_s && rule->type != CONF_RULE_SOS) {
		in->code = k->code;
		rules_emit(r, in, RULES_PREALARM, in->since);
		rules_set_st(r, in, RULES_ST_PRE);
		in->pre_end = rules_add(r->now.mono_ns,
					rule->prealarm_s * RULES_NS);
		in->due = k->windowed ? rules_min(in->pre_end, in->arm_until) :
			  in->pre_end;
		return;
	}
	rules_raise(r, in, k->code);
}

static void rules_dur(struct rules *r, struct rules_inst *in,
		      const struct rules_cond *k)
{
	const struct conf_rule *rule = &r->c->rules[in->rule];
	uint64_t now = r->now.mono_ns, from, until, next, start;

	in->due = RULES_NEVER;
	if (!k->known)
		return;
	if (in->restored) {
		/* Open from before the restart: keep it unless it demonstrably
		 * ended (the condition started anew after the raise). */
		in->restored = false;
		if (k->on && k->new_on_since && in->last_raise &&
		    k->since > in->last_raise)
			rules_end(r, in);
		else if (k->on)
			in->since = k->since;
	}
	if (k->on && k->new_on_since && in->st != RULES_ST_IDLE &&
	    k->since != in->since)
		rules_end(r, in);
	if (!k->on) {
		rules_end(r, in);
		return;
	}
	in->since = k->since;
	switch (in->st) {
	case RULES_ST_RAISED:
		if (in->acked || !rule->realarm_s)
			return;
		if (now >= rules_add(in->last_raise,
				     rule->realarm_s * RULES_NS)) {
			rules_emit(r, in, RULES_REALARM, in->since);
			in->last_raise = now;
		}
		in->due = rules_add(in->last_raise, rule->realarm_s * RULES_NS);
		return;
	case RULES_ST_PRE:
		/* The armed period ended before the raise: no alarm. */
		if (k->windowed && now >= in->arm_until) {
			rules_end(r, in);
			break;
		}
		if (now >= in->pre_end) {
			rules_raise(r, in, in->code);
			return;
		}
		in->due = k->windowed ? rules_min(in->pre_end, in->arm_until) :
			  in->pre_end;
		return;
	case RULES_ST_CAND:
		/* Reached max inside the armed period, looked at late. */
		if (now >= in->deadline && in->deadline < in->arm_until) {
			rules_fire(r, in, k);
			return;
		}
		break;
	case RULES_ST_IDLE:
		break;
	}
	from = 0;
	until = RULES_NEVER;
	if (k->windowed && !rules_armed(r, in->rule, &from, &until, &next)) {
		rules_set_st(r, in, RULES_ST_IDLE);
		in->cancel_base = 0;
		in->due = next;
		return;
	}
	if (k->began_inside && k->since < from) {
		rules_set_st(r, in, RULES_ST_IDLE);
		in->cancel_base = 0;
		in->due = until;	/* nothing to do before the window ends */
		return;
	}
	start = rules_max(rules_max(k->since, from), in->cancel_base);
	in->deadline = rules_add(start, k->max_ns);
	in->arm_until = until;
	rules_set_st(r, in, RULES_ST_CAND);
	if (now >= in->deadline && in->deadline < until)
		rules_fire(r, in, k);
	else
		in->due = rules_min(in->deadline, until);
}

static bool rules_door_night_armed(struct rules *r, unsigned int ri,
				   uint64_t at)
{
	const struct conf_rule *rule = &r->c->rules[ri];
	time_t ws, we, wn;

	if (at >= r->override_from[ri] && at < r->override_until[ri])
		return false;
	return rules_window_at(r, &rule->window,
			       rules_mono_to_wall(&r->now, at), &ws, &we, &wn);
}

/* Fill @k for a duration rule instance; false for the other types. */
static bool rules_cond_of(struct rules *r, struct rules_inst *in,
			  struct rules_cond *k)
{
	const struct conf_rule *rule = &r->c->rules[in->rule];
	const struct rules_sens *se = in->sensor >= 0 ?
				      &r->sens[in->sensor] : NULL;
	bool out;

	k->known = se ? se->known : true;
	k->on = false;
	k->since = se && se->known ? se->s.since_ns : r->start_mono;
	k->max_ns = (uint64_t)rule->max_s * RULES_NS;
	k->windowed = false;
	k->new_on_since = true;
	k->began_inside = false;
	k->code = rules_code_of(rule);
	switch (rule->type) {
	case CONF_RULE_BED_EXIT:
		k->on = se->s.state == 0;
		k->windowed = true;
		k->began_inside = true;
		return true;
	case CONF_RULE_DOOR_OPEN:
		k->on = se->s.state == 0;
		k->windowed = true;
		return true;
	case CONF_RULE_TOO_LONG:
		k->on = se->s.state == (rule->active_state ? 1 : 0);
		k->windowed = true;
		return true;
	case CONF_RULE_DOOR_NIGHT:
		k->on = se->s.state == 0 &&
			rules_door_night_armed(r, in->rule, k->since);
		k->max_ns = 0;
		return true;
	case CONF_RULE_NO_ACTIVITY:
		/* Quiet since the latest change of any watched sensor. */
		k->on = true;
		k->windowed = true;
		k->since = 0;
		for (unsigned int i = 0; i < rule->n_sensors; i++) {
			const struct rules_sens *a = &r->sens[rule->sensors[i]];

			if (a->known && a->s.since_ns >= k->since)
				k->since = a->s.since_ns;
		}
		if (!k->since)		/* nothing reported yet */
			k->since = r->start_mono;
		return true;
	case CONF_RULE_SENSOR_SILENT:
		k->known = true;
		k->on = true;
		return true;
	case CONF_RULE_LINK_DOWN:
		k->known = r->link_known;
		k->on = !r->link_up;
		k->since = r->link_since;
		return true;
	case CONF_RULE_SENSOR_FAULT:
		k->known = true;
		k->new_on_since = false;
		if (!se->present) {
			k->on = !!(rule->faults & CONF_FAULT_MISSING);
			k->since = se->absent_since;
			k->max_ns = RULES_MISSING_GRACE_NS;
			k->code = 381;
			return true;
		}
		k->max_ns = 0;
		k->since = se->fault_since;
		k->on = (se->s.faults & rule->faults) ||
			(r->c->sensors[in->sensor].kind &&
			 se->s.kind != r->c->sensors[in->sensor].kind);
		if (se->s.faults & rule->faults & CONF_FAULT_OFFLINE)
			k->code = 381;
		return true;
	case CONF_RULE_VITALS:
		/* A limit of 0 is no limit; an estimate of 0 is none. */
		out = (se->hr && ((rule->hr_min && se->hr < rule->hr_min) ||
				  (rule->hr_max && se->hr > rule->hr_max))) ||
		      (se->rr && ((rule->rr_min && se->rr < rule->rr_min) ||
				  (rule->rr_max && se->rr > rule->rr_max)));
		out = out && se->known && se->s.state == 1;
		if (out && !in->v_out)
			in->v_since = se->vit_mono;
		in->v_out = out;
		k->on = out;
		k->since = in->v_since;
		k->windowed = true;
		return true;
	case CONF_RULE_SOS:
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
	case CONF_RULE_PERIODIC_TEST:
		return false;
	}
	return false;
}

/* sos sensors: a press is a state-1 report with a stamp not seen before. */
static void rules_sos(struct rules *r, struct rules_inst *in)
{
	const struct rules_sens *se = &r->sens[in->sensor];

	in->due = RULES_NEVER;
	if (!se->known)
		return;
	if (in->restored) {
		/* Still open: the press it came from is not a new one. */
		in->restored = false;
		in->seen = true;
		in->since = se->s.since_ns;
		return;
	}
	if (se->s.state != 1 || (in->seen && in->since == se->s.since_ns))
		return;
	in->seen = true;
	in->since = se->s.since_ns;
	if (in->st != RULES_ST_RAISED)
		rules_raise(r, in, rules_code_of(&r->c->rules[in->rule]));
	in->due = RULES_NEVER;	/* sos does not re-alarm: people do */
}

/* Next local date to wait for: today if its time is still ahead. */
static rules_date rules_daily_target(struct rules *r, struct rules_inst *in,
				     conf_tod at)
{
	rules_date today = rules_date_of(r, r->now.wall);
	rules_date d = today;

	if (d <= in->fired || rules_wall_at(r, d, at) < r->now.wall)
		d = rules_date_add(today, 1);
	if (d <= in->fired)
		d = rules_date_add(in->fired, 1);
	return d;
}

static void rules_daily(struct rules *r, struct rules_inst *in)
{
	const struct conf_rule *rule = &r->c->rules[in->rule];
	const struct rules_sens *se = in->sensor >= 0 ?
				      &r->sens[in->sensor] : NULL;
	rules_date today = rules_date_of(r, r->now.wall);
	bool known = true, on = true;
	time_t t;

	if (rule->type != CONF_RULE_PERIODIC_TEST) {
		uint8_t bad = rule->type == CONF_RULE_NOT_UP_BY ? 1 : 0;

		known = se && se->known;
		on = known && se->s.state == bad;
		if (known) {
			if (in->restored && on)
				in->since = se->s.since_ns;
			in->restored = false;
			/* Raised, and the state changed: over. */
			if (in->st == RULES_ST_RAISED &&
			    (!on || in->since != se->s.since_ns))
				rules_end(r, in);
		}
	}
	/* First look, or the clock went back by more than a day. */
	if (!in->target || in->target > rules_date_add(today, 1))
		in->target = rules_daily_target(r, in, rule->at);
	t = rules_wall_at(r, in->target, rule->at);
	if (r->now.wall >= t) {
		in->fired = in->target;
		in->target = rules_daily_target(r, in, rule->at);
		if (rule->type == CONF_RULE_PERIODIC_TEST) {
			in->since = r->now.mono_ns;
			if (in->st == RULES_ST_RAISED && !in->acked)
				rules_emit(r, in, RULES_REALARM, in->since);
			else
				rules_raise(r, in, rules_code_of(rule));
		} else if (on && (in->st != RULES_ST_RAISED || in->acked)) {
			in->since = se->s.since_ns;
			rules_raise(r, in, rules_code_of(rule));
		}
		t = rules_wall_at(r, in->target, rule->at);
	}
	in->due = rules_wall_to_mono(&r->now, t);
	if (in->due <= r->now.mono_ns)	/* never spin on a stale target */
		in->due = rules_add(r->now.mono_ns, RULES_NS);
}

void rules_eval(struct rules *r, struct rules_inst *in)
{
	const struct conf_rule *rule = &r->c->rules[in->rule];
	struct rules_cond k;

	switch (rule->type) {
	case CONF_RULE_SOS:
		if (in->sensor >= 0)
			rules_sos(r, in);
		return;
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
	case CONF_RULE_PERIODIC_TEST:
		rules_daily(r, in);
		return;
	case CONF_RULE_BED_EXIT:
	case CONF_RULE_DOOR_NIGHT:
	case CONF_RULE_DOOR_OPEN:
	case CONF_RULE_NO_ACTIVITY:
	case CONF_RULE_TOO_LONG:
	case CONF_RULE_SENSOR_FAULT:
	case CONF_RULE_SENSOR_SILENT:
	case CONF_RULE_LINK_DOWN:
	case CONF_RULE_VITALS:
		break;
	}
	if (rules_cond_of(r, in, &k))
		rules_dur(r, in, &k);
}
