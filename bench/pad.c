// SPDX-License-Identifier: GPL-2.0
/*
 * carehub mattress-pad benchmark: what sampling costs and how regular it is.
 *
 * Run as root in a guest where carehub.ko and the simulated ADC
 * (tests/fixtures/carehub_simadc.ko) are loaded; bench/pad-run does that.
 * One pad is declared through configfs on simadc0/ch0, which plays a
 * constant level.
 *
 * 1. CPU cost: for -t seconds each, with nobody reading the IIO buffer,
 *    - the pad not live (idle baseline),
 *    - the pad live at each rate of -r,
 *    - the reference at each rate: a user-space process that only wakes
 *      on absolute CLOCK_BOOTTIME deadlines (clock_nanosleep), as the
 *      pad's thread does, with nothing to do in between,
 *    read the thread's CPU time (carehub-pad/<name>: run time in ns from
 *    /proc/<pid>/schedstat, and utime + stime in clock ticks from
 *    /proc/<pid>/stat) and the whole guest's busy time (vCPUs x elapsed
 *    minus idle from /proc/stat, which NO_HZ keeps exact; its user/system
 *    fields are tick samples), together with sample_count and
 *    overrun_count of the pad. The reference also records how late it
 *    woke. Under TCG absolute CPU times are inflated and noisy; the pad
 *    against the reference, measured alike in the same guest, is the
 *    figure that carries over.
 * 2. Jitter: for -j seconds at each rate, the pad's IIO buffer (voltage0 +
 *    the soft timestamp, on CLOCK_BOOTTIME like the thread's deadlines) is
 *    read with libiio, the buffer watermark set to one refill (200 ms of
 *    samples; -W: also with the default of 1, a reader wake-up per sample,
 *    interleaved, and the reader's own CPU time in both cases).
 *    Interval error = timestamp delta - nominal period; its p50 / p99 /
 *    max of the absolute value and the signed extremes; the largest offset
 *    from the grid of first + k periods within stretches free of gaps
 *    > 1.5 periods (absolute deadlines: bounded by the lateness, no drift);
 *    the buffered samples against the pad's own count, and sample_count
 *    against the elapsed time.
 *
 * Checks (exit status 1 if one fails): every buffered raw value is the
 * simulated level; timestamps strictly increase; every sample the pad
 * counted (sample_count) while the buffer was read is in the buffer, and a
 * shortfall of sample_count against the elapsed time comes with overruns
 * counted by the pad (no silent gaps); the thread's CPU time grows with
 * the rate.
 *
 * Output: markdown tables on stdout, progress on stderr.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <iio.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CFS_ROOT	"/sys/kernel/config/carehub"
#define SIMADC_DBG	"/sys/kernel/debug/carehub-simadc"
#define MAX_RATES	8
#define MAX_ROUNDS	16
#define NS		1000000000LL

struct opts {
	const char *name;	/* configfs item, thread carehub-pad/<name> */
	const char *adc;	/* simadc label */
	const char *chan;	/* its channel */
	int seconds;		/* CPU windows */
	int rounds;		/* of CPU windows */
	int jseconds;		/* jitter windows */
	int rates[MAX_RATES];
	int nrates;
	long level;		/* the constant the ADC plays */
	bool also_watermark1;	/* -W */
};

static int failures;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "pad: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "pad: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* files */

static int write_str(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(val, f) < 0)
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

static void must_write(const char *path, const char *fmt, ...)
{
	char val[256];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	ret = write_str(path, val);
	if (ret)
		die("write '%s' to %s: %s", val, path, strerror(-ret));
}

