// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alarm rule transitions: what each transition of the rule engine does to
 * the open alarm of its instance (rule, sensor). The state table is the
 * spec at the top of alarm.h; each call of alarm_on_rule() is one
 * transaction, committed before anyone is told.
 *
 * The engine knows one occurrence at a time; the store keeps an alarm
 * open until a person has seen it. So a new occurrence may find the last
 * one still open: restored (over, nobody acked yet) - the same alarm is
 * raised again; acked (a person is on it) - that one is closed as
 * superseded and the new occurrence gets its own alarm. Either way the
 * occurrence is never dropped for want of a free instance slot.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alarm_int.h"
#include "store.h"
#include "utf8.h"

/* The open alarm of an instance: 1 with *id, *st; 0 none; -errno. */
static int alarm_find_open(struct alarm *a, const char *rule,
			   const char *sensor, uint64_t *id,
			   enum alarm_state *st)
{
	sqlite3_stmt *q;
	int rc = store_prep(a->db, &q,
			    "SELECT id, state FROM alarms WHERE rule = ? AND"
			    " sensor = ? AND test = 0 AND state IN"
			    " ('prealarm','raised','acked','restored')",
			    "tt", rule, sensor);

	if (rc < 0)
		return rc;
	rc = store_step(q);
	if (rc == SQLITE_ROW) {
		*id = (uint64_t)sqlite3_column_int64(q, 0);
		*st = alarm_state_parse(store_text(q, 1));
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	}
	store_done(q);
	return rc;
}

/*
 * Send the alarm again from chain[0]: unsent messages of the last pass
 * void, a new cycle so that the UNIQUE(alarm, kind, recipient, cycle,
 * step) key of the new messages cannot collide with the old ones.
 */
static int alarm_new_cycle(struct alarm *a, uint64_t id,
			   const struct alarm_now *now)
{
	int64_t cycle = 0;
	int rc = alarm_stop(a, id);

	if (rc >= 0)
		rc = store_run(a->db, "UPDATE alarms SET cycle = cycle + 1,"
			       " step = 0 WHERE id = ?", "u", id);
	if (rc >= 0)
		rc = store_int(a->db, &cycle, "SELECT cycle FROM alarms"
			       " WHERE id = ?", "u", id);
	if (rc >= 0)
		rc = alarm_queue_step(a, id, cycle, 0, false, now);
	return rc < 0 ? rc : 0;
}

/*
 * A new occurrence of a restored alarm's instance: the same alarm, raised
 * again. Nobody has acked it, so one alarm (repeats + 1) tells the care
 * network more than a second one would; the wording and the raise time
 * are the new occurrence's.
 */
static int alarm_reraise(struct alarm *a, const struct alarm_new *n,
			 uint64_t id, const struct alarm_now *now)
{
	int rc = store_run(a->db,
		"UPDATE alarms SET state = 'raised', repeats = repeats + 1,"
		" code = ?, zone = ?, text = ?, raised_wall = ?, raised_mono = ?,"
		" raised_boot = ? WHERE id = ?", "iiti" "itu", n->code, n->zone,
		n->text, (int64_t)now->wall, (int64_t)now->mono_ns, a->boot, id);

	if (rc >= 0)
		rc = alarm_event(a, id, now, "raised", NULL, "new occurrence");
	return rc < 0 ? rc : alarm_new_cycle(a, id, now);
}

/* A person knew of the open (acked) one: this occurrence is new. */
static int alarm_supersede(struct alarm *a, uint64_t id,
			   const struct alarm_now *now)
{
	return alarm_end(a, id, ALARM_CLOSED, "superseded", NULL, now);
}

static int alarm_prealarm_tr(struct alarm *a, const struct alarm_new *n,
			     int found, uint64_t id, enum alarm_state st,
			     const struct alarm_now *now)
{
	int rc;

	if (found) {
		switch (st) {
		case ALARM_RESTORED:
			/*
			 * Audit only: the engine runs the buzzer itself, and
			 * a row would break the one-open-alarm rule; RAISE
			 * re-raises this alarm.
			 */
			return alarm_event(a, id, now, "prealarm", NULL,
					   "new occurrence");
		case ALARM_ACKED:
			rc = alarm_supersede(a, id, now);
			if (rc < 0)
				return rc;
			break;
		case ALARM_PREALARM:
		case ALARM_RAISED:
			return -EALREADY;	/* replayed or duplicate */
		case ALARM_CLOSED:
		case ALARM_CANCELLED:
		case ALARM_CLEARED:
			break;		/* not open: not found */
		}
	}
	rc = alarm_insert(a, n, ALARM_PREALARM, now, &id);
	return rc < 0 ? rc : alarm_event(a, id, now, "prealarm", NULL, NULL);
}

