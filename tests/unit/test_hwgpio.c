// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of daemon/hwgpio.c: the button debouncer on its own (bounces,
 * glitches, press and release, holding, chatter that never goes quiet),
 * then the whole module over a fake backend that simulates GPIO lines
 * (found by name, busy, levels, queued edges, outputs, read errors).
 * The fake is linked under the name hwgpio.c expects of the real backend
 * (hwgpio_v1_backend), so the code under test is exactly the daemon's.
 * HWGPIO_SEED / HWGPIO_ROUNDS steer the property test.
 */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime, pipe */
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

#include "hwgpio.h"
#include "hwgpio_backend.h"
#include "unit_util.h"

#define MS	1000000ull

/* ---- the fake backend: a table of simulated lines ---- */

struct fakeline {
	const char *name;
	bool exists, busy;	/* busy: held by "someone else" */
	bool requested, output, active_low;
	int level;		/* logical level of an input; output value */
	unsigned int queued;	/* edges waiting to be read */
	int get_err;		/* next get() returns this if < 0 */
	int pipefd[2];		/* a real fd for epoll */
	unsigned int finds, releases;
};

/* A handle, one per find(), as each libgpiod find opens the chip anew. */
struct hwgpio_be_line {
	struct fakeline *f;
	bool mine;		/* this handle requested the line */
};

static struct fakeline fake[] = {
	{ .name = "HUB_SOS" }, { .name = "HUB_CANCEL" },
	{ .name = "HUB_BUZZER" }, { .name = "HUB_LED" },
	{ .name = "HUB_BUSY" },
};
#define NFAKE	(sizeof(fake) / sizeof(fake[0]))
enum { F_SOS, F_CANCEL, F_BUZZER, F_LED, F_BUSY };

static int fake_find(const char *name, struct hwgpio_be_line **out,
		     char *where, size_t wherelen)
{
	unsigned int i;

	for (i = 0; i < NFAKE; i++) {
		if (fake[i].exists && !strcmp(fake[i].name, name)) {
			*out = calloc(1, sizeof(**out));
			assert_non_null(*out);
			(*out)->f = &fake[i];
			fake[i].finds++;
			snprintf(where, wherelen, "fakechip line %u", i);
			return 0;
		}
	}
	return -ENOENT;
}

static int fake_request_input(struct hwgpio_be_line *h, const char *consumer,
			      bool active_low)
{
	struct fakeline *l = h->f;

	assert_string_equal(consumer, HWGPIO_CONSUMER);
	if (l->busy || l->requested)
		return -EBUSY;
	h->mine = true;
	l->requested = true;
	l->output = false;
	l->active_low = active_low;
	return 0;
}

static int fake_request_output(struct hwgpio_be_line *h, const char *consumer,
			       int value)
{
	struct fakeline *l = h->f;

	assert_string_equal(consumer, HWGPIO_CONSUMER);
	if (l->busy || l->requested)
		return -EBUSY;
	h->mine = true;
	l->requested = true;
	l->output = true;
	l->level = value;
	return 0;
}

static int fake_event_fd(struct hwgpio_be_line *h)
{
	assert_true(h->mine && !h->f->output);
	return h->f->pipefd[0];
}

static int fake_read_events(struct hwgpio_be_line *h,
			    struct hwgpio_be_event *ev, unsigned int n)
{
	struct fakeline *l = h->f;
	unsigned int k = 0;

	assert_true(h->mine && !l->output);
	while (l->queued && k < n) {
		ev[k].ts_ns = 0;
		ev[k].rising = false;
		l->queued--;
		k++;
	}
	return (int)k;
}

static int fake_get(struct hwgpio_be_line *h)
{
	struct fakeline *l = h->f;
	int rc = l->get_err;

	assert_true(h->mine);
	if (rc < 0) {
		l->get_err = 0;
		return rc;
	}
	return l->level;
}

static int fake_set(struct hwgpio_be_line *h, int value)
{
	assert_true(h->mine && h->f->output);
	h->f->level = value;
	return 0;
}

