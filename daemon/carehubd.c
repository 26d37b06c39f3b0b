// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * carehubd: the carehub daemon. Sensor state from the kernel (generic
 * netlink), the hub's own buttons (GPIO), and operators (control socket)
 * go into core.c, which decides and commits alarms; this file is only the
 * event loop around it (sd-event: one timer for the earliest deadline,
 * signals as events, the systemd watchdog) and the command line.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* struct addrinfo in libnl headers */
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "chnl.h"
#include "conf.h"
#include "core.h"
#include "ctl.h"
#include "hwgpio.h"
#include "nlwatch.h"
#include "replay.h"
#include "reply.h"

#ifndef CAREHUB_VERSION
#define CAREHUB_VERSION "0"
#endif

#define CAREHUBD_CONF	"/etc/carehub/carehubd.conf"
/* sysexits.h's EX_CONFIG: the configuration did not load at start. */
#define CAREHUBD_EXIT_CONFIG	78
#define USEC_PER_NSEC	1000u
/* Reconnect to the module this often when the controller said nothing. */
#define CAREHUBD_RETRY_USEC	(10ULL * 1000000)

static const char carehubd_usage[] =
"Usage: carehubd [-c FILE] [--state-dir DIR] [--socket PATH]\n"
"       carehubd [-c FILE] --check-config\n"
"       carehubd [-c FILE] --replay SCENARIO [--json] [--stats] [--store DB]\n"
"       carehubd --help | --version\n"
"\n"
"The carehub daemon: turns the state of the sensors of carehub.ko (door\n"
"contacts, SOS buttons, bed, toilet and mattress pads) and the hub's own\n"
"call and Cancel buttons into alarms, commits every alarm transition to\n"
"its store before acting on it, and relays alarms along the escalation\n"
"chain until a person acknowledges. Runs under systemd (Type=notify);\n"
"operators talk to it with carehubctl(1). Full manual: carehubd(8);\n"
"configuration: carehubd.conf(5).\n"
"\n"
"Options:\n"
"  -c, --config FILE   Configuration file (default " CAREHUBD_CONF ").\n"
"      --check-config  Parse and validate the configuration, print every\n"
"                      setting with defaults resolved, and exit: 0 if it\n"
"                      is valid, 1 with \"FILE:LINE: message\" if not.\n"
"      --state-dir DIR Override [hub] state_dir (the SQLite store).\n"
"      --socket PATH   Override [hub] socket (the control socket).\n"
"      --replay SCENARIO\n"
"                      Run SCENARIO (a file of timestamped sensor events,\n"
"                      button presses and acknowledgements; \"-\" = stdin)\n"
"                      through the real rule engine and alarm lifecycle on\n"
"                      a virtual clock, as fast as possible, print every\n"
"                      alarm transition, and exit. Nothing outside the\n"
"                      process is touched. Grammar: carehubd(8).\n"
"      --json          --replay: one JSON object per transition.\n"
"      --stats         --replay: a summary on stderr (events, transitions,\n"
"                      simulated days per second).\n"
"      --store DB      --replay: keep the store in DB (default: memory).\n"
"      --netlink-rcvbuf BYTES\n"
"                      Receive buffer for kernel events (default 1 MiB).\n"
"                      Small values provoke overruns, which the daemon\n"
"                      heals by re-reading every sensor: for tests.\n"
"  -h, --help          This text.\n"
"  -V, --version       The version.\n"
"\n"
"Signals: SIGHUP reloads the configuration (a bad file is refused and the\n"
"running one kept); SIGTERM and SIGINT stop the daemon (open alarms and\n"
"their escalation resume at the next start).\n"
"\n"
"Exit status: 0 clean stop or valid config; 1 runtime or configuration\n"
"error (on stderr); 2 usage error.\n";

struct hubd {
	sd_event *ev;
	struct core *core;
	const char *conf_path;
	const char *socket_override;
	const char *state_override;
	int rcvbuf;		/* netlink receive buffer, 0 = chnl's default */
	char boot_id[40];
	uint64_t started_mono;
	/* kernel */
	struct chnl *nl;
	sd_event_source *nl_src;
	struct nlw *nlw;
	sd_event_source *nlw_src;
	sd_event_source *retry_src;
	bool said_absent;
	/* hub controls */
	struct hwgpio *gpio;
	sd_event_source *gpio_src;
	char gpio_fault[512];	/* lines that could not be taken, "" if none */
	/* operators */
	struct ctl *ctl;
	/* time */
	sd_event_source *timer;
	sd_event_source *clock_src;
	int clock_fd;
};

