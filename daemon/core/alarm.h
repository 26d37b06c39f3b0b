/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alarm: the durable alarm lifecycle (prefix alarm_).
 *
 * THE SPEC. An alarm is one occurrence of a rule instance (rule, sensor)
 * or a test. States and transitions:
 *
 *   prealarm --Cancel pressed (PREALARM_CANCEL)--------------> cancelled
 *   prealarm --condition over (PREALARM_CLEAR, CLEAR)---------> cleared
 *   prealarm --RAISE------------------------------------------> raised
 *   (none)   --RAISE------------------------------------------> raised
 *   raised   --a person acknowledged (alarm_ack)--------------> acked
 *	(-> closed at once for alarms whose condition never ends by
 *	itself: sos and periodic-test rules and manual tests)
 *   acked    --condition over (CLEAR)-------------------------> closed
 *   raised   --condition over, not acked (CLEAR)--------------> restored
 *   restored --a person acknowledged (alarm_ack)--------------> closed
 *   raised/restored/acked/prealarm --operator `cancel ID`-----> cancelled
 *   raised/restored --local Cancel of an sos alarm------------> cancelled
 *   test (periodic-test rule, alarm_test) raised --delivered
 *	to the first recipient---------------------------------> closed
 *   REALARM: raised/restored (not acked): the same alarm is sent again
 *	to the chain from step 0 (repeats + 1, a new cycle); acked: the
 *	acked alarm is closed ("superseded") and a new one raised.
 * Open = prealarm, raised, acked, restored; at most one open alarm per
 * instance (a UNIQUE index), tests excepted.
 *
 * A new occurrence (the condition ended and starts again) may find the
 * last one's alarm still open; it is never dropped:
 *   restored --PREALARM, PREALARM_CANCEL, PREALARM_CLEAR----> restored
 *	audit events only ("prealarm", "prealarm-cancelled",
 *	"prealarm-cleared"): no row, nothing sent, escalation goes on; the
 *	engine drives the buzzer itself.
 *   restored --RAISE------------------------------------------> raised
 *	re-raised (event "raised", detail "new occurrence"): the same
 *	alarm, repeats + 1, the new text, code, zone
 *	and raise time; escalation restarts at chain[0] in a new cycle
 *	(unsent messages of the last pass void). A later CLEAR restores it
 *	again (a second restore message); an ack of the restored alarm
 *	during the new pre-alarm closes it and RAISE opens a new one.
 *   acked    --PREALARM or RAISE------------------------------> closed
 *	("superseded", a person is on the last one) and a new alarm is
 *	opened in prealarm or raised.
 *   prealarm/raised --PREALARM, raised --RAISE: -EALREADY (a replayed
 *	or duplicate transition of the same occurrence).
 *
 * Escalation (conf: recipients, chain, repeat_s). On raise a message is
 * queued for chain[0]. When it is delivered, that recipient's ack_timeout
 * starts; on expiry without an ack the next in the chain gets one. After
 * the last, repeat_s later the chain starts again at chain[0] (cycle + 1);
 * repeat_s = 0 stops (the alarm stays open). A failed delivery is retried
 * every recipient.retry_s; if the current step's message fails, the
 * ack_timeout starts anyway, so a recipient that cannot be reached does
 * not block the chain. Restored alarms keep escalating until a person
 * acks (nobody has yet seen that the resident is fine). Acked, closed
 * and cancelled alarms stop: their unsent alarm messages become void.
 * CLEAR queues a "restore" message, a cancel a "cancel" message, to every
 * recipient that was sent the alarm (delivered or accepted by a
 * transport), one per recipient and cycle.
 *
 * Durability. Every transition is one SQLite transaction, committed
 * before it is acted on: before a message is handed to a transport,
 * before the engine or the daemon are told (ops), before alarm_ack()
 * returns 0. Messages are delivered at least once: a message that was
 * queued, or handed to a transport without a confirmed delivery, when the
 * process died is sent again after alarm_open(), under the same msg id so
 * receivers can drop the duplicate. Deadlines (message due times,
 * escalation timers) are stored as CLOCK_REALTIME s and as CLOCK_BOOTTIME
 * ns with the boot id: a restart in the same boot keeps the boottime
 * deadline, after a reboot the realtime one is used (converted once, at
 * alarm_open()). Every transition is also an `events` row (the audit
 * trail) and an ops->transition() call after the commit.
 *
 * Time comes from the caller (struct alarm_now) - tests and --replay drive
 * a virtual clock. Nothing here blocks except SQLite's fsync.
 */