static int read_str(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static uint64_t read_u64(const char *path)
{
	char buf[64];
	int ret = read_str(path, buf, sizeof(buf));

	if (ret)
		die("read %s: %s", path, strerror(-ret));
	return strtoull(buf, NULL, 10);
}

static int64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

static void sleep_s(int s)
{
	struct timespec ts = { .tv_sec = s };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* ------------------------------------------------------------------ */
/* the pad */

struct pad {
	char cfs[256];		/* configfs item */
	char iio[256];		/* /sys/bus/iio/devices/iio:deviceN */
	char iio_id[32];	/* iio:deviceN */
	char thread[64];	/* carehub-pad/<name> */
	pid_t pid;
};

static void pad_attr(const struct pad *p, const char *attr, char *path,
		     size_t size)
{
	snprintf(path, size, "%s/%s", p->iio, attr);
}

static uint64_t pad_u64(const struct pad *p, const char *attr)
{
	char path[512];

	pad_attr(p, attr, path, sizeof(path));
	return read_u64(path);
}

/* The pid whose name (comm: full kthread name since 5.17) is @name. */
static pid_t find_thread(const char *name)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t pid = 0;

	if (!d)
		die("/proc: %s", strerror(errno));
	while ((e = readdir(d))) {
		char path[300], comm[128];

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		if (read_str(path, comm, sizeof(comm)))
			continue;
		/* Older kernels cut a kthread's comm to 15 characters. */
		if (!strcmp(comm, name) ||
		    (strlen(comm) == 15 && !strncmp(comm, name, 15))) {
			pid = atoi(e->d_name);
			break;
		}
	}
	closedir(d);
	return pid;
}

static void pad_create(struct pad *p, const struct opts *o)
{
	char path[512];

	snprintf(p->cfs, sizeof(p->cfs), CFS_ROOT "/%s", o->name);
	if (mkdir(p->cfs, 0755) && errno != EEXIST)
		die("mkdir %s: %s", p->cfs, strerror(errno));
#define CFS(attr, ...) do {						\
		snprintf(path, sizeof(path), "%s/" attr, p->cfs);	\
		must_write(path, __VA_ARGS__);				\
	} while (0)
	CFS("kind", "pad");
	CFS("adc_device", "%s", o->adc);
	CFS("adc_channel", "%s", o->chan);
	/* The level sits at 60 % of the calibration: occupied, steady. */
	CFS("empty_level", "%ld", o->level - 600000);
	CFS("occupied_level", "%ld", o->level + 400000);
	CFS("sample_rate_hz", "%d", o->rates[0]);
	CFS("stuck_ms", "0");	/* a constant level would be "stuck" */
#undef CFS
	snprintf(p->thread, sizeof(p->thread), "carehub-pad/%s", o->name);
}

static void pad_live(struct pad *p, bool live)
{
	char path[512], dev[128];
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s/live", p->cfs);
	must_write(path, live ? "1" : "0");
	if (!live) {
		p->pid = 0;
		p->iio[0] = '\0';
		return;
	}

	snprintf(path, sizeof(path), "%s/dev_name", p->cfs);
	if (read_str(path, dev, sizeof(dev)))
		die("read %s", path);
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s", dev);
	d = opendir(path);
	if (!d)
		die("%s: %s", path, strerror(errno));
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "iio:device", 10) &&
		    strlen(e->d_name) < sizeof(p->iio_id))
			break;
	if (!e)
		die("no iio:device under %s", path);
	memcpy(p->iio_id, e->d_name, strlen(e->d_name) + 1);
	closedir(d);
	snprintf(p->iio, sizeof(p->iio), "/sys/bus/iio/devices/%s", p->iio_id);

	p->pid = find_thread(p->thread);
	if (!p->pid)
		die("no thread named %s", p->thread);
}

static void pad_rate(struct pad *p, int rate)
{
	char path[512];

	pad_attr(p, "sampling_frequency", path, sizeof(path));
	must_write(path, "%d", rate);
	if ((int)read_u64(path) != rate)
		die("sampling_frequency did not become %d", rate);
	/* The thread takes it after its current sleep (<= 100 ms). */
	usleep(200000);
}

/* ------------------------------------------------------------------ */
/* CPU accounting */

struct cpu_snap {
	int64_t mono;
	uint64_t idle;		/* /proc/stat ticks, all CPUs, idle + iowait */
	uint64_t run_ns;	/* thread: schedstat */
	uint64_t ticks;		/* thread: utime + stime */
	uint64_t samples, overruns;
};

static void proc_stat(uint64_t *idle)
{
	unsigned long long v[10] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int i = 0, n;

	if (!f)
		die("/proc/stat: %s", strerror(errno));
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		   &v[8], &v[9]);
	fclose(f);
	if (n < 8)
		die("/proc/stat: cannot parse the cpu line");
	(void)i;
	/* user nice system idle iowait ...: idle and iowait are exact. */
	*idle = v[3] + v[4];
}

static void thread_stat(pid_t pid, uint64_t *run_ns, uint64_t *ticks)
{
	char path[64], buf[1024], *s;
	unsigned long long ut, st;

	*run_ns = 0;
	*ticks = 0;
	if (!pid)
		return;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	if (read_str(path, buf, sizeof(buf)))
		die("%s: gone", path);
	*run_ns = strtoull(buf, NULL, 10);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_str(path, buf, sizeof(buf)))
		die("%s: gone", path);
	/* Fields after "(comm)": state is field 3, utime 14, stime 15. */
	s = strrchr(buf, ')');
	if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		die("%s: cannot parse", path);
	*ticks = ut + st;
}

