/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * store: carehubd's SQLite database (prefix store_).
 *
 * One file, <state_dir>/carehub.db, holds the alarm lifecycle (alarms,
 * msgs, events) and the online-rate accounting (online). store_open()
 * opens or creates it, sets the durability pragmas and brings the schema
 * to the current version (PRAGMA user_version, one migration step per
 * version, each in its own transaction):
 *
 *	journal_mode=WAL	readers (carehubctl, sqlite3 CLI) never block
 *				the daemon's writes
 *	synchronous=FULL	a COMMIT that returned is on the disk: the
 *				alarm lifecycle acts only on committed state
 *	busy_timeout=5000	an operator's sqlite3 shell holding a read
 *				lock is waited for, not an error
 *	foreign_keys=ON		msgs/events must point at an alarm
 *
 * Helpers run one statement with arguments bound from a tiny format
 * string, so callers need no prepare/bind/step/finalize boilerplate:
 *	'i' int64_t, 'u' uint64_t (stored as int64), 't' const char *
 *	(NULL binds NULL), 'n' NULL (no argument consumed).
 * Every failure is logged to stderr (the journal) with the statement,
 * sqlite3_errmsg() and sqlite3_extended_errcode(), and returned as -EIO
 * (-EBUSY for SQLITE_BUSY, -ENOMEM for SQLITE_NOMEM).
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <sqlite3.h>

#define STORE_VERSION	2

/* @path may be ":memory:" (replay, tests): WAL is then not used. */
int store_open(sqlite3 **out, const char *path, char *err, size_t errlen);
void store_close(sqlite3 *db);

/*
 * store_guard.c: one daemon per store, checked before it is trusted.
 * store_lock() takes <@path>.lock (flock, non-blocking): the fd to keep
 * while the store is open, or -EBUSY naming the holder's pid in @err.
 * store_open_guarded() opens @path under that lock, runs integrity_check,
 * moves a corrupt file aside (kept for inspection) and starts a fresh
 * store; @note says what happened, for the journal and status.
 */
struct store_notice {
	bool broken;		/* a corrupt store was moved aside */
	char moved_to[4300];	/* ... to this name */
	bool lost;		/* a store existed here and has lost its schema */
	time_t created_before;	/* when that one was created */
	char detail[256];	/* what was wrong */
};
int store_lock(const char *path, char *err, size_t errlen);
void store_unlock(int fd);
int store_open_guarded(sqlite3 **out, const char *path, int lock_fd,
		       time_t wall, struct store_notice *note, char *err,
		       size_t errlen);

/* BEGIN IMMEDIATE: take the write lock now, not at the first write. */
int store_begin(sqlite3 *db);
int store_commit(sqlite3 *db);
void store_rollback(sqlite3 *db);

/* Run @sql with arguments; returns sqlite3_changes() (>= 0) or -errno. */
int store_run(sqlite3 *db, const char *sql, const char *fmt, ...);
/*
 * Run a query whose first row's first column is an integer: 1 and *@out
 * set, 0 if no row (or the value is NULL), -errno on error.
 */
int store_int(sqlite3 *db, int64_t *out, const char *sql, const char *fmt, ...);
/*
 * Prepare @sql and bind; the caller steps, then hands the statement back
 * with store_done() (never sqlite3_finalize(): statements are cached per
 * SQL text, so pass a string literal). 0 or -errno.
 */
int store_prep(sqlite3 *db, sqlite3_stmt **st, const char *sql,
	       const char *fmt, ...);
/* Done with a statement of store_prep(): reset for reuse. NULL is fine. */
void store_done(sqlite3_stmt *st);
/* sqlite3_step() that logs errors: SQLITE_ROW, SQLITE_DONE or -errno. */
int store_step(sqlite3_stmt *st);
/* A text column as a C string, "" for NULL. */
const char *store_text(sqlite3_stmt *st, int col);

/* PRAGMA integrity_check: 0 if "ok", else -EIO with the first line in @err. */
int store_check(sqlite3 *db, char *err, size_t errlen);

#endif /* STORE_H */