/* Windows and clock times are local to the configured zone. */
static void carehubd_apply_tz(const struct conf *c)
{
	char tz[CONF_NAME_MAX + 1];

	if (c->timezone[0]) {
		snprintf(tz, sizeof(tz), ":%s", c->timezone);
		setenv("TZ", tz, 1);
	}
	tzset();
}

static int carehubd_replay(struct conf *c, const char *scenario, bool json,
			   bool stats, const char *store)
{
	struct replay_opts o = { .json = json, .db_path = store };
	struct replay_stats st;
	struct timespec a, b;
	char err[512];
	double secs;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &a);
	ret = replay_run(c, scenario, stdout, &o, &st, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &b);
	fflush(stdout);
	if (ret) {
		fprintf(stderr, "carehubd: %s\n", err);
		return 1;
	}
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	if (stats)
		fprintf(stderr, "replay: %" PRIu64 " events, %" PRIu64
			" transitions, %" PRIu64 " wake-ups, %.2f simulated days in %.3f s (%.0f days/s)\n",
			st.lines, st.transitions, st.wakeups,
			st.simulated_s / 86400, secs,
			secs > 0 ? st.simulated_s / 86400 / secs : 0);
	return 0;
}

static struct core_now hubd_now(void)
{
	struct timespec b, w;
	struct core_now n;

	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_REALTIME, &w);
	n.mono_ns = (uint64_t)b.tv_sec * 1000000000u + (uint64_t)b.tv_nsec;
	n.wall = w.tv_sec;
	return n;
}

/* ---- kernel ---- */

static void hubd_on_nl_event(const struct chnl_event *ev, void *arg)
{
	struct hubd *d = arg;
	struct core_now now = hubd_now();

	if (ev->type == CHNL_EV_RESYNC && ev->cause != CHNL_RESYNC_START)
		fprintf(stderr, "<4>carehubd: kernel events lost (%s), state re-read from the module\n",
			chnl_resync_cause_name(ev->cause));
	if (ev->type == CHNL_EV_SENSOR) {
		struct sensor s;

		chnl_sensor_value(ev->sensor, &s);
		core_sensor(d->core, &s, &now);
	} else {
		struct sensor *v = calloc(ev->n_sensors ? ev->n_sensors : 1,
					  sizeof(*v));
		size_t i;

		if (!v) {
			fprintf(stderr, "<3>carehubd: out of memory reading the kernel's sensors\n");
			return;
		}
		for (i = 0; i < ev->n_sensors; i++)
			chnl_sensor_value(&ev->sensors[i], &v[i]);
		core_sensors_resync(d->core, v, ev->n_sensors, &now);
		free(v);
	}
}

static void hubd_kernel_down(struct hubd *d)
{
	struct core_now now = hubd_now();

	d->nl_src = sd_event_source_disable_unref(d->nl_src);
	chnl_close(d->nl);
	d->nl = NULL;
	core_sensors_resync(d->core, NULL, 0, &now);
	sd_event_source_set_enabled(d->retry_src, SD_EVENT_ON);
}

static int hubd_nl_io(sd_event_source *s, int fd, uint32_t revents,
		      void *arg)
{
	struct hubd *d = arg;
	int ret;

	(void)s; (void)fd; (void)revents;
	ret = chnl_read(d->nl, hubd_on_nl_event, d);
	if (ret >= 0)
		return 0;
	if (ret == -ENODEV)
		fprintf(stderr, "<4>carehubd: carehub module unloaded; sensors offline until it is back\n");
	else
		fprintf(stderr, "<3>carehubd: kernel events: %s; reconnecting\n",
			chnl_errmsg(d->nl));
	hubd_kernel_down(d);
	return 0;
}

static void hubd_kernel_up(struct hubd *d)
{
	struct chnl_opts o = { .rcvbuf = d->rcvbuf };
	char err[256];
	int ret;

	if (d->nl)
		return;
	ret = chnl_open(&d->nl, &o, err, sizeof(err));
	if (ret) {
		if (!d->said_absent || ret != -ENOENT)
			fprintf(stderr, "<4>carehubd: %s; waiting for it\n", err);
		d->said_absent = true;
		return;
	}
	ret = sd_event_add_io(d->ev, &d->nl_src, chnl_fd(d->nl), EPOLLIN,
			      hubd_nl_io, d);
	if (ret >= 0)
		ret = chnl_sync(d->nl, hubd_on_nl_event, d);
	if (ret < 0) {
		fprintf(stderr, "<3>carehubd: reading the sensors: %s\n",
			d->nl ? chnl_errmsg(d->nl) : strerror(-ret));
		hubd_kernel_down(d);
		return;
	}
	d->said_absent = false;
	sd_event_source_set_enabled(d->retry_src, SD_EVENT_OFF);
	fprintf(stderr, "<6>carehubd: connected to the carehub module\n");
}

