// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alarm: the store's lifecycle primitives (transactions, audit rows, state
 * changes), open/close and the operator actions (ack, cancel, test). The
 * spec is the comment at the top of alarm.h; the rule engine's transitions
 * are mapped onto the lifecycle in alarm_rule.c, messages, escalation and
 * timers are in alarm_outbox.c, queries in alarm_query.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm_int.h"
#include "store.h"
#include "utf8.h"

static const char *const alarm_state_names[ALARM_STATES] = {
	[ALARM_PREALARM] = "prealarm",
	[ALARM_RAISED] = "raised",
	[ALARM_ACKED] = "acked",
	[ALARM_RESTORED] = "restored",
	[ALARM_CLOSED] = "closed",
	[ALARM_CANCELLED] = "cancelled",
	[ALARM_CLEARED] = "cleared",
};

static const char *const alarm_kind_names[ALARM_MSG_KINDS] = {
	[ALARM_MSG_ALARM] = "alarm",
	[ALARM_MSG_RESTORE] = "restore",
	[ALARM_MSG_CANCEL] = "cancel",
	[ALARM_MSG_TEST] = "test",
};

const char *alarm_state_name(enum alarm_state s)
{
	return (unsigned int)s < ALARM_STATES ? alarm_state_names[s] : "?";
}

const char *alarm_msg_kind_name(enum alarm_msg_kind k)
{
	return (unsigned int)k < ALARM_MSG_KINDS ? alarm_kind_names[k] : "?";
}

/* A state word from the store; unknown words (a hand-edited DB) = closed. */
enum alarm_state alarm_state_parse(const char *s)
{
	for (unsigned int i = 0; i < ALARM_STATES; i++)
		if (strcmp(s, alarm_state_names[i]) == 0)
			return (enum alarm_state)i;
	return ALARM_CLOSED;
}

void alarm_log(struct alarm *a, int prio, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (a->ops && a->ops->log)
		a->ops->log(a->arg, prio, buf);
	else
		fprintf(stderr, "<%d>alarm: %s\n", prio, buf);
}

int64_t alarm_due_mono(const struct alarm_now *now, uint64_t delay_s)
{
	return (int64_t)(now->mono_ns + delay_s * ALARM_NS);
}

int alarm_event(struct alarm *a, uint64_t id, const struct alarm_now *now,
		const char *what, const char *who, const char *detail)
{
	int rc;

	if (id)
		rc = store_run(a->db, "INSERT INTO events(alarm, wall, what, who,"
			       " detail) VALUES(?, ?, ?, ?, ?)", "uittt",
			       id, (int64_t)now->wall, what, who, detail);
	else
		rc = store_run(a->db, "INSERT INTO events(alarm, wall, what, who,"
			       " detail) VALUES(NULL, ?, ?, ?, ?)", "ittt",
			       (int64_t)now->wall, what, who, detail);
	if (rc < 0)
		return rc;
	if (!id)
		return 0;
	if (a->n_pend < ALARM_PEND_MAX) {
		struct alarm_pend *p = &a->pend[a->n_pend++];

		p->id = id;
		snprintf(p->what, sizeof(p->what), "%s", what);
	} else {
		a->pend_lost++;
	}
	return 0;
}

int alarm_tx_begin(struct alarm *a)
{
	a->n_pend = 0;
	a->pend_lost = 0;
	return store_begin(a->db);
}

void alarm_tx_abort(struct alarm *a)
{
	store_rollback(a->db);
	a->n_pend = 0;
}

/*
 * Commit, then act: the notifications collected during the transaction
 * are copied out first, so a callback may call back into this module.
 */
int alarm_tx_commit(struct alarm *a)
{
	struct alarm_pend pend[ALARM_PEND_MAX];
	unsigned int n = a->n_pend, lost = a->pend_lost;
	struct alarm_info ai;
	int rc;

	rc = store_commit(a->db);
	a->n_pend = 0;
	a->pend_lost = 0;
	if (rc < 0)
		return rc;
	alarm_store_ok(a);
	memcpy(pend, a->pend, n * sizeof(pend[0]));
	alarm_recompute(a);
	if (lost)
		alarm_log(a, 4, "%u transition notifications not shown", lost);
	for (unsigned int i = 0; i < n; i++) {
		if (alarm_get(a, pend[i].id, &ai) < 0)
			continue;
		if (a->ops && a->ops->transition)
			a->ops->transition(a->arg, &ai, pend[i].what);
	}
	return 0;
}

