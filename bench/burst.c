// SPDX-License-Identifier: GPL-2.0
/*
 * carehub burst benchmark: many sensors with a short debounce toggled as
 * fast as the debounce allows for a fixed time, received by a listener
 * with a small netlink receive buffer so that notifications get lost.
 *
 * It measures the rate of notifications reaching user space and checks
 * the recovery protocol of include/uapi/linux/carehub.h: every lost
 * notification must be detected (family sequence gap, or ENOBUFS from the
 * socket) and healed by a SENSOR_GET dump; when the lines are quiet, the
 * final dump must equal the state the listener reconstructed, sensor by
 * sensor (state, faults, sensor_seq), and that state must be the level
 * last written to each line. Exit status 0 only when all of that holds.
 *
 * Accounting: every family sequence number from the baseline dump to the
 * final one is either received, or lies in a window the listener flagged
 * (between the last number before a gap and the number after it, or
 * between the last number before an ENOBUFS and the dump that followed).
 * A number in neither is an undetected loss.
 *
 * Run as root in a guest with gpio-sim loaded and $CAREHUB_KO set.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"
#include "cht.h"

#define MS 1000000ull
#define MAX_LINES 64
#define RMEM_MAX "/proc/sys/net/core/rmem_max"

struct opts {
	int lines;
	int debounce_ms;
	int seconds;
	int rcvbuf;
	int gap_us;		/* least time a line holds a level; -1: 2 x debounce */
	bool expect_no_loss;
};

/* What the listener believes about one sensor. */
struct known {
	uint32_t id;
	int state;
	uint32_t faults;
	uint64_t sensor_seq;
	uint64_t edges, glitches;
};

/* Per family sequence number, relative to the baseline. */
#define F_RECV		1	/* received */
#define F_GAP		2	/* inside a detected gap */
#define F_ENOBUFS	4	/* inside an ENOBUFS window */

struct toggler {
	const struct opts *o;
	int fd[MAX_LINES];
	int level[MAX_LINES];
	uint64_t toggles;
	uint64_t t_start, t_end;
	atomic_int err;
	atomic_int finished;	/* t_end is set */
};

static struct opts o = { .lines = 8, .debounce_ms = 1, .seconds = 3,
			 .rcvbuf = 4096, .gap_us = -1 };
static struct known k[MAX_LINES];
static uint8_t *flags;
static uint64_t flags_cap, s0;	/* flags[n - s0 - 1] for seq n */
static uint64_t last, resync_seq;
static uint64_t n_recv, n_stale, n_gaps, n_enobufs, n_dumps, n_bad_dumps;
static uint64_t n_anomalies;

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-l LINES] [-d DEBOUNCE_MS] [-t SECONDS] [-b RCVBUF] [-g GAP_US] [-z]\n"
		"  -l  sensors, one per gpio-sim line (default 8, at most %d)\n"
		"  -d  debounce period, ms (default 1)\n"
		"  -t  toggling time, s (default 3)\n"
		"  -b  listener's SO_RCVBUF request, bytes (default 4096; the kernel doubles it)\n"
		"  -g  least time a line holds a level before its next toggle, us\n"
		"      (default 2 x debounce: every toggle is a debounced change)\n"
		"  -z  fail unless no notification was lost\n",
		prog, MAX_LINES);
	exit(2);
}