static void hubd_family(void *arg, const char *family, bool added)
{
	struct hubd *d = arg;

	if (strcmp(family, CAREHUB_GENL_NAME))
		return;
	if (added) {
		hubd_kernel_up(d);
	} else if (d->nl) {
		fprintf(stderr, "<4>carehubd: carehub module unloaded; sensors offline until it is back\n");
		hubd_kernel_down(d);
	}
}

static int hubd_nlw_io(sd_event_source *s, int fd, uint32_t revents,
		       void *arg)
{
	struct hubd *d = arg;

	(void)s; (void)fd; (void)revents;
	if (nlw_read(d->nlw) == -ENOBUFS)
		hubd_kernel_up(d);	/* lost a notification: just try */
	return 0;
}

static int hubd_retry(sd_event_source *s, uint64_t usec, void *arg)
{
	struct hubd *d = arg;

	(void)usec;
	hubd_kernel_up(d);
	if (!d->nl)
		sd_event_source_set_time_relative(s, CAREHUBD_RETRY_USEC);
	return 0;
}

/* ---- hub controls ---- */

static void hubd_pressed(void *arg, enum hwgpio_button b)
{
	struct hubd *d = arg;
	struct core_now now = hubd_now();

	switch (b) {
	case HWGPIO_SOS:
		fprintf(stderr, "<5>carehubd: hub call button pressed\n");
		core_button(d->core, RULES_BUTTON_SOS, &now);
		break;
	case HWGPIO_CANCEL:
		fprintf(stderr, "<5>carehubd: hub Cancel button pressed\n");
		core_button(d->core, RULES_BUTTON_CANCEL, &now);
		break;
	}
}

static int hubd_gpio_io(sd_event_source *s, int fd, uint32_t revents,
			void *arg)
{
	struct hubd *d = arg;

	(void)s; (void)fd; (void)revents;
	if (hwgpio_read(d->gpio, hubd_now().mono_ns) < 0)
		fprintf(stderr, "<3>carehubd: reading the hub buttons failed\n");
	return 0;
}

static void hubd_indicate(void *arg, bool on)
{
	struct hubd *d = arg;

	if (!d->gpio)
		return;
	hwgpio_set(d->gpio, HWGPIO_BUZZER, on);
	hwgpio_set(d->gpio, HWGPIO_LED, on);
}

/* ---- decisions -> journal and monitors ---- */

static void hubd_transition(void *arg, const struct alarm_info *ai,
			    const char *what)
{
	struct hubd *d = arg;
	json_t *o;

	fprintf(stderr, "<%d>carehubd: alarm %" PRIu64 " %s: %s (rule %s, code %03u)\n",
		strcmp(what, "raised") ? 5 : 2, ai->id, what, ai->text,
		ai->rule, ai->code);
	if (!d->ctl)
		return;
	o = reply_alarm_event(ai, what, hubd_now().wall);
	if (o)
		ctl_broadcast(d->ctl, o);
	json_decref(o);
}

static void hubd_sensor(void *arg, const struct sensor *s, int conf_idx)
{
	struct hubd *d = arg;
	struct core_now now = hubd_now();
	json_t *o;

	if (!d->ctl)
		return;
	o = reply_sensor_event(d->core, s, conf_idx, &now);
	if (o)
		ctl_broadcast(d->ctl, o);
	json_decref(o);
}

static const struct core_hooks hubd_hooks = {
	.transition = hubd_transition,
	.indicate = hubd_indicate,
	.sensor = hubd_sensor,
};

/* ---- operators ---- */

static json_t *hubd_handle(void *arg, const struct ctlp_req *req,
			   const struct ctl_peer *peer)
{
	struct hubd *d = arg;
	struct core_now now = hubd_now();
	struct reply_ctx rc = {
		.core = d->core,
		.kernel_up = d->nl != NULL,
		.gpio_fault = d->gpio_fault,
		.uptime_s = (now.mono_ns - d->started_mono) / 1000000000u,
		.now = now,
		.who = peer->who,
	};

	return reply_handle(&rc, req);
}