/* Lock, open, check; say loudly what had to be repaired. */
static int alarm_store_open(struct alarm *a, const char *path,
			    const struct alarm_now *now, char *err,
			    size_t errlen)
{
	struct store_notice note;
	int rc;

	if (!strcmp(path, ":memory:"))
		return store_open(&a->db, path, err, errlen);
	a->lock_fd = store_lock(path, err, errlen);
	rc = a->lock_fd < 0 ? a->lock_fd :
	     store_open_guarded(&a->db, path, a->lock_fd, now->wall, &note,
				err, errlen);
	if (rc == -EBUSY)
		return rc;	/* in use: the message names the holder */
	if (rc < 0) {
		/* Every fatal store error names the file, and says why. */
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", err);
		snprintf(err, errlen, "%s%s%s%s", strstr(msg, path) ? "" : path,
			 strstr(msg, path) ? "" : ": ", msg,
			 rc == -EROFS || rc == -EACCES || rc == -EPERM ?
			 " (the file or its directory is read-only: the store"
			 " must be writable by the daemon's user)" : "");
		return rc;
	}
	if (note.broken)
		alarm_log(a, 2, "the alarm store %s was corrupt (%s): kept as %s"
			  " for inspection, a new store was started; open alarms"
			  " from before are not known", path, note.detail,
			  note.moved_to);
	if (note.lost)
		alarm_log(a, 2, "the alarm store %s, created at %lld, has lost"
			  " its contents (its -wal file deleted?): a new store"
			  " was started, alarm ids restart at 1", path,
			  (long long)note.created_before);
	return 0;
}

int alarm_open(struct alarm **out, const char *db_path, const struct conf *c,
	       const struct alarm_ops *ops, void *arg,
	       const struct alarm_now *now, char *err, size_t errlen)
{
	struct alarm *a;
	int rc;

	*out = NULL;
	if (!db_path || !c || !now) {
		snprintf(err, errlen, "alarm_open: missing argument");
		return -EINVAL;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		snprintf(err, errlen, "alarm_open: out of memory");
		return -ENOMEM;
	}
	a->c = c;
	a->ops = ops;
	a->arg = arg;
	a->next = ALARM_NEVER;
	snprintf(a->boot, sizeof(a->boot), "%s", now->boot_id ? now->boot_id : "");
	snprintf(a->path, sizeof(a->path), "%s", db_path);
	a->lock_fd = -1;
	rc = alarm_store_open(a, db_path, now, err, errlen);
	if (rc < 0) {
		alarm_close(a);
		return rc;
	}
	rc = alarm_resume(a, now);
	if (rc < 0) {
		snprintf(err, errlen, "%s: resuming the open alarms: %s%s", db_path,
			 strerror(-rc), rc == -EROFS ?
			 " (the file or its directory is read-only; the store must"
			 " be writable by the daemon's user)" : "");
		alarm_close(a);
		return rc;
	}
	*out = a;
	return 0;
}

void alarm_close(struct alarm *a)
{
	if (!a)
		return;
	store_close(a->db);
	store_unlock(a->lock_fd);
	free(a);
}

struct sqlite3 *alarm_db(struct alarm *a)
{
	return a->db;
}

int alarm_reconf(struct alarm *a, const struct conf *c)
{
	if (!c)
		return -EINVAL;
	a->c = c;
	alarm_recompute(a);
	return 0;
}

int alarm_set_transport(struct alarm *a, enum conf_transport t,
			const struct alarm_transport *tr)
{
	if ((unsigned int)t >= ALARM_TRANSPORTS_MAX || !tr || !tr->send)
		return -EINVAL;
	a->tr[t] = *tr;
	return 0;
}

/*
 * @final: an acknowledgement ends the alarm - a test, or a rule whose
 * condition never ends by itself (an SOS call, the daily test report):
 * once a person has it, there is nothing left to wait for.
 */
static int alarm_state_of(struct alarm *a, uint64_t id, enum alarm_state *st,
			  bool *final)
{
	sqlite3_stmt *q;
	int rc = store_prep(a->db, &q,
			    "SELECT state, test OR type IN ('sos', 'periodic-test',"
			    " 'hub-fault')"
			    " FROM alarms WHERE id = ?", "u", id);

	if (rc < 0)
		return rc;
	rc = store_step(q);
	if (rc == SQLITE_ROW) {
		*st = alarm_state_parse(store_text(q, 0));
		*final = sqlite3_column_int(q, 1) != 0;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = -ENOENT;
	}
	store_done(q);
	return rc;
}

