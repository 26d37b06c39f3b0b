// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * store: open carehubd's SQLite database, migrate its schema, run
 * statements. See store.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store.h"

/*
 * Schema version 1. States and kinds are stored as words so that an
 * operator's `sqlite3 carehub.db 'select * from alarms'` is readable.
 *
 * alarms_instance: at most one open alarm per rule instance (rule,
 * sensor); a replayed RAISE cannot open a second one. Manual/periodic
 * test alarms (test = 1) are exempt: two tests may overlap.
 * msgs UNIQUE(alarm, kind, recipient, cycle, step): a transition replayed
 * after a crash (INSERT OR IGNORE) cannot queue the same notification
 * twice; cycle counts passes through the escalation chain (repeat_s,
 * re-alarms and re-raises), step is the position in the chain; restore
 * and cancel messages carry the alarm's cycle at the time (step 0).
 * Deadlines are kept twice: *_wall (CLOCK_REALTIME s) and *_mono
 * (CLOCK_BOOTTIME ns) with the boot id the mono value belongs to.
 */
static const char *const store_v1[] = {
	"CREATE TABLE alarms("
	" id INTEGER PRIMARY KEY,"
	" rule TEXT NOT NULL, type TEXT NOT NULL,"
	" sensor TEXT NOT NULL DEFAULT '', sensor_label TEXT NOT NULL DEFAULT '',"
	" resident TEXT NOT NULL DEFAULT '', account TEXT NOT NULL DEFAULT '',"
	" code INTEGER NOT NULL, zone INTEGER NOT NULL, text TEXT NOT NULL,"
	" test INTEGER NOT NULL DEFAULT 0,"
	" state TEXT NOT NULL CHECK(state IN ('prealarm','raised','acked',"
	"  'restored','closed','cancelled','cleared')),"
	" created_wall INTEGER NOT NULL,"
	" raised_wall INTEGER, raised_mono INTEGER, raised_boot TEXT,"
	" acked_wall INTEGER, acked_by TEXT,"
	" closed_wall INTEGER, closed_reason TEXT,"
	" repeats INTEGER NOT NULL DEFAULT 0,"
	" cycle INTEGER NOT NULL DEFAULT 0, step INTEGER NOT NULL DEFAULT 0,"
	" esc_what TEXT CHECK(esc_what IN ('ack','repeat')),"
	" esc_wall INTEGER, esc_mono INTEGER, esc_boot TEXT)",
	"CREATE UNIQUE INDEX alarms_instance ON alarms(rule, sensor)"
	" WHERE state IN ('prealarm','raised','acked','restored') AND test = 0",
	"CREATE INDEX alarms_esc ON alarms(esc_mono) WHERE esc_what IS NOT NULL",
	"CREATE INDEX alarms_state ON alarms(state)",
	"CREATE TABLE msgs("
	" id INTEGER PRIMARY KEY,"
	" alarm INTEGER NOT NULL REFERENCES alarms(id),"
	" kind TEXT NOT NULL CHECK(kind IN ('alarm','restore','cancel','test')),"
	" recipient TEXT NOT NULL,"
	" cycle INTEGER NOT NULL, step INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK(state IN ('queued','sent','delivered',"
	"  'void','skipped')),"
	" due_wall INTEGER, due_mono INTEGER, due_boot TEXT,"
	" tries INTEGER NOT NULL DEFAULT 0,"
	" created_wall INTEGER NOT NULL, done_wall INTEGER, detail TEXT,"
	" UNIQUE(alarm, kind, recipient, cycle, step))",
	"CREATE INDEX msgs_due ON msgs(due_mono) WHERE state = 'queued'",
	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY,"
	" alarm INTEGER REFERENCES alarms(id),"
	" wall INTEGER NOT NULL, what TEXT NOT NULL, who TEXT, detail TEXT)",
	"CREATE INDEX events_alarm ON events(alarm)",
	"CREATE TABLE online("
	" id INTEGER PRIMARY KEY,"
	" subject TEXT NOT NULL, online INTEGER NOT NULL,"
	" start_wall INTEGER NOT NULL, end_wall INTEGER NOT NULL,"
	" CHECK(end_wall >= start_wall))",
	"CREATE INDEX online_subject ON online(subject, start_wall)",
	"CREATE INDEX online_end ON online(end_wall)",
	NULL,
};