static void hubd_ctl_log(void *arg, int prio, const char *msg)
{
	(void)arg;
	fprintf(stderr, "<%d>carehubd: control socket: %s\n", prio, msg);
}

static const struct ctl_ops hubd_ctl_ops = {
	.handle = hubd_handle,
	.log = hubd_ctl_log,
};

/* ---- time ---- */

static int hubd_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct hubd *d = arg;
	struct core_now now = hubd_now();

	(void)s; (void)usec;
	if (d->gpio)
		hwgpio_advance(d->gpio, now.mono_ns, hubd_pressed, d);
	core_advance(d->core, &now);
	return 0;
}

/* After every dispatch: one timer for the earliest deadline of all. */
static int hubd_post(sd_event_source *s, void *arg)
{
	struct hubd *d = arg;
	uint64_t next = core_next(d->core);

	(void)s;
	if (d->gpio && hwgpio_next(d->gpio) < next)
		next = hwgpio_next(d->gpio);
	if (next == CORE_NEVER) {
		sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
		return 0;
	}
	sd_event_source_set_time(d->timer, next / USEC_PER_NSEC);
	sd_event_source_set_enabled(d->timer, SD_EVENT_ONESHOT);
	return 0;
}

/* A timerfd that fails with ECANCELED when the wall clock is stepped. */
static int hubd_clock_arm(struct hubd *d)
{
	struct itimerspec its = { .it_value = { .tv_sec = INT32_MAX } };

	return timerfd_settime(d->clock_fd, TFD_TIMER_ABSTIME |
			       TFD_TIMER_CANCEL_ON_SET, &its, NULL);
}

static int hubd_clock_io(sd_event_source *s, int fd, uint32_t revents,
			 void *arg)
{
	struct hubd *d = arg;
	struct core_now now = hubd_now();
	uint64_t n;

	(void)s; (void)revents;
	if (read(fd, &n, sizeof(n)) < 0 && errno == ECANCELED)
		fprintf(stderr, "<5>carehubd: wall clock changed; re-evaluating night windows and clock times\n");
	hubd_clock_arm(d);
	core_advance(d->core, &now);
	return 0;
}

/* ---- signals ---- */

static int hubd_sighup(sd_event_source *s, const struct signalfd_siginfo *si,
		       void *arg)
{
	struct hubd *d = arg;
	struct core_now now = hubd_now();
	struct conf *c;
	char err[512];

	(void)s; (void)si;
	sd_notify(0, "RELOADING=1");
	if (conf_load(d->conf_path, &c, err, sizeof(err))) {
		fprintf(stderr, "<3>carehubd: reload refused, the running configuration stays: %s\n", err);
	} else {
		carehubd_apply_tz(c);
		if (core_reload(d->core, c, &now, err, sizeof(err)))
			fprintf(stderr, "<3>carehubd: reload failed, the running configuration stays: %s\n", err);
		else
			fprintf(stderr, "<6>carehubd: configuration reloaded from %s (socket, state_dir and [gpio] apply at the next start)\n",
				d->conf_path);
	}
	sd_notify(0, "READY=1");
	return 0;
}

static int hubd_sigterm(sd_event_source *s, const struct signalfd_siginfo *si,
			void *arg)
{
	(void)arg; (void)si;
	sd_notify(0, "STOPPING=1");
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

/* ---- setup ---- */

static void hubd_boot_id(char *buf, size_t size)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)size, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * The hub's buttons, buzzer and LED. A line that cannot be taken (a typo,
 * a missing overlay, a broken LED) must never mean no alarms: the others
 * are used, the daemon runs, and the fault is said loudly and kept for
 * `carehubctl status`.
 */