static void fake_release(struct hwgpio_be_line *h)
{
	h->f->releases++;
	if (h->mine)
		h->f->requested = false;
	free(h);
}

const struct hwgpio_backend hwgpio_v1_backend = {
	.name = "fake",
	.find = fake_find,
	.request_input = fake_request_input,
	.request_output = fake_request_output,
	.event_fd = fake_event_fd,
	.read_events = fake_read_events,
	.get = fake_get,
	.set = fake_set,
	.release = fake_release,
};

static int fake_setup(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < NFAKE; i++) {
		const char *name = fake[i].name;

		memset(&fake[i], 0, sizeof(fake[i]));
		fake[i].name = name;
		fake[i].exists = true;
		if (pipe(fake[i].pipefd) < 0)
			return -1;
	}
	fake[F_BUSY].busy = true;
	return 0;
}

/* Every line found was released exactly once, none is left requested. */
static int fake_teardown(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < NFAKE; i++) {
		assert_false(fake[i].requested);
		assert_int_equal(fake[i].finds, fake[i].releases);
		close(fake[i].pipefd[0]);
		close(fake[i].pipefd[1]);
	}
	return 0;
}

/* The simulated hand: set the level and queue @edges edges. */
static void fake_edges(unsigned int i, int level, unsigned int edges)
{
	fake[i].level = level;
	fake[i].queued += edges;
}

static struct conf_gpio all_fitted(void)
{
	struct conf_gpio c = { .active_low = true, .debounce_ms = 30 };

	strcpy(c.sos_button, "HUB_SOS");
	strcpy(c.cancel_button, "HUB_CANCEL");
	strcpy(c.buzzer, "HUB_BUZZER");
	strcpy(c.led, "HUB_LED");
	return c;
}

/* Presses seen by the callback, per button, and their order. */
struct seen {
	unsigned int n[HWGPIO_BUTTONS];
	enum hwgpio_button last;
};

static void on_press(void *arg, enum hwgpio_button b)
{
	struct seen *s = arg;

	s->n[b]++;
	s->last = b;
}

/* ---- the debouncer alone ---- */

/* Settle at @now with @pressed; must be due. */
static enum hwgpio_deb_result deb_settle(struct hwgpio_deb *d, uint64_t now,
					 bool pressed)
{
	assert_true(hwgpio_deb_due(d, now));
	return hwgpio_deb_settle(d, now, pressed);
}

static void test_deb_initial_reading(void **state)
{
	struct hwgpio_deb d;

	(void)state;
	hwgpio_deb_init(&d, 30);
	/* A reading is due at once; released: nothing to say, no glitch. */
	assert_true(hwgpio_deb_due(&d, 0));
	assert_int_equal(deb_settle(&d, 0, false), HWGPIO_DEB_NONE);
	assert_int_equal(d.glitches, 0);
	assert_int_equal(d.deadline, UINT64_MAX);
	assert_false(hwgpio_deb_due(&d, UINT64_MAX - 1));

	/* Held down while the daemon starts: reported at the first read. */
	hwgpio_deb_init(&d, 30);
	assert_int_equal(deb_settle(&d, 5 * MS, true), HWGPIO_DEB_PRESS);
	assert_int_equal(d.presses, 1);
}

static void test_deb_bounces_one_press(void **state)
{
	struct hwgpio_deb d;
	uint64_t t = 1000 * MS;
	unsigned int i;

	(void)state;
	hwgpio_deb_init(&d, 30);
	deb_settle(&d, 0, false);
	/* 7 bounces over 6 ms, the last at t + 6 ms. */
	for (i = 0; i < 7; i++)
		hwgpio_deb_edge(&d, t + i * MS);
	assert_int_equal(d.edges, 7);
	assert_int_equal(d.deadline, t + 36 * MS);
	/* Not quiet long enough yet: the timer restarted on each bounce. */
	assert_false(hwgpio_deb_due(&d, t + 35 * MS));
	assert_int_equal(hwgpio_deb_settle(&d, t + 35 * MS, true),
			 HWGPIO_DEB_NONE);
	assert_int_equal(d.presses, 0);
	assert_int_equal(deb_settle(&d, t + 36 * MS, true), HWGPIO_DEB_PRESS);
	assert_true(d.pressed);
	assert_int_equal(d.presses, 1);
	assert_int_equal(d.chatters, 0);
	/* Nothing more pending, and holding does not repeat. */
	assert_false(hwgpio_deb_due(&d, t + 10000 * MS));
}