/*
 * v2: the cost of a transition must not grow with the alarm's history
 * (an alarm that stays open and keeps re-raising collects messages every
 * cycle). Per-alarm counts of delivered and pending messages and the set
 * of recipients that were sent it are kept up to date by triggers, and
 * the open messages of an alarm have their own index.
 */
static const char *const store_v2[] = {
	"ALTER TABLE alarms ADD COLUMN n_delivered INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE alarms ADD COLUMN n_pending INTEGER NOT NULL DEFAULT 0",
	"UPDATE alarms SET"
	" n_delivered = (SELECT count(*) FROM msgs m WHERE m.alarm = alarms.id"
	"  AND m.state = 'delivered'),"
	" n_pending = (SELECT count(*) FROM msgs m WHERE m.alarm = alarms.id"
	"  AND m.state IN ('queued','sent'))",
	"CREATE TABLE alarm_rcpts("
	" alarm INTEGER NOT NULL REFERENCES alarms(id),"
	" recipient TEXT NOT NULL,"
	" PRIMARY KEY(alarm, recipient)) WITHOUT ROWID",
	"INSERT OR IGNORE INTO alarm_rcpts SELECT alarm, recipient FROM msgs"
	" WHERE kind IN ('alarm','test') AND state IN ('delivered','sent')",
	"CREATE INDEX msgs_open ON msgs(alarm) WHERE state IN ('queued','sent')",
	"CREATE TRIGGER msgs_count_ins AFTER INSERT ON msgs BEGIN"
	" UPDATE alarms SET"
	"  n_pending = n_pending + (NEW.state IN ('queued','sent')),"
	"  n_delivered = n_delivered + (NEW.state = 'delivered')"
	"  WHERE id = NEW.alarm;"
	" INSERT OR IGNORE INTO alarm_rcpts SELECT NEW.alarm, NEW.recipient"
	"  WHERE NEW.kind IN ('alarm','test') AND"
	"  NEW.state IN ('delivered','sent');"
	" END",
	"CREATE TRIGGER msgs_count_upd AFTER UPDATE OF state ON msgs"
	" WHEN OLD.state <> NEW.state BEGIN"
	" UPDATE alarms SET"
	"  n_pending = n_pending - (OLD.state IN ('queued','sent'))"
	"   + (NEW.state IN ('queued','sent')),"
	"  n_delivered = n_delivered - (OLD.state = 'delivered')"
	"   + (NEW.state = 'delivered')"
	"  WHERE id = NEW.alarm;"
	" INSERT OR IGNORE INTO alarm_rcpts SELECT NEW.alarm, NEW.recipient"
	"  WHERE NEW.kind IN ('alarm','test') AND"
	"  NEW.state IN ('delivered','sent');"
	" END",
	NULL,
};

static const char *const *const store_migrations[STORE_VERSION] = {
	store_v1,
	store_v2,
};

static int store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	default:
		return -EIO;
	}
}

static void store_log(sqlite3 *db, const char *what, const char *sql)
{
	fprintf(stderr, "<3>store: %s: %.80s: %s (extended code %d)\n", what,
		sql ? sql : "", sqlite3_errmsg(db), sqlite3_extended_errcode(db));
}

static int store_vbind(sqlite3 *db, sqlite3_stmt *st, const char *fmt,
		       va_list ap)
{
	int i = 1, rc = SQLITE_OK;
	const char *s;

	for (; fmt && *fmt && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'u':
			rc = sqlite3_bind_int64(st, i,
						(int64_t)va_arg(ap, uint64_t));
			break;
		case 't':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i);
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		default:	/* a char, not an enum: a caller's typo */
			fprintf(stderr, "<3>store: bad bind format '%c'\n", *fmt);
			return -EINVAL;
		}
	}
	if (rc != SQLITE_OK) {
		store_log(db, "bind", sqlite3_sql(st));
		return store_errno(rc);
	}
	return 0;
}

