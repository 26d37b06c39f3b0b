// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core as the daemon runs it: a real store, the log transport, a virtual
 * clock.
 *  - The store fails and recovers (issue 9, defect 1): on a tiny tmpfs
 *    that fills up, an SOS is still sent (the log transport, to every
 *    recipient of the chain), the buzzer runs, status says why, the loop
 *    does not spin, and once space is freed the alarm is stored and
 *    escalates like any other. Needs root for the mount; skipped
 *    otherwise.
 *  - A reload keeps what it did not change (defect 5): the grace for a
 *    missing sensor runs on across reloads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cmocka.h>

#include "core.h"

static const char conf_text[] =
	"[hub]\n"
	"name = tmpfs-home\n"
	"state_dir = /tmp\n"
	"socket = /tmp/unused.sock\n"
	"[resident ada]\n"
	"account = 1234\n"
	"[sensor cord]\n"
	"kind = sos\n"
	"label = Bathroom pull cord\n"
	"[sensor bed]\n"
	"kind = bed\n"
	"[rule sos]\n"
	"type = sos\n"
	"[rule faults]\n"
	"type = sensor-fault\n"
	"sensor = bed\n"
	"[recipient family]\n"
	"transport = log\n"
	"ack_timeout = 2m\n"
	"[recipient centre]\n"
	"transport = log\n"
	"ack_timeout = 2m\n"
	"[escalation]\n"
	"chain = family, centre\n"
	"repeat = 5m\n";

struct cs {
	char dir[64];
	char db[96];
	char filler[96];
	char log[96];
	int saved_stderr;
	bool mounted;
	struct core *k;
	struct core_now now;
};