static void snap_pid(pid_t pid, struct cpu_snap *c)
{
	c->mono = mono_ns();
	proc_stat(&c->idle);
	thread_stat(pid, &c->run_ns, &c->ticks);
	c->samples = c->overruns = 0;
}

static void snap(const struct pad *p, struct cpu_snap *c)
{
	c->mono = mono_ns();
	proc_stat(&c->idle);
	thread_stat(p->pid, &c->run_ns, &c->ticks);
	c->samples = p->pid ? pad_u64(p, "sample_count") : 0;
	c->overruns = p->pid ? pad_u64(p, "overrun_count") : 0;
}

struct cpu_row {
	const char *what;
	int rate;		/* 0: not live */
	bool ref;		/* the user-space reference */
	int64_t late_p50, late_p99, late_max;	/* reference: wake-up lateness */
	double elapsed;		/* s */
	uint64_t samples, overruns;
	double thread_ms_s;	/* thread CPU, ms per second */
	double thread_us;	/* per sample */
	uint64_t ticks;
	double busy_ms_s;	/* guest busy, CPU-ms per second, all CPUs */
};

static void cpu_row_fill(struct cpu_row *r, const struct cpu_snap *a,
			 const struct cpu_snap *b)
{
	long hz = sysconf(_SC_CLK_TCK), ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double idle_ms;

	r->elapsed = (b->mono - a->mono) / 1e9;
	r->samples = r->ref ? r->samples : b->samples - a->samples;
	r->overruns = b->overruns - a->overruns;
	r->thread_ms_s = (b->run_ns - a->run_ns) / 1e6 / r->elapsed;
	r->thread_us = r->samples ? (b->run_ns - a->run_ns) / 1e3 / r->samples : 0;
	r->ticks = b->ticks - a->ticks;
	idle_ms = (b->idle - a->idle) * 1000.0 / hz;
	r->busy_ms_s = (ncpu * r->elapsed * 1000 - idle_ms) / r->elapsed;
}

static void cpu_window(const struct pad *p, int seconds, struct cpu_row *r)
{
	struct cpu_snap a, b;

	snap(p, &a);
	sleep_s(seconds);
	snap(p, &b);
	cpu_row_fill(r, &a, &b);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of one field over @n windows. */
#define MEDIAN(w, n, field) ({						\
	double _v[MAX_ROUNDS];						\
	int _i;								\
									\
	for (_i = 0; _i < (n); _i++)					\
		_v[_i] = (w)[_i].field;					\
	qsort(_v, (n), sizeof(_v[0]), cmp_dbl);				\
	(n) % 2 ? _v[(n) / 2] : (_v[(n) / 2 - 1] + _v[(n) / 2]) / 2;	\
})

/* Rounds of one kind of window: counts summed, rates as medians. */
static void cpu_merge(struct cpu_row *dst, const struct cpu_row *w, int n)
{
	int i;

	*dst = w[0];
	dst->elapsed = dst->samples = dst->overruns = dst->ticks = 0;
	dst->late_max = 0;
	for (i = 0; i < n; i++) {
		dst->elapsed += w[i].elapsed;
		dst->samples += w[i].samples;
		dst->overruns += w[i].overruns;
		dst->ticks += w[i].ticks;
		if (w[i].late_max > dst->late_max)
			dst->late_max = w[i].late_max;
	}
	dst->thread_ms_s = MEDIAN(w, n, thread_ms_s);
	dst->thread_us = MEDIAN(w, n, thread_us);
	dst->busy_ms_s = MEDIAN(w, n, busy_ms_s);
	dst->late_p50 = MEDIAN(w, n, late_p50);
	dst->late_p99 = MEDIAN(w, n, late_p99);
}

static int cmp_i64(const void *a, const void *b);
static int64_t pct(const int64_t *v, size_t n, double p);

/*
 * The reference: a child process sleeping on absolute CLOCK_BOOTTIME
 * deadlines at @rate for @seconds, nothing else. It reads its own CPU
 * time when it starts and after its last wake-up, and records how late
 * each wake-up was (clock read on waking minus the deadline), all in
 * shared memory; the parent blocks in waitpid() meanwhile.
 */
struct ref_shared {
	uint64_t run0, run1, ticks0, ticks1;
	int64_t late[];
};

