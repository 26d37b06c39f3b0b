// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SIGKILL crash test of the alarm store. A child runs a busy loop of
 * raises, escalations, acks, clears, re-alarms and cancels on a real
 * SQLite file and reports on a pipe what it saw committed - "R id" from
 * the transition callback (which runs only after COMMIT), "A id" after
 * alarm_ack() returned 0. The parent kills it with SIGKILL at a random
 * moment, then checks the file: integrity_check, every reported alarm
 * exactly once, every reported ack present, no duplicate message per
 * unique key, at most one open alarm per instance, an audit row for every
 * alarm, and that alarm_open() resumes it. Then the next child carries
 * on with the same file. CRASH_KILLS (default 60) and CRASH_SEED.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* mkdtemp, usleep */
#endif
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "alarm_fixture.h"
#include "unit_util.h"

#define CRASH_IDS_MAX	200000

static int crash_wfd = -1;

static void crash_report(char tag, uint64_t id)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%c %llu\n", tag,
			 (unsigned long long)id);

	/* < PIPE_BUF: one atomic write, never a torn line */
	if (write(crash_wfd, line, (size_t)n) != n)
		_exit(3);
}

static void crash_transition(void *arg, const struct alarm_info *ai,
			     const char *what)
{
	(void)arg;
	if (strcmp(what, "raised") == 0)
		crash_report('R', ai->id);
}

static const struct alarm_ops crash_ops = {
	.transition = crash_transition,
	.log = fx_log,
};

static int crash_first_open(void *arg, const struct alarm_info *ai)
{
	uint64_t *id = arg;

	if (ai->state == ALARM_RAISED || ai->state == ALARM_RESTORED) {
		*id = ai->id;
		return 1;
	}
	return 0;
}

static void crash_child(struct fx *f, unsigned int seed)
{
	struct alarm_transport tr = { .name = "fake", .send = fx_send, .ctx = f };
	char err[256];

	srand(seed);
	if (alarm_open(&f->a, f->path, &f->c, &crash_ops, f, &f->now, err,
		       sizeof(err)) < 0 ||
	    alarm_set_transport(f->a, CONF_TRANSPORT_LOG, &tr) < 0)
		_exit(2);
	crash_report('O', 0);	/* opened (and resumed): the loop starts */
	for (;;) {
		unsigned int r = (unsigned int)rand();
		unsigned int rule = r & 1 ? FX_R_SOS : FX_R_BED;
		int sensor = r & 1 ? FX_S_SOS : FX_S_BED;
		uint64_t id = 0;

		fx_rule(f, ALARM_TR_RAISE, rule, sensor);
		f->mode[0] = (r >> 4) % 4 == 0 ? -EIO : 1;
		f->mode[1] = (r >> 6) % 3 == 0 ? 0 : 1;
		fx_tick(f, 61);
		f->n_sent = 0;
		switch ((r >> 1) % 5) {
		case 0:
		case 1:
			alarm_list(f->a, true, 0, crash_first_open, &id);
			if (id && alarm_ack(f->a, id, "crash", &f->now) == 0)
				crash_report('A', id);
			break;
		case 2:
			fx_rule(f, ALARM_TR_CLEAR, rule, sensor);
			break;
		case 3:
			fx_rule(f, ALARM_TR_REALARM, rule, sensor);
			break;
		case 4:
			alarm_list(f->a, true, 0, crash_first_open, &id);
			if (id)
				alarm_cancel(f->a, id, "crash", &f->now);
			break;
		}
	}
}

/* Read the child's "O 0" line (one atomic write, so never torn). */
static void crash_wait_open(int fd)
{
	char buf[4];
	size_t got = 0;

	while (got < sizeof(buf)) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - got);

		if (n <= 0)
			fail_msg("child died before opening the store");
		got += (size_t)n;
	}
	assert_memory_equal(buf, "O 0\n", 4);
}

static int64_t q1(sqlite3 *db, const char *sql, uint64_t arg)
{
	int64_t v = -1;

	assert_true(store_int(db, &v, sql, "u", arg) >= 0);
	return v;
}

struct crash_seen {
	uint64_t *raised, *acked;
	size_t n_raised, n_acked;
};

static void crash_read(int fd, struct crash_seen *s)
{
	char buf[4096], line[64];
	size_t ll = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			if (line[0] == 'R' && s->n_raised < CRASH_IDS_MAX)
				s->raised[s->n_raised++] = strtoull(line + 2, NULL, 10);
			else if (line[0] == 'A' && s->n_acked < CRASH_IDS_MAX)
				s->acked[s->n_acked++] = strtoull(line + 2, NULL, 10);
			else if (line[0] == 'O')
				;	/* not waited for by the parent */
			else
				fail_msg("bad report line '%s'", line);
		}
	}
	assert_int_equal(ll, 0);	/* no torn line */
}

