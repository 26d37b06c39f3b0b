// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of daemon/core/online.c on a real SQLite file: rates with gaps
 * (the hub down between the last heartbeat and the next start),
 * coverage of unknown time, heartbeats persisted across a "crash",
 * pruning after 31 days, input checks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* mkdtemp */
#endif
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "online.h"
#include "store.h"

struct ofx {
	char dir[64];
	char path[96];
	sqlite3 *db;
	struct online *o;
};

static void ofx_open(struct ofx *f)
{
	char err[256];

	assert_int_equal(store_open(&f->db, f->path, err, sizeof(err)), 0);
	assert_int_equal(online_open(&f->o, f->db, err, sizeof(err)), 0);
}

static void ofx_close(struct ofx *f)
{
	online_close(f->o);
	store_close(f->db);
	f->o = NULL;
	f->db = NULL;
}

static int setup(void **state)
{
	struct ofx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/carehub-online-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/carehub.db", f->dir);
	ofx_open(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct ofx *f = *state;
	char p[160];

	ofx_close(f);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

#define T0	1700000000

static void assert_near(double a, double b)
{
	if (a - b > 1e-9 || b - a > 1e-9) {
		fprintf(stderr, "%f != %f\n", a, b);
		fail();
	}
}

static void test_rate_gaps(void **state)
{
	struct ofx *f = *state;
	double cov = -1;

	/* nothing known */
	assert_near(online_rate(f->o, "hub", T0, T0 + 100, &cov), -1.0);
	assert_near(cov, 0.0);
	/* sensor: online 0..600, offline 600..900, online 900..1200 */
	assert_int_equal(online_set(f->o, "bed", true, T0), 0);
	assert_int_equal(online_heartbeat(f->o, T0 + 300), 0);
	assert_int_equal(online_set(f->o, "bed", false, T0 + 600), 0);
	assert_int_equal(online_set(f->o, "bed", false, T0 + 700), 0);	/* same */
	assert_int_equal(online_set(f->o, "bed", true, T0 + 900), 0);
	assert_int_equal(online_heartbeat(f->o, T0 + 1200), 0);
	assert_near(online_rate(f->o, "bed", T0, T0 + 1200, &cov), 900.0 / 1200);
	assert_near(cov, 1.0);
	/* time before the first record is excluded, reported as coverage */
	assert_near(online_rate(f->o, "bed", T0 - 1200, T0 + 1200, &cov),
		    900.0 / 1200);
	assert_near(cov, 0.5);
	/* a window inside the offline stretch */
	assert_near(online_rate(f->o, "bed", T0 + 650, T0 + 850, NULL), 0.0);
	assert_near(online_rate(f->o, "bed", T0 + 500, T0 + 1000, NULL),
		    200.0 / 500);
	assert_int_equal(online_set(f->o, "", true, T0), -EINVAL);
	assert_near(online_rate(f->o, "bed", T0 + 10, T0 + 10, NULL), -1.0);
}

/*
 * Issue 9, defect 8: what `status` shows. A fresh hub is 100 % online
 * between heartbeats (not the share up to the last one), and after the
 * wall clock steps back two hours the figures stay known.
 */
static void test_rate_recent(void **state)
{
	struct ofx *f = *state;
	double cov;

	assert_int_equal(online_set(f->o, "hub", true, T0), 0);
	assert_int_equal(online_set(f->o, "bed", false, T0), 0);
	assert_int_equal(online_heartbeat(f->o, T0), 0);
	assert_near(online_rate_recent(f->o, "hub", 86400, T0 + 10, &cov), 1.0);
	assert_near(cov, 10.0 / 86400);
	assert_near(online_rate_recent(f->o, "bed", 86400, T0 + 10, NULL), 0.0);
	assert_int_equal(online_set(f->o, "bed", true, T0 + 30), 0);
	assert_near(online_rate_recent(f->o, "bed", 86400, T0 + 120, NULL),
		    90.0 / 120);
	for (int i = 1; i <= 30; i++)
		assert_int_equal(online_heartbeat(f->o, T0 + i * 120), 0);
	/* the clock steps back two hours */
	assert_near(online_rate_recent(f->o, "hub", 86400, T0 + 3600 - 7200,
				       NULL), 1.0);
	assert_near(online_rate_recent(f->o, "bed", 86400, T0 + 3600 - 7200,
				       NULL), (3600.0 - 30) / 3600);
	/* no such subject: unknown */
	assert_near(online_rate_recent(f->o, "attic", 86400, T0 + 100, NULL), -1.0);
}

static void test_crash_costs_one_heartbeat(void **state)
{
	struct ofx *f = *state;
	double cov;

	assert_int_equal(online_set(f->o, "hub", true, T0), 0);
	for (int i = 1; i <= 10; i++)
		assert_int_equal(online_heartbeat(f->o, T0 + i * 120), 0);
	/* power lost at T0 + 1300 (after the 10th heartbeat at 1200) */
	ofx_close(f);
	ofx_open(f);
	/* back at T0 + 2400: the hub was down from 1200 to 2400 */
	assert_int_equal(online_set(f->o, "hub", true, T0 + 2400), 0);
	assert_int_equal(online_heartbeat(f->o, T0 + 3600), 0);
	assert_near(online_rate(f->o, "hub", T0, T0 + 3600, &cov),
		    (1200.0 + 1200.0) / 3600);
	assert_near(cov, 1.0);
	/* the new process started a new interval even in the same state */
	{
		int64_t n = 0;

		assert_int_equal(store_int(f->db, &n, "SELECT count(*) FROM online"
					   " WHERE subject = 'hub'", NULL), 1);
		assert_int_equal(n, 2);
	}
}

static void test_prune(void **state)
{
	struct ofx *f = *state;
	int64_t n = 0;

	assert_int_equal(online_set(f->o, "door", true, T0), 0);
	assert_int_equal(online_set(f->o, "door", false, T0 + 60), 0);
	assert_int_equal(online_set(f->o, "door", true, T0 + 40 * 86400), 0);
	/* the heartbeat prunes: the first two ended > 31 days ago... */
	assert_int_equal(online_heartbeat(f->o, T0 + 40 * 86400 + 10), 0);
	assert_int_equal(store_int(f->db, &n, "SELECT count(*) FROM online", NULL),
			 1);
	/* ...except the one that ended when the next began (T0 + 40 d) */
	assert_int_equal(n, 2);
	assert_int_equal(online_prune(f->o, T0 + 71 * 86400 + 5), 1);
	/* the current interval can still be extended after pruning others */
	assert_near(online_rate(f->o, "door", T0, T0 + 40 * 86400 + 10, NULL), 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rate_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_recent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_costs_one_heartbeat,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