static unsigned int cs_log_count(struct cs *t, const char *needle)
{
	char line[1024];
	unsigned int n = 0;
	FILE *f;

	fflush(stderr);
	f = fopen(t->log, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/* Write until the file system is full. */
static void cs_fill(struct cs *t)
{
	static char block[4096];
	int fd = open(t->filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	memset(block, 'x', sizeof(block));
	for (;;) {
		ssize_t w = write(fd, block, sizeof(block));

		if (w < 0) {
			assert_int_equal(errno, ENOSPC);
			break;
		}
		if (w < (ssize_t)sizeof(block))
			continue;	/* the last partial block */
	}
	close(fd);
}

static struct conf *cs_conf(void)
{
	struct conf *c = NULL;
	char err[256];

	assert_int_equal(conf_load_buf("test.conf", conf_text,
				       sizeof(conf_text) - 1, &c, err,
				       sizeof(err)), 0);
	return c;
}

/* A core on a store in @t->dir, stderr (the log transport) to a file. */
static void cs_open(struct cs *t)
{
	char err[256];
	int fd;

	snprintf(t->db, sizeof(t->db), "%s/carehub.db", t->dir);
	snprintf(t->filler, sizeof(t->filler), "%s/filler", t->dir);
	snprintf(t->log, sizeof(t->log), "/tmp/carehub-core-log-XXXXXX");
	fd = mkstemp(t->log);
	assert_true(fd >= 0);
	fflush(stderr);
	t->saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
	t->now.mono_ns = 1000ULL * 1000000000ULL;
	t->now.wall = 1700000000;
	assert_int_equal(core_open(&t->k, cs_conf(), t->db, "boot-A", NULL,
				   NULL, &t->now, err, sizeof(err)), 0);
}

static int cs_setup(void **state)
{
	struct cs *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/carehub-core-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	cs_open(t);
	*state = t;
	return 0;
}

static int cs_setup_tmpfs(void **state)
{
	struct cs *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/carehub-tmpfs-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	if (mount("tmpfs", t->dir, "tmpfs", 0, "size=512k,mode=0700") < 0) {
		rmdir(t->dir);
		free(t);
		*state = NULL;
		return 0;	/* not root: the test skips */
	}
	t->mounted = true;
	cs_open(t);
	*state = t;
	return 0;
}

static int cs_teardown(void **state)
{
	struct cs *t = *state;

	if (!t)
		return 0;
	core_close(t->k);
	fflush(stderr);
	dup2(t->saved_stderr, 2);
	close(t->saved_stderr);
	unlink(t->log);
	if (t->mounted) {
		umount2(t->dir, MNT_DETACH);
	} else {
		char p[160];

		for (const char *ext = ""; ext; ext = !*ext ? "-wal" :
		     !strcmp(ext, "-wal") ? "-shm" :
		     !strcmp(ext, "-shm") ? ".lock" : NULL) {
			snprintf(p, sizeof(p), "%s%s", t->db, ext);
			unlink(p);
		}
	}
	rmdir(t->dir);
	free(t);
	return 0;
}

static void cs_tick(struct cs *t, unsigned int s)
{
	t->now.mono_ns += (uint64_t)s * 1000000000ULL;
	t->now.wall += s;
	core_advance(t->k, &t->now);
}

static int cs_count_sos(void *arg, const struct alarm_info *ai)
{
	unsigned int *n = arg;

	*n += !strcmp(ai->rule, "sos") && ai->state == ALARM_RAISED;
	return 0;
}

static void test_full_store_still_sends_then_stores(void **state)
{
	struct cs *t = *state;
	struct alarm_health h;
	unsigned int open = 9, unacked = 9;

	if (!t)
		skip();
	cs_tick(t, 1);
	core_store_health(t->k, &h);
	assert_true(h.ok);

	cs_fill(t);
	core_button(t->k, RULES_BUTTON_SOS, &t->now);

	/* not stored, but sent to both recipients, and said loudly */
	assert_int_equal(core_alarm_counts(t->k, &open, &unacked), 0);
	assert_int_equal(open, 0);
	core_store_health(t->k, &h);
	assert_false(h.ok);
	assert_int_equal(h.err, -ENOSPC);
	assert_string_equal(h.why, "disk full");
	assert_int_equal(h.since, t->now.wall);
	assert_int_equal(h.unstored, 1);
	assert_int_equal(cs_log_count(t, "WITHOUT being stored"), 1);
	assert_int_equal(cs_log_count(t, "to=\"family\""), 1);
	assert_int_equal(cs_log_count(t, "to=\"centre\""), 1);
	assert_true(core_prealarm_active(t->k));	/* the buzzer */

	/* the loop waits for the retry instead of spinning */
	assert_true(core_next(t->k) > t->now.mono_ns);
	for (int i = 0; i < 5; i++)
		cs_tick(t, 1);
	assert_true(core_next(t->k) > t->now.mono_ns);
	core_store_health(t->k, &h);
	assert_false(h.ok);
	/* the failure is logged once, not once per turn */
	assert_int_equal(cs_log_count(t, "cannot commit"), 1);

	/* space again: the next retry stores the alarm, which escalates */
	assert_int_equal(unlink(t->filler), 0);
	open = 0;
	cs_tick(t, 60);
	core_store_health(t->k, &h);
	assert_true(h.ok);
	assert_int_equal(core_alarm_list(t->k, true, 0, cs_count_sos, &open), 0);
	assert_int_equal(open, 1);
	assert_false(core_prealarm_active(t->k));
	assert_int_equal(cs_log_count(t, "works again"), 1);
	cs_tick(t, 0);
	assert_true(cs_log_count(t, "to=\"family\"") >= 2);	/* stored, sent */
}

/* The bed never shows up; SIGHUP every 30 s must not restart its grace. */
static void test_reload_keeps_missing_grace(void **state)
{
	struct cs *t = *state;
	unsigned int open = 9, unacked = 9;
	char err[256];

	for (int i = 0; i < 3; i++) {
		cs_tick(t, 25);
		assert_int_equal(core_reload(t->k, cs_conf(), &t->now, err,
					     sizeof(err)), 0);
		assert_int_equal(core_alarm_counts(t->k, &open, &unacked), 0);
		if (i < 2)
			assert_int_equal(open, 0);	/* within 60 s */
	}
	/* 75 s missing, three reloads: the sensor-fault alarm is up */
	cs_tick(t, 1);
	assert_int_equal(core_alarm_counts(t->k, &open, &unacked), 0);
	assert_int_equal(open, 1);
	assert_int_equal(cs_log_count(t, "code=381"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_full_store_still_sends_then_stores, cs_setup_tmpfs,
			cs_teardown),
		cmocka_unit_test_setup_teardown(
			test_reload_keeps_missing_grace, cs_setup, cs_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
