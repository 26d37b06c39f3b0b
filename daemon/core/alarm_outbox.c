// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alarm outbox: queued messages, sending through the transports,
 * escalation along the chain, retry and ack-timeout timers, resuming after
 * a restart. See the spec at the top of alarm.h.
 *
 * Every outcome (delivered, accepted, failed, escalated) is its own
 * transaction committed after the transport returned: a crash between
 * send() and COMMIT leaves the message queued, so it is sent once more
 * after the restart (at least once, same msg id).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alarm_int.h"
#include "store.h"

/* At most this many sends/escalations per alarm_advance(): never spin. */
#define ALARM_ADVANCE_MAX	256
/* A reboot's realtime deadline further away than this is a clock jump. */
#define ALARM_FAR_S		(400LL * 86400)
#define ALARM_ACK_DEFAULT_S	120
#define ALARM_RETRY_DEFAULT_S	10

static const struct conf_recipient *alarm_rcpt(const struct conf *c,
					       const char *name)
{
	for (unsigned int i = 0; i < c->n_recipients; i++)
		if (strcmp(c->recipients[i].name, name) == 0)
			return &c->recipients[i];
	return NULL;
}

int alarm_queue_step(struct alarm *a, uint64_t id, int64_t cycle, int64_t step,
		     bool test, const struct alarm_now *now)
{
	const struct conf *c = a->c;
	const char *name;
	int rc;

	rc = store_run(a->db, "UPDATE alarms SET cycle = ?, step = ?,"
		       " esc_what = NULL, esc_wall = NULL, esc_mono = NULL,"
		       " esc_boot = NULL WHERE id = ?", "iiu", cycle, step, id);
	if (rc < 0)
		return rc;
	if (step < 0 || step >= (int64_t)c->n_chain ||
	    c->chain[step] >= c->n_recipients) {
		alarm_log(a, 3, "alarm %llu: no recipient at escalation step %lld",
			  (unsigned long long)id, (long long)step);
		return alarm_event(a, id, now, "no-recipient", NULL, NULL);
	}
	name = c->recipients[c->chain[step]].name;
	/* OR IGNORE: the same step of the same cycle is queued only once. */
	rc = store_run(a->db,
		"INSERT OR IGNORE INTO msgs(alarm, kind, recipient, cycle, step,"
		" state, due_wall, due_mono, due_boot, created_wall)"
		" VALUES(?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)", "utti" "iiiti",
		id, alarm_msg_kind_name(test ? ALARM_MSG_TEST : ALARM_MSG_ALARM),
		name, cycle, step, (int64_t)now->wall, (int64_t)now->mono_ns,
		a->boot, (int64_t)now->wall);
	if (rc <= 0)
		return rc;
	return alarm_event(a, id, now, "queued", NULL, name);
}

/*
 * Keyed by the alarm's current cycle: a re-raised alarm (a new cycle) that
 * is restored again sends a second restore, while the same transition
 * replayed after a crash is still ignored.
 */
int alarm_queue_followup(struct alarm *a, uint64_t id, enum alarm_msg_kind kind,
			 const struct alarm_now *now)
{
	int rc = store_run(a->db,
		"INSERT OR IGNORE INTO msgs(alarm, kind, recipient, cycle, step,"
		" state, due_wall, due_mono, due_boot, created_wall)"
		" SELECT ?, ?, recipient, (SELECT cycle FROM alarms"
		" WHERE id = ?), 0, 'queued', ?, ?, ?, ?"
		" FROM alarm_rcpts WHERE alarm = ?", "utuiiti" "u",
		id, alarm_msg_kind_name(kind), id, (int64_t)now->wall,
		(int64_t)now->mono_ns, a->boot, (int64_t)now->wall, id);

	if (rc <= 0)
		return rc;
	return alarm_event(a, id, now, "queued", NULL, alarm_msg_kind_name(kind));
}