/*
 * Prepared statements are kept per (database, SQL text) and reused:
 * parsing the SQL again for every use was most of what a transition cost
 * (72 % of a replay's time). Callers pass string literals, so the pointer
 * names the statement. A statement in use (between store_prep() and
 * store_done()) is not handed out twice: a nested use of the same SQL gets
 * a statement of its own, finalized after use. The daemon is one thread.
 */
#define STORE_CACHE_MAX	96

struct store_cached {
	sqlite3 *db;
	const char *sql;
	sqlite3_stmt *st;
	bool busy;
};

static struct store_cached store_cache[STORE_CACHE_MAX];

static struct store_cached *store_cache_of(const sqlite3_stmt *st)
{
	for (size_t i = 0; i < STORE_CACHE_MAX; i++)
		if (store_cache[i].st && store_cache[i].st == st)
			return &store_cache[i];
	return NULL;
}

static int store_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql)
{
	struct store_cached *free_slot = NULL;
	int rc;

	for (size_t i = 0; i < STORE_CACHE_MAX; i++) {
		struct store_cached *c = &store_cache[i];

		if (!c->st) {
			if (!free_slot)
				free_slot = c;
		} else if (c->db == db && c->sql == sql && !c->busy) {
			c->busy = true;
			*st = c->st;
			return SQLITE_OK;
		}
	}
	rc = sqlite3_prepare_v3(db, sql, -1, free_slot ?
				SQLITE_PREPARE_PERSISTENT : 0, st, NULL);
	if (rc == SQLITE_OK && free_slot)
		*free_slot = (struct store_cached){ db, sql, *st, true };
	return rc;
}

void store_done(sqlite3_stmt *st)
{
	struct store_cached *c;

	if (!st)
		return;
	c = store_cache_of(st);
	if (!c) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	c->busy = false;
}

/* Before closing @db: its cached statements go. */
static void store_cache_drop(sqlite3 *db)
{
	for (size_t i = 0; i < STORE_CACHE_MAX; i++) {
		struct store_cached *c = &store_cache[i];

		if (c->st && c->db == db) {
			sqlite3_finalize(c->st);
			*c = (struct store_cached){ 0 };
		}
	}
}

static int store_vprep(sqlite3 *db, sqlite3_stmt **st, const char *sql,
		       const char *fmt, va_list ap)
{
	int rc = store_prepare(db, st, sql);

	if (rc != SQLITE_OK) {
		store_log(db, "prepare", sql);
		*st = NULL;
		return store_errno(rc);
	}
	rc = store_vbind(db, *st, fmt, ap);
	if (rc < 0) {
		store_done(*st);
		*st = NULL;
	}
	return rc;
}

int store_prep(sqlite3 *db, sqlite3_stmt **st, const char *sql,
	       const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vprep(db, st, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int store_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	store_log(sqlite3_db_handle(st), "step", sqlite3_sql(st));
	return store_errno(rc);
}

const char *store_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

int store_run(sqlite3 *db, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vprep(db, &st, sql, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	do
		rc = store_step(st);
	while (rc == SQLITE_ROW);
	if (rc == SQLITE_DONE)
		rc = sqlite3_changes(db);
	store_done(st);
	return rc;
}

int store_int(sqlite3 *db, int64_t *out, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vprep(db, &st, sql, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	rc = store_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			rc = 0;
		} else {
			*out = sqlite3_column_int64(st, 0);
			rc = 1;
		}
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	}
	store_done(st);
	return rc;
}

int store_begin(sqlite3 *db)
{
	int rc = store_run(db, "BEGIN IMMEDIATE", NULL);

	return rc < 0 ? rc : 0;
}

int store_commit(sqlite3 *db)
{
	int rc = store_run(db, "COMMIT", NULL);

	if (rc < 0) {
		/* A failed COMMIT may leave the transaction open: end it. */
		store_rollback(db);
		return rc;
	}
	return 0;
}

void store_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		store_run(db, "ROLLBACK", NULL);
}

