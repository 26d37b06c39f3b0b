// SPDX-License-Identifier: GPL-2.0
/*
 * carehub on arm64 with its sensors declared in device tree: the Raspberry
 * Pi overlay (kmod/dts/carehub-pi.dtso), unmodified but for the test
 * tree's changes tests/arm64/pi-dtb makes, applied to QEMU's virt machine
 * whose gpio-sim bank takes the Pi's `gpio` label. Run by
 * tests/arm64/dt-probe.sh in the guest, after it has loaded carehub.ko
 * (before gpio-sim: the probe was deferred) and gpio-sim.
 *
 * Every check goes through the DT-declared sensors: they are bound from
 * their nodes, a bounce train is reported once, a glitch is counted and
 * not reported, chatter raises and clears a fault, the dump matches the
 * lines, and unloading and reloading the module unbinds and re-probes
 * them from the tree. Lines are driven through gpio-sim's sysfs pull
 * attribute: real edge interrupts. The overlay's contacts are active low
 * (a closed reed or pressed button pulls the line to ground): pull-down
 * is state 1.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cht.h"
#include "kselftest_harness.h"

#define DRIVER		"/sys/bus/platform/drivers/carehub-contact"
#define NSENSORS	3
#define SETTLE_MS	1000

/* The overlay's sensors: node, name, kind, IIO name, line. */
static const struct dt_sensor {
	const char *node;
	const char *name;
	uint32_t kind;
	const char *iio_name;
	int line;
} sensors[NSENSORS] = {
	{ "carehub-front-door", "front-door", CAREHUB_KIND_DOOR, "carehub-door", 17 },
	{ "carehub-bed", "bed", CAREHUB_KIND_BED, "carehub-bed", 27 },
	{ "carehub-sos", "sos", CAREHUB_KIND_SOS, "carehub-sos", 22 },
};

FIXTURE(dt) {
	struct cht_chip chip;	/* the DT gpio-sim bank (dev_name, chip_name) */
	struct cht_nl *ev;
	struct cht_nl *req;
};

/* Active low: state 1 (closed, occupied, pressed) is the line pulled down. */
static int set_state(const struct cht_chip *c, int line, int state)
{
	return cht_line_set(c, line, !state);
}

static int find_chip(struct cht_chip *c)
{
	glob_t g;
	int ret = -ENOENT;

	if (glob("/sys/bus/platform/drivers/gpio-sim/*/gpiochip*", 0, NULL, &g))
		return ret;
	if (g.gl_pathc == 1) {
		char *p = g.gl_pathv[0], *chip = strrchr(p, '/');

		*chip++ = '\0';
		snprintf(c->chip_name, sizeof(c->chip_name), "%s", chip);
		snprintf(c->dev_name, sizeof(c->dev_name), "%s", strrchr(p, '/') + 1);
		ret = 0;
	}
	globfree(&g);
	return ret;
}

static const struct cht_msg *by_name(const struct cht_msg *m, int n,
				     const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	return NULL;
}

/* Poll the dump until every sensor shows its wanted state, or time out. */
static int wait_states(struct cht_nl *req, const int *want, int ms)
{
	struct cht_msg m[8];
	int n, i, ok;

	for (int t = 0; t < ms; t += 50) {
		n = cht_nl_dump(req, m, 8);
		ok = n == NSENSORS;
		for (i = 0; ok && i < NSENSORS; i++) {
			const struct cht_msg *s = by_name(m, n, sensors[i].name);

			ok = s && s->state == want[i] && !s->faults;
		}
		if (ok)
			return 0;
		cht_sleep_ms(50);
	}
	return -ETIMEDOUT;
}

static void drain(struct cht_nl *nl)
{
	struct cht_msg m;

	while (cht_nl_recv(nl, 200, &m) == 1)
		;
}

FIXTURE_SETUP(dt)
{
	const int released[NSENSORS] = { 0, 0, 0 };

	ASSERT_EQ(0, cht_module_load());
	ASSERT_EQ(0, find_chip(&self->chip))
		TH_LOG("no single gpio-sim chip bound from device tree");
	self->ev = cht_nl_open(true);
	ASSERT_NE(NULL, self->ev);
	self->req = cht_nl_open(false);
	ASSERT_NE(NULL, self->req);
	/* Door open, bed empty, button released; quiet before each test. */
	for (int i = 0; i < NSENSORS; i++)
		ASSERT_EQ(0, set_state(&self->chip, sensors[i].line, 0));
	ASSERT_EQ(0, wait_states(self->req, released, 5000));
	drain(self->ev);
}

