// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * online: persisted online/offline intervals and rates. See online.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "online.h"
#include "store.h"

struct online_cur {
	char subject[ONLINE_SUBJECT_MAX];
	int64_t row;		/* the interval this process extends */
	bool online;
};

struct online {
	sqlite3 *db;
	struct online_cur cur[ONLINE_SUBJECTS_MAX];
	unsigned int n;
	time_t latest;		/* the latest wall time recorded */
};

int online_open(struct online **out, sqlite3 *db, char *err, size_t errlen)
{
	struct online *o;

	*out = NULL;
	if (!db) {
		snprintf(err, errlen, "online: no database");
		return -EINVAL;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		snprintf(err, errlen, "online: out of memory");
		return -ENOMEM;
	}
	o->db = db;
	*out = o;
	return 0;
}

void online_close(struct online *o)
{
	free(o);
}

static struct online_cur *online_find(struct online *o, const char *subject)
{
	for (unsigned int i = 0; i < o->n; i++)
		if (strcmp(o->cur[i].subject, subject) == 0)
			return &o->cur[i];
	return NULL;
}

int online_set(struct online *o, const char *subject, bool online, time_t wall)
{
	struct online_cur *c;
	int64_t start = (int64_t)wall;
	int rc;

	if (!subject || !*subject || strlen(subject) >= ONLINE_SUBJECT_MAX)
		return -EINVAL;
	c = online_find(o, subject);
	if (!c && o->n >= ONLINE_SUBJECTS_MAX)
		return -ENOSPC;
	rc = store_begin(o->db);
	if (rc < 0)
		return rc;
	if (wall > o->latest)
		o->latest = wall;
	if (c) {
		/* Close (or extend) the current interval; a clock step back
		 * must not make it end before it began. */
		rc = store_run(o->db, "UPDATE online SET end_wall ="
			       " max(end_wall, ?) WHERE id = ?", "ii",
			       (int64_t)wall, c->row);
		if (rc >= 0 && c->online == online)
			goto commit;
		if (rc >= 0)
			rc = store_int(o->db, &start, "SELECT end_wall FROM"
				       " online WHERE id = ?", "i", c->row);
	}
	if (rc >= 0)
		rc = store_run(o->db, "INSERT INTO online(subject, online,"
			       " start_wall, end_wall) VALUES(?, ?, ?, ?)",
			       "tiii", subject, (int64_t)online, start, start);
	if (rc < 0)
		goto fail;
	if (!c) {
		c = &o->cur[o->n++];
		snprintf(c->subject, sizeof(c->subject), "%s", subject);
	}
	c->row = sqlite3_last_insert_rowid(o->db);
	c->online = online;
commit:
	if (rc < 0)
		goto fail;
	return store_commit(o->db);
fail:
	store_rollback(o->db);
	return rc;
}

int online_prune(struct online *o, time_t wall)
{
	return store_run(o->db, "DELETE FROM online WHERE end_wall < ?", "i",
			 (int64_t)wall - ONLINE_KEEP_S);
}

int online_heartbeat(struct online *o, time_t wall)
{
	int rc = store_begin(o->db);

	if (wall > o->latest)
		o->latest = wall;

	if (rc < 0)
		return rc;
	for (unsigned int i = 0; i < o->n && rc >= 0; i++)
		rc = store_run(o->db, "UPDATE online SET end_wall ="
			       " max(end_wall, ?) WHERE id = ?", "ii",
			       (int64_t)wall, o->cur[i].row);
	if (rc >= 0)
		rc = online_prune(o, wall);
	if (rc < 0) {
		store_rollback(o->db);
		return rc;
	}
	return store_commit(o->db);
}

/*
 * As online_rate(); with @cur, the subject's current interval (this
 * process's) is taken as lasting until @to.
 */
static double online_rate_ext(struct online *o, const char *subject,
			      time_t from, time_t to,
			      const struct online_cur *cur, double *covered)
{
	int64_t first = 0, last = 0, on = 0, cur_end = 0, lo, hi;
	int rc;

	if (covered)
		*covered = 0.0;
	if (!subject || to <= from)
		return -1.0;
	rc = store_int(o->db, &first, "SELECT min(start_wall) FROM online"
		       " WHERE subject = ?", "t", subject);
	if (rc == 1)
		rc = store_int(o->db, &last, "SELECT max(end_wall) FROM online"
			       " WHERE subject = ?", "t", subject);
	if (rc == 1 && cur)
		rc = store_int(o->db, &cur_end, "SELECT end_wall FROM online"
			       " WHERE id = ?", "i", cur->row);
	if (rc != 1)
		return -1.0;
	if (cur && cur_end < (int64_t)to && last < (int64_t)to)
		last = (int64_t)to;	/* known until now */
	else
		cur = NULL;
	lo = first > (int64_t)from ? first : (int64_t)from;
	hi = last < (int64_t)to ? last : (int64_t)to;
	if (hi <= lo)
		return -1.0;
	/* Online intervals clipped to the known window [lo, hi). */
	rc = store_int(o->db, &on, "SELECT total(min(end_wall, ?2) -"
		       " max(start_wall, ?1)) FROM online WHERE subject = ?3"
		       " AND online = 1 AND end_wall > ?1 AND start_wall < ?2",
		       "iit", lo, hi, subject);
	if (rc < 0)
		return -1.0;
	if (cur && cur->online) {	/* the current interval, [cur_end, hi) */
		int64_t a = cur_end > lo ? cur_end : lo;

		on += hi > a ? hi - a : 0;
	}
	if (covered)
		*covered = (double)(hi - lo) / (double)((int64_t)to - (int64_t)from);
	if (on > hi - lo)	/* overlapping rows after a clock step */
		on = hi - lo;
	return (double)on / (double)(hi - lo);
}

double online_rate(struct online *o, const char *subject, time_t from,
		   time_t to, double *covered)
{
	return online_rate_ext(o, subject, from, to, NULL, covered);
}

double online_rate_recent(struct online *o, const char *subject, time_t span,
			  time_t now, double *covered)
{
	/* A wall clock stepped back: the latest time recorded is "now". */
	time_t end = o->latest > now ? o->latest : now;

	return online_rate_ext(o, subject, end - span, end,
			       subject ? online_find(o, subject) : NULL, covered);
}