static int store_pragma(sqlite3 *db, const char *sql, const char *want,
			char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = store_prep(db, &st, sql, NULL);

	if (rc < 0)
		goto fail;
	rc = store_step(st);
	if (rc < 0) {
		store_done(st);
		goto fail;
	}
	if (want && (rc != SQLITE_ROW ||
		     strcmp(store_text(st, 0), want) != 0)) {
		snprintf(err, errlen, "%s: got '%s', want '%s'", sql,
			 rc == SQLITE_ROW ? store_text(st, 0) : "", want);
		store_done(st);
		return -EIO;
	}
	store_done(st);
	return 0;
fail:
	snprintf(err, errlen, "%s: %s (extended code %d)", sql,
		 sqlite3_errmsg(db), sqlite3_extended_errcode(db));
	return rc;
}

/* Bring the schema from user_version to STORE_VERSION, one step per tx. */
static int store_migrate(sqlite3 *db, char *err, size_t errlen)
{
	int64_t v = 0;
	char sql[64];
	int rc;

	rc = store_int(db, &v, "PRAGMA user_version", NULL);
	if (rc < 0)
		goto fail;
	if (v > STORE_VERSION || v < 0) {
		snprintf(err, errlen,
			 "database schema version %lld is newer than this carehubd (%d)",
			 (long long)v, STORE_VERSION);
		return -EPROTO;
	}
	for (; v < STORE_VERSION; v++) {
		const char *const *s;

		rc = store_begin(db);
		if (rc < 0)
			goto fail;
		/* sqlite3_exec, not store_run: run once, nothing to cache */
		for (s = store_migrations[v]; *s; s++) {
			rc = sqlite3_exec(db, *s, NULL, NULL, NULL) == SQLITE_OK ?
			     0 : -EIO;
			if (rc < 0) {
				snprintf(err, errlen, "schema v%lld: %s (extended code %d)",
					 (long long)v + 1, sqlite3_errmsg(db),
					 sqlite3_extended_errcode(db));
				store_rollback(db);
				return rc;
			}
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
			 (long long)v + 1);
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ?
		     0 : -EIO;
		if (rc < 0)
			goto fail_tx;
		rc = store_commit(db);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail_tx:
	store_rollback(db);
fail:
	snprintf(err, errlen, "schema: %s (extended code %d)",
		 sqlite3_errmsg(db), sqlite3_extended_errcode(db));
	return rc;
}

int store_open(sqlite3 **out, const char *path, char *err, size_t errlen)
{
	bool mem = strcmp(path, ":memory:") == 0;
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s (extended code %d)", path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc),
			 db ? sqlite3_extended_errcode(db) : rc);
		sqlite3_close(db);
		return rc == SQLITE_CANTOPEN ? -ENOENT : -EIO;
	}
	sqlite3_extended_result_codes(db, 1);
	rc = sqlite3_busy_timeout(db, 5000);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "busy_timeout: %s", sqlite3_errstr(rc));
		goto fail;
	}
	rc = store_pragma(db, "PRAGMA journal_mode=WAL", mem ? NULL : "wal",
			  err, errlen);
	if (rc == 0)
		rc = store_pragma(db, "PRAGMA synchronous=FULL", NULL, err, errlen);
	if (rc == 0)
		rc = store_pragma(db, "PRAGMA foreign_keys=ON", NULL, err, errlen);
	if (rc == 0)
		rc = store_pragma(db, "PRAGMA foreign_keys", "1", err, errlen);
	if (rc == 0)
		rc = store_migrate(db, err, errlen);
	if (rc < 0)
		goto fail;
	*out = db;
	return 0;
fail:
	store_close(db);
	return rc < 0 ? rc : -EIO;
}

void store_close(sqlite3 *db)
{
	store_cache_drop(db);
	if (db && sqlite3_close(db) != SQLITE_OK)
		store_log(db, "close", NULL);
}

int store_check(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = store_prep(db, &st, "PRAGMA integrity_check", NULL);

	if (rc < 0)
		return rc;
	rc = store_step(st);
	if (rc == SQLITE_ROW && strcmp(store_text(st, 0), "ok") == 0) {
		rc = 0;
	} else {
		snprintf(err, errlen, "integrity_check: %s",
			 rc == SQLITE_ROW ? store_text(st, 0) : "no result");
		rc = rc < 0 ? rc : -EBADMSG;
	}
	store_done(st);
	return rc;
}