#ifndef ALARM_H
#define ALARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf.h"

#define ALARM_NEVER	UINT64_MAX
#define ALARM_TEST_CODE	601	/* Contact ID: manual test */
#define ALARM_HUB_FAULT_CODE	300	/* Contact ID: system trouble */
#define ALARM_WHO_MAX	64	/* acked_by, incl. NUL */
#define ALARM_TEXT_MAX	160

struct alarm_now {
	uint64_t mono_ns;	/* CLOCK_BOOTTIME */
	time_t wall;		/* CLOCK_REALTIME seconds */
	const char *boot_id;	/* /proc/sys/kernel/random/boot_id */
};

enum alarm_state {
	ALARM_PREALARM,
	ALARM_RAISED,
	ALARM_ACKED,
	ALARM_RESTORED,
	ALARM_CLOSED,
	ALARM_CANCELLED,
	ALARM_CLEARED,
};
#define ALARM_STATES	(ALARM_CLEARED + 1)

enum alarm_msg_kind {
	ALARM_MSG_ALARM,
	ALARM_MSG_RESTORE,
	ALARM_MSG_CANCEL,
	ALARM_MSG_TEST,
};
#define ALARM_MSG_KINDS	(ALARM_MSG_TEST + 1)

/* One notification to one recipient; strings valid during send() only. */
struct alarm_msg {
	uint64_t id;		/* stable across re-sends: receivers dedupe */
	uint64_t alarm;
	enum alarm_msg_kind kind;
	const char *recipient;
	const char *hub;
	const char *resident;
	const char *account;
	const char *rule;	/* "" for a manual test */
	const char *type;	/* "sos", ..., "test" */
	uint16_t code;
	uint16_t zone;
	const char *sensor;	/* "" if hub-wide */
	const char *sensor_label;
	const char *text;
	time_t raised_wall;
	unsigned int repeats;
};

/*
 * send(): 1 = delivered now; 0 = accepted, the transport calls
 * alarm_delivered() later; < 0 = failed, retried after retry_s.
 */
struct alarm_transport {
	const char *name;
	int (*send)(void *ctx, const struct alarm_msg *m);
	void *ctx;
};

struct alarm_info {
	uint64_t id;
	char rule[CONF_NAME_MAX];
	char type[24];
	char sensor[CONF_NAME_MAX];
	char resident[CONF_NAME_MAX];
	uint16_t code;
	uint16_t zone;
	char text[ALARM_TEXT_MAX];
	enum alarm_state state;
	const char *state_name;
	bool test;
	time_t raised_wall;	/* 0: never raised (prealarm) */
	time_t acked_wall;	/* 0: not acked */
	time_t closed_wall;	/* 0: open */
	char acked_by[ALARM_WHO_MAX];
	char closed_reason[32];
	unsigned int repeats;
	unsigned int cycle;
	int step;		/* position in the chain */
	char recipient[CONF_NAME_MAX];	/* chain[step] now, "" if none */
	unsigned int delivered;	/* messages delivered */
	unsigned int pending;	/* queued or awaiting confirmation */
};

struct alarm_ops {
	/* After every committed transition ("raised", "acked", "sent", ...). */
	void (*transition)(void *arg, const struct alarm_info *ai,
			   const char *what);
	/* Diagnostics; NULL: stderr with "<N>" journal prefixes. */
	void (*log)(void *arg, int prio, const char *msg);
};

struct alarm;

/*
 * Open (create) the store at @db_path and resume what it holds: messages
 * left queued or unconfirmed are due now, deadlines of another boot are
 * converted from their realtime values. @c, @ops must outlive the object
 * (or until alarm_reconf()). Returns 0 or -errno with @err set.
 */
int alarm_open(struct alarm **out, const char *db_path, const struct conf *c,
	       const struct alarm_ops *ops, void *arg,
	       const struct alarm_now *now, char *err, size_t errlen);
void alarm_close(struct alarm *a);
/* The store's handle, to share with online_open(). */
struct sqlite3 *alarm_db(struct alarm *a);

/* New configuration (SIGHUP). Open alarms keep their state and timers. */
int alarm_reconf(struct alarm *a, const struct conf *c);
/* Register the transport for recipients with transport = @t. @tr copied. */
int alarm_set_transport(struct alarm *a, enum conf_transport t,
			const struct alarm_transport *tr);