static void test_deb_glitch(void **state)
{
	struct hwgpio_deb d;

	(void)state;
	hwgpio_deb_init(&d, 30);
	deb_settle(&d, 0, false);
	/* A spike on a long cable: down and up within 1 ms. */
	hwgpio_deb_edge(&d, 100 * MS);
	hwgpio_deb_edge(&d, 101 * MS);
	assert_int_equal(deb_settle(&d, 131 * MS, false), HWGPIO_DEB_NONE);
	assert_int_equal(d.glitches, 1);
	assert_int_equal(d.presses, 0);
	assert_false(d.pressed);
}

static void test_deb_press_release(void **state)
{
	struct hwgpio_deb d;

	(void)state;
	hwgpio_deb_init(&d, 20);
	deb_settle(&d, 0, false);
	hwgpio_deb_edge(&d, 50 * MS);
	hwgpio_deb_edge(&d, 52 * MS);
	hwgpio_deb_edge(&d, 53 * MS);
	assert_int_equal(deb_settle(&d, 73 * MS, true), HWGPIO_DEB_PRESS);
	/* Held for 3 s, then released with bounces. */
	hwgpio_deb_edge(&d, 3000 * MS);
	hwgpio_deb_edge(&d, 3001 * MS);
	hwgpio_deb_edge(&d, 3004 * MS);
	assert_int_equal(deb_settle(&d, 3024 * MS, false), HWGPIO_DEB_RELEASE);
	assert_false(d.pressed);
	/* A second press is a second report. */
	hwgpio_deb_edge(&d, 5000 * MS);
	assert_int_equal(deb_settle(&d, 5020 * MS, true), HWGPIO_DEB_PRESS);
	assert_int_equal(d.presses, 2);
	assert_int_equal(d.releases, 1);
	assert_int_equal(d.edges, 7);
}

static void test_deb_chatter_capped(void **state)
{
	struct hwgpio_deb d;
	uint64_t t;

	(void)state;
	hwgpio_deb_init(&d, 30);
	assert_int_equal(d.max_ns, HWGPIO_HOLDOFF_MAX_MS * MS);
	deb_settle(&d, 0, false);
	/* An edge every 10 ms forever: never quiet for 30 ms. */
	for (t = 100 * MS; t < 100 * MS + HWGPIO_HOLDOFF_MAX_MS * MS; t += 10 * MS) {
		hwgpio_deb_edge(&d, t);
		assert_false(hwgpio_deb_due(&d, t));
	}
	/* The cap strikes one hold-off max after the burst began. */
	assert_int_equal(d.deadline, 100 * MS + HWGPIO_HOLDOFF_MAX_MS * MS);
	assert_int_equal(deb_settle(&d, d.deadline, true), HWGPIO_DEB_PRESS);
	assert_int_equal(d.chatters, 1);
	/* A long debounce period raises the cap to 4 periods. */
	hwgpio_deb_init(&d, 400);
	assert_int_equal(d.max_ns, 1600 * MS);
}

static void test_deb_saturates(void **state)
{
	struct hwgpio_deb d;

	(void)state;
	hwgpio_deb_init(&d, 30);
	deb_settle(&d, 0, false);
	hwgpio_deb_edge(&d, UINT64_MAX - MS);
	/* now + 30 ms overflows: the deadline saturates instead of wrapping. */
	assert_int_equal(d.deadline, UINT64_MAX);
	assert_false(hwgpio_deb_due(&d, UINT64_MAX - MS));
}