int alarm_stop(struct alarm *a, uint64_t id)
{
	/* INDEXED BY: the partial index of open messages, not every cycle's */
	int rc = store_run(a->db, "UPDATE msgs INDEXED BY msgs_open SET"
			   " state = 'void' WHERE"
			   " alarm = ? AND kind IN ('alarm','test') AND"
			   " state IN ('queued','sent')", "u", id);

	if (rc >= 0)
		rc = store_run(a->db, "UPDATE alarms SET esc_what = NULL,"
			       " esc_wall = NULL, esc_mono = NULL,"
			       " esc_boot = NULL WHERE id = ?", "u", id);
	return rc < 0 ? rc : 0;
}

void alarm_recompute(struct alarm *a)
{
	int64_t m = -1, e = -1;
	uint64_t next = ALARM_NEVER;

	if (store_int(a->db, &m, "SELECT min(due_mono) FROM msgs WHERE"
		      " state = 'queued'", NULL) == 1 && m >= 0)
		next = (uint64_t)m;
	if (store_int(a->db, &e, "SELECT min(esc_mono) FROM alarms WHERE"
		      " esc_what IS NOT NULL", NULL) == 1 && e >= 0 &&
	    (uint64_t)e < next)
		next = (uint64_t)e;
	a->next = next;
}

uint64_t alarm_next(const struct alarm *a)
{
	/* A failing store: nothing but the retry, or due work would spin. */
	return a->h.failing ? a->h.retry_mono : a->next;
}

/* One message and what the recipient is told, copied out of the store. */
struct alarm_out {
	int64_t id, alarm, cycle, step;
	enum alarm_msg_kind kind;
	bool test;
	char recipient[CONF_NAME_MAX];
	char rule[CONF_NAME_MAX], type[24], sensor[CONF_NAME_MAX];
	char label[CONF_TEXT_MAX], resident[CONF_NAME_MAX], account[24];
	char text[ALARM_TEXT_MAX];
	int64_t code, zone, raised, repeats;
};

static int alarm_out_load(struct alarm *a, int64_t id, struct alarm_out *o)
{
	sqlite3_stmt *q;
	const char *kind;
	int rc;

	rc = store_prep(a->db, &q,
		"SELECT m.id, m.alarm, m.cycle, m.step, m.kind, m.recipient,"
		" a.rule, a.type, a.sensor, a.sensor_label, a.resident,"
		" a.account, a.text, a.code, a.zone, a.raised_wall, a.repeats,"
		" a.test FROM msgs m JOIN alarms a ON a.id = m.alarm"
		" WHERE m.id = ?", "i", id);
	if (rc < 0)
		return rc;
	rc = store_step(q);
	if (rc != SQLITE_ROW) {
		store_done(q);
		return rc < 0 ? rc : -ENOENT;
	}
	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	o->alarm = sqlite3_column_int64(q, 1);
	o->cycle = sqlite3_column_int64(q, 2);
	o->step = sqlite3_column_int64(q, 3);
	kind = store_text(q, 4);
	o->kind = ALARM_MSG_ALARM;
	for (unsigned int k = 0; k < ALARM_MSG_KINDS; k++)
		if (strcmp(kind, alarm_msg_kind_name((enum alarm_msg_kind)k)) == 0)
			o->kind = (enum alarm_msg_kind)k;
	snprintf(o->recipient, sizeof(o->recipient), "%s", store_text(q, 5));
	snprintf(o->rule, sizeof(o->rule), "%s", store_text(q, 6));
	snprintf(o->type, sizeof(o->type), "%s", store_text(q, 7));
	snprintf(o->sensor, sizeof(o->sensor), "%s", store_text(q, 8));
	snprintf(o->label, sizeof(o->label), "%s", store_text(q, 9));
	snprintf(o->resident, sizeof(o->resident), "%s", store_text(q, 10));
	snprintf(o->account, sizeof(o->account), "%s", store_text(q, 11));
	snprintf(o->text, sizeof(o->text), "%s", store_text(q, 12));
	o->code = sqlite3_column_int64(q, 13);
	o->zone = sqlite3_column_int64(q, 14);
	o->raised = sqlite3_column_int64(q, 15);
	o->repeats = sqlite3_column_int64(q, 16);
	o->test = sqlite3_column_int(q, 17) != 0;
	store_done(q);
	return 0;
}