/* What happened to a rule instance's condition (the spec above). */
enum alarm_tr {
	ALARM_TR_PREALARM,
	ALARM_TR_PREALARM_CANCEL,
	ALARM_TR_PREALARM_CLEAR,
	ALARM_TR_RAISE,
	ALARM_TR_REALARM,
	ALARM_TR_CLEAR,
	ALARM_TR_LOCAL_CANCEL,
};

/**
 * struct alarm_input - one transition of a rule instance, the store's input
 * @tr: what happened
 * @rule: the rule's name (the store's key)
 * @type: the rule's type (periodic-test rules raise tests)
 * @sensor: the sensor's name, NULL for a hub-wide instance
 * @rule_idx, @sensor_idx: the same in the current conf (-1: none), for
 *	the resident, account and label
 * @code, @zone: Contact ID event code and zone
 * @text: one line for people (cut to ALARM_TEXT_MAX - 1 bytes)
 */
struct alarm_input {
	enum alarm_tr tr;
	const char *rule;
	enum conf_rule_type type;
	const char *sensor;
	unsigned int rule_idx;
	int sensor_idx;
	uint16_t code;
	uint16_t zone;
	const char *text;
};

/* A rule instance's transition. 0, or -errno (nothing changed). */
int alarm_on_rule(struct alarm *a, const struct alarm_input *in,
		  const struct alarm_now *now);

/* Operator actions: 0, -ENOENT (no such alarm), -EALREADY (not open / acked). */
int alarm_ack(struct alarm *a, uint64_t id, const char *who,
	      const struct alarm_now *now);
int alarm_cancel(struct alarm *a, uint64_t id, const char *who,
		 const struct alarm_now *now);
/* A manual test alarm (code 601) through the chain; closed once delivered. */
int alarm_test(struct alarm *a, const char *who, const struct alarm_now *now,
	       uint64_t *id);
/*
 * A fault of the hub itself (@what: "gpio", ...) that people must hear of
 * although no rule watches it, e.g. a buzzer line that could not be taken
 * at start: Contact ID 300, type "hub-fault", through the chain like any
 * alarm; an acknowledgement closes it. -EALREADY if one for @what is
 * still open (a restart does not raise it twice).
 */
int alarm_hub_fault(struct alarm *a, const char *what, const char *text,
		    const struct alarm_now *now, uint64_t *id);
/* Completion of a send() that returned 0. -ENOENT, -EALREADY if not pending. */
int alarm_delivered(struct alarm *a, uint64_t msg_id, bool ok,
		    const char *detail, const struct alarm_now *now);

/* Loop: earliest deadline (CLOCK_BOOTTIME ns) or ALARM_NEVER; do due work. */
uint64_t alarm_next(const struct alarm *a);
void alarm_advance(struct alarm *a, const struct alarm_now *now);

/*
 * For rules_restore() after a restart: each raised or acked alarm of a
 * rule in the current conf. @raised_mono is 0 if raised in another boot.
 */
int alarm_foreach_open(struct alarm *a,
		       void (*cb)(void *arg, unsigned int rule, int sensor,
				  uint64_t raised_mono),
		       void *arg);

/* Newest first; @limit 0 = all; stops early if @cb returns non-zero. */
int alarm_list(struct alarm *a, bool open_only, unsigned int limit,
	       int (*cb)(void *arg, const struct alarm_info *ai), void *arg);
int alarm_get(struct alarm *a, uint64_t id, struct alarm_info *out);
int alarm_counts(struct alarm *a, unsigned int *open, unsigned int *unacked);

/*
 * The store's health. When a commit fails (disk full, read-only, corrupt,
 * I/O error) raised alarms are still sent to the whole chain without
 * being stored, the store is retried with back-off (alarm_next() includes
 * the retry) and alarm_take_recovered() turns true once it works again:
 * the caller then re-evaluates every condition.
 */
struct alarm_health {
	bool ok;
	int err;		/* -errno of the failure, 0 if ok */
	const char *why;	/* "ok", "disk full", "read-only", "corrupt", ... */
	time_t since;		/* failing since, 0 if ok */
	unsigned int unstored;	/* alarms sent without being stored, ever */
};
void alarm_health(const struct alarm *a, struct alarm_health *out);
bool alarm_take_recovered(struct alarm *a);

const char *alarm_state_name(enum alarm_state s);
const char *alarm_msg_kind_name(enum alarm_msg_kind k);

#endif /* ALARM_H */