/*
 * Property: N press/release cycles, each edge a burst of random bounces
 * shorter than the period and separated by more than it, give exactly N
 * presses and N releases, whatever the bounce pattern or the order the
 * reads come in.
 */
static void test_deb_property(void **state)
{
	unsigned long long seed = env_u64("HWGPIO_SEED", 12345, NULL);
	unsigned long long rounds = env_u64("HWGPIO_ROUNDS", 300, NULL);
	unsigned long long r;

	(void)state;
	srand((unsigned int)seed);
	for (r = 0; r < rounds; r++) {
		uint32_t deb_ms = 5 + (uint32_t)(rand() % 60);
		unsigned int cycles = 1 + (unsigned int)(rand() % 8), c, half;
		struct hwgpio_deb d;
		uint64_t t = (uint64_t)(rand() % 1000) * MS;

		hwgpio_deb_init(&d, deb_ms);
		deb_settle(&d, 0, false);
		for (c = 0; c < cycles * 2; c++) {
			bool level = !(c & 1);	/* press, release, ... */
			unsigned int bounces = 1 + 2 * (unsigned int)(rand() % 6);
			uint64_t span = (uint64_t)deb_ms * MS - 1;
			unsigned int b;

			for (b = 0; b < bounces; b++) {
				hwgpio_deb_edge(&d, t);
				t += span / bounces;
				/* The loop polls in between: never due early. */
				assert_false(hwgpio_deb_due(&d, t));
			}
			t += (uint64_t)deb_ms * MS + (uint64_t)(rand() % 50) * MS;
			half = hwgpio_deb_settle(&d, t, level);
			if (half != (level ? HWGPIO_DEB_PRESS : HWGPIO_DEB_RELEASE))
				fail_msg("seed %llu round %llu cycle %u: got %u",
					 seed, r, c, half);
		}
		assert_int_equal(d.presses, cycles);
		assert_int_equal(d.releases, cycles);
		assert_int_equal(d.glitches, 0);
		assert_int_equal(d.chatters, 0);
	}
}

/* ---- the whole module over the fake backend ---- */

static void test_open_press_and_outputs(void **state)
{
	struct conf_gpio cfg = all_fitted();
	struct hwgpio *h;
	struct seen s = { { 0 }, HWGPIO_SOS };
	char err[256];
	uint64_t t;

	(void)state;
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), 0);
	assert_true(fake[F_SOS].requested && fake[F_SOS].active_low);
	assert_true(fake[F_CANCEL].requested && !fake[F_CANCEL].output);
	assert_true(fake[F_BUZZER].output && fake[F_BUZZER].level == 0);
	assert_true(fake[F_LED].output && fake[F_LED].level == 0);
	assert_true(hwgpio_fd(h) >= 0);
	assert_non_null(hwgpio_button(h, HWGPIO_SOS));

	/* First reading at once; all released. */
	assert_int_equal(hwgpio_next(h), 0);
	assert_int_equal(hwgpio_advance(h, 10 * MS, on_press, &s), 0);
	assert_int_equal(hwgpio_next(h), UINT64_MAX);

	/* SOS pressed with 5 bounces, seen at t. */
	t = 1000 * MS;
	fake_edges(F_SOS, 1, 5);
	assert_int_equal(hwgpio_read(h, t), 5);
	assert_int_equal(hwgpio_read(h, t), 0);
	assert_int_equal(hwgpio_next(h), t + 30 * MS);
	assert_int_equal(hwgpio_advance(h, t + 29 * MS, on_press, &s), 0);
	assert_int_equal(hwgpio_advance(h, t + 30 * MS, on_press, &s), 1);
	assert_int_equal(s.n[HWGPIO_SOS], 1);
	assert_int_equal(s.n[HWGPIO_CANCEL], 0);
	/* Held: nothing more, ever. */
	assert_int_equal(hwgpio_advance(h, t + 9000 * MS, on_press, &s), 0);
	assert_int_equal(hwgpio_button(h, HWGPIO_SOS)->edges, 5);

	/* Cancel pressed while SOS is released: one press each, in turn. */
	fake_edges(F_SOS, 0, 3);
	fake_edges(F_CANCEL, 1, 2);
	t = 2000 * MS;
	assert_int_equal(hwgpio_read(h, t), 5);
	assert_int_equal(hwgpio_advance(h, t + 30 * MS, on_press, &s), 1);
	assert_int_equal(s.n[HWGPIO_CANCEL], 1);
	assert_int_equal(s.last, HWGPIO_CANCEL);
	assert_int_equal(hwgpio_button(h, HWGPIO_SOS)->releases, 1);

	/* Outputs. */
	assert_int_equal(hwgpio_set(h, HWGPIO_BUZZER, true), 0);
	assert_int_equal(fake[F_BUZZER].level, 1);
	assert_true(hwgpio_out_on(h, HWGPIO_BUZZER));
	assert_int_equal(hwgpio_set(h, HWGPIO_LED, true), 0);
	assert_int_equal(hwgpio_set(h, HWGPIO_BUZZER, false), 0);
	assert_int_equal(fake[F_BUZZER].level, 0);
	assert_false(hwgpio_out_on(h, HWGPIO_BUZZER));
	assert_int_equal(hwgpio_set(h, (enum hwgpio_out)7, true), -EINVAL);

	/* Close switches the LED off and releases everything (teardown). */
	hwgpio_close(h);
	assert_int_equal(fake[F_LED].level, 0);
}

