// SPDX-License-Identifier: GPL-2.0
/*
 * carehub latency benchmark: carehub's netlink CHANGE notification against
 * the kernel's own debounced GPIO line event (GPIO v2 character device),
 * side by side on two lines of one gpio-sim chip with the same debounce.
 *
 * Run as root in a guest with gpio-sim loaded and $CAREHUB_KO set (see
 * bench/run). Per iteration: toggle line 0 (a carehub sensor) and wait for
 * its CHANGE notification, pause, toggle line 1 (requested through
 * GPIO_V2_GET_LINE_IOCTL with a debounce attribute) and wait for its line
 * event, pause. Latency = user-space receive time minus the CLOCK_BOOTTIME
 * read just before the write(2) to the line's sysfs `pull` attribute.
 *
 * Besides the end-to-end figures, each path is split at the kernel's own
 * stamps: carehub's first-edge stamp (hard IRQ) and settle stamp (work
 * item, after reading the level); gpio-cdev's event timestamp (taken in its
 * debounce work item, CLOCK_MONOTONIC).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/gpio.h>

#include "benchutil.h"
#include "cht.h"

#define MS 1000000ll

struct opts {
	int iterations;
	int debounce_ms;
	int pause_ms;		/* after each event; -1: debounce + 10 ms */
	int jitter_ms;		/* random extra pause 0..jitter_ms */
	int warmup;
};

/* Samples, all in ns. */
struct path {
	const char *name;
	struct bu_samples total;	/* receive - write */
	struct bu_samples over;		/* total - debounce */
	int missed;
};

static struct bu_samples ch_stamp;	/* first_edge - write */
static struct bu_samples ch_timer;	/* settle - first_edge - debounce */
static struct bu_samples ch_deliver;	/* receive - settle */
static struct bu_samples cd_decide;	/* event stamp - write - debounce */
static struct bu_samples cd_deliver;	/* receive - event stamp */

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-n ITERATIONS] [-d DEBOUNCE_MS] [-p PAUSE_MS] [-j JITTER_MS] [-w WARMUP]\n"
		"  -n  measured iterations (one carehub + one gpio-cdev toggle each; default 200)\n"
		"  -d  debounce period of both paths, ms (default 20)\n"
		"  -p  pause after each event, ms (default debounce + 10)\n"
		"  -j  extra random pause 0..J ms, decorrelates from the tick (default 4)\n"
		"  -w  unmeasured warm-up iterations (default 3)\n"
		"Run as root with gpio-sim loaded and CAREHUB_KO set (bench/run does).\n",
		prog);
	exit(2);
}

static int gpio_line_request(const struct cht_chip *c, int offset,
			     int debounce_ms)
{
	struct gpio_v2_line_request req;
	char path[CHT_PATH_MAX];
	int fd, ret;

	snprintf(path, sizeof(path), "/dev/%s", c->chip_name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&req, 0, sizeof(req));
	req.offsets[0] = offset;
	req.num_lines = 1;
	snprintf(req.consumer, sizeof(req.consumer), "carehub-bench");
	req.config.flags = GPIO_V2_LINE_FLAG_INPUT |
			   GPIO_V2_LINE_FLAG_EDGE_RISING |
			   GPIO_V2_LINE_FLAG_EDGE_FALLING;
	req.config.num_attrs = 1;
	req.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_DEBOUNCE;
	req.config.attrs[0].attr.debounce_period_us = debounce_ms * 1000;
	req.config.attrs[0].mask = 1;	/* the first (only) requested line */
	ret = ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req) ? -errno : req.fd;
	close(fd);
	return ret;
}

/* Wait for carehub's CHANGE of sensor id to level; 1, 0 on timeout, -errno. */
static int wait_carehub(struct cht_nl *ev, uint32_t id, int level,
			int timeout_ms, struct cht_msg *m, uint64_t *t_recv)
{
	uint64_t end = cht_boottime_ns() + (uint64_t)timeout_ms * MS;

	for (;;) {
		int64_t left = (int64_t)(end - cht_boottime_ns()) / MS;
		int ret;

		if (left < 0)
			return 0;
		ret = cht_nl_recv(ev, (int)left, m);
		*t_recv = cht_boottime_ns();
		if (ret <= 0)
			return ret;
		if (m->cmd == CAREHUB_CMD_SENSOR_CHANGE_NTF && m->id == id &&
		    m->state == level)
			return 1;
		fprintf(stderr, "# latency: unexpected notification cmd %d id %u state %d seq %llu\n",
			m->cmd, m->id, m->state, (unsigned long long)m->seq);
	}
}

/* Wait for a gpio-cdev event of the given edge; 1, 0 on timeout, -errno. */
static int wait_cdev(int fd, int level, int timeout_ms,
		     struct gpio_v2_line_event *le, uint64_t *t_recv)
{
	uint32_t want = level ? GPIO_V2_LINE_EVENT_RISING_EDGE :
				GPIO_V2_LINE_EVENT_FALLING_EDGE;
	uint64_t end = bu_mono_ns() + (uint64_t)timeout_ms * MS;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = (int64_t)(end - bu_mono_ns()) / MS;
		ssize_t n;
		int ret;