int alarm_insert(struct alarm *a, const struct alarm_new *n,
		 enum alarm_state st, const struct alarm_now *now, uint64_t *id)
{
	bool raised = st == ALARM_RAISED;
	int rc = store_run(a->db,
		"INSERT INTO alarms(rule, type, sensor, sensor_label, resident,"
		" account, code, zone, text, test, state, created_wall,"
		" raised_wall, raised_mono, raised_boot)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"tttttt" "iiti" "ti" "iit",
		n->rule, n->type, n->sensor, n->label, n->resident, n->account,
		n->code, n->zone, n->text, (int64_t)n->test,
		alarm_state_name(st), (int64_t)now->wall,
		raised ? (int64_t)now->wall : (int64_t)0,
		raised ? (int64_t)now->mono_ns : (int64_t)0,
		raised ? a->boot : NULL);

	if (rc < 0)
		return rc;
	*id = (uint64_t)sqlite3_last_insert_rowid(a->db);
	return 0;
}

/* Raised now: queue the first notification. */
int alarm_go_raised(struct alarm *a, uint64_t id, bool test,
		    const struct alarm_now *now, const char *who)
{
	int rc = store_run(a->db,
		"UPDATE alarms SET state = 'raised', raised_wall = ?,"
		" raised_mono = ?, raised_boot = ?, cycle = 0, step = 0"
		" WHERE id = ?", "iitu", (int64_t)now->wall,
		(int64_t)now->mono_ns, a->boot, id);

	if (rc >= 0)
		rc = alarm_event(a, id, now, "raised", who, NULL);
	if (rc >= 0)
		rc = alarm_queue_step(a, id, 0, 0, test, now);
	return rc < 0 ? rc : 0;
}

/* To a final state (closed, cancelled, cleared): escalation stops. */
int alarm_end(struct alarm *a, uint64_t id, enum alarm_state st,
	      const char *reason, const char *who, const struct alarm_now *now)
{
	int rc = store_run(a->db,
		"UPDATE alarms SET state = ?, closed_wall = ?, closed_reason = ?"
		" WHERE id = ?", "tit" "u", alarm_state_name(st),
		(int64_t)now->wall, reason, id);

	if (rc >= 0)
		rc = alarm_stop(a, id);
	if (rc >= 0)
		rc = alarm_event(a, id, now, alarm_state_name(st), who, reason);
	return rc < 0 ? rc : 0;
}

int alarm_set_state(struct alarm *a, uint64_t id, enum alarm_state st)
{
	int rc = store_run(a->db, "UPDATE alarms SET state = ? WHERE id = ?",
			   "tu", alarm_state_name(st), id);

	return rc < 0 ? rc : 0;
}

int alarm_cancel_locked(struct alarm *a, uint64_t id, const char *reason,
			const char *who, const struct alarm_now *now)
{
	/* Recipients that have the alarm are found before alarm_end voids. */
	int rc = alarm_queue_followup(a, id, ALARM_MSG_CANCEL, now);

	return rc < 0 ? rc : alarm_end(a, id, ALARM_CANCELLED, reason, who, now);
}

/* The acknowledgement itself, inside the transaction. */
static int alarm_ack_locked(struct alarm *a, uint64_t id, enum alarm_state st,
			    bool final, const char *by,
			    const struct alarm_now *now)
{
	int rc;

	switch (st) {
	case ALARM_PREALARM:
		return -EAGAIN;	/* nothing was sent yet: nothing to ack */
	case ALARM_RAISED:
	case ALARM_RESTORED:
		rc = store_run(a->db, "UPDATE alarms SET acked_wall = ?,"
			       " acked_by = ? WHERE id = ?", "itu",
			       (int64_t)now->wall, by, id);
		if (rc < 0)
			return rc;
		/* restored + ack = done; so is an ack of a final alarm */
		if (st == ALARM_RESTORED || final) {
			rc = alarm_event(a, id, now, "acked", by, NULL);
			return rc < 0 ? rc :
				alarm_end(a, id, ALARM_CLOSED, "acked", by, now);
		}
		rc = alarm_set_state(a, id, ALARM_ACKED);
		if (rc >= 0)
			rc = alarm_stop(a, id);
		return rc < 0 ? rc : alarm_event(a, id, now, "acked", by, NULL);
	case ALARM_ACKED:
	case ALARM_CLOSED:
	case ALARM_CANCELLED:
	case ALARM_CLEARED:
		return -EALREADY;
	}
	return -EINVAL;
}

static int alarm_cancel_op(struct alarm *a, uint64_t id, enum alarm_state st,
			   bool final, const char *by,
			   const struct alarm_now *now)
{
	(void)final;
	switch (st) {
	case ALARM_PREALARM:
	case ALARM_RAISED:
	case ALARM_ACKED:
	case ALARM_RESTORED:
		return alarm_cancel_locked(a, id, "operator cancel", by, now);
	case ALARM_CLOSED:
	case ALARM_CANCELLED:
	case ALARM_CLEARED:
		return -EALREADY;
	}
	return -EINVAL;
}