FIXTURE_TEARDOWN(dt)
{
	cht_nl_close(self->ev);
	cht_nl_close(self->req);
}

static void expect_quiet(struct __test_metadata *_metadata, struct cht_nl *nl,
			 int ms)
{
	struct cht_msg m;

	ASSERT_EQ(0, cht_nl_recv(nl, ms, &m))
		TH_LOG("unexpected notification cmd %d for %s state %d",
		       m.cmd, m.name, m.state);
}

/* The IIO device under a platform device: its directory, or -ENOENT. */
static int iio_dir_of(const char *pdev, char *dir, size_t size)
{
	char pattern[CHT_PATH_MAX];
	glob_t g;
	int ret = -ENOENT;

	snprintf(pattern, sizeof(pattern), DRIVER "/%s/iio:device*", pdev);
	if (glob(pattern, 0, NULL, &g))
		return ret;
	if (g.gl_pathc == 1) {
		snprintf(dir, size, "%s", g.gl_pathv[0]);
		ret = 0;
	}
	globfree(&g);
	return ret;
}

TEST_F(dt, bound_from_device_tree)
{
	struct cht_msg m[8];
	int n = cht_nl_dump(self->req, m, 8);

	ASSERT_EQ(NSENSORS, n);
	for (int i = 0; i < NSENSORS; i++) {
		const struct dt_sensor *s = &sensors[i];
		const struct cht_msg *d = by_name(m, n, s->name);
		char path[CHT_PATH_MAX * 2], dir[CHT_PATH_MAX], buf[64];

		ASSERT_NE(NULL, d) TH_LOG("%s not in the dump", s->name);
		EXPECT_EQ(s->kind, d->kind);
		EXPECT_STREQ(s->name, d->label);
		/* The platform device was made from the node and is bound. */
		snprintf(path, sizeof(path), DRIVER "/%s/of_node/name", s->node);
		ASSERT_EQ(0, cht_read(path, buf, sizeof(buf)))
			TH_LOG("%s is not bound from its device-tree node", s->node);
		EXPECT_STREQ(s->node, buf);
		snprintf(path, sizeof(path), DRIVER "/%s/of_node/compatible", s->node);
		ASSERT_EQ(0, cht_read(path, buf, sizeof(buf)));
		EXPECT_STREQ("carehub,contact", buf);
		/* Its IIO device: name from the kind, label from the node. */
		ASSERT_EQ(0, iio_dir_of(s->node, dir, sizeof(dir)));
		snprintf(path, sizeof(path), "%s/name", dir);
		ASSERT_EQ(0, cht_read(path, buf, sizeof(buf)));
		EXPECT_STREQ(s->iio_name, buf);
		snprintf(path, sizeof(path), "%s/label", dir);
		ASSERT_EQ(0, cht_read(path, buf, sizeof(buf)));
		EXPECT_STREQ(s->name, buf);
	}
}

TEST_F(dt, bounce_train_reports_once)
{
	const struct dt_sensor *s = &sensors[0];	/* the door */
	const struct cht_msg *d;
	struct cht_msg m, dump[8];
	uint64_t edges;
	int i, n;

	n = cht_nl_dump(self->req, dump, 8);
	d = by_name(dump, n, s->name);
	ASSERT_NE(NULL, d);
	edges = d->edges;
	/* 11 edges ending closed: open-closed-...-closed, no pause. */
	for (i = 0; i < 11; i++)
		ASSERT_EQ(0, set_state(&self->chip, s->line, !(i % 2)));
	ASSERT_EQ(1, cht_nl_recv(self->ev, 3000, &m));
	EXPECT_EQ(CAREHUB_CMD_SENSOR_CHANGE_NTF, m.cmd);
	EXPECT_STREQ(s->name, m.name);
	EXPECT_EQ(1, m.state);
	EXPECT_EQ(CAREHUB_REASON_STATE, m.reason);
	EXPECT_EQ(edges + 11, m.edges);
	EXPECT_LT(m.first_edge_ns, m.settle_ns);
	expect_quiet(_metadata, self->ev, SETTLE_MS);
}