static void ref_window(int rate, int seconds, struct cpu_row *r)
{
	const int64_t period = NS / rate;
	size_t n = (size_t)seconds * rate, i;
	size_t size = sizeof(struct ref_shared) + n * sizeof(int64_t);
	struct ref_shared *sh;
	struct cpu_snap a, b;
	int status;
	pid_t pid;

	sh = mmap(NULL, size, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("reference: %s", strerror(errno));
	snap_pid(0, &a);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		struct timespec t, now;
		int64_t next;

		thread_stat(getpid(), &sh->run0, &sh->ticks0);
		clock_gettime(CLOCK_BOOTTIME, &t);
		next = t.tv_sec * NS + t.tv_nsec;
		for (i = 0; i < n; i++) {
			next += period;
			t.tv_sec = next / NS;
			t.tv_nsec = next % NS;
			while (clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME,
					       &t, NULL) == EINTR)
				;
			clock_gettime(CLOCK_BOOTTIME, &now);
			sh->late[i] = now.tv_sec * NS + now.tv_nsec - next;
		}
		thread_stat(getpid(), &sh->run1, &sh->ticks1);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("reference process failed");
	snap_pid(0, &b);
	a.run_ns = sh->run0;
	b.run_ns = sh->run1;
	a.ticks = sh->ticks0;
	b.ticks = sh->ticks1;

	r->samples = n;
	r->ref = true;
	cpu_row_fill(r, &a, &b);
	qsort(sh->late, n, sizeof(sh->late[0]), cmp_i64);
	r->late_p50 = pct(sh->late, n, 50);
	r->late_p99 = pct(sh->late, n, 99);
	r->late_max = sh->late[n - 1];
	munmap(sh, size);
}

/* ------------------------------------------------------------------ */
/* jitter, from the IIO buffer through libiio */