static void crash_check(struct fx *f, const struct crash_seen *s)
{
	char err[256];
	sqlite3 *db;

	assert_int_equal(store_open(&db, f->path, err, sizeof(err)), 0);
	if (store_check(db, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	for (size_t i = 0; i < s->n_raised; i++)
		assert_int_equal(q1(db, "SELECT count(*) FROM alarms WHERE id = ?"
				    " AND raised_wall > 0", s->raised[i]), 1);
	for (size_t i = 0; i < s->n_acked; i++)
		assert_int_equal(q1(db, "SELECT count(*) FROM alarms WHERE id = ?"
				    " AND acked_wall IS NOT NULL AND acked_by ="
				    " 'crash'", s->acked[i]), 1);
	/* the UNIQUE keys held: no notification, no open instance, twice */
	assert_int_equal(q1(db, "SELECT count(*) FROM (SELECT 1 FROM msgs GROUP BY"
			    " alarm, kind, recipient, cycle, step HAVING"
			    " count(*) > 1) WHERE ? = 0", 0), 0);
	assert_int_equal(q1(db, "SELECT count(*) FROM (SELECT 1 FROM alarms WHERE"
			    " test = 0 AND state IN ('prealarm','raised','acked',"
			    "'restored') GROUP BY rule, sensor HAVING count(*) > 1)"
			    " WHERE ? = 0", 0), 0);
	/* every alarm has its audit trail; no message without its alarm */
	assert_int_equal(q1(db, "SELECT count(*) FROM alarms a WHERE NOT EXISTS"
			    " (SELECT 1 FROM events e WHERE e.alarm = a.id AND"
			    " e.what IN ('raised','prealarm')) AND ? = 0", 0), 0);
	assert_int_equal(q1(db, "SELECT count(*) FROM msgs m WHERE NOT EXISTS"
			    " (SELECT 1 FROM alarms a WHERE a.id = m.alarm)"
			    " AND ? = 0", 0), 0);
	/* acked alarms never escalate further */
	assert_int_equal(q1(db, "SELECT count(*) FROM alarms WHERE state IN"
			    " ('acked','closed','cancelled') AND esc_what IS NOT"
			    " NULL AND ? = 0", 0), 0);
	store_close(db);
}

static void test_sigkill(void **state)
{
	unsigned long long kills = env_u64("CRASH_KILLS", 60, NULL);
	unsigned long long seed = env_u64("CRASH_SEED", (unsigned long long)time(NULL), NULL);
	struct crash_seen s = { 0 };
	struct fx *f = fx_new();
	double t0 = now_s();
	unsigned int worked = 0, waited = 0;

	(void)state;
	fprintf(stderr, "# CRASH_SEED=%llu CRASH_KILLS=%llu\n", seed, kills);
	srand((unsigned int)seed);
	s.raised = calloc(CRASH_IDS_MAX, sizeof(uint64_t));
	s.acked = calloc(CRASH_IDS_MAX, sizeof(uint64_t));
	assert_non_null(s.raised);
	assert_non_null(s.acked);
	snprintf(f->boot, sizeof(f->boot), "crash-boot");
	f->now.boot_id = f->boot;
	for (unsigned long long k = 0; k < kills; k++) {
		size_t before = s.n_raised;
		int p[2], st;
		pid_t pid;

		/* each child's clock starts after everything the last one did */
		f->now.mono_ns = (k + 1) * 10000000ULL * 1000000000ULL;
		f->now.wall = 1700000000 + (time_t)(k * 10000000ULL);
		assert_int_equal(pipe(p), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			crash_wfd = p[1];
			crash_child(f, (unsigned int)rand() ^ (unsigned int)k);
			_exit(0);
		}
		close(p[1]);
		/*
		 * Three kills in four land in the busy loop (on a loaded
		 * machine alarm_open() alone may outlast the sleep), the
		 * fourth anywhere, in alarm_open()'s resume too.
		 */
		if (k % 4 != 0) {
			crash_wait_open(p[0]);
			waited++;
		}
		usleep(2000 + (useconds_t)(rand() % 60000));
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (!WIFSIGNALED(st))
			fail_msg("child exited %d before the kill", WEXITSTATUS(st));
		crash_read(p[0], &s);
		close(p[0]);
		crash_check(f, &s);
		if (s.n_raised > before && k % 4 != 0)
			worked++;
	}
	/* and the survivor resumes: unconfirmed messages sent again */
	f->mode[0] = f->mode[1] = f->mode[2] = 1;
	f->now.mono_ns = (kills + 1) * 10000000ULL * 1000000000ULL;
	assert_int_equal(fx_open(f), 0);
	fx_tick(f, 0);
	assert_int_equal(fx_int(f, "SELECT count(*) FROM msgs WHERE state = 'sent'"
				" AND ? = 0", 0), 0);
	fprintf(stderr, "# %llu kills in %.1f s: %zu raises, %zu acks reported,"
		" %u of %u waited-for children committed work, %lld alarms,"
		" %lld messages\n",
		kills, now_s() - t0, s.n_raised, s.n_acked, worked, waited,
		(long long)fx_int(f, "SELECT count(*) FROM alarms WHERE ? = 0", 0),
		(long long)fx_int(f, "SELECT count(*) FROM msgs WHERE ? = 0", 0));
	assert_true(waited < 10 || worked >= waited / 2);
	free(s.raised);
	free(s.acked);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