static void test_missed_edges_and_glitch(void **state)
{
	struct conf_gpio cfg = all_fitted();
	struct hwgpio *h;
	struct seen s = { { 0 }, HWGPIO_SOS };
	char err[256];

	(void)state;
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), 0);
	hwgpio_advance(h, 0, on_press, &s);
	/*
	 * The kernel queue overflowed: a press and release and press came
	 * as one edge. The level decides, not the edge count.
	 */
	fake_edges(F_SOS, 1, 1);
	hwgpio_read(h, 100 * MS);
	assert_int_equal(hwgpio_advance(h, 130 * MS, on_press, &s), 1);
	/* A glitch: edges, level back where it was. Counted, not reported. */
	fake_edges(F_CANCEL, 0, 2);
	hwgpio_read(h, 200 * MS);
	assert_int_equal(hwgpio_advance(h, 230 * MS, on_press, &s), 0);
	assert_int_equal(hwgpio_button(h, HWGPIO_CANCEL)->glitches, 1);
	/* Many queued edges are drained across batches. */
	fake_edges(F_CANCEL, 1, 1000);
	assert_int_equal(hwgpio_read(h, 300 * MS), 1000);
	assert_int_equal(hwgpio_advance(h, 330 * MS, NULL, NULL), 1);
	hwgpio_close(h);
}

static void test_read_error_retried(void **state)
{
	struct conf_gpio cfg = all_fitted();
	struct hwgpio *h;
	struct seen s = { { 0 }, HWGPIO_SOS };
	char err[256];

	(void)state;
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), 0);
	hwgpio_advance(h, 0, on_press, &s);
	fake_edges(F_SOS, 1, 1);
	hwgpio_read(h, 100 * MS);
	fake[F_SOS].get_err = -EIO;
	assert_int_equal(hwgpio_advance(h, 130 * MS, on_press, &s), -EIO);
	assert_int_equal(s.n[HWGPIO_SOS], 0);
	/* Tried again one period later, and then the press is not lost. */
	assert_int_equal(hwgpio_next(h), 160 * MS);
	assert_int_equal(hwgpio_advance(h, 160 * MS, on_press, &s), 1);
	assert_int_equal(s.n[HWGPIO_SOS], 1);
	hwgpio_close(h);
}

