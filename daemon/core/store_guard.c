// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * store guard: one daemon per store, and a store checked before it is
 * trusted (prefix store_). See store.h.
 *
 *  - <db>.lock is flock()ed for as long as the store is open: a second
 *    carehubd on the same store (another --socket, another config) is
 *    refused with the holder's pid instead of delivering every alarm
 *    twice.
 *  - The lock file also remembers that a store was created here. A store
 *    that has lost its schema since (e.g. the WAL deleted, then a crash)
 *    is said loudly instead of silently restarting alarm ids at 1.
 *  - PRAGMA integrity_check runs at open; a corrupt file (or one that is
 *    not a database) is moved aside as <db>.broken-<time> with its -wal
 *    and -shm, kept for inspection, and a fresh store is created: the hub
 *    must keep raising alarms.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

#define STORE_CREATED	"created "

int store_lock(const char *path, char *err, size_t errlen)
{
	char lock[4200], buf[128] = "";
	ssize_t n;
	int fd;

	snprintf(lock, sizeof(lock), "%s.lock", path);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", lock, strerror(e));
		return -e;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno == EWOULDBLOCK ? EBUSY : errno;

		n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		snprintf(err, errlen, "%s is in use by another carehubd (pid %ld);"
			 " one daemon per store", path, strtol(buf, NULL, 10));
		close(fd);
		return -e;
	}
	return fd;
}

/* "PID\ncreated WALL\n": who holds it, and since when a store exists. */
static void store_lock_write(int fd, time_t created)
{
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "%ld\n" STORE_CREATED "%lld\n",
			 (long)getpid(), (long long)created);

	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) == n)
		fsync(fd);
}

static time_t store_lock_created(int fd)
{
	char buf[96], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, STORE_CREATED);
	return p ? (time_t)strtoll(p + strlen(STORE_CREATED), NULL, 10) : 0;
}

void store_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Move @path (and -wal, -shm) to @path.broken-WALL; the new name in @to. */
static int store_move_aside(const char *path, time_t wall, char *to,
			    size_t tolen)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	char from[4200], dst[4300];
	struct tm tm;
	char stamp[32];

	localtime_r(&wall, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(to, tolen, "%s.broken-%s", path, stamp);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(from, sizeof(from), "%s%s", path, ext[i]);
		snprintf(dst, sizeof(dst), "%s%s", to, ext[i]);
		if (rename(from, dst) < 0 && errno != ENOENT)
			return -errno;
	}
	return 0;
}

/* Has the file at @path a schema (a store was used)? 1, 0, or -errno. */
static int store_has_schema(const char *path)
{
	sqlite3 *db = NULL;
	int64_t n = 0;
	int rc;

	if (access(path, F_OK) < 0)
		return 0;
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return -EIO;
	}
	rc = store_int(db, &n, "SELECT count(*) FROM sqlite_master", NULL);
	store_close(db);
	return rc < 0 ? rc : n > 0;
}

int store_open_guarded(sqlite3 **out, const char *path, int lock_fd,
		       time_t wall, struct store_notice *note, char *err,
		       size_t errlen)
{
	time_t created = store_lock_created(lock_fd);
	int had = store_has_schema(path), rc;

	memset(note, 0, sizeof(*note));
	if (errlen)
		err[0] = '\0';
	if (had == -EBADMSG) {
		rc = had;
	} else {
		/* Not readable for another reason: store_open() says why. */
		if (had < 0)
			had = 1;
		rc = store_open(out, path, err, errlen);
	}
	if (rc == 0) {
		rc = store_check(*out, note->detail, sizeof(note->detail));
		if (rc < 0) {
			store_close(*out);
			*out = NULL;
			if (rc != -EBADMSG)
				snprintf(err, errlen, "%s", note->detail);
		}
	} else if (rc != -EBADMSG) {
		snprintf(note->detail, sizeof(note->detail), "%s", err);
	} else {
		snprintf(note->detail, sizeof(note->detail),
			 "not a readable SQLite database");
	}
	if (rc == -EBADMSG) {
		/* Keep the broken file for inspection; the hub goes on. */
		if (store_move_aside(path, wall, note->moved_to,
				     sizeof(note->moved_to)) < 0) {
			snprintf(err, errlen, "%s is broken (%s) and cannot be"
				 " moved aside: %s", path, note->detail,
				 strerror(errno));
			return rc;
		}
		note->broken = true;
		had = 0;
		rc = store_open(out, path, err, errlen);
	}
	if (rc < 0)
		return rc;
	if (!had) {
		note->lost = created && !note->broken;
		note->created_before = created;
		store_lock_write(lock_fd, wall);
	} else {
		store_lock_write(lock_fd, created ? created : wall);
	}
	return 0;
}