/* PREALARM_CANCEL (@cancel) or PREALARM_CLEAR: the pre-alarm ends. */
static int alarm_preend_tr(struct alarm *a, bool cancel, int found,
			   uint64_t id, enum alarm_state st,
			   const struct alarm_now *now)
{
	if (!found)
		return -ENOENT;
	switch (st) {
	case ALARM_PREALARM:
		if (cancel)
			return alarm_end(a, id, ALARM_CANCELLED, "local cancel",
					 "local", now);
		return alarm_end(a, id, ALARM_CLEARED, "condition over", NULL,
				 now);
	case ALARM_RESTORED:
		/* The new occurrence's pre-alarm (audit only, see above). */
		return alarm_event(a, id, now, cancel ? "prealarm-cancelled" :
				   "prealarm-cleared", cancel ? "local" : NULL,
				   "alarm stays restored");
	case ALARM_RAISED:
	case ALARM_ACKED:
	case ALARM_CLOSED:
	case ALARM_CANCELLED:
	case ALARM_CLEARED:
		break;
	}
	return -ENOENT;
}

static int alarm_raise_tr(struct alarm *a, const struct alarm_new *n,
			  int found, uint64_t id, enum alarm_state st,
			  const struct alarm_now *now)
{
	int rc;

	if (found) {
		switch (st) {
		case ALARM_PREALARM:
			/* The pre-alarm's wording may be older than the evidence. */
			rc = store_run(a->db, "UPDATE alarms SET code = ?, zone = ?,"
				       " text = ? WHERE id = ?", "iitu", n->code,
				       n->zone, n->text, id);
			return rc < 0 ? rc : alarm_go_raised(a, id, false, now,
							     NULL);
		case ALARM_RESTORED:
			return alarm_reraise(a, n, id, now);
		case ALARM_ACKED:
			rc = alarm_supersede(a, id, now);
			if (rc < 0)
				return rc;
			break;
		case ALARM_RAISED:
			return -EALREADY;	/* replayed or duplicate RAISE */
		case ALARM_CLOSED:
		case ALARM_CANCELLED:
		case ALARM_CLEARED:
			break;
		}
	}
	rc = alarm_insert(a, n, ALARM_PREALARM, now, &id);
	return rc < 0 ? rc : alarm_go_raised(a, id, n->test, now, NULL);
}

static int alarm_realarm_tr(struct alarm *a, const struct alarm_new *n,
			    int found, uint64_t id, enum alarm_state st,
			    const struct alarm_now *now)
{
	int rc;

	if (found && (st == ALARM_RAISED || st == ALARM_RESTORED)) {
		/* Same alarm, again from chain[0]: a new cycle. */
		rc = store_run(a->db, "UPDATE alarms SET repeats = repeats + 1,"
			       " text = ? WHERE id = ?", "tu", n->text, id);
		if (rc >= 0)
			rc = alarm_event(a, id, now, "realarm", NULL, NULL);
		return rc < 0 ? rc : alarm_new_cycle(a, id, now);
	}
	/* acked: superseded by a new alarm; prealarm: promoted; none: new */
	return alarm_raise_tr(a, n, found, id, st, now);
}

static int alarm_clear_tr(struct alarm *a, int found, uint64_t id,
			  enum alarm_state st, const struct alarm_now *now)
{
	int rc;