static void hubd_gpio_open(struct hubd *d, const struct conf_gpio *cfg)
{
	char *const lines[] = { "sos_button", "cancel_button", "buzzer", "led" };
	struct conf_gpio use = *cfg;
	char err[256];
	size_t o = 0;

	d->gpio_fault[0] = '\0';
	if (!hwgpio_open(&d->gpio, cfg, err, sizeof(err)))
		return;
	for (unsigned int i = 0; i < 4; i++) {
		char *name[] = { use.sos_button, use.cancel_button, use.buzzer,
				 use.led };
		struct conf_gpio one = *cfg;
		char *one_name[] = { one.sos_button, one.cancel_button,
				     one.buzzer, one.led };
		struct hwgpio *h = NULL;

		if (!name[i][0])
			continue;
		for (unsigned int j = 0; j < 4; j++)
			if (j != i)
				one_name[j][0] = '\0';
		if (!hwgpio_open(&h, &one, err, sizeof(err))) {
			hwgpio_close(h);
			continue;
		}
		name[i][0] = '\0';
		if (o < sizeof(d->gpio_fault))
			o += (size_t)snprintf(d->gpio_fault + o,
					      sizeof(d->gpio_fault) - o, "%s%s",
					      o ? "; " : "", err);
		fprintf(stderr, "<2>carehubd: hub control %s unavailable (%s):"
			" running without it\n", lines[i], err);
	}
	if (hwgpio_open(&d->gpio, &use, err, sizeof(err))) {
		d->gpio = NULL;
		snprintf(d->gpio_fault, sizeof(d->gpio_fault), "%s", err);
		fprintf(stderr, "<2>carehubd: hub controls unavailable (%s):"
			" running without them\n", err);
	}
}

static int hubd_setup(struct hubd *d, struct conf *c)
{
	struct core_now now = hubd_now();
	char err[512], db[CONF_PATH_MAX + 32];
	int ret;

	d->started_mono = now.mono_ns;
	hubd_boot_id(d->boot_id, sizeof(d->boot_id));
	if ((size_t)snprintf(db, sizeof(db), "%s/carehubd.db",
			     d->state_override ? d->state_override :
			     c->state_dir) >= sizeof(db))
		return fprintf(stderr, "carehubd: state directory path too long"
			       " (at most %d characters)\n", CONF_PATH_MAX - 1),
		       -ENAMETOOLONG;
	ret = sd_event_default(&d->ev);
	if (ret < 0)
		return fprintf(stderr, "carehubd: event loop: %s\n", strerror(-ret)), ret;
	ret = core_open(&d->core, c, db, d->boot_id, &hubd_hooks, d, &now,
			err, sizeof(err));
	if (ret)
		return fprintf(stderr, "carehubd: %s\n", err), ret;
	hubd_gpio_open(d, &core_conf(d->core)->gpio);
	if (d->gpio_fault[0]) {
		char text[ALARM_TEXT_MAX];

		snprintf(text, sizeof(text), "Hub controls faulty, running"
			 " without: %s", d->gpio_fault);
		ret = core_hub_fault(d->core, "gpio", text, &now);
		if (ret < 0 && ret != -EALREADY)
			fprintf(stderr, "<2>carehubd: raising the hub fault: %s\n",
				strerror(-ret));
	}
	if (d->gpio && hwgpio_fd(d->gpio) >= 0)
		sd_event_add_io(d->ev, &d->gpio_src, hwgpio_fd(d->gpio),
				EPOLLIN, hubd_gpio_io, d);
	ret = ctl_open(&d->ctl, d->ev, d->socket_override ? d->socket_override :
		       core_conf(d->core)->socket, &hubd_ctl_ops, d, err,
		       sizeof(err));
	if (ret)
		return fprintf(stderr, "carehubd: control socket: %s\n", err), ret;
	ret = nlw_open(&d->nlw, hubd_family, d, err, sizeof(err));
	if (ret)
		return fprintf(stderr, "carehubd: %s\n", err), ret;
	sd_event_add_io(d->ev, &d->nlw_src, nlw_fd(d->nlw), EPOLLIN,
			hubd_nlw_io, d);
	sd_event_add_time_relative(d->ev, &d->retry_src, CLOCK_BOOTTIME,
				   CAREHUBD_RETRY_USEC, 0, hubd_retry, d);
	sd_event_source_set_enabled(d->retry_src, SD_EVENT_OFF);
	ret = sd_event_add_time(d->ev, &d->timer, CLOCK_BOOTTIME, UINT64_MAX,
				1000, hubd_timer, d);
	if (ret >= 0)
		ret = sd_event_add_post(d->ev, NULL, hubd_post, d);
	if (ret < 0)
		return fprintf(stderr, "carehubd: timers: %s\n", strerror(-ret)), ret;
	d->clock_fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->clock_fd >= 0 && hubd_clock_arm(d) == 0)
		sd_event_add_io(d->ev, &d->clock_src, d->clock_fd, EPOLLIN,
				hubd_clock_io, d);
	sd_event_add_signal(d->ev, NULL, SIGHUP, hubd_sighup, d);
	sd_event_add_signal(d->ev, NULL, SIGTERM, hubd_sigterm, d);
	sd_event_add_signal(d->ev, NULL, SIGINT, hubd_sigterm, d);
	sd_event_set_watchdog(d->ev, 1);
	hubd_kernel_up(d);
	if (!d->nl)
		sd_event_source_set_enabled(d->retry_src, SD_EVENT_ON);
	return 0;
}

