// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The store fails and recovers under a running core (issue 9, defect 1):
 * on a tiny tmpfs that fills up, an SOS is still sent (the log transport,
 * to every recipient of the chain), the buzzer runs, status says why,
 * the loop does not spin, and once space is freed the alarm is stored and
 * escalates like any other. Needs root for the mount; skipped otherwise.
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
	"[rule sos]\n"
	"type = sos\n"
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

static int cs_setup(void **state)
{
	struct cs *t = calloc(1, sizeof(*t));
	struct conf *c = NULL;
	char err[256];
	int fd;

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/carehub-tmpfs-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	if (mount("tmpfs", t->dir, "tmpfs", 0, "size=512k,mode=0700") < 0) {
		rmdir(t->dir);
		free(t);
		*state = NULL;
		return 0;	/* not root: each test skips */
	}
	snprintf(t->db, sizeof(t->db), "%s/carehub.db", t->dir);
	snprintf(t->filler, sizeof(t->filler), "%s/filler", t->dir);
	/* The log transport writes to stderr: keep it in a file to read. */
	snprintf(t->log, sizeof(t->log), "/tmp/carehub-tmpfs-log-XXXXXX");
	fd = mkstemp(t->log);
	assert_true(fd >= 0);
	fflush(stderr);
	t->saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
	assert_int_equal(conf_load_buf("test.conf", conf_text,
				       sizeof(conf_text) - 1, &c, err,
				       sizeof(err)), 0);
	t->now.mono_ns = 1000ULL * 1000000000ULL;
	t->now.wall = 1700000000;
	assert_int_equal(core_open(&t->k, c, t->db, "boot-A", NULL, NULL,
				   &t->now, err, sizeof(err)), 0);
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
	umount2(t->dir, MNT_DETACH);
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
	cs_tick(t, 60);
	core_store_health(t->k, &h);
	assert_true(h.ok);
	assert_int_equal(core_alarm_counts(t->k, &open, &unacked), 0);
	assert_int_equal(open, 1);
	assert_int_equal(unacked, 1);
	assert_false(core_prealarm_active(t->k));
	assert_int_equal(cs_log_count(t, "works again"), 1);
	cs_tick(t, 0);
	assert_true(cs_log_count(t, "to=\"family\"") >= 2);	/* stored, sent */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_full_store_still_sends_then_stores, cs_setup,
			cs_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