static uint32_t alarm_ack_timeout(struct alarm *a, const char *recipient)
{
	const struct conf_recipient *r = alarm_rcpt(a->c, recipient);

	return r && r->ack_timeout_s ? r->ack_timeout_s : ALARM_ACK_DEFAULT_S;
}

/* Start the ack timeout of the current step if @o is that step's message. */
static int alarm_arm_ack(struct alarm *a, const struct alarm_out *o,
			 bool restart, const struct alarm_now *now)
{
	uint32_t t = alarm_ack_timeout(a, o->recipient);
	int rc;

	if (o->kind != ALARM_MSG_ALARM)
		return 0;
	rc = store_run(a->db,
		"UPDATE alarms SET esc_what = 'ack', esc_wall = ?, esc_mono = ?,"
		" esc_boot = ? WHERE id = ? AND cycle = ? AND step = ? AND"
		" state IN ('raised','restored') AND (? OR esc_what IS NULL)",
		"iiti" "iii", (int64_t)now->wall + t, alarm_due_mono(now, t),
		a->boot, o->alarm, o->cycle, o->step, (int64_t)restart);
	return rc < 0 ? rc : 0;
}

/* Commit the outcome of one send() (or of alarm_delivered()). */
static int alarm_outcome(struct alarm *a, const struct alarm_out *o, int res,
			 const char *detail, const struct alarm_now *now)
{
	const struct conf_recipient *r = alarm_rcpt(a->c, o->recipient);
	uint32_t retry = r && r->retry_s ? r->retry_s : ALARM_RETRY_DEFAULT_S;
	int rc = alarm_tx_begin(a);

	if (rc < 0)
		return rc;
	if (res > 0) {
		rc = store_run(a->db, "UPDATE msgs SET state = 'delivered',"
			       " tries = tries + 1, done_wall = ?, detail = ?"
			       " WHERE id = ?", "iti", (int64_t)now->wall,
			       detail, o->id);
		if (rc >= 0)
			rc = alarm_event(a, (uint64_t)o->alarm, now, "delivered",
					 o->recipient, alarm_msg_kind_name(o->kind));
		if (rc >= 0 && o->kind == ALARM_MSG_TEST) {
			rc = store_run(a->db, "UPDATE alarms SET state = 'closed',"
				       " closed_wall = ?, closed_reason ="
				       " 'delivered' WHERE id = ? AND state ="
				       " 'raised'", "ii", (int64_t)now->wall,
				       o->alarm);
			if (rc > 0)
				rc = alarm_event(a, (uint64_t)o->alarm, now,
						 "closed", NULL, "test delivered");
		}
		if (rc >= 0)
			rc = alarm_arm_ack(a, o, true, now);
	} else if (res == 0) {
		rc = store_run(a->db, "UPDATE msgs SET state = 'sent', tries ="
			       " tries + 1 WHERE id = ?", "i", o->id);
		if (rc >= 0)
			rc = alarm_event(a, (uint64_t)o->alarm, now, "sent",
					 o->recipient, alarm_msg_kind_name(o->kind));
	} else {
		rc = store_run(a->db, "UPDATE msgs SET state = 'queued', tries ="
			       " tries + 1, detail = ?, due_wall = ?, due_mono = ?,"
			       " due_boot = ? WHERE id = ?", "tiiti", detail,
			       (int64_t)now->wall + retry, alarm_due_mono(now, retry),
			       a->boot, o->id);
		if (rc >= 0)
			rc = alarm_event(a, (uint64_t)o->alarm, now, "send-failed",
					 o->recipient, detail);
		/* An unreachable recipient must not hold up the chain. */
		if (rc >= 0)
			rc = alarm_arm_ack(a, o, false, now);
	}
	if (rc < 0) {
		alarm_tx_abort(a);
		return rc;
	}
	return alarm_tx_commit(a);
}

static int alarm_skip(struct alarm *a, const struct alarm_out *o,
		      const struct alarm_now *now)
{
	int rc;

	alarm_log(a, 4, "alarm %lld: recipient '%s' is not configured:"
		  " message %lld skipped", (long long)o->alarm, o->recipient,
		  (long long)o->id);
	rc = alarm_tx_begin(a);
	if (rc < 0)
		return rc;
	rc = store_run(a->db, "UPDATE msgs SET state = 'skipped', done_wall = ?,"
		       " detail = 'recipient not configured' WHERE id = ?", "ii",
		       (int64_t)now->wall, o->id);
	if (rc >= 0)
		rc = alarm_event(a, (uint64_t)o->alarm, now, "skipped",
				 o->recipient, "recipient not configured");
	if (rc < 0) {
		alarm_tx_abort(a);
		return rc;
	}
	return alarm_tx_commit(a);
}