struct jit_row {
	int rate;
	double elapsed;
	size_t n;		/* samples read */
	uint64_t counted;	/* sample_count delta over the counting window */
	uint64_t in_window;	/* buffered samples stamped inside it */
	uint64_t gaps;		/* intervals > 1.5 periods */
	int64_t p50, p99, max;	/* |interval error|, ns */
	int64_t emin, emax;	/* signed interval error, ns */
	int64_t grid_max;	/* largest |offset from the grid|, see below */
	uint64_t stretches;	/* separated by gaps > 2 periods */
	int64_t late_max;	/* largest interval, ns */
	uint64_t samples;	/* sample_count delta over the window */
	double sc_expected;	/* elapsed x rate */
	uint64_t overruns;
	double thread_ms_s;
	double reader_ms_s;	/* this process */
	size_t watermark;
	size_t bad_values;
	size_t non_increasing;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank, on a sorted array. */
static int64_t pct(const int64_t *v, size_t n, double p)
{
	size_t k;

	if (!n)
		return 0;
	k = (size_t)ceil(p / 100.0 * n);
	if (k < 1)
		k = 1;
	return v[k - 1];
}

/* This process's CPU time (one thread), ns. */
static uint64_t self_run_ns(void)
{
	uint64_t run, ticks;

	thread_stat(getpid(), &run, &ticks);
	return run;
}

static void jitter_window(const struct pad *p, const struct opts *o, int rate,
			  bool watermark1, struct jit_row *r)
{
	const int64_t period = NS / rate;
	size_t want = (size_t)o->jseconds * rate, cap = 2 * want + 4096, i;
	size_t per_refill = rate / 5 ? rate / 5 : 1;	/* 200 ms of samples */
	struct iio_channel *raw_ch, *ts_ch;
	struct iio_context *ctx;
	struct iio_device *dev;
	struct iio_buffer *buf;
	struct cpu_snap a, b;
	int64_t *ts, *err, win_a, win_b = 0;
	uint64_t self_a, self_b;
	int64_t mono_a, mono_b;
	uint64_t c0, c1 = 0;
	int32_t *val;
	char path[512];

	memset(r, 0, sizeof(*r));
	r->rate = rate;
	r->watermark = watermark1 ? 1 : per_refill;
	ts = calloc(cap, sizeof(*ts));
	val = calloc(cap, sizeof(*val));
	err = calloc(cap, sizeof(*err));
	if (!ts || !val || !err)
		die("out of memory");

	/* Stamps on the clock the deadlines are on. */
	pad_attr(p, "current_timestamp_clock", path, sizeof(path));
	must_write(path, "boottime");
	/*
	 * libiio 0.24 sets buffer/length (4 refills) but not the watermark,
	 * whose default is 1: poll() then wakes the reader for every sample.
	 * Set it to one refill (or 1), within the length libiio will write
	 * (the buffer is disabled now; libiio re-writes the same length).
	 */
	pad_attr(p, "buffer/length", path, sizeof(path));
	must_write(path, "%zu", 4 * per_refill);
	pad_attr(p, "buffer/watermark", path, sizeof(path));
	must_write(path, "%zu", r->watermark);

	ctx = iio_create_local_context();
	if (!ctx)
		die("iio_create_local_context: %s", strerror(errno));
	iio_context_set_timeout(ctx, 5000);
	dev = iio_context_find_device(ctx, p->iio_id);
	if (!dev)
		die("libiio: no device %s", p->iio_id);
	raw_ch = iio_device_find_channel(dev, "voltage0", false);
	ts_ch = iio_device_find_channel(dev, "timestamp", false);
	if (!raw_ch || !ts_ch)
		die("libiio: %s has no voltage0 / timestamp channel", p->iio_id);
	iio_channel_enable(raw_ch);
	iio_channel_enable(ts_ch);

	snap(p, &a);
	buf = iio_device_create_buffer(dev, per_refill, false);
	if (!buf)
		die("iio_device_create_buffer: %s", strerror(errno));
	/*
	 * The counting window: samples the pad counted between tA and tB
	 * (sample_count, read right after tA and right before tB) must all
	 * be in the buffer with a timestamp in [tA, tB], give or take one at
	 * each end (a sample counted before its stamp is taken). Read on
	 * until a stamp after tB has come through.
	 */
	/* The reader's own cost: from here to the last refill. */
	self_a = self_run_ns();
	mono_a = mono_ns();
	win_a = boot_ns();
	c0 = pad_u64(p, "sample_count");
	while (r->n < want || !win_b || ts[r->n - 1] <= win_b) {
		if (r->n >= want && !win_b) {
			c1 = pad_u64(p, "sample_count");
			win_b = boot_ns();
		}
		ssize_t got = iio_buffer_refill(buf);
		ptrdiff_t step = iio_buffer_step(buf);
		char *q, *end = iio_buffer_end(buf);
		char *rq;

		if (got < 0)
			die("iio_buffer_refill: %s", strerror((int)-got));
		rq = iio_buffer_first(buf, raw_ch);
		for (q = iio_buffer_first(buf, ts_ch); q < end; q += step, rq += step) {
			if (r->n == cap)
				die("more samples than expected (%zu)", cap);
			int64_t t;
			int32_t v;

			memcpy(&t, q, sizeof(t));
			memcpy(&v, rq, sizeof(v));
			ts[r->n] = t;
			val[r->n] = v;
			r->n++;
		}
	}
	self_b = self_run_ns();
	mono_b = mono_ns();
	iio_buffer_destroy(buf);
	snap(p, &b);
	r->counted = c1 - c0;
	for (i = 0; i < r->n; i++)
		r->in_window += ts[i] >= win_a && ts[i] <= win_b;
	iio_context_destroy(ctx);

	r->elapsed = (b.mono - a.mono) / 1e9;
	r->samples = b.samples - a.samples;
	r->overruns = b.overruns - a.overruns;
	r->sc_expected = r->elapsed * rate;
	r->thread_ms_s = (b.run_ns - a.run_ns) / 1e6 / r->elapsed;
	r->reader_ms_s = (self_b - self_a) / 1e6 / ((mono_b - mono_a) / 1e9);

	for (i = 0; i < r->n; i++)
		if (val[i] != o->level)
			r->bad_values++;
	r->emin = INT64_MAX;
	r->emax = INT64_MIN;
	{
		int64_t kg = 0;		/* samples since the stretch's start */
		int64_t origin = ts[0];

		r->stretches = r->n ? 1 : 0;

		for (i = 1; i < r->n; i++) {
			int64_t dt = ts[i] - ts[i - 1], e = dt - period, g;

			if (dt <= 0)
				r->non_increasing++;
			if (dt > r->late_max)
				r->late_max = dt;
			if (dt * 2 > period * 3)
				r->gaps++;
			/*
			 * Offset from the grid of the stretch's first sample:
			 * without an overrun there is one sample per deadline,
			 * so sample j of a stretch is due at origin + j
			 * periods. Absolute deadlines keep the offset within
			 * the wake-up lateness however long the stretch; an
			 * overrun (next = now) re-phases the grid and leaves a
			 * gap: a new stretch starts at every gap > 1.5 periods
			 * (a late wake-up can make one too; that only
			 * shortens a stretch).
			 */
			if (dt * 2 > period * 3) {
				r->stretches++;
				origin = ts[i];
				kg = 0;
			} else {
				kg++;
			}
			g = ts[i] - origin - kg * period;
			if (llabs(g) > r->grid_max)
				r->grid_max = llabs(g);
			if (e < r->emin)
				r->emin = e;
			if (e > r->emax)
				r->emax = e;
			err[i - 1] = llabs(e);
		}
	}
	if (r->n > 1) {
		qsort(err, r->n - 1, sizeof(*err), cmp_i64);
		r->p50 = pct(err, r->n - 1, 50);
		r->p99 = pct(err, r->n - 1, 99);
		r->max = err[r->n - 2];
	}
	free(ts);
	free(val);
	free(err);
}

/* ------------------------------------------------------------------ */

static void usage(void)
{
	fprintf(stderr,
		"usage: pad [-t SECONDS] [-R ROUNDS] [-j SECONDS] [-r \"100 250\"]\n"
		"           [-n NAME] [-a ADC] [-c CHANNEL] [-l LEVEL] [-W]\n"
		"  -t  each CPU-cost window (default 5)\n"
		"  -R  rounds of CPU-cost windows, medians reported (default 3)\n"
		"  -j  each jitter window (default 20)\n"
		"  -r  sampling rates, 10..250 Hz (default \"100 250\")\n"
		"  -n  configfs name of the pad (default bench)\n"
		"  -a  simadc label (default simadc0); -c its channel (default ch0)\n"
		"  -l  the constant raw level the ADC plays (default 1000000)\n"
		"  -W  also read the buffer with the watermark at 1 (libiio's\n"
		"      default: a reader wake-up per sample), interleaved\n");
	exit(2);
}

static void parse_rates(struct opts *o, const char *s)
{
	char *copy = strdup(s), *tok, *save = NULL;

	o->nrates = 0;
	for (tok = strtok_r(copy, " ,", &save); tok;
	     tok = strtok_r(NULL, " ,", &save)) {
		int r = atoi(tok);

		if (r < 10 || r > 250 || o->nrates == MAX_RATES)
			usage();
		o->rates[o->nrates++] = r;
	}
	free(copy);
	if (!o->nrates)
		usage();
}

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("- ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s\n", ok ? "PASS" : "FAIL");
	if (!ok)
		failures++;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.name = "bench", .adc = "simadc0", .chan = "ch0",
		.seconds = 5, .rounds = 3, .jseconds = 20, .level = 1000000,
	};
	static struct cpu_row win[2 * MAX_RATES + 1][MAX_ROUNDS];
	struct cpu_row cpu[2 * MAX_RATES + 1];
	struct jit_row jit[2 * MAX_RATES];
	int njit = 0;
	struct pad p = { 0 };
	struct utsname u;
	char path[512];
	long hz = sysconf(_SC_CLK_TCK);
	int c, i, round;

	parse_rates(&o, "100 250");
	while ((c = getopt(argc, argv, "t:R:j:r:n:a:c:l:Wh")) != -1) {
		switch (c) {
		case 't': o.seconds = atoi(optarg); break;
		case 'R': o.rounds = atoi(optarg); break;
		case 'j': o.jseconds = atoi(optarg); break;
		case 'r': parse_rates(&o, optarg); break;
		case 'n': o.name = optarg; break;
		case 'a': o.adc = optarg; break;
		case 'c': o.chan = optarg; break;
		case 'l': o.level = atol(optarg); break;
		case 'W': o.also_watermark1 = true; break;
		default: usage();
		}
	}
	if (optind != argc || o.seconds < 1 || o.jseconds < 1 ||
	    o.rounds < 1 || o.rounds > MAX_ROUNDS)
		usage();
	uname(&u);

	snprintf(path, sizeof(path), SIMADC_DBG "/%s/%s/value", o.adc, o.chan);
	must_write(path, "%ld", o.level);
	pad_create(&p, &o);

	/*
	 * 1. CPU cost, no reader: rounds of the idle baseline (pad not live),
	 * then per rate the reference and the pad live at that rate;
	 * interleaved so that a burst of host load spoils one window of each
	 * kind rather than every window of one kind.
	 */
	for (round = 0; round < o.rounds; round++) {
		struct cpu_row *w;

		note("%s: round %d/%d, windows of %d s", u.release, round + 1,
		     o.rounds, o.seconds);
		w = &win[0][round];
		*w = (struct cpu_row){ .what = "not live (baseline)" };
		cpu_window(&p, o.seconds, w);
		for (i = 0; i < o.nrates; i++) {
			w = &win[o.nrates + 1 + i][round];
			*w = (struct cpu_row){ .what = "reference",
					       .rate = o.rates[i] };
			ref_window(o.rates[i], o.seconds, w);

			snprintf(path, sizeof(path), "%s/sample_rate_hz", p.cfs);
			must_write(path, "%d", o.rates[i]);
			pad_live(&p, true);
			usleep(300000);		/* probe done, sampling steady */
			w = &win[1 + i][round];
			*w = (struct cpu_row){ .what = "live", .rate = o.rates[i] };
			cpu_window(&p, o.seconds, w);
			pad_live(&p, false);
		}
	}
	for (i = 0; i <= 2 * o.nrates; i++)
		cpu_merge(&cpu[i], win[i], o.rounds);

	/* 2. Jitter, reading the buffer. */
	pad_live(&p, true);
	note("pad live: %s, thread %s pid %d", p.iio_id, p.thread, p.pid);
	for (i = 0; i < o.nrates; i++) {
		note("%d Hz: buffer, %d s", o.rates[i], o.jseconds);
		pad_rate(&p, o.rates[i]);
		jitter_window(&p, &o, o.rates[i], false, &jit[njit++]);
		if (o.also_watermark1) {
			note("%d Hz: buffer, watermark 1, %d s", o.rates[i],
			     o.jseconds);
			jitter_window(&p, &o, o.rates[i], true, &jit[njit++]);
		}
	}
	pad_live(&p, false);
	if (rmdir(p.cfs))
		note("rmdir %s: %s", p.cfs, strerror(errno));

	/* Tables. */
	printf("#### pad, %s: CPU cost of sampling, no buffer reader\n\n", u.release);
	printf("%d rounds of interleaved %d s windows (baseline; per rate: reference, pad);\n"
	       "counts are summed over the rounds, per-second and per-wake-up figures are\n"
	       "the medians of the rounds.\n\n", o.rounds, o.seconds);
	printf("simadc constant level, delay_us 0. Thread = carehub-pad/%s, or the\n"
	       "reference process (wakes on absolute CLOCK_BOOTTIME deadlines at the same\n"
	       "rate, does nothing else): run time from `/proc/<pid>/schedstat` (ns) and\n"
	       "utime+stime from `/proc/<pid>/stat` (ticks of %ld ms). Guest busy = all\n"
	       "vCPUs x elapsed - idle (`/proc/stat`), in CPU-ms per second (1000 = one\n"
	       "vCPU fully busy). The pad is not live outside its own windows.\n\n",
	       o.name, 1000 / hz);
	printf("| window | wake-ups (expected) | overruns | thread CPU, ms/s | per wake-up, us | utime+stime, ticks | guest busy, ms/s | guest busy - baseline, ms/s |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i <= 2 * o.nrates; i++) {
		/* baseline, then per rate: pad, reference */
		int k = !i ? 0 : (i - 1) % 2 ? o.nrates + 1 + (i - 1) / 2 :
					      1 + (i - 1) / 2;
		struct cpu_row *r = &cpu[k];
		char what[64], ovr[24];

		if (r->ref)
			snprintf(what, sizeof(what), "reference, %d Hz", r->rate);
		else if (r->rate)
			snprintf(what, sizeof(what), "pad live, %d Hz", r->rate);
		else
			snprintf(what, sizeof(what), "%s", r->what);
		if (r->ref)
			snprintf(ovr, sizeof(ovr), "-");
		else
			snprintf(ovr, sizeof(ovr), "%" PRIu64, r->overruns);
		printf("| %s | %" PRIu64 " (%.0f) | %s | %.2f | %.1f | %" PRIu64 " | %.1f | %+.1f |\n",
		       what, r->samples, r->elapsed * r->rate, ovr,
		       r->thread_ms_s, r->thread_us, r->ticks, r->busy_ms_s,
		       r->busy_ms_s - cpu[0].busy_ms_s);
	}
	printf("\nRatio pad / reference, CPU per wake-up:");
	for (i = 0; i < o.nrates; i++)
		printf(" %d Hz **%.2f**%s", o.rates[i],
		       cpu[o.nrates + 1 + i].thread_us > 0 ?
		       cpu[1 + i].thread_us / cpu[o.nrates + 1 + i].thread_us : 0,
		       i + 1 < o.nrates ? "," : ".");
	printf("\n\nReference wake-up lateness (clock read on waking - deadline), us:");
	for (i = 0; i < o.nrates; i++) {
		struct cpu_row *r = &cpu[o.nrates + 1 + i];

		printf(" %d Hz p50 %.1f, p99 %.1f, max %.1f%s", r->rate,
		       r->late_p50 / 1e3, r->late_p99 / 1e3, r->late_max / 1e3,
		       i + 1 < o.nrates ? ";" : ".");
	}
	printf("\n");
	printf("\n#### pad, %s: sampling jitter, %d s per rate, IIO buffer read with libiio\n\n",
	       u.release, o.jseconds);
	printf("Interval error = difference of consecutive buffer timestamps (CLOCK_BOOTTIME,\n"
	       "taken after the ADC read) minus the nominal period. Counting window: the\n"
	       "pad's sample_count read at its start and end; the buffered samples stamped\n"
	       "inside it must match (+-1 at each end). Grid offset max =\n"
	       "the largest distance of a timestamp from first + k periods, within\n"
	       "stretches separated by gaps > 1.5 periods (where an overrun may have\n"
	       "re-phased the deadlines): with absolute deadlines it stays within the\n"
	       "wake-up lateness, it does not grow with time. Watermark: of the buffer,\n"
	       "in samples: one refill (200 ms), or 1 (the default libiio 0.24 leaves:\n"
	       "a reader wake-up per sample). Reader CPU: this process, from its\n"
	       "first refill to its last (buffer set-up and tear-down excluded).\n\n");
	printf("| rate | watermark | samples read | in counting window: buffered / counted | gaps > 1.5 periods | \\|error\\| p50, us | p99, us | max, us | signed min / max, us | grid offset max, us (stretches) | sample_count / elapsed x rate | overruns | thread CPU with reader, ms/s | reader CPU, ms/s |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < njit; i++) {
		struct jit_row *r = &jit[i];

		printf("| %d Hz | %zu | %zu | %" PRIu64 " / %" PRIu64 " | %" PRIu64 " | %.1f | %.1f | %.1f | %.1f / %.1f | %.1f (%" PRIu64 ") | %" PRIu64 " / %.0f | %" PRIu64 " | %.2f | %.2f |\n",
		       r->rate, r->watermark, r->n, r->in_window, r->counted, r->gaps,
		       r->p50 / 1e3,
		       r->p99 / 1e3, r->max / 1e3, r->emin / 1e3,
		       r->emax / 1e3, r->grid_max / 1e3, r->stretches, r->samples,
		       r->sc_expected, r->overruns, r->thread_ms_s,
		       r->reader_ms_s);
	}
	printf("\n");
	for (i = 0; i < njit; i++) {
		struct jit_row *r = &jit[i];
		long shortfall = lround(r->sc_expected - (double)r->samples);

		check(!r->bad_values && !r->non_increasing,
		      "%d Hz, watermark %zu: every buffered value is the ADC's level and timestamps increase (%zu bad values, %zu non-increasing)",
		      r->rate, r->watermark, r->bad_values, r->non_increasing);
		check(r->in_window + 2 >= r->counted && r->in_window <= r->counted + 2,
		      "%d Hz, watermark %zu: every sample the pad counted is in the buffer (%" PRIu64 " buffered in the window, %" PRIu64 " counted, +-2 allowed)",
		      r->rate, r->watermark, r->in_window, r->counted);
		check(shortfall < 2 || r->overruns,
		      "%d Hz, watermark %zu: sample_count keeps up with the clock unless overruns are counted (short by %ld)",
		      r->rate, r->watermark, shortfall);
	}
	for (i = 1; i <= o.nrates; i++) {
		struct cpu_row *r = &cpu[i];
		long shortfall = lround(r->elapsed * r->rate - (double)r->samples);

		check(shortfall < 2 || r->overruns,
		      "%d Hz, no reader: sample_count keeps up unless overruns are counted (short by %ld)",
		      r->rate, shortfall);
	}
	if (o.nrates >= 2 && cpu[o.nrates].rate > cpu[1].rate)
		check(cpu[o.nrates].thread_ms_s > cpu[1].thread_ms_s,
		      "thread CPU grows with the rate (%.2f ms/s at %d Hz, %.2f at %d Hz)",
		      cpu[1].thread_ms_s, cpu[1].rate,
		      cpu[o.nrates].thread_ms_s, cpu[o.nrates].rate);
	printf("\npad: %s\n\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