/*
 * A person's action on alarm @id: one transaction around @op, which sees
 * the alarm's state; on success the engine hears that a person took it.
 */
static int alarm_operate(struct alarm *a, uint64_t id, const char *who,
			 const struct alarm_now *now,
			 int (*op)(struct alarm *a, uint64_t id,
				   enum alarm_state st, bool final,
				   const char *by, const struct alarm_now *now))
{
	enum alarm_state st = ALARM_CLOSED;
	char by[ALARM_WHO_MAX];
	bool final = false;
	int rc;

	snprintf(by, sizeof(by), "%s", who ? who : "");
	rc = alarm_tx_begin(a);
	if (rc < 0)
		return rc;
	rc = alarm_state_of(a, id, &st, &final);
	if (rc >= 0)
		rc = op(a, id, st, final, by, now);
	if (rc < 0) {
		alarm_tx_abort(a);
		return rc;
	}
	return alarm_tx_commit(a);
}

int alarm_ack(struct alarm *a, uint64_t id, const char *who,
	      const struct alarm_now *now)
{
	return alarm_store_result(a, alarm_operate(a, id, who, now,
						   alarm_ack_locked), now);
}

int alarm_cancel(struct alarm *a, uint64_t id, const char *who,
		 const struct alarm_now *now)
{
	return alarm_store_result(a, alarm_operate(a, id, who, now,
						   alarm_cancel_op), now);
}

/*
 * The end of raising an alarm no rule owns (a hub fault, a manual test),
 * inside the transaction the caller began: @rc is the caller's result so
 * far; insert, raise, commit or abort, and hand back the new id.
 */
static int alarm_raise_ruleless(struct alarm *a, const struct alarm_new *n,
				int rc, const char *by,
				const struct alarm_now *now, uint64_t *id)
{
	uint64_t nid;

	if (rc >= 0)
		rc = alarm_insert(a, n, ALARM_PREALARM, now, &nid);
	if (rc >= 0)
		rc = alarm_go_raised(a, nid, n->test, now, by);
	if (rc < 0) {
		alarm_tx_abort(a);
		return alarm_store_result(a, rc, now);
	}
	rc = alarm_store_result(a, alarm_tx_commit(a), now);
	if (rc == 0 && id)
		*id = nid;
	return rc;
}

int alarm_hub_fault(struct alarm *a, const char *what, const char *text,
		    const struct alarm_now *now, uint64_t *id)
{
	struct alarm_new n = { 0 };
	char t[ALARM_TEXT_MAX];
	int64_t open = 0;
	int rc;

	if (!what || !*what || strlen(what) >= CONF_NAME_MAX || !text)
		return -EINVAL;
	utf8_copy(t, sizeof(t), text);
	n.rule = "";		/* no rule of the config: nothing re-raises it */
	n.type = "hub-fault";
	n.sensor = n.label = what;
	n.resident = a->c->n_residents ? a->c->residents[0].name : "";
	n.account = a->c->n_residents ? a->c->residents[0].account : "";
	n.text = t;
	n.code = ALARM_HUB_FAULT_CODE;
	rc = alarm_tx_begin(a);
	if (rc < 0)
		return alarm_store_result(a, rc, now);
	rc = store_int(a->db, &open, "SELECT count(*) FROM alarms WHERE"
		       " rule = '' AND sensor = ? AND test = 0 AND state IN"
		       " ('prealarm','raised','acked','restored')", "t", what);
	if (rc >= 0 && open)
		rc = -EALREADY;		/* still open, e.g. from before a restart */
	return alarm_raise_ruleless(a, &n, rc, NULL, now, id);
}

int alarm_test(struct alarm *a, const char *who, const struct alarm_now *now,
	       uint64_t *id)
{
	struct alarm_new n = { 0 };
	char text[ALARM_TEXT_MAX], by[ALARM_WHO_MAX];
	int rc;

	snprintf(by, sizeof(by), "%s", who ? who : "");
	snprintf(text, sizeof(text), "Manual test alarm (by %s)", by);
	n.rule = "";
	n.type = "test";
	n.sensor = n.label = "";
	n.resident = a->c->n_residents ? a->c->residents[0].name : "";
	n.account = a->c->n_residents ? a->c->residents[0].account : "";
	n.text = text;
	n.code = ALARM_TEST_CODE;
	n.test = true;
	rc = alarm_tx_begin(a);
	if (rc < 0)
		return alarm_store_result(a, rc, now);
	return alarm_raise_ruleless(a, &n, 0, by, now, id);
}