static void test_held_at_start(void **state)
{
	struct conf_gpio cfg = all_fitted();
	struct hwgpio *h;
	struct seen s = { { 0 }, HWGPIO_SOS };
	char err[256];

	(void)state;
	fake[F_SOS].level = 1;
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), 0);
	assert_int_equal(hwgpio_advance(h, 5 * MS, on_press, &s), 1);
	assert_int_equal(s.n[HWGPIO_SOS], 1);
	hwgpio_close(h);
}

static void test_unknown_line(void **state)
{
	struct conf_gpio cfg = all_fitted();
	struct hwgpio *h = (struct hwgpio *)&cfg;
	char err[256];

	(void)state;
	strcpy(cfg.cancel_button, "HUB_NOPE");
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), -ENOENT);
	assert_null(h);
	assert_non_null(strstr(err, "'HUB_NOPE'"));
	assert_non_null(strstr(err, "cancel_button"));
	/* The lines taken before it were given back (teardown checks). */
	assert_int_equal(fake[F_SOS].releases, 1);
}

static void test_busy_line(void **state)
{
	struct conf_gpio cfg = all_fitted();
	struct hwgpio *h, *h2;
	char err[256];

	(void)state;
	strcpy(cfg.led, "HUB_BUSY");
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), -EBUSY);
	assert_null(h);
	assert_non_null(strstr(err, "'HUB_BUSY'"));
	assert_non_null(strstr(err, "busy"));
	assert_non_null(strstr(err, "led"));
	/* Our own lines are busy for a second instance. */
	cfg = all_fitted();
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), 0);
	assert_int_equal(hwgpio_open(&h2, &cfg, err, sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "busy"));
	hwgpio_close(h);
}

static void test_bad_config(void **state)
{
	struct conf_gpio cfg = all_fitted();
	struct hwgpio *h;
	char err[256];

	(void)state;
	strcpy(cfg.cancel_button, "HUB_SOS");
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "gpio: sos_button and cancel_button both name line 'HUB_SOS'");
	cfg = all_fitted();
	memset(cfg.buzzer, 'x', sizeof(cfg.buzzer));	/* no NUL */
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "buzzer"));
	assert_int_equal(fake[F_SOS].finds, 0);
}

static void test_nothing_fitted(void **state)
{
	struct conf_gpio cfg = { .active_low = true, .debounce_ms = 30 };
	struct hwgpio *h;
	char err[256];

	(void)state;
	assert_int_equal(hwgpio_open(&h, &cfg, err, sizeof(err)), 0);
	assert_int_equal(hwgpio_fd(h), -1);
	assert_int_equal(hwgpio_next(h), UINT64_MAX);
	assert_int_equal(hwgpio_read(h, 0), 0);
	assert_int_equal(hwgpio_advance(h, 0, on_press, NULL), 0);
	assert_int_equal(hwgpio_set(h, HWGPIO_BUZZER, true), 0);
	assert_false(hwgpio_fitted_out(h, HWGPIO_BUZZER));
	assert_null(hwgpio_button(h, HWGPIO_SOS));
	hwgpio_close(h);
	hwgpio_close(NULL);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(hwgpio_button_name(HWGPIO_SOS), "sos_button");
	assert_string_equal(hwgpio_button_name(HWGPIO_CANCEL), "cancel_button");
	assert_string_equal(hwgpio_out_name(HWGPIO_BUZZER), "buzzer");
	assert_string_equal(hwgpio_out_name(HWGPIO_LED), "led");
}

#define T(f)	cmocka_unit_test_setup_teardown(f, fake_setup, fake_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deb_initial_reading),
		cmocka_unit_test(test_deb_bounces_one_press),
		cmocka_unit_test(test_deb_glitch),
		cmocka_unit_test(test_deb_press_release),
		cmocka_unit_test(test_deb_chatter_capped),
		cmocka_unit_test(test_deb_saturates),
		cmocka_unit_test(test_deb_property),
		T(test_open_press_and_outputs),
		T(test_missed_edges_and_glitch),
		T(test_read_error_retried),
		T(test_held_at_start),
		T(test_unknown_line),
		T(test_busy_line),
		T(test_bad_config),
		T(test_nothing_fitted),
		T(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