/* The IIO device's counter (the dump carries it with the next report). */
static long long glitch_count(const struct dt_sensor *s)
{
	char dir[CHT_PATH_MAX], path[CHT_PATH_MAX + 16];

	if (iio_dir_of(s->node, dir, sizeof(dir)))
		return -1;
	snprintf(path, sizeof(path), "%s/glitch_count", dir);
	return cht_read_ll(path);
}

TEST_F(dt, glitch_is_counted_not_reported)
{
	const struct dt_sensor *s = &sensors[1];	/* the bed: 200 ms */
	long long glitches = glitch_count(s);
	struct cht_msg m;

	ASSERT_LE(0, glitches);
	ASSERT_EQ(0, set_state(&self->chip, s->line, 1));
	ASSERT_EQ(0, set_state(&self->chip, s->line, 0));
	expect_quiet(_metadata, self->ev, SETTLE_MS);
	EXPECT_EQ(glitches + 1, glitch_count(s));
	/* The counter travels with the next report. */
	ASSERT_EQ(0, set_state(&self->chip, s->line, 1));
	ASSERT_EQ(1, cht_nl_recv(self->ev, 3000, &m));
	EXPECT_STREQ(s->name, m.name);
	EXPECT_EQ(1, m.state);
	EXPECT_EQ(glitches + 1, (long long)m.glitches);
}

TEST_F(dt, chatter_fault_raised_and_cleared)
{
	/* The door: hold-off 2000 ms; chatter for 6 s, then closed (low). */
	struct cht_chatter a = { &self->chip, sensors[0].line, 6000, 0 };
	struct cht_msg m;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, cht_chatter_thread, &a));
	ASSERT_EQ(1, cht_nl_recv(self->ev, 6000, &m));
	EXPECT_STREQ(sensors[0].name, m.name);
	EXPECT_EQ(CAREHUB_REASON_FAULT, m.reason);
	EXPECT_EQ(CAREHUB_FAULT_CHATTER, m.faults);
	EXPECT_EQ(0, m.state);
	pthread_join(t, NULL);
	ASSERT_EQ(1, cht_nl_recv(self->ev, 8000, &m));
	EXPECT_EQ(CAREHUB_REASON_FAULT | CAREHUB_REASON_STATE, m.reason);
	EXPECT_EQ(0, m.faults);
	EXPECT_EQ(1, m.state);
	expect_quiet(_metadata, self->ev, SETTLE_MS);
}

TEST_F(dt, dump_equals_line_levels)
{
	const int want[NSENSORS] = { 0, 1, 1 };	/* door open, bed, SOS */

	ASSERT_EQ(0, set_state(&self->chip, sensors[1].line, 1));
	ASSERT_EQ(0, set_state(&self->chip, sensors[2].line, 1));
	ASSERT_EQ(0, wait_states(self->req, want, 5000));
}

/* Unloading unbinds every DT sensor; loading again probes them from the
 * tree, with the lines' current levels. */
TEST_F(dt, unload_and_reload_reprobe_from_the_tree)
{
	const int want[NSENSORS] = { 1, 0, 1 };
	struct cht_msg m[8];
	DIR *d;

	ASSERT_EQ(0, set_state(&self->chip, sensors[0].line, 1));
	ASSERT_EQ(0, set_state(&self->chip, sensors[2].line, 1));
	cht_nl_close(self->ev);
	cht_nl_close(self->req);
	self->ev = self->req = NULL;
	ASSERT_EQ(0, cht_module_unload());
	ASSERT_FALSE(cht_module_loaded());
	d = opendir(DRIVER);
	EXPECT_EQ(NULL, d);
	if (d)
		closedir(d);

	ASSERT_EQ(0, cht_module_load());
	self->ev = cht_nl_open(true);
	self->req = cht_nl_open(false);
	ASSERT_NE(NULL, self->req);
	ASSERT_EQ(0, wait_states(self->req, want, 5000));
	ASSERT_EQ(NSENSORS, cht_nl_dump(self->req, m, 8));
}

TEST_HARNESS_MAIN