static void anomaly(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void anomaly(const char *fmt, ...)
{
	va_list ap;

	n_anomalies++;
	fprintf(stderr, "# burst: ANOMALY: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void mark(uint64_t seq, uint8_t f)
{
	uint64_t i;

	if (seq <= s0)
		return;
	i = seq - s0 - 1;
	if (i >= flags_cap) {
		uint64_t cap = flags_cap ? flags_cap : 4096;
		uint8_t *p;

		while (cap <= i)
			cap *= 2;
		p = realloc(flags, cap);
		if (!p) {
			perror("realloc");
			exit(1);
		}
		memset(p + flags_cap, 0, cap - flags_cap);
		flags = p;
		flags_cap = cap;
	}
	flags[i] |= f;
}

static uint8_t flag(uint64_t seq)
{
	uint64_t i = seq - s0 - 1;

	return i < flags_cap ? flags[i] : 0;
}

static int sensor_idx(uint32_t id)
{
	for (int i = 0; i < o.lines; i++)
		if (k[i].id == id)
			return i;
	return -1;
}

/*
 * Dump every sensor; with check, compare the dump to what we knew first.
 * Returns the family seq the dump reflects (the smallest over its parts).
 */
static uint64_t dump(struct cht_nl *req, bool check, struct cht_msg *out)
{
	struct cht_msg m[MAX_LINES + 8];
	uint64_t d = UINT64_MAX;
	int n, i, j, bad = 0;

	n = cht_nl_dump(req, m, MAX_LINES + 8);
	if (n < 0) {
		fprintf(stderr, "burst: SENSOR_GET dump: %s\n", strerror(-n));
		exit(1);
	}
	n_dumps++;
	for (i = 0; i < n; i++) {
		j = sensor_idx(m[i].id);
		if (j < 0)
			continue;
		if (m[i].seq < d)
			d = m[i].seq;
		if (out)
			out[j] = m[i];
		if (!check)
			continue;
		/* The kernel may be ahead of us, never behind. */
		if (m[i].sensor_seq < k[j].sensor_seq ||
		    (m[i].sensor_seq == k[j].sensor_seq &&
		     (m[i].state != k[j].state || m[i].faults != k[j].faults))) {
			bad = 1;
			fprintf(stderr, "# burst: dump of %s: sensor_seq %llu state %d, listener had %llu state %d\n",
				m[i].name, (unsigned long long)m[i].sensor_seq, m[i].state,
				(unsigned long long)k[j].sensor_seq, k[j].state);
		}
		if (m[i].sensor_seq >= k[j].sensor_seq) {
			k[j].state = m[i].state;
			k[j].faults = m[i].faults;
			k[j].sensor_seq = m[i].sensor_seq;
			k[j].edges = m[i].edges;
			k[j].glitches = m[i].glitches;
		}
	}
	if (check && d < last) {
		bad = 1;
		fprintf(stderr, "# burst: dump at seq %llu behind the stream at %llu\n",
			(unsigned long long)d, (unsigned long long)last);
	}
	n_bad_dumps += bad;
	return d == UINT64_MAX ? last : d;
}

/* A loss was detected: re-read everything; seqs up to the dump are healed. */
static void resync(struct cht_nl *req, uint8_t why)
{
	uint64_t d = dump(req, true, NULL), s;

	for (s = last + 1; s <= d; s++)
		mark(s, why);
	if (d > last)
		last = d;
	resync_seq = d;
}

static void handle(struct cht_nl *req, const struct cht_msg *m)
{
	int j;

	if (m->seq <= s0)
		return;		/* before the baseline (ADD notifications) */
	mark(m->seq, F_RECV);
	n_recv++;
	if (m->seq <= last) {
		/* Queued before the dump that covered it. */
		if (m->seq <= resync_seq)
			n_stale++;
		else
			anomaly("seq %llu after %llu: duplicate or reordered",
				(unsigned long long)m->seq, (unsigned long long)last);
		return;
	}
	if (m->seq > last + 1) {
		uint64_t s;

		n_gaps++;
		for (s = last + 1; s < m->seq; s++)
			mark(s, F_GAP);
		last = m->seq - 1;
		resync(req, F_GAP);	/* the dump is at m->seq or later */
		return;
	}
	last = m->seq;
	j = sensor_idx(m->id);
	if (j < 0) {
		anomaly("notification for unknown sensor %u", m->id);
		return;
	}
	if (m->sensor_seq <= k[j].sensor_seq) {
		n_stale++;	/* already in a dump (multi-part dumps only) */
		return;
	}
	if (m->sensor_seq != k[j].sensor_seq + 1)
		anomaly("%s: sensor_seq %llu after %llu without a family gap",
			m->name, (unsigned long long)m->sensor_seq,
			(unsigned long long)k[j].sensor_seq);
	k[j].state = m->state;
	k[j].faults = m->faults;
	k[j].sensor_seq = m->sensor_seq;
	k[j].edges = m->edges;
	k[j].glitches = m->glitches;
}

static void *toggle_thread(void *arg)
{
	struct toggler *t = arg;
	uint64_t gap = (uint64_t)t->o->gap_us * 1000, end, now;
	uint64_t next_ok[MAX_LINES] = { 0 };
	int i, ret;

	t->t_start = bu_mono_ns();
	end = t->t_start + (uint64_t)t->o->seconds * 1000 * MS;
	for (now = t->t_start; now < end; now = bu_mono_ns()) {
		uint64_t soonest = UINT64_MAX;
		bool any = false;

		for (i = 0; i < t->o->lines; i++) {
			if (now < next_ok[i]) {
				if (next_ok[i] < soonest)
					soonest = next_ok[i];
				continue;
			}
			t->level[i] = !t->level[i];
			ret = bu_pull_write(t->fd[i], t->level[i]);
			if (ret) {
				atomic_store(&t->err, ret);
				atomic_store(&t->finished, 1);
				return NULL;
			}
			t->toggles++;
			any = true;
			/* From the end of the write: the edge is stamped inside it. */
			now = bu_mono_ns();
			next_ok[i] = now + gap;
		}
		if (!any && soonest != UINT64_MAX && soonest > now) {
			struct timespec ts = { (soonest - now) / 1000000000ull,
					       (soonest - now) % 1000000000ull };

			nanosleep(&ts, NULL);
		}
	}
	t->t_end = bu_mono_ns();
	atomic_store(&t->finished, 1);
	return NULL;
}

static long long rmem_max_old = -1;

static void rmem_restore(void)
{
	if (rmem_max_old >= 0)
		cht_writef(RMEM_MAX, "%lld", rmem_max_old);
}

static double per_s(uint64_t n, uint64_t ns)
{
	return ns ? (double)n * 1e9 / (double)ns : 0.0;
}

int main(int argc, char **argv)
{
	struct toggler t = { .o = &o };
	struct cht_msg final[MAX_LINES] = { 0 };
	struct cht_sensor_cfg cfg = { 0 };
	struct cht_chip chip = { 0 };
	struct cht_nl *ev = NULL, *req = NULL;
	uint64_t s_final, sent, lost = 0, lost_gap = 0, lost_nobufs = 0;
	uint64_t undetected = 0, edges = 0, glitches = 0, dur, s;
	bool pass_state = true, pass_level = true, pass;
	char name[32], line[16];
	struct utsname un;
	struct cht_msg m;
	pthread_t th;
	int i, opt, ret, rc = 1, created = 0, quiet_ms;

	while ((opt = getopt(argc, argv, "l:d:t:b:g:zh")) != -1) {
		switch (opt) {
		case 'l': o.lines = atoi(optarg); break;
		case 'd': o.debounce_ms = atoi(optarg); break;
		case 't': o.seconds = atoi(optarg); break;
		case 'b': o.rcvbuf = atoi(optarg); break;
		case 'g': o.gap_us = atoi(optarg); break;
		case 'z': o.expect_no_loss = true; break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc || o.lines < 1 || o.lines > MAX_LINES ||
	    o.debounce_ms < 1 || o.debounce_ms > 1000 || o.seconds < 1 ||
	    o.rcvbuf < 1 || o.gap_us < -1)
		usage(argv[0]);
	if (o.gap_us < 0)
		o.gap_us = 2 * o.debounce_ms * 1000;
	quiet_ms = 200 + 10 * o.debounce_ms;
	uname(&un);
	for (i = 0; i < MAX_LINES; i++)
		t.fd[i] = -1;

	ret = cht_module_load();
	if (ret) {
		fprintf(stderr, "burst: loading $CAREHUB_KO: %s\n", strerror(-ret));
		return 1;
	}
	ret = cht_chip_create(&chip, "chbench-burst", o.lines);
	if (ret) {
		fprintf(stderr, "burst: gpio-sim chip: %s\n", strerror(-ret));
		goto out;
	}
	ev = cht_nl_open(true);
	req = cht_nl_open(false);
	if (!ev || !req) {
		fprintf(stderr, "burst: cannot open the carehub netlink family\n");
		goto out;
	}
	/* SO_RCVBUF is capped at rmem_max; raise it for a big buffer. */
	if (o.rcvbuf > cht_read_ll(RMEM_MAX)) {
		rmem_max_old = cht_read_ll(RMEM_MAX);
		if (cht_writef(RMEM_MAX, "%d", o.rcvbuf))
			fprintf(stderr, "# burst: cannot raise %s\n", RMEM_MAX);
	}
	ret = cht_nl_set_rcvbuf(ev, o.rcvbuf);
	if (ret) {
		fprintf(stderr, "burst: SO_RCVBUF: %s\n", strerror(-ret));
		goto out;
	}
	for (i = 0; i < o.lines; i++) {
		snprintf(name, sizeof(name), "burst%d", i);
		snprintf(line, sizeof(line), "%d", i);
		cfg.kind = "contact";
		cfg.chip = chip.label;
		cfg.line = line;
		cfg.debounce_ms = o.debounce_ms;
		ret = cht_sensor_create(name, &cfg);
		if (ret) {
			fprintf(stderr, "burst: sensor %s: %s\n", name, strerror(-ret));
			goto out;
		}
		created = i + 1;
		t.fd[i] = bu_pull_open(&chip, i);
		if (t.fd[i] < 0) {
			fprintf(stderr, "burst: pull of line %d: %s\n", i, strerror(-t.fd[i]));
			goto out;
		}
	}
	/* The ADD notifications may have overrun the small buffer: drain. */
	while ((ret = cht_nl_recv(ev, 100, &m)) != 0) {
		if (ret < 0 && ret != -ENOBUFS) {
			fprintf(stderr, "burst: netlink receive: %s\n", strerror(-ret));
			goto out;
		}
	}
	/* Baseline: ids and states from a dump. */
	{
		struct cht_msg b[MAX_LINES + 8];
		int n = cht_nl_dump(req, b, MAX_LINES + 8), found = 0;

		if (n < 0) {
			fprintf(stderr, "burst: baseline dump: %s\n", strerror(-n));
			goto out;
		}
		s0 = UINT64_MAX;
		for (int j = 0; j < n; j++) {
			if (sscanf(b[j].name, "burst%d", &i) != 1 || i < 0 || i >= o.lines)
				continue;
			k[i] = (struct known){ .id = b[j].id, .state = b[j].state,
					       .faults = b[j].faults,
					       .sensor_seq = b[j].sensor_seq };
			t.level[i] = b[j].state;
			if (b[j].seq < s0)
				s0 = b[j].seq;
			found++;
		}
		if (found != o.lines) {
			fprintf(stderr, "burst: baseline dump has %d of %d sensors\n",
				found, o.lines);
			goto out;
		}
		last = resync_seq = s0;
	}

	ret = pthread_create(&th, NULL, toggle_thread, &t);
	if (ret) {
		fprintf(stderr, "burst: pthread_create: %s\n", strerror(ret));
		goto out;
	}
	/* Listen until the toggler is done and the lines are quiet. */
	for (;;) {
		bool done = atomic_load(&t.finished);

		ret = cht_nl_recv(ev, done ? quiet_ms : 50, &m);
		if (ret == -ENOBUFS) {
			n_enobufs++;
			resync(req, F_ENOBUFS);
			continue;
		}
		if (ret < 0) {
			fprintf(stderr, "burst: netlink receive: %s\n", strerror(-ret));
			exit(1);
		}
		if (ret == 1) {
			handle(req, &m);
			continue;
		}
		if (done)
			break;
	}
	pthread_join(th, NULL);
	if (atomic_load(&t.err)) {
		fprintf(stderr, "burst: toggling: %s\n", strerror(-atomic_load(&t.err)));
		goto out;
	}

	/* The final dump: nothing may be missing any more. */
	s_final = dump(req, false, final);
	for (i = 0; i < o.lines; i++) {
		if (final[i].sensor_seq != k[i].sensor_seq ||
		    final[i].state != k[i].state || final[i].faults != k[i].faults) {
			pass_state = false;
			fprintf(stderr, "# burst: %s: kernel sensor_seq %llu state %d faults %#x, listener %llu %d %#x\n",
				final[i].name, (unsigned long long)final[i].sensor_seq,
				final[i].state, final[i].faults,
				(unsigned long long)k[i].sensor_seq, k[i].state, k[i].faults);
		}
		if (final[i].state != t.level[i] || final[i].faults) {
			pass_level = false;
			fprintf(stderr, "# burst: %s: state %d faults %#x, line level %d\n",
				final[i].name, final[i].state, final[i].faults, t.level[i]);
		}
		edges += final[i].edges;
		glitches += final[i].glitches;
	}
	sent = s_final - s0;
	for (s = s0 + 1; s <= s_final; s++) {
		uint8_t f = flag(s);

		if (f & F_RECV)
			continue;
		lost++;
		if (f & F_GAP)
			lost_gap++;
		else if (f & F_ENOBUFS)
			lost_nobufs++;
		else
			undetected++;
	}
	dur = t.t_end - t.t_start;
	pass = pass_state && pass_level && !undetected && !n_bad_dumps &&
	       !n_anomalies && (!o.expect_no_loss || !lost);

	printf("#### burst, %s: %d sensors, debounce %d ms, hold >= %d us, %d s, SO_RCVBUF %d B\n\n",
	       un.release, o.lines, o.debounce_ms, o.gap_us, o.seconds, o.rcvbuf);
	printf("| quantity | count | per second |\n|---|---:|---:|\n");
	printf("| line changes written | %llu | %.0f |\n",
	       (unsigned long long)t.toggles, per_s(t.toggles, dur));
	printf("| edges seen by carehub (sum of CAREHUB_A_EDGES) | %llu | %.0f |\n",
	       (unsigned long long)edges, per_s(edges, dur));
	printf("| glitches (bursts settled to the old level) | %llu | |\n",
	       (unsigned long long)glitches);
	printf("| notifications sent (family seq %llu..%llu) | %llu | %.0f |\n",
	       (unsigned long long)s0 + 1, (unsigned long long)s_final,
	       (unsigned long long)sent, per_s(sent, dur));
	printf("| notifications received | %llu | %.0f |\n",
	       (unsigned long long)(sent - lost), per_s(sent - lost, dur));
	printf("| lost | %llu (%.1f %%) | |\n", (unsigned long long)lost,
	       sent ? 100.0 * (double)lost / (double)sent : 0.0);
	printf("| ... inside a detected seq gap | %llu (%llu gaps) | |\n",
	       (unsigned long long)lost_gap, (unsigned long long)n_gaps);
	printf("| ... inside an ENOBUFS window | %llu (%llu ENOBUFS) | |\n",
	       (unsigned long long)lost_nobufs, (unsigned long long)n_enobufs);
	printf("| ... undetected | %llu | |\n", (unsigned long long)undetected);
	printf("| re-dumps after a loss (inconsistent with the stream) | %llu (%llu) | |\n",
	       (unsigned long long)(n_dumps - 1), (unsigned long long)n_bad_dumps);
	printf("| stale notifications skipped after a re-dump | %llu | |\n",
	       (unsigned long long)n_stale);
	printf("| stream anomalies (duplicate, reordered, sensor_seq jump) | %llu | |\n",
	       (unsigned long long)n_anomalies);
	printf("\n");
	printf("- every loss detected (seq gap or ENOBUFS): %s\n", undetected ? "FAIL" : "PASS");
	printf("- final dump == listener's state (state, faults, sensor_seq) for all %d sensors: %s\n",
	       o.lines, pass_state ? "PASS" : "FAIL");
	printf("- final state == last level written, no fault, on every line: %s\n",
	       pass_level ? "PASS" : "FAIL");
	if (o.expect_no_loss)
		printf("- no loss with this buffer: %s\n", lost ? "FAIL" : "PASS");
	printf("\nburst: %s\n\n", pass ? "PASS" : "FAIL");
	rc = pass ? 0 : 1;
out:
	fflush(stdout);
	for (i = 0; i < MAX_LINES; i++)
		if (t.fd[i] >= 0)
			close(t.fd[i]);
	for (i = 0; i < created; i++) {
		snprintf(name, sizeof(name), "burst%d", i);
		cht_sensor_destroy(name);
	}
	cht_nl_close(ev);
	cht_nl_close(req);
	cht_chip_destroy(&chip);
	rmem_restore();
	ret = cht_module_unload();
	if (ret)
		fprintf(stderr, "burst: unload: %s\n", strerror(-ret));
	free(flags);
	return rc;
}