static int alarm_send_one(struct alarm *a, int64_t id,
			  const struct alarm_now *now)
{
	const struct conf_recipient *r;
	const struct alarm_transport *t;
	struct alarm_out o;
	struct alarm_msg m;
	char detail[64];
	int rc, res;

	rc = alarm_out_load(a, id, &o);
	if (rc < 0)
		return rc;
	r = alarm_rcpt(a->c, o.recipient);
	if (!r)
		return alarm_skip(a, &o, now);
	t = (unsigned int)r->transport < ALARM_TRANSPORTS_MAX ?
	    &a->tr[r->transport] : NULL;
	if (!t || !t->send)
		return alarm_outcome(a, &o, -ENOSYS, "no transport", now);
	m = (struct alarm_msg){
		.id = (uint64_t)o.id, .alarm = (uint64_t)o.alarm,
		.kind = o.kind, .recipient = o.recipient,
		.hub = a->c->hub_name, .resident = o.resident,
		.account = o.account, .rule = o.rule, .type = o.type,
		.code = (uint16_t)o.code, .zone = (uint16_t)o.zone,
		.sensor = o.sensor, .sensor_label = o.label, .text = o.text,
		.raised_wall = (time_t)o.raised,
		.repeats = (unsigned int)o.repeats,
	};
	res = t->send(t->ctx, &m);
	snprintf(detail, sizeof(detail), "%s: %s", t->name ? t->name : "?",
		 res > 0 ? "delivered" : res == 0 ? "accepted" : strerror(-res));
	return alarm_outcome(a, &o, res, detail, now);
}