		if (left < 0)
			return 0;
		ret = poll(&p, 1, (int)left);
		if (ret <= 0)
			return ret < 0 ? -errno : 0;
		n = read(fd, le, sizeof(*le));
		*t_recv = bu_mono_ns();
		if (n < 0)
			return -errno;
		if (n != sizeof(*le))
			return -EIO;
		if (le->id == want)
			return 1;
		fprintf(stderr, "# latency: unexpected gpio event id %u\n", le->id);
	}
}

static void pause_ms(const struct opts *o)
{
	int ms = o->pause_ms + (o->jitter_ms ? rand() % (o->jitter_ms + 1) : 0);

	cht_sleep_ms(ms);
}

static void row(const char *name, const struct bu_samples *s)
{
	char a[32], b[32], c[32], d[32];

	printf("| %s | %s | %s | %s | %s |\n", name,
	       bu_ms(a, sizeof(a), bu_pct(s, 50)), bu_ms(b, sizeof(b), bu_pct(s, 90)),
	       bu_ms(c, sizeof(c), bu_pct(s, 99)), bu_ms(d, sizeof(d), bu_max(s)));
}

static double ratio(int64_t a, int64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

int main(int argc, char **argv)
{
	struct opts o = { .iterations = 200, .debounce_ms = 20, .pause_ms = -1,
			  .jitter_ms = 4, .warmup = 3 };
	struct path ch = { .name = "carehub netlink" };
	struct path cd = { .name = "gpio-cdev v2" };
	struct cht_sensor_cfg cfg = { 0 };
	struct cht_chip chip = { 0 };
	struct cht_nl *ev = NULL;
	struct utsname un;
	struct cht_msg m;
	int64_t debounce_ns;
	int lfd = -1, pfd0 = -1, pfd1 = -1, lvl0 = 0, lvl1 = 0;
	int i, opt, ret, rc = 1;
	uint32_t id;

	while ((opt = getopt(argc, argv, "n:d:p:j:w:h")) != -1) {
		switch (opt) {
		case 'n': o.iterations = atoi(optarg); break;
		case 'd': o.debounce_ms = atoi(optarg); break;
		case 'p': o.pause_ms = atoi(optarg); break;
		case 'j': o.jitter_ms = atoi(optarg); break;
		case 'w': o.warmup = atoi(optarg); break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc || o.iterations < 1 || o.debounce_ms < 1 ||
	    o.debounce_ms > 1000 || o.jitter_ms < 0 || o.warmup < 0)
		usage(argv[0]);
	if (o.pause_ms < 0)
		o.pause_ms = o.debounce_ms + 10;
	debounce_ns = o.debounce_ms * MS;
	srand((unsigned int)cht_boottime_ns());
	uname(&un);

	ret = cht_module_load();
	if (ret) {
		fprintf(stderr, "latency: loading $CAREHUB_KO: %s\n", strerror(-ret));
		return 1;
	}
	ret = cht_chip_create(&chip, "chbench-lat", 2);
	if (ret) {
		fprintf(stderr, "latency: gpio-sim chip: %s\n", strerror(-ret));
		goto out;
	}
	ev = cht_nl_open(true);
	if (!ev) {
		fprintf(stderr, "latency: cannot open the carehub netlink family\n");
		goto out;
	}
	cfg.kind = "door";
	cfg.chip = chip.label;
	cfg.line = "0";
	cfg.debounce_ms = o.debounce_ms;
	ret = cht_sensor_create("benchlat", &cfg);
	if (ret) {
		fprintf(stderr, "latency: carehub sensor: %s\n", strerror(-ret));
		goto out;
	}
	ret = cht_nl_recv(ev, 2000, &m);
	if (ret != 1 || m.cmd != CAREHUB_CMD_SENSOR_ADD_NTF) {
		fprintf(stderr, "latency: no ADD notification (%d)\n", ret);
		goto out;
	}
	id = m.id;
	lvl0 = m.state;
	lfd = gpio_line_request(&chip, 1, o.debounce_ms);
	if (lfd < 0) {
		fprintf(stderr, "latency: GPIO_V2_GET_LINE_IOCTL: %s\n", strerror(-lfd));
		goto out;
	}
	pfd0 = bu_pull_open(&chip, 0);
	pfd1 = bu_pull_open(&chip, 1);
	if (pfd0 < 0 || pfd1 < 0) {
		fprintf(stderr, "latency: cannot open the pull attributes\n");
		goto out;
	}

	for (i = -o.warmup; i < o.iterations; i++) {
		struct gpio_v2_line_event le;
		uint64_t tb, tm, tr = 0;
		int timeout = o.debounce_ms + 2000;

		/* carehub, line 0 */
		lvl0 = !lvl0;
		tb = cht_boottime_ns();
		ret = bu_pull_write(pfd0, lvl0);
		if (ret) {
			fprintf(stderr, "latency: write line 0: %s\n", strerror(-ret));
			goto out;
		}
		ret = wait_carehub(ev, id, lvl0, timeout, &m, &tr);
		if (ret < 0) {
			fprintf(stderr, "latency: netlink: %s\n", strerror(-ret));
			goto out;
		}
		if (i >= 0 && !ret)
			ch.missed++;
		if (i >= 0 && ret) {
			bu_push(&ch.total, (int64_t)(tr - tb));
			bu_push(&ch.over, (int64_t)(tr - tb) - debounce_ns);
			bu_push(&ch_stamp, (int64_t)(m.first_edge_ns - tb));
			bu_push(&ch_timer, (int64_t)(m.settle_ns - m.first_edge_ns) -
					   debounce_ns);
			bu_push(&ch_deliver, (int64_t)(tr - m.settle_ns));
		}
		pause_ms(&o);

		/* gpio-cdev, line 1 */
		lvl1 = !lvl1;
		tm = bu_mono_ns();
		ret = bu_pull_write(pfd1, lvl1);
		if (ret) {
			fprintf(stderr, "latency: write line 1: %s\n", strerror(-ret));
			goto out;
		}
		ret = wait_cdev(lfd, lvl1, timeout, &le, &tr);
		if (ret < 0) {
			fprintf(stderr, "latency: gpio line event: %s\n", strerror(-ret));
			goto out;
		}
		if (i >= 0 && !ret)
			cd.missed++;
		if (i >= 0 && ret) {
			/* tr and le.timestamp_ns are CLOCK_MONOTONIC. */
			bu_push(&cd.total, (int64_t)(tr - tm));
			bu_push(&cd.over, (int64_t)(tr - tm) - debounce_ns);
			bu_push(&cd_decide, (int64_t)(le.timestamp_ns - tm) - debounce_ns);
			bu_push(&cd_deliver, (int64_t)(tr - le.timestamp_ns));
		}
		pause_ms(&o);
	}

	printf("#### latency, %s: debounce %d ms, %d iterations per path\n\n",
	       un.release, o.debounce_ms, o.iterations);
	printf("Milliseconds from the simulated line change to user space.\n\n");
	printf("| path | p50 | p90 | p99 | max |\n");
	printf("|---|---:|---:|---:|---:|\n");
	row("carehub netlink, total", &ch.total);
	row("gpio-cdev v2, total", &cd.total);
	row("carehub netlink, total - debounce", &ch.over);
	row("gpio-cdev v2, total - debounce", &cd.over);
	printf("\n");
	printf("Ratio carehub / gpio-cdev, total latency: p50 **%.3f**, p99 **%.3f** (goal <= 1.0).\n\n",
	       ratio(bu_pct(&ch.total, 50), bu_pct(&cd.total, 50)),
	       ratio(bu_pct(&ch.total, 99), bu_pct(&cd.total, 99)));
	printf("carehub first-edge stamp minus the user-space write time: p50 %.1f us, p99 %.1f us.\n\n",
	       bu_pct(&ch_stamp, 50) / 1e3, bu_pct(&ch_stamp, 99) / 1e3);
	printf("Where the time goes (ms; from each path's own kernel stamps):\n\n");
	printf("| segment | p50 | p90 | p99 | max |\n");
	printf("|---|---:|---:|---:|---:|\n");
	row("carehub: first-edge stamp - write", &ch_stamp);
	row("carehub: settle stamp - first edge - debounce (hrtimer + work)", &ch_timer);
	row("carehub: receive - settle stamp (publish + netlink + wakeup)", &ch_deliver);
	row("gpio-cdev: event stamp - write - debounce (delayed_work, jiffies)", &cd_decide);
	row("gpio-cdev: receive - event stamp (kfifo + wakeup + read)", &cd_deliver);
	printf("\n");
	printf("Ratio carehub / gpio-cdev, stamp-to-user delivery: p50 %.3f, p99 %.3f.\n",
	       ratio(bu_pct(&ch_deliver, 50), bu_pct(&cd_deliver, 50)),
	       ratio(bu_pct(&ch_deliver, 99), bu_pct(&cd_deliver, 99)));
	if (ch.missed || cd.missed)
		printf("\nMISSED events: carehub %d, gpio-cdev %d\n", ch.missed, cd.missed);
	printf("\n");
	rc = (ch.missed || cd.missed) ? 1 : 0;
out:
	fflush(stdout);
	if (pfd0 >= 0)
		close(pfd0);
	if (pfd1 >= 0)
		close(pfd1);
	if (lfd >= 0)
		close(lfd);
	cht_sensor_destroy("benchlat");
	cht_nl_close(ev);
	cht_chip_destroy(&chip);
	ret = cht_module_unload();
	if (ret)
		fprintf(stderr, "latency: unload: %s\n", strerror(-ret));
	bu_free(&ch.total);
	bu_free(&ch.over);
	bu_free(&cd.total);
	bu_free(&cd.over);
	return rc;
}
