/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alarm internals shared by alarm.c (lifecycle primitives, operator
 * actions), alarm_rule.c (engine transitions), alarm_query.c (queries) and
 * alarm_outbox.c (messages, escalation, timers). Not for other modules.
 */
#ifndef ALARM_INT_H
#define ALARM_INT_H

#include <sqlite3.h>

#include "alarm.h"

#define ALARM_TRANSPORTS_MAX	8
#define ALARM_PEND_MAX		64
#define ALARM_BOOT_MAX		40
#define ALARM_PATH_MAX		4096
#define ALARM_NS		1000000000ULL

/*
 * Work to do after the current transaction commits: transition
 * notifications. Filled inside a transaction, emptied by
 * alarm_flush() after COMMIT, dropped by alarm_abort() on ROLLBACK.
 */
struct alarm_pend {
	uint64_t id;
	char what[24];
};

/* The store's health (alarm_health.c). */
struct alarm_hstate {
	bool failing;
	bool recovered;		/* since the caller last asked */
	int err;		/* -errno of the last failure */
	time_t since;		/* failing since (wall) */
	unsigned int backoff_s;
	uint64_t retry_mono;
	unsigned int failures;	/* failed commits in this spell */
	unsigned int unstored;	/* alarms sent without being stored */
};

struct alarm {
	sqlite3 *db;
	char path[ALARM_PATH_MAX];	/* for messages */
	int lock_fd;			/* store_lock(), -1 for :memory: */
	struct alarm_hstate h;
	const struct conf *c;
	const struct alarm_ops *ops;
	void *arg;
	struct alarm_transport tr[ALARM_TRANSPORTS_MAX];
	char boot[ALARM_BOOT_MAX];
	uint64_t next;		/* cached alarm_next() */
	struct alarm_pend pend[ALARM_PEND_MAX];
	unsigned int n_pend;
	unsigned int pend_lost;
};

/* A store word to its value: ALARM_CLOSED if unknown. */
enum alarm_state alarm_state_parse(const char *s);

void alarm_log(struct alarm *a, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Inside a transaction: audit row + a transition notification after commit. */
int alarm_event(struct alarm *a, uint64_t id, const struct alarm_now *now,
		const char *what, const char *who, const char *detail);
/* Begin / commit+flush / rollback+drop. */
int alarm_tx_begin(struct alarm *a);
int alarm_tx_commit(struct alarm *a);
void alarm_tx_abort(struct alarm *a);

/* Deadline @delay_s after @now, as (wall, mono) for binding. */
int64_t alarm_due_mono(const struct alarm_now *now, uint64_t delay_s);

/* What a new alarm row says, from the engine's transition and the conf. */
struct alarm_new {
	const char *rule, *type, *sensor, *label, *resident, *account, *text;
	int64_t code, zone;
	bool test;
};

/* alarm_health.c: the store failing and recovering. */
/* Is @rc a failure of the store (not an answer like -EALREADY)? */
bool alarm_store_error(int rc);
void alarm_store_failed(struct alarm *a, int rc, const struct alarm_now *now);
void alarm_store_ok(struct alarm *a);
/* @rc of a transaction: a store failure is recorded. Returns @rc. */
int alarm_store_result(struct alarm *a, int rc, const struct alarm_now *now);
void alarm_store_retry(struct alarm *a, const struct alarm_now *now);
void alarm_send_unstored(struct alarm *a, const struct alarm_new *n,
			 const struct alarm_now *now);

/* alarm.c, lifecycle primitives, all inside a transaction: */
/* A new row in state @st (raised: stamped now), its id in *@id. */
int alarm_insert(struct alarm *a, const struct alarm_new *n,
		 enum alarm_state st, const struct alarm_now *now, uint64_t *id);
/* To raised, cycle 0 step 0: queue chain[0]'s message. */
int alarm_go_raised(struct alarm *a, uint64_t id, bool test,
		    const struct alarm_now *now, const char *who);
/* To a final state (closed, cancelled, cleared): escalation stops. */
int alarm_end(struct alarm *a, uint64_t id, enum alarm_state st,
	      const char *reason, const char *who, const struct alarm_now *now);
int alarm_set_state(struct alarm *a, uint64_t id, enum alarm_state st);
/* Cancel messages to those who had it, then cancelled. */
int alarm_cancel_locked(struct alarm *a, uint64_t id, const char *reason,
			const char *who, const struct alarm_now *now);

/* alarm_outbox.c, all inside a transaction: */
/* Queue the alarm (or test) message for chain[@step] in @cycle. */
int alarm_queue_step(struct alarm *a, uint64_t id, int64_t cycle, int64_t step,
		     bool test, const struct alarm_now *now);
/* Queue @kind (restore/cancel) to every recipient that was sent the alarm. */
int alarm_queue_followup(struct alarm *a, uint64_t id, enum alarm_msg_kind kind,
			 const struct alarm_now *now);
/* Stop escalating: unsent alarm messages void, escalation timer off. */
int alarm_stop(struct alarm *a, uint64_t id);
/* Recompute a->next from the store. */
void alarm_recompute(struct alarm *a);
/* At open: resend unconfirmed messages, convert other boots' deadlines. */
int alarm_resume(struct alarm *a, const struct alarm_now *now);

#endif /* ALARM_INT_H */