int alarm_delivered(struct alarm *a, uint64_t msg_id, bool ok,
		    const char *detail, const struct alarm_now *now)
{
	struct alarm_out o;
	int64_t n = 0;
	int rc;

	rc = store_int(a->db, &n, "SELECT state = 'sent' FROM msgs WHERE id = ?",
		       "u", msg_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return -ENOENT;
	if (!n)
		return -EALREADY;
	rc = alarm_out_load(a, (int64_t)msg_id, &o);
	if (rc < 0)
		return rc;
	return alarm_outcome(a, &o, ok ? 1 : -EIO, detail ? detail : "", now);
}

/* An escalation deadline passed: next recipient, chain end, or repeat. */
static int alarm_escalate(struct alarm *a, int64_t id,
			  const struct alarm_now *now)
{
	int64_t cycle = 0, step = 0, next;
	char what[8] = "";
	sqlite3_stmt *q;
	int rc;

	rc = alarm_tx_begin(a);
	if (rc < 0)
		return rc;
	rc = store_prep(a->db, &q, "SELECT esc_what, cycle, step FROM alarms"
			" WHERE id = ? AND esc_what IS NOT NULL", "i", id);
	if (rc < 0)
		goto out;
	rc = store_step(q);
	if (rc == SQLITE_ROW) {
		snprintf(what, sizeof(what), "%s", store_text(q, 0));
		cycle = sqlite3_column_int64(q, 1);
		step = sqlite3_column_int64(q, 2);
	}
	store_done(q);
	if (rc < 0 || !what[0])
		goto out;
	if (strcmp(what, "repeat") == 0) {
		rc = alarm_event(a, (uint64_t)id, now, "repeat", NULL, NULL);
		if (rc >= 0)
			rc = alarm_queue_step(a, (uint64_t)id, cycle + 1, 0,
					      false, now);
		goto out;
	}
	next = step + 1;
	if (next < (int64_t)a->c->n_chain) {
		rc = alarm_event(a, (uint64_t)id, now, "escalated", NULL, NULL);
		if (rc >= 0)
			rc = alarm_queue_step(a, (uint64_t)id, cycle, next,
					      false, now);
	} else if (a->c->repeat_s) {
		rc = store_run(a->db, "UPDATE alarms SET esc_what = 'repeat',"
			       " esc_wall = ?, esc_mono = ?, esc_boot = ?"
			       " WHERE id = ?", "iiti",
			       (int64_t)now->wall + a->c->repeat_s,
			       alarm_due_mono(now, a->c->repeat_s), a->boot, id);
		if (rc >= 0)
			rc = alarm_event(a, (uint64_t)id, now, "chain-end",
					 NULL, "repeat");
	} else {
		rc = alarm_stop(a, (uint64_t)id);
		if (rc >= 0)
			rc = alarm_event(a, (uint64_t)id, now, "chain-end",
					 NULL, "no repeat");
	}
out:
	if (rc < 0) {
		alarm_tx_abort(a);
		return rc;
	}
	return alarm_tx_commit(a);
}

void alarm_advance(struct alarm *a, const struct alarm_now *now)
{
	alarm_store_retry(a, now);
	if (a->h.failing)
		return;		/* until the retry works */
	for (unsigned int n = 0; n < ALARM_ADVANCE_MAX; n++) {
		int64_t id;
		int rc;

		rc = store_int(a->db, &id, "SELECT id FROM msgs WHERE state ="
			       " 'queued' AND due_mono <= ? ORDER BY due_mono, id"
			       " LIMIT 1", "u", now->mono_ns);
		if (rc == 1) {
			rc = alarm_send_one(a, id, now);
			if (rc < 0) {
				alarm_store_result(a, rc, now);
				break;
			}
			continue;
		}
		if (rc < 0) {
			alarm_store_result(a, rc, now);
			break;
		}
		rc = store_int(a->db, &id, "SELECT id FROM alarms WHERE esc_what"
			       " IS NOT NULL AND esc_mono <= ? ORDER BY esc_mono,"
			       " id LIMIT 1", "u", now->mono_ns);
		if (rc != 1) {		/* nothing due, or an error */
			alarm_store_result(a, rc, now);
			break;
		}
		rc = alarm_escalate(a, id, now);
		if (rc < 0) {
			alarm_store_result(a, rc, now);
			break;
		}
	}
	alarm_recompute(a);
}

/*
 * After a restart: messages handed to a transport without a confirmed
 * delivery are sent again now; deadlines stored by another boot get a
 * boottime value from their realtime one (past ones are due now).
 */
int alarm_resume(struct alarm *a, const struct alarm_now *now)
{
	int64_t w = (int64_t)now->wall, m = (int64_t)now->mono_ns;
	int rc = alarm_tx_begin(a);

	if (rc < 0)
		return rc;
	rc = store_run(a->db, "INSERT INTO events(alarm, wall, what, detail)"
		       " SELECT alarm, ?, 'resend', 'msg ' || id || ' to ' ||"
		       " recipient FROM msgs WHERE state = 'sent'", "i", w);
	if (rc >= 0)
		rc = store_run(a->db, "UPDATE msgs SET state = 'queued',"
			       " due_wall = ?, due_mono = ?, due_boot = ?"
			       " WHERE state = 'sent'", "iit", w, m, a->boot);
	if (rc >= 0)
		rc = store_run(a->db, "UPDATE msgs SET due_mono = ? + 1000000000 *"
			       " min(max(due_wall - ?, 0), ?), due_boot = ?"
			       " WHERE state = 'queued' AND due_boot IS NOT ?",
			       "iiitt", m, w, (int64_t)ALARM_FAR_S, a->boot,
			       a->boot);
	if (rc >= 0)
		rc = store_run(a->db, "UPDATE alarms SET esc_mono = ? + 1000000000 *"
			       " min(max(esc_wall - ?, 0), ?), esc_boot = ?"
			       " WHERE esc_what IS NOT NULL AND esc_boot IS NOT ?",
			       "iiitt", m, w, (int64_t)ALARM_FAR_S, a->boot,
			       a->boot);
	if (rc >= 0)
		rc = alarm_event(a, 0, now, "start", NULL, a->boot);
	if (rc < 0) {
		alarm_tx_abort(a);
		return rc;
	}
	return alarm_tx_commit(a);
}