	if (!found)
		return -ENOENT;
	switch (st) {
	case ALARM_PREALARM:
		return alarm_end(a, id, ALARM_CLEARED, "condition over", NULL, now);
	case ALARM_RAISED:
		/* Not acked: escalation goes on until a person acks. */
		rc = alarm_set_state(a, id, ALARM_RESTORED);
		if (rc >= 0)
			rc = alarm_event(a, id, now, "restored", NULL, NULL);
		if (rc >= 0)
			rc = alarm_queue_followup(a, id, ALARM_MSG_RESTORE, now);
		return rc < 0 ? rc : 0;
	case ALARM_ACKED:
		rc = alarm_queue_followup(a, id, ALARM_MSG_RESTORE, now);
		return rc < 0 ? rc : alarm_end(a, id, ALARM_CLOSED, "restored",
					       NULL, now);
	case ALARM_RESTORED:
		return -EALREADY;
	case ALARM_CLOSED:
	case ALARM_CANCELLED:
	case ALARM_CLEARED:
		break;
	}
	return -ENOENT;
}

static int alarm_dispatch(struct alarm *a, const struct alarm_input *in,
			  const struct alarm_new *n, const struct alarm_now *now)
{
	enum alarm_state st = ALARM_CLOSED;
	uint64_t id = 0;
	int found = 0;

	if (!n->test) {
		found = alarm_find_open(a, n->rule, n->sensor, &id, &st);
		if (found < 0)
			return found;
	}
	switch (in->tr) {
	case ALARM_TR_PREALARM:
		return alarm_prealarm_tr(a, n, found, id, st, now);
	case ALARM_TR_PREALARM_CANCEL:
		return alarm_preend_tr(a, true, found, id, st, now);
	case ALARM_TR_PREALARM_CLEAR:
		return alarm_preend_tr(a, false, found, id, st, now);
	case ALARM_TR_RAISE:
		return alarm_raise_tr(a, n, found, id, st, now);
	case ALARM_TR_REALARM:
		return alarm_realarm_tr(a, n, found, id, st, now);
	case ALARM_TR_CLEAR:
		return alarm_clear_tr(a, found, id, st, now);
	case ALARM_TR_LOCAL_CANCEL:
		if (!found)
			return -ENOENT;
		if (st == ALARM_ACKED)
			return -EALREADY;
		return alarm_cancel_locked(a, id, "local cancel", "local", now);
	}
	return -EINVAL;
}

int alarm_on_rule(struct alarm *a, const struct alarm_input *in,
		  const struct alarm_now *now)
{
	const struct conf *c = a->c;
	const struct conf_rule *r = NULL;
	struct alarm_new n = { 0 };
	char text[ALARM_TEXT_MAX];
	int rc;

	if (!in || !in->rule || !*in->rule ||
	    strlen(in->rule) >= CONF_NAME_MAX || !now ||
	    (in->sensor && strlen(in->sensor) >= CONF_NAME_MAX))
		return -EINVAL;
	if (in->rule_idx < c->n_rules &&
	    strcmp(c->rules[in->rule_idx].name, in->rule) == 0)
		r = &c->rules[in->rule_idx];
	n.rule = in->rule;
	n.type = conf_rule_type_name(in->type);
	n.sensor = in->sensor ? in->sensor : "";
	n.label = n.sensor;
	if (in->sensor_idx >= 0 && (unsigned int)in->sensor_idx < c->n_sensors &&
	    strcmp(c->sensors[in->sensor_idx].name, n.sensor) == 0)
		n.label = c->sensors[in->sensor_idx].label;
	n.resident = "";
	n.account = "";
	if (r && r->resident < c->n_residents) {
		n.resident = c->residents[r->resident].name;
		n.account = c->residents[r->resident].account;
	}
	utf8_copy(text, sizeof(text), in->text ? in->text : "");
	n.text = text;
	n.code = in->code;
	n.zone = in->zone;
	n.test = in->type == CONF_RULE_PERIODIC_TEST;
	if (n.test && in->tr != ALARM_TR_RAISE && in->tr != ALARM_TR_REALARM)
		return -ENOENT;	/* a test has no condition to clear */

	rc = alarm_tx_begin(a);
	if (rc >= 0) {
		rc = alarm_dispatch(a, in, &n, now);
		if (rc < 0)
			alarm_tx_abort(a);
		else
			rc = alarm_tx_commit(a);
	}
	if (alarm_store_error(rc)) {
		alarm_store_failed(a, rc, now);
		/* Never lost: whoever can be reached hears it now. */
		if (in->tr == ALARM_TR_RAISE || in->tr == ALARM_TR_REALARM)
			alarm_send_unstored(a, &n, now);
	}
	return rc;
}
