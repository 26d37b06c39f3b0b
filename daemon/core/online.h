/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * online: device online-rate accounting (prefix online_).
 *
 * Field pilots found that sensors and hubs silently dropped off; the
 * online rate is what proves they do not. Per subject ("hub" and each
 * sensor name) the store keeps intervals [start_wall, end_wall] during
 * which it was known online or known offline (table online, same
 * database as the alarms). The current interval of each subject is
 * extended by online_heartbeat() every conf.heartbeat_s, so a crash or a
 * power loss costs at most one heartbeat: the time between the last
 * heartbeat and the next start is in no interval - for "hub" that is
 * exactly when it was down, and it counts as offline.
 *
 * online_rate(): over [from, to), the known window runs from the
 * subject's first record to its last recorded end; time before the first
 * record is unknown and excluded, gaps inside the window count as
 * offline. It returns online / known and reports known / (to - from) as
 * the coverage. Records that ended more than ONLINE_KEEP_S ago are pruned.
 */
#ifndef ONLINE_H
#define ONLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <sqlite3.h>

#define ONLINE_KEEP_S		(31 * 86400)
#define ONLINE_SUBJECTS_MAX	80
#define ONLINE_SUBJECT_MAX	48

struct online;

/*
 * @db: an open store (store_open() created the table), e.g. alarm_db().
 * 0, or -errno with @err set.
 */
int online_open(struct online **out, sqlite3 *db, char *err, size_t errlen);
void online_close(struct online *o);

/*
 * @subject is online / offline from @wall on. The first call for a
 * subject after online_open() starts a new interval even in the same
 * state: the process was not watching in between.
 */
int online_set(struct online *o, const char *subject, bool online, time_t wall);
/* Extend every current interval to @wall, prune old records. */
int online_heartbeat(struct online *o, time_t wall);
/* Delete records that ended before @wall - ONLINE_KEEP_S. Rows removed. */
int online_prune(struct online *o, time_t wall);
/*
 * Fraction of the known part of [@from, @to) that @subject was online,
 * 0..1; -1.0 if nothing is known (or on error). *@covered (may be NULL):
 * the known part's share of [@from, @to), 0..1.
 */
/*
 * The rate over the last @span seconds before @now, as `status` shows it:
 * the subject's current interval counts as lasting until now (a fresh hub
 * is 100 % online, not the share up to its last heartbeat), and after the
 * wall clock stepped back, "now" is the latest time recorded, so the
 * figures do not turn unknown.
 */
double online_rate_recent(struct online *o, const char *subject, time_t span,
			  time_t now, double *covered);
double online_rate(struct online *o, const char *subject, time_t from,
		   time_t to, double *covered);

#endif /* ONLINE_H */
