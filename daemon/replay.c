// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay: a scenario through core (rules + alarm lifecycle) on a virtual
 * clock. See replay.h for the scenario language.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* timegm, strcasecmp */
#endif
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "core.h"
#include "replay.h"
#include "reply.h"
#include "utf8.h"

#define REPLAY_LINE_MAX	512
/* Virtual CLOCK_BOOTTIME starts here, not at 0 (0 means "unknown"). */
#define REPLAY_MONO_BASE	(1000ULL * 1000000000ULL)

struct replay {
	struct core *core;
	FILE *out;
	const struct replay_opts *opts;
	struct replay_stats *st;
	struct conf *conf;	/* until the core takes it at the first line */
	time_t start;		/* wall time of the first line */
	time_t t;		/* wall time of the current line */
	uint64_t last_id;	/* newest alarm id seen */
	const char *file;
	unsigned int line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int replay_fail(struct replay *r, const char *fmt, ...)
{
	size_t off;
	va_list ap;

	off = (size_t)snprintf(r->err, r->errlen, "%s:%u: ", r->file, r->line);
	if (off < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + off, r->errlen - off, fmt, ap);
		va_end(ap);
		/* The scenario's bytes, quoted: printable and UTF-8 only. */
		utf8_copy(r->err + off, r->errlen - off, r->err + off);
		for (char *p = r->err + off; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
	}
	return -EINVAL;
}

static struct core_now replay_now(const struct replay *r, time_t wall)
{
	struct core_now n = {
		.mono_ns = REPLAY_MONO_BASE +
			(uint64_t)(wall - r->start) * 1000000000ULL,
		.wall = wall,
	};
	return n;
}

/* ---- output ---- */

static void replay_transition(void *arg, const struct alarm_info *ai,
			      const char *what)
{
	struct replay *r = arg;
	char when[40];
	struct tm tm;
	time_t t = r->t;

	if (ai->id > r->last_id)
		r->last_id = ai->id;
	r->st->transitions++;
	if (!r->out)
		return;
	if (r->opts->json) {
		json_t *o = reply_alarm_event(ai, what, t);

		if (o) {
			json_dumpf(o, r->out, JSON_COMPACT);
			fputc('\n', r->out);
			json_decref(o);
		}
		return;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
	fprintf(r->out, "%s  #%" PRIu64 " %-9s %-14s %-10s %03u  %s\n", when,
		ai->id, what, ai->rule, ai->sensor[0] ? ai->sensor : "-",
		ai->code, ai->text);
}

static const struct core_hooks replay_hooks = {
	.transition = replay_transition,
};

/* ---- parsing ---- */

/* "2026-03-28T21:00[:SS][Z|+HH:MM|-HH:MM]" or "+N[smhd]". */
static int replay_mdays(int y, int mo)
{
	static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return md[mo - 1] + (mo == 2 && leap);
}

static int replay_time(struct replay *r, const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec = 0, n = 0, oh, om;
	struct tm tm;
	char unit;
	long long v;

	if (s[0] == '+') {
		if (sscanf(s + 1, "%lld%c%n", &v, &unit, &n) == 2 &&
		    !s[1 + n] && v >= 0 && v <= 100LL * 365 * 86400) {
			switch (unit) {
			case 's': break;
			case 'm': v *= 60; break;
			case 'h': v *= 3600; break;
			case 'd': v *= 86400; break;
			default: goto bad_rel;
			}
			if (!r->start)
				return replay_fail(r, "the first line needs an absolute time");
			*out = r->t + (time_t)v;
			return 0;
		}
bad_rel:
		return replay_fail(r, "'%s': relative time is +N with unit s, m, h or d", s);
	}
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5)
		return replay_fail(r, "'%s': time must be YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM] or +N[smhd]", s);
	s += n;
	if (*s == ':') {
		if (sscanf(s, ":%2d%n", &sec, &n) != 1)
			return replay_fail(r, "bad seconds in the time");
		s += n;
	}
	if (y < 1971 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
		return replay_fail(r, "time out of range");
	if (d > replay_mdays(y, mo))
		return replay_fail(r, "no such date: %04d-%02d-%02d", y, mo, d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (!*s) {
		tm.tm_isdst = -1;	/* local time, DST as the zone says */
		*out = mktime(&tm);
	} else if (!strcmp(s, "Z")) {
		*out = timegm(&tm);
	} else if ((s[0] == '+' || s[0] == '-') &&
		   sscanf(s + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && !s[1 + n] &&
		   oh <= 14 && om <= 59) {
		*out = timegm(&tm) - (s[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
	} else {
		return replay_fail(r, "'%s': bad UTC offset (Z or +HH:MM)", s);
	}
	return 0;
}

static int replay_state(const char *s)
{
	static const struct { const char *name; int v; } names[] = {
		{ "0", 0 }, { "1", 1 }, { "open", 0 }, { "closed", 1 },
		{ "occupied", 1 }, { "empty", 0 }, { "pressed", 1 },
		{ "released", 0 }, { "free", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(s, names[i].name))
			return names[i].v;
	return -1;
}

static int replay_faults(const char *s, uint32_t *out)
{
	char buf[64], *tok, *save;

	*out = 0;
	if (!strcmp(s, "none"))
		return 0;
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "chatter"))
			*out |= CAREHUB_FAULT_CHATTER;
		else if (!strcmp(tok, "stuck"))
			*out |= CAREHUB_FAULT_STUCK;
		else if (!strcmp(tok, "offline"))
			*out |= CAREHUB_FAULT_OFFLINE;
		else
			return -1;
	}
	return 0;
}

static int replay_id(struct replay *r, const char *s, uint64_t *id)
{
	char *end;

	if (!strcmp(s, "last")) {
		if (!r->last_id)
			return replay_fail(r, "'last': no alarm yet");
		*id = r->last_id;
		return 0;
	}
	errno = 0;
	*id = strtoull(s, &end, 10);
	if (errno || *end || !*id || !isdigit((unsigned char)s[0]))
		return replay_fail(r, "'%s': alarm id is a number or 'last'", s);
	return 0;
}

/* Run the clock up to @to, visiting every deadline on the way. */
static void replay_until(struct replay *r, time_t to)
{
	uint64_t end = replay_now(r, to).mono_ns, next;
	struct core_now now;

	for (;;) {
		next = core_next(r->core);
		if (next > end)
			break;
		now.mono_ns = next;
		now.wall = r->start + (time_t)((next - REPLAY_MONO_BASE) / 1000000000ULL);
		r->t = now.wall;
		core_advance(r->core, &now);
		r->st->wakeups++;
	}
	r->t = to;
}

/*
 * A scenario's sensor is what the kernel would report: id = config index
 * + 1, the config's name, label and kind; its state settles now unless
 * the line repeats the state it has. -ENOENT: not in the config.
 */
static int replay_sensor_set(struct replay *r, const char *name, bool present,
			     uint8_t state, uint32_t faults,
			     const struct core_now *now)
{
	const struct conf *c = core_conf(r->core);
	int idx = conf_sensor_find(c, name);
	const struct core_ksensor *ks;
	struct sensor s;
	size_t n, i;

	if (idx < 0)
		return -ENOENT;
	memset(&s, 0, sizeof(s));
	s.id = (uint32_t)idx + 1;
	/* conf_load() keeps sensor names within the kernel's limit. */
	snprintf(s.name, sizeof(s.name), "%.*s", (int)sizeof(s.name) - 1,
		 c->sensors[idx].name);
	snprintf(s.label, sizeof(s.label), "%.*s", (int)sizeof(s.label) - 1,
		 c->sensors[idx].label);
	s.st.present = present;
	s.st.kind = c->sensors[idx].kind;
	s.st.state = state;
	s.st.faults = faults;
	s.st.since_ns = now->mono_ns;
	ks = core_ksensors(r->core, &n);
	for (i = 0; i < n; i++)
		if (ks[i].s.id == s.id && present && ks[i].s.st.state == state &&
		    ks[i].s.st.faults == faults)
			s.st.since_ns = ks[i].s.st.since_ns;	/* unchanged */
	core_sensor(r->core, &s, now);
	return 0;
}

static int replay_sensor_cmd(struct replay *r, char **argv, int argc,
			     const struct core_now *now)
{
	uint32_t faults = 0;
	int state;

	if (argc < 3 || argc > 4)
		return replay_fail(r, "usage: sensor NAME STATE [FAULTS]");
	state = replay_state(argv[2]);
	if (state < 0)
		return replay_fail(r, "'%s': state is 0, 1 or a state name", argv[2]);
	if (argc == 4 && replay_faults(argv[3], &faults))
		return replay_fail(r, "'%s': faults are chatter,stuck,offline or none", argv[3]);
	if (replay_sensor_set(r, argv[1], true, (uint8_t)state, faults, now))
		return replay_fail(r, "'%s': no such sensor in the config", argv[1]);
	return 0;
}

static int replay_op(struct replay *r, char **argv, int argc,
		     const struct core_now *now)
{
	const char *who = argc > 2 ? argv[2] : "replay";
	uint64_t id = 0;
	int ret;

	if (argc < 2 || argc > 3)
		return replay_fail(r, "usage: %s ID|last [WHO]", argv[0]);
	ret = replay_id(r, argv[1], &id);
	if (ret)
		return ret;
	if (!strcmp(argv[0], "ack"))
		ret = core_ack(r->core, id, who, now);
	else
		ret = core_cancel(r->core, id, who, now);
	if (ret && r->out)
		fprintf(r->out, "# %s %" PRIu64 " refused: %s\n", argv[0], id,
			strerror(-ret));
	return 0;
}

static int replay_line(struct replay *r, char *line)
{
	char *argv[8], *save, *tok;
	struct core_now now;
	time_t t = 0;
	int argc = 0, ret;
	uint64_t id;

	for (tok = strtok_r(line, " \t\r\n", &save); tok && argc < 8;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = tok;
	if (!argc || argv[0][0] == '#')
		return 0;
	if (tok)
		return replay_fail(r, "too many words");
	if (argc < 2)
		return replay_fail(r, "a line is TIME COMMAND [ARGS]");
	ret = replay_time(r, argv[0], &t);
	if (ret)
		return ret;
	if (!r->start) {
		unsigned int i;

		r->start = r->t = t;
		now = replay_now(r, t);
		/* The store opens at the first line: its clock is the scenario's. */
		ret = core_open(&r->core, r->conf, r->opts->db_path ?
				r->opts->db_path : ":memory:", "replay",
				&replay_hooks, r, &now, r->err, r->errlen);
		r->conf = NULL;
		if (ret)
			return ret;
		for (i = 0; i < core_conf(r->core)->n_sensors; i++) {
			const struct conf_sensor *cs = &core_conf(r->core)->sensors[i];
			uint8_t rest = cs->kind == CAREHUB_KIND_DOOR ||
				       cs->kind == CAREHUB_KIND_CONTACT;

			replay_sensor_set(r, cs->name, true, rest, 0, &now);
		}
	}
	if (t < r->t)
		return replay_fail(r, "time goes backwards");
	replay_until(r, t);
	now = replay_now(r, t);
	r->st->lines++;
	argc--;
	memmove(argv, argv + 1, (size_t)argc * sizeof(argv[0]));
	if (!strcmp(argv[0], "sensor"))
		return replay_sensor_cmd(r, argv, argc, &now);
	if (!strcmp(argv[0], "gone") && argc == 2) {
		if (replay_sensor_set(r, argv[1], false, 0, 0, &now))
			return replay_fail(r, "'%s': no such sensor in the config", argv[1]);
		return 0;
	}
	if (!strcmp(argv[0], "button") && argc == 2) {
		if (!strcmp(argv[1], "sos"))
			core_button(r->core, RULES_BUTTON_SOS, &now);
		else if (!strcmp(argv[1], "cancel"))
			core_button(r->core, RULES_BUTTON_CANCEL, &now);
		else
			return replay_fail(r, "button is sos or cancel");
		return 0;
	}
	if (!strcmp(argv[0], "ack") || !strcmp(argv[0], "cancel"))
		return replay_op(r, argv, argc, &now);
	if (!strcmp(argv[0], "test") && argc == 1) {
		ret = core_test(r->core, "replay", &now, &id);
		return ret ? replay_fail(r, "test alarm: %s", strerror(-ret)) : 0;
	}
	if (!strcmp(argv[0], "link") && argc == 2 &&
	    (!strcmp(argv[1], "up") || !strcmp(argv[1], "down"))) {
		core_link(r->core, !strcmp(argv[1], "up"), &now);
		return 0;
	}
	if (!strcmp(argv[0], "vitals") && argc == 4) {
		int idx = conf_sensor_find(core_conf(r->core), argv[1]);
		unsigned int hr, rr;
		char c;

		if (idx < 0)
			return replay_fail(r, "'%s': no such sensor in the config", argv[1]);
		if (sscanf(argv[2], "%u%c", &hr, &c) != 1 ||
		    sscanf(argv[3], "%u%c", &rr, &c) != 1 || hr > 300 || rr > 100)
			return replay_fail(r, "vitals NAME HR RR: HR 0..300, RR 0..100 per minute");
		core_vitals(r->core, (unsigned int)idx, hr, rr, &now);
		return 0;
	}
	if (!strcmp(argv[0], "end") && argc == 1)
		return 1;
	return replay_fail(r, "'%s': unknown command or wrong number of arguments", argv[0]);
}

int replay_run(struct conf *c, const char *scenario, FILE *out,
	       const struct replay_opts *opts, struct replay_stats *st,
	       char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct replay r = {
		.out = out, .opts = opts, .st = st, .file = scenario,
		.err = err, .errlen = errlen, .conf = c,
	};
	FILE *f;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	f = strcmp(scenario, "-") ? fopen(scenario, "r") : stdin;
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", scenario, strerror(errno));
		conf_free(c);
		return ret;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		r.line++;
		if (memchr(line, '\0', (size_t)n)) {
			ret = replay_fail(&r, "NUL byte in the line");
			break;
		}
		if ((size_t)n > REPLAY_LINE_MAX - 1 ||
		    ((size_t)n == REPLAY_LINE_MAX - 1 && line[n - 1] != '\n')) {
			ret = replay_fail(&r, "line longer than %d bytes", REPLAY_LINE_MAX - 2);
			break;
		}
		ret = replay_line(&r, line);
		if (ret)
			break;
	}
	free(line);
	if (ret == 1)
		ret = 0;
	if (!ret && ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "%s: read error", scenario);
	}
	if (!ret && !r.start) {
		ret = -EINVAL;
		snprintf(err, errlen, "%s: no events", scenario);
	}
	if (r.start)
		st->simulated_s = (double)(r.t - r.start);
	core_close(r.core);
	conf_free(r.conf);
	if (f != stdin)
		fclose(f);
	return ret;
}