static void hubd_teardown(struct hubd *d)
{
	sd_event_source_disable_unref(d->nl_src);
	sd_event_source_disable_unref(d->nlw_src);
	sd_event_source_disable_unref(d->gpio_src);
	sd_event_source_disable_unref(d->clock_src);
	sd_event_source_disable_unref(d->retry_src);
	sd_event_source_disable_unref(d->timer);
	ctl_close(d->ctl);
	chnl_close(d->nl);
	nlw_close(d->nlw);
	hwgpio_close(d->gpio);	/* buzzer and LED off */
	core_close(d->core);
	if (d->clock_fd > 0)
		close(d->clock_fd);
	sd_event_unref(d->ev);
}

static int hubd_run(struct hubd *d, struct conf *c)
{
	sigset_t ss;
	int ret;

	sigemptyset(&ss);
	sigaddset(&ss, SIGHUP);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->clock_fd = -1;
	ret = hubd_setup(d, c);
	if (!ret) {
		sd_notifyf(0, "READY=1\nSTATUS=%s", d->nl ?
			   "watching sensors" : "waiting for the carehub module");
		fprintf(stderr, "<6>carehubd %s: running, configuration %s\n",
			CAREHUB_VERSION, d->conf_path);
		ret = sd_event_loop(d->ev);
		if (ret < 0)
			fprintf(stderr, "carehubd: event loop: %s\n", strerror(-ret));
	}
	hubd_teardown(d);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "socket", required_argument, NULL, 's' },
		{ "replay", required_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 't' },
		{ "store", required_argument, NULL, 'D' },
		{ "netlink-rcvbuf", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct hubd d = { .conf_path = CAREHUBD_CONF };
	const char *replay = NULL, *store = NULL;
	bool check = false, json = false, stats = false;
	struct conf *c;
	char err[512];
	int opt;

	while ((opt = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': d.conf_path = optarg; break;
		case 'C': check = true; break;
		case 'S': d.state_override = optarg; break;
		case 's': d.socket_override = optarg; break;
		case 'R': replay = optarg; break;
		case 'j': json = true; break;
		case 't': stats = true; break;
		case 'D': store = optarg; break;
		case 'B':
			d.rcvbuf = atoi(optarg);
			if (d.rcvbuf < 1024 || d.rcvbuf > 64 << 20) {
				fputs("carehubd: --netlink-rcvbuf is 1024..67108864 bytes\nTry 'carehubd --help'.\n",
				      stderr);
				return 2;
			}
			break;
		case 'h': fputs(carehubd_usage, stdout); return 0;
		case 'V': printf("carehubd %s\n", CAREHUB_VERSION); return 0;
		default:
			fputs("Try 'carehubd --help'.\n", stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "carehubd: unexpected argument '%s'\nTry 'carehubd --help'.\n",
			argv[optind]);
		return 2;
	}
	if ((json || stats || store) && !replay) {
		fputs("carehubd: --json, --stats and --store go with --replay\nTry 'carehubd --help'.\n",
		      stderr);
		return 2;
	}
	if (conf_load(d.conf_path, &c, err, sizeof(err))) {
		fprintf(stderr, "carehubd: %s\n", err);
		/*
		 * Starting the daemon: EX_CONFIG, which the unit does not
		 * restart on (RestartPreventExitStatus=), so a broken file is
		 * one clear journal line, not a loop every RestartSec.
		 */
		return check || replay ? 1 : CAREHUBD_EXIT_CONFIG;
	}
	carehubd_apply_tz(c);
	if (check) {
		const char *sd = d.state_override ? d.state_override : c->state_dir;
		struct stat st;
		int e = stat(sd, &st) ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;

		if (e) {
			fprintf(stderr, "carehubd: %s: state_dir %s: %s (the unit's"
				" StateDirectory= creates /var/lib/carehub at its"
				" first start)\n", c->path, sd, strerror(e));
			conf_free(c);
			return 1;
		}
		conf_dump(c, stdout);
		conf_free(c);
		return 0;
	}
	if (replay)
		return carehubd_replay(c, replay, json, stats, store);
	return hubd_run(&d, c);
}
