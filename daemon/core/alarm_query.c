// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alarm queries for the control socket and the engine's restart hook:
 * alarm_get(), alarm_list(), alarm_counts(), alarm_foreach_open().
 * Read-only; see alarm.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alarm_int.h"
#include "store.h"
#include "utf8.h"

#define ALARM_INFO_COLS \
	"SELECT id, rule, type, sensor, resident, code, zone, text, state," \
	" test, raised_wall, acked_wall, closed_wall, acked_by," \
	" closed_reason, repeats, cycle, step, n_delivered, n_pending" \
	" FROM alarms"

#define ALARM_OPEN_STATES "('prealarm','raised','acked','restored')"

/* One row of ALARM_INFO_COLS; strings truncated to the struct's sizes. */
static void alarm_q_row(struct alarm *a, sqlite3_stmt *q, struct alarm_info *ai)
{
	const struct conf *c = a->c;
	int64_t step;

	memset(ai, 0, sizeof(*ai));
	ai->id = (uint64_t)sqlite3_column_int64(q, 0);
	utf8_copy(ai->rule, sizeof(ai->rule), store_text(q, 1));
	utf8_copy(ai->type, sizeof(ai->type), store_text(q, 2));
	utf8_copy(ai->sensor, sizeof(ai->sensor), store_text(q, 3));
	utf8_copy(ai->resident, sizeof(ai->resident), store_text(q, 4));
	ai->code = (uint16_t)sqlite3_column_int(q, 5);
	ai->zone = (uint16_t)sqlite3_column_int(q, 6);
	utf8_copy(ai->text, sizeof(ai->text), store_text(q, 7));
	ai->state = alarm_state_parse(store_text(q, 8));
	ai->state_name = alarm_state_name(ai->state);
	ai->test = sqlite3_column_int(q, 9) != 0;
	ai->raised_wall = (time_t)sqlite3_column_int64(q, 10);
	ai->acked_wall = (time_t)sqlite3_column_int64(q, 11);
	ai->closed_wall = (time_t)sqlite3_column_int64(q, 12);
	utf8_copy(ai->acked_by, sizeof(ai->acked_by), store_text(q, 13));
	utf8_copy(ai->closed_reason, sizeof(ai->closed_reason),
		  store_text(q, 14));
	ai->repeats = (unsigned int)sqlite3_column_int64(q, 15);
	ai->cycle = (unsigned int)sqlite3_column_int64(q, 16);
	step = sqlite3_column_int64(q, 17);
	ai->step = step < 0 || step > CONF_RECIPIENTS_MAX ? -1 : (int)step;
	if (ai->step >= 0 && (unsigned int)ai->step < c->n_chain &&
	    c->chain[ai->step] < c->n_recipients)
		utf8_copy(ai->recipient, sizeof(ai->recipient),
			  c->recipients[c->chain[ai->step]].name);
	ai->delivered = (unsigned int)sqlite3_column_int64(q, 18);
	ai->pending = (unsigned int)sqlite3_column_int64(q, 19);
}

int alarm_get(struct alarm *a, uint64_t id, struct alarm_info *out)
{
	sqlite3_stmt *q;
	int rc = store_prep(a->db, &q, ALARM_INFO_COLS " WHERE id = ?", "u", id);

	if (rc < 0)
		return rc;
	rc = store_step(q);
	if (rc == SQLITE_ROW) {
		alarm_q_row(a, q, out);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = -ENOENT;
	}
	store_done(q);
	return rc;
}

int alarm_list(struct alarm *a, bool open_only, unsigned int limit,
	       int (*cb)(void *arg, const struct alarm_info *ai), void *arg)
{
	struct alarm_info ai;
	sqlite3_stmt *q;
	int rc;

	rc = store_prep(a->db, &q, open_only ?
			ALARM_INFO_COLS " WHERE state IN " ALARM_OPEN_STATES
			" ORDER BY id DESC LIMIT ?" :
			ALARM_INFO_COLS " ORDER BY id DESC LIMIT ?",
			"i", limit ? (int64_t)limit : (int64_t)-1);
	if (rc < 0)
		return rc;
	while ((rc = store_step(q)) == SQLITE_ROW) {
		alarm_q_row(a, q, &ai);
		if (cb(arg, &ai) != 0)
			break;
	}
	store_done(q);
	return rc < 0 ? rc : 0;
}

int alarm_counts(struct alarm *a, unsigned int *open, unsigned int *unacked)
{
	int64_t n = 0, u = 0;
	int rc;

	rc = store_int(a->db, &n, "SELECT count(*) FROM alarms WHERE state IN "
		       ALARM_OPEN_STATES, NULL);
	if (rc >= 0)
		rc = store_int(a->db, &u, "SELECT count(*) FROM alarms WHERE"
			       " state IN ('raised','restored')", NULL);
	if (rc < 0)
		return rc;
	if (open)
		*open = (unsigned int)n;
	if (unacked)
		*unacked = (unsigned int)u;
	return 0;
}

/*
 * Raised and acked alarms only: a pre-alarm is the engine's to restart,
 * a restored alarm's condition is already over.
 */
int alarm_foreach_open(struct alarm *a,
		       void (*cb)(void *arg, unsigned int rule, int sensor,
				  uint64_t raised_mono),
		       void *arg)
{
	const struct conf *c = a->c;
	sqlite3_stmt *q;
	int rc;

	rc = store_prep(a->db, &q, "SELECT rule, sensor, raised_mono,"
			" raised_boot FROM alarms WHERE test = 0 AND state IN"
			" ('raised','acked') ORDER BY id", NULL);
	if (rc < 0)
		return rc;
	while ((rc = store_step(q)) == SQLITE_ROW) {
		const char *rule = store_text(q, 0), *sensor = store_text(q, 1);
		int64_t mono = sqlite3_column_int64(q, 2);
		int ri = conf_rule_find(c, rule);
		int si = *sensor ? conf_sensor_find(c, sensor) : -1;

		if (ri < 0 || (*sensor && si < 0))
			continue;	/* not in this configuration */
		if (strcmp(store_text(q, 3), a->boot) != 0 || mono < 0)
			mono = 0;
		cb(arg, (unsigned int)ri, si, (uint64_t)mono);
	}
	store_done(q);
	return rc < 0 ? rc : 0;
}
