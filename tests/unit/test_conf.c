// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * carehubd.conf parser: values, defaults, every error class, the example
 * config, and golden files.
 *
 * Golden files: tests/unit/conf/NAME.conf is parsed and conf_dump() must
 * equal NAME.golden byte for byte; the dump must parse again to the same
 * dump. tests/unit/conf/bad/NAME.conf must fail with exactly the line in
 * NAME.err. After a deliberate change of the format, regenerate with
 *	UPDATE_GOLDEN=1 tests/unit/build/test_conf
 * (writes .golden and .err files instead of comparing; review the diff).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf_int.h"
#include <uapi/linux/carehub.h>

static char err[512];
static char srcdir[512];	/* this file's directory, from __FILE__ */

static int load(const char *text, struct conf **c)
{
	return conf_load_buf("t.conf", text, strlen(text), c, err, sizeof(err));
}

static struct conf *ok(const char *text)
{
	struct conf *c = NULL;
	int rc = load(text, &c);

	if (rc)
		fail_msg("unexpected error: %s", err);
	assert_non_null(c);
	return c;
}

/* The error must start with "t.conf:LINE: " and contain @phrase. */
static void bad(const char *text, unsigned int line, const char *phrase)
{
	struct conf *c = (struct conf *)1;
	char prefix[32];
	int rc = load(text, &c);

	snprintf(prefix, sizeof(prefix), "t.conf:%u: ", line);
	if (rc != -EINVAL || c)
		fail_msg("accepted: %s", text);
	if (strncmp(err, prefix, strlen(prefix)) || !strstr(err, phrase))
		fail_msg("want '%s...%s', got '%s'", prefix, phrase, err);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;

	if (!f)
		return NULL;
	buf = malloc(1 << 20);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static char *dump_str(const struct conf *c)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	assert_non_null(f);
	conf_dump(c, f);
	fclose(f);
	return out;
}

static void test_example(void **state)
{
	char path[600];
	struct conf *c = NULL;
	const struct conf_rule *r;
	int quiet;

	(void)state;
	snprintf(path, sizeof(path), "%s/../../etc/carehubd.conf", srcdir);
	if (conf_load(path, &c, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(c->timezone, "Asia/Shanghai");
	assert_string_equal(c->gpio.sos_button, "HUB_SOS");
	assert_int_equal(c->n_residents, 1);
	assert_string_equal(c->residents[0].account, "1234");
	assert_int_equal(c->n_sensors, 4);
	assert_int_equal(c->sensors[1].kind, CAREHUB_KIND_DOOR);
	assert_int_equal(c->sensors[3].zone, 4);
	assert_false(c->sensors[3].activity);	/* sos */
	assert_int_equal(c->n_rules, 14);
	r = &c->rules[conf_rule_find(c, "night-exit")];
	assert_int_equal(r->type, CONF_RULE_BED_EXIT);
	assert_int_equal(r->max_s, 1200);
	assert_true(r->window.set);
	assert_int_equal(r->window.start, 22 * 60);
	assert_int_equal(r->window.end, 7 * 60);
	assert_int_equal(r->realarm_s, 1800);
	assert_int_equal(r->n_sensors, 1);
	assert_int_equal(r->sensors[0], conf_sensor_find(c, "bedroom-pad"));
	r = &c->rules[conf_rule_find(c, "sos")];
	assert_int_equal(r->n_sensors, 1);
	assert_int_equal(r->sensors[0], 3);
	assert_int_equal(r->code, 101);
	quiet = conf_rule_find(c, "quiet");
	assert_int_equal(c->rules[quiet].n_sensors, 3);	/* not the pull cord */
	assert_int_equal(c->rules[quiet].max_s, 12 * 3600);
	r = &c->rules[conf_rule_find(c, "faults")];
	assert_int_equal(r->n_sensors, 4);
	assert_int_equal(r->faults, CONF_FAULT_ALL);
	r = &c->rules[conf_rule_find(c, "daily-test")];
	assert_int_equal(r->at, 9 * 60);
	assert_int_equal(r->code, 602);
	assert_int_equal(c->n_chain, 1);
	assert_string_equal(c->recipients[c->chain[0]].name, "journal");
	assert_int_equal(conf_rule_find(c, "nope"), -1);
	conf_free(c);
}

static void test_defaults(void **state)
{
	char host[256] = "";
	struct conf *c;

	(void)state;
	c = ok("[sensor bed1]\nkind = bed\n[sensor cord]\nkind = sos\n"
	       "[sensor hall]\nzone = 9\nactivity = no\nlabel = Hall\n");
	gethostname(host, sizeof(host));
	if (strlen(host) < CONF_NAME_MAX && !strpbrk(host, " "))
		assert_string_equal(c->hub_name, host);
	assert_string_equal(c->state_dir, "/var/lib/carehub");
	assert_string_equal(c->socket, "/run/carehub/carehubd.sock");
	assert_int_equal(c->heartbeat_s, 120);
	assert_string_equal(c->timezone, "");
	assert_true(c->gpio.active_low);
	assert_int_equal(c->gpio.debounce_ms, 30);
	assert_int_equal(c->n_residents, 1);
	assert_string_equal(c->residents[0].name, "resident");
	assert_int_equal(c->sensors[0].zone, 1);
	assert_int_equal(c->sensors[1].zone, 2);
	assert_int_equal(c->sensors[2].zone, 9);
	assert_true(c->sensors[0].activity);
	assert_false(c->sensors[1].activity);
	assert_false(c->sensors[2].activity);
	assert_string_equal(c->sensors[0].label, "bed1");
	assert_string_equal(c->sensors[2].label, "Hall");
	assert_int_equal(c->sensors[2].kind, 0);	/* any */
	assert_int_equal(c->n_recipients, 1);
	assert_string_equal(c->recipients[0].name, "journal");
	assert_int_equal(c->recipients[0].ack_timeout_s, 120);
	assert_int_equal(c->recipients[0].retry_s, 10);
	assert_int_equal(c->n_chain, 1);
	assert_int_equal(c->repeat_s, 300);
	assert_int_equal(c->n_rules, 0);
	conf_free(c);

	/* an empty file is a valid (if useless) hub */
	c = ok("");
	assert_int_equal(c->n_sensors, 0);
	conf_free(c);

	/* chain: every recipient in file order */
	c = ok("[recipient a]\ntransport = log\n[recipient b]\ntransport = log\nretry = 1m\n");
	assert_int_equal(c->n_chain, 2);
	assert_int_equal(c->chain[0], 0);
	assert_int_equal(c->chain[1], 1);
	assert_int_equal(c->recipients[1].retry_s, 60);
	conf_free(c);
}

static const char sensors[] =
	"[sensor bed]\nkind = bed\n[sensor pad]\nkind = pad\n[sensor door]\nkind = door\n"
	"[sensor wc]\nkind = toilet\n[sensor cord]\nkind = sos\n[sensor x]\n";

static struct conf *one_rule(const char *rule)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s[rule r]\n%s", sensors, rule);
	return ok(buf);
}

/* Every type: default sensor set, code, text, prealarm. */
static void test_rule_types(void **state)
{
	static const struct {
		const char *body;
		enum conf_rule_type type;
		unsigned int n_sensors, first;
		uint16_t code;
		uint32_t prealarm;
	} t[] = {
		{ "type = sos\n", CONF_RULE_SOS, 1, 4, 101, 0 },
		{ "type = bed-exit\nmax = 20m\n", CONF_RULE_BED_EXIT, 2, 0, 150, 120 },
		{ "type = not-in-bed-by\ntime = 22:30\n", CONF_RULE_NOT_IN_BED_BY, 2, 0, 641, 0 },
		{ "type = not-up-by\ntime = 9:00\n", CONF_RULE_NOT_UP_BY, 2, 0, 641, 0 },
		{ "type = door-night\nwindow = 23:00-06:00\n", CONF_RULE_DOOR_NIGHT, 1, 2, 150, 0 },
		{ "type = door-open\nmax = 5m\n", CONF_RULE_DOOR_OPEN, 1, 2, 134, 0 },
		{ "type = no-activity\nmax = 14h\n", CONF_RULE_NO_ACTIVITY, 5, 0, 641, 600 },
		{ "type = too-long\nmax = 15m\n", CONF_RULE_TOO_LONG, 1, 3, 150, 0 },
		{ "type = sensor-fault\n", CONF_RULE_SENSOR_FAULT, 6, 0, 380, 0 },
		{ "type = sensor-silent\nmax = 1d\n", CONF_RULE_SENSOR_SILENT, 6, 0, 381, 0 },
		{ "type = link-down\nmax = 5m\n", CONF_RULE_LINK_DOWN, 0, 0, 350, 0 },
		{ "type = periodic-test\ntime = 09:00\n", CONF_RULE_PERIODIC_TEST, 0, 0, 602, 0 },
		{ "type = vitals\nmax = 5m\n", CONF_RULE_VITALS, 2, 0, 100, 0 },
	};

	(void)state;
	assert_int_equal(sizeof(t) / sizeof(t[0]), CONF_RULE_TYPES);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct conf *c = one_rule(t[i].body);
		const struct conf_rule *r = &c->rules[0];

		assert_int_equal(r->type, t[i].type);
		assert_int_equal(conf_rule_type_parse(conf_rule_type_name(r->type)), (int)r->type);
		assert_int_equal(r->n_sensors, t[i].n_sensors);
		if (t[i].n_sensors)
			assert_int_equal(r->sensors[0], t[i].first);
		assert_int_equal(r->code, t[i].code);
		assert_int_equal(r->code, conf_rule_default_code(r->type));
		assert_int_equal(r->prealarm_s, t[i].prealarm);
		assert_string_equal(r->text, conf_rule_default_text(r->type));
		assert_true(r->enabled);
		conf_free(c);
	}
	assert_int_equal(conf_rule_type_parse("bed_exit"), -1);

	/* explicit values win */
	struct conf *c = one_rule("type = too-long\nsensor = door\nmax = 4h\nactive_state = 0\n"
				  "code = 151\ntext = Bathroom door shut too long\nenabled = no\n"
				  "prealarm = 0\n");
	assert_int_equal(c->rules[0].sensors[0], 2);
	assert_int_equal(c->rules[0].active_state, 0);
	assert_int_equal(c->rules[0].code, 151);
	assert_string_equal(c->rules[0].text, "Bathroom door shut too long");
	assert_false(c->rules[0].enabled);
	conf_free(c);
	c = one_rule("type = sensor-fault\nfaults = offline, missing\n");
	assert_int_equal(c->rules[0].faults, CONF_FAULT_OFFLINE | CONF_FAULT_MISSING);
	conf_free(c);
	c = one_rule("type = vitals\nmax = 2m\nhr_min = 45\nhr_max = 110\nrr_min = 6\nrr_max = 25\n");
	assert_int_equal(c->rules[0].hr_min, 45);
	assert_int_equal(c->rules[0].rr_max, 25);
	conf_free(c);
	/* sos with no sos sensor is fine when the hub has a call button */
	c = ok("[gpio]\nsos_button = BTN\n[rule s]\ntype = sos\n");
	assert_int_equal(c->rules[0].n_sensors, 0);
	conf_free(c);
}

static void test_windows(void **state)
{
	struct conf_window w;

	(void)state;
	assert_null(conf_parse_window("22:00-07:00", &w));
	assert_true(w.set);
	assert_int_equal(w.start, 1320);
	assert_int_equal(w.end, 420);		/* crosses midnight */
	assert_null(conf_parse_window("7:05 - 7:06", &w));
	assert_int_equal(w.start, 425);
	assert_int_equal(w.end, 426);
	assert_null(conf_parse_window("23:59-00:00", &w));
	assert_int_equal(w.end, 0);
	assert_null(conf_parse_window("always", &w));
	assert_false(w.set);
	assert_non_null(strstr(conf_parse_window("22:00-22:00", &w), "equal"));
	assert_non_null(strstr(conf_parse_window("24:00-07:00", &w), "out of range"));
	assert_non_null(strstr(conf_parse_window("22:60-07:00", &w), "out of range"));
	assert_non_null(conf_parse_window("22:00", &w));
	assert_non_null(conf_parse_window("22:00-07:00x", &w));
	assert_non_null(conf_parse_window("2200-0700", &w));
	assert_non_null(conf_parse_window("22:0-07:00", &w));
}

static void test_durations(void **state)
{
	static const struct { const char *s; uint32_t v; } good[] = {
		{ "0", 0 }, { "90", 90 }, { "90s", 90 }, { "20m", 1200 },
		{ "14h", 50400 }, { "2d", 172800 }, { "4294967295", 4294967295u },
		{ "49710d", 4294944000u }, { "0007m", 420 }, { "71582788m", 4294967280u },
	};
	static const char *const badv[] = {
		"", "m", "-1", "+5", "1.5h", "20 m", "20M", "1w", "20mm", " 5",
	};
	uint32_t v;
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_null(conf_parse_duration(good[i].s, &v));
		assert_int_equal(v, good[i].v);
	}
	for (size_t i = 0; i < sizeof(badv) / sizeof(badv[0]); i++)
		assert_non_null(strstr(conf_parse_duration(badv[i], &v), "not a duration"));
	/* overflow: in the digits, and in the unit's multiplication */
	assert_non_null(strstr(conf_parse_duration("4294967296", &v), "too large"));
	assert_non_null(strstr(conf_parse_duration("99999999999999999999999s", &v), "too large"));
	assert_non_null(strstr(conf_parse_duration("49711d", &v), "too large"));
	assert_non_null(strstr(conf_parse_duration("71582789m", &v), "too large"));
	conf_fmt_duration(5400, buf, sizeof(buf));
	assert_string_equal(buf, "90m");
	conf_fmt_duration(86400, buf, sizeof(buf));
	assert_string_equal(buf, "1d");
	conf_fmt_duration(61, buf, sizeof(buf));
	assert_string_equal(buf, "61s");
	conf_fmt_duration(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
}

/* Lines: comments, indentation, CRLF, BOM - what inih alone gets wrong. */
static void test_lines(void **state)
{
	struct conf *c;
	char longline[400];

	(void)state;
	c = ok("\xef\xbb\xbf[sensor a]\r\n  kind = door ; front\r\n\t label = Door #1\r\n"
	       "; comment\n# comment\n[rule r] ; trailing comment\ntype = door-open\n"
	       "    max = 5m\n    realarm = 1h\n");
	assert_int_equal(c->sensors[0].kind, CAREHUB_KIND_DOOR);
	assert_string_equal(c->sensors[0].label, "Door #1");
	assert_int_equal(c->rules[0].max_s, 300);
	assert_int_equal(c->rules[0].realarm_s, 3600);
	conf_free(c);
	c = ok("[sensor a]\nlabel = a;b\n");	/* ';' not after a space is text */
	assert_string_equal(c->sensors[0].label, "a;b");
	conf_free(c);

	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "[sensor a]\nlabel = ", 19);
	longline[11 + 199] = '\0';	/* a 199-character line */
	bad(longline, 2, "line too long (199 characters, at most 198)");
	longline[11 + 198] = '\0';
	bad(longline, 2, "text too long");	/* fits the line, not the label */
	{
		static const char nul[] = "[hub]\nname = a\0b\n";
		struct conf *n = NULL;

		assert_int_equal(conf_load_buf("t.conf", nul, sizeof(nul) - 1, &n, err,
					       sizeof(err)), -EINVAL);
		assert_string_equal(err, "t.conf:2: NUL byte in line");
	}
}

/* One case per error class: the "FILE:LINE:" prefix and the key phrase. */
static void test_errors(void **state)
{
	(void)state;
	bad("name = x\n", 1, "key 'name' outside any section");
	bad("[hub]\nnmae = x\n", 2, "[hub] unknown key 'nmae'");
	bad("[bogus]\n", 1, "unknown section [bogus]");
	bad("[hub]\nheartbeat = 1m\nheartbeat = 2m\n", 3, "duplicate key 'heartbeat' (first at line 2)");
	bad("[sensor a]\n[sensor a]\n", 2, "duplicate section [sensor a]");
	bad("[hub]\n[hub]\n", 2, "duplicate section [hub] (first at line 1)");
	bad("[hub x]\n", 1, "[hub] takes no name");
	bad("[sensor]\n", 1, "needs a name");
	bad("[hub\n", 1, "section header without ']'");
	bad("[hub] x\n", 1, "text after section header");
	bad("[hub]\njust words\n", 2, "expected 'key = value'");
	bad("[hub]\nname: x\n", 2, "':' is not a separator");
	bad("[hub]\n= x\n", 2, "missing key before '='");
	bad("[hub]\nheartbeat = 5q\n", 2, "[hub] heartbeat = 5q: not a duration");
	bad("[hub]\nheartbeat = 10s\n", 2, "heartbeat must be 30s..1h");
	bad("[hub]\nheartbeat = 99999999999d\n", 2, "too large");
	bad("[hub]\nname = a b\n", 2, "names may only use A-Z a-z 0-9 _ . -");
	bad("[hub]\nname = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 2, "name too long");
	bad("[sensor aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", 1, "at most 31 characters");
	bad("[sensor a/b]\n", 1, "names may only use");
	bad("[hub]\nstate_dir = var/lib\n", 2, "must be an absolute path");
	bad("[hub]\ntimezone = Mars/Olympus\n", 2, "unknown time zone");
	bad("[hub]\ntimezone = ../etc\n", 2, "not a time zone name");
	bad("[gpio]\nsos_button = A\ncancel_button = A\n", 3, "already used by sos_button");
	bad("[gpio]\ndebounce_ms = 0\n", 2, "out of range");
	bad("[gpio]\nactive_low = maybe\n", 2, "not a boolean");
	bad("[resident r]\naccount = 12\n", 2, "3..16 hex digits");
	bad("[resident r]\naccount = 12G4\n", 2, "3..16 hex digits");
	bad("[sensor a]\nzone = 1000\n", 2, "zone must be 1..999");
	bad("[sensor a]\nkind = window\n", 2, "unknown kind");
	bad("[sensor a]\nzone = 2\n[sensor b]\n", 3, "zone 2 is also the zone of [sensor a]");
	bad("[sensor a]\nlabel = a\x01\n", 2, "control character");
	bad("[rule r]\nmax = 20m\n", 1, "[rule r] missing 'type'");
	bad("[rule r]\ntype = bedexit\n", 2, "unknown rule type");
	bad("[sensor b]\nkind = bed\n[rule night-exit]\ntype = bed-exit\nmax = 200m\n", 5,
	    "[rule night-exit] max = 200m: bed-exit absence must be 1..99 minutes");
	bad("[sensor b]\nkind = bed\n[rule r]\ntype = bed-exit\nmax = 30s\n", 5, "1..99 minutes");
	bad("[sensor b]\n[rule r]\ntype = no-activity\nmax = 20m\n", 4, "30m..50h");
	bad("[sensor b]\n[rule r]\ntype = no-activity\nmax = 51h\n", 4, "30m..50h");
	bad("[rule r]\ntype = bed-exit\n", 1, "bed-exit rules need 'max'");
	bad("[rule r]\ntype = door-night\n", 1, "door-night rules need 'window'");
	bad("[rule r]\ntype = periodic-test\n", 1, "periodic-test rules need 'time'");
	bad("[rule r]\ntype = periodic-test\ntime = 25:00\n", 3, "out of range");
	bad("[rule r]\ntime = 9:00\ntype = bed-exit\nmax = 20m\n", 2, "'time' does not apply to bed-exit rules");
	bad("[rule r]\ntype = sos\nprealarm = 1m\n", 3, "prealarm is not allowed for sos");
	bad("[rule r]\ntype = link-down\nmax = 5m\nsensor = a\n", 4, "'sensor' does not apply to link-down");
	bad("[rule r]\ntype = door-open\nmax = 5m\nrealarm = 30s\n", 4, "realarm must be 0 (never) or 1m..24h");
	bad("[rule r]\ntype = door-open\nmax = 5m\nprealarm = 2h\n", 4, "prealarm must be 0..1h");
	bad("[rule r]\ntype = door-open\nmax = 5m\noverride = 13h\n", 4, "override must be 0..12h");
	bad("[rule r]\ntype = vitals\nmax = 5m\nhr_min = 100\nhr_max = 90\n", 5, "hr_min (100) must be below hr_max (90)");
	bad("[rule r]\ntype = vitals\nmax = 5m\nrr_max = 61\n", 4, "must be a whole number 3..60");
	bad("[rule r]\ntype = sos\ncode = 99\n", 3, "must be a whole number 100..999");
	bad("[rule r]\ntype = sensor-fault\nfaults = chatter, smoke\n", 3, "unknown fault");
	bad("[rule r]\ntype = sensor-fault\nsensor = a,,b\n", 3, "empty name in list");
	bad("[rule r]\ntype = sensor-fault\nsensor = a, a\n", 3, "the same name twice");
	bad("[rule r]\ntype = sos\nsensor = nope\n", 0, "[rule r] sensor = nope (line 3): no [sensor nope]");
	bad("[sensor d]\nkind = door\n[rule r]\ntype = bed-exit\nmax = 20m\nsensor = d\n", 0,
	    "a door sensor; bed-exit rules watch bed or pad sensors");
	bad("[rule r]\ntype = sos\n", 1, "[rule r] no sensor to watch");
	bad("[sensor d]\nkind = door\n[rule r]\ntype = bed-exit\nmax = 20m\n", 3,
	    "no sensor to watch: no bed or pad sensor of resident resident");
	bad("[sensor d]\nresident = bob\n", 0, "[sensor d] resident = bob (line 2): no [resident bob]");
	bad("[resident a]\n[resident b]\n[sensor d]\n", 3, "[sensor d] needs 'resident' (the file has 2 residents)");
	bad("[resident a]\n[resident b]\n[rule r]\ntype = sos\nsensor = d\n[sensor d]\nresident = a\nkind = sos\n",
	    3, "[rule r] needs 'resident'");
	bad("[recipient a]\n", 1, "[recipient a] missing 'transport'");
	bad("[recipient a]\ntransport = sms\n", 2, "unknown transport");
	bad("[recipient a]\ntransport = log\nack_timeout = 5s\n", 3, "ack_timeout must be 10s..1h");
	bad("[recipient a]\ntransport = log\n[escalation]\nchain = a, b\n", 0,
	    "[escalation] chain = ... b (line 4): no [recipient b]");
	bad("[recipient a]\ntransport = log\n[escalation]\nchain = a, a\n", 4, "the same name twice");
	bad("[escalation]\nrepeat = 10s\n", 2, "repeat must be 0 (never) or 1m..24h");
}

static void test_load_file(void **state)
{
	struct conf *c = (struct conf *)1;

	(void)state;
	assert_int_equal(conf_load("/nonexistent/carehubd.conf", &c, err, sizeof(err)), -ENOENT);
	assert_null(c);
	assert_string_equal(err, "/nonexistent/carehubd.conf:0: No such file or directory");
	assert_int_equal(conf_load("/", &c, err, sizeof(err)), -EINVAL);
	conf_free(NULL);
}

static bool update(void)
{
	const char *u = getenv("UPDATE_GOLDEN");

	return u && !strcmp(u, "1");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* NAME.conf files of @dir, sorted, as full paths without ".conf" */
static int list_confs(const char *dir, char names[][600], int max)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort), k = 0;

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(ents[i]->d_name);

		if (l > 5 && !strcmp(ents[i]->d_name + l - 5, ".conf") && k < max)
			snprintf(names[k++], 600, "%s/%.*s", dir, (int)(l - 5), ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return k;
}

static void test_golden(void **state)
{
	static char names[64][600];
	char dir[600], path[700];
	int n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/conf", srcdir);
	n = list_confs(dir, names, 64);
	assert_true(n >= 3);
	for (int i = 0; i < n; i++) {
		struct conf *c = NULL, *again = NULL;
		char *in, *out, *out2, *want;
		size_t len;

		snprintf(path, sizeof(path), "%s.conf", names[i]);
		in = slurp(path, &len);
		assert_non_null(in);
		if (conf_load_buf(strrchr(path, '/') + 1, in, len, &c, err, sizeof(err)))
			fail_msg("%s", err);
		out = dump_str(c);
		snprintf(path, sizeof(path), "%s.golden", names[i]);
		if (update()) {
			write_file(path, out);
		} else {
			want = slurp(path, &len);
			if (!want)
				fail_msg("%s missing: UPDATE_GOLDEN=1 creates it", path);
			if (strcmp(out, want))
				fail_msg("%s differs from the dump:\n%s", path, out);
			free(want);
		}
		/* the canonical form is a config that means the same */
		if (conf_load_buf("dump", out, strlen(out), &again, err, sizeof(err)))
			fail_msg("dump of %s does not parse: %s", names[i], err);
		out2 = dump_str(again);
		assert_string_equal(out, out2);
		free(out2);
		free(out);
		free(in);
		conf_free(again);
		conf_free(c);
	}
}

static void test_bad_files(void **state)
{
	static char names[128][600];
	char dir[600], path[700];
	int n;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/conf/bad", srcdir);
	n = list_confs(dir, names, 128);
	assert_true(n >= 10);
	for (int i = 0; i < n; i++) {
		struct conf *c = NULL;
		char *in, *want, *nl;
		size_t len;

		snprintf(path, sizeof(path), "%s.conf", names[i]);
		in = slurp(path, &len);
		assert_non_null(in);
		if (!conf_load_buf(strrchr(path, '/') + 1, in, len, &c, err, sizeof(err)))
			fail_msg("%s was accepted", path);
		assert_null(c);
		snprintf(path, sizeof(path), "%s.err", names[i]);
		if (update()) {
			strcat(err, "\n");
			write_file(path, err);
		} else {
			want = slurp(path, &len);
			if (!want)
				fail_msg("%s missing: UPDATE_GOLDEN=1 creates it", path);
			nl = strchr(want, '\n');
			if (nl)
				*nl = '\0';
			assert_string_equal(err, want);
			free(want);
		}
		free(in);
	}
}

/* Write @text to a new file in /tmp; its path in @path. */
static void tmpconf(char *path, size_t size, const char *text)
{
	int fd;

	snprintf(path, size, "/tmp/carehub-conf-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/*
 * Issue 9, defect 3: an empty or truncated file (what SIGHUP may find
 * while an editor writes) is refused, unless allow_empty says it is
 * meant; a FIFO is refused at once instead of hanging.
 */
static void test_empty_refused(void **state)
{
	static const char *const refused[][2] = {
		{ "", "no [sensor] section" },
		{ "[hub]\nname = home\n", "no [sensor] section" },
		{ "[hub]\nname = home\n[sensor bed]\nkind = bed\n",
		  "no [rule] section" },
	};
	char path[64], fifo[80];
	struct conf *c = (struct conf *)1;
	FILE *f;
	char *dump = NULL;
	size_t dlen = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		tmpconf(path, sizeof(path), refused[i][0]);
		assert_int_equal(conf_load(path, &c, err, sizeof(err)), -EINVAL);
		assert_null(c);
		assert_non_null(strstr(err, refused[i][1]));
		assert_non_null(strstr(err, path));
		assert_non_null(strstr(err, "allow_empty = yes"));
		unlink(path);
	}
	tmpconf(path, sizeof(path), "[hub]\nname = home\nallow_empty = yes\n");
	assert_int_equal(conf_load(path, &c, err, sizeof(err)), 0);
	assert_true(c->allow_empty);
	assert_int_equal(c->n_sensors, 0);
	f = open_memstream(&dump, &dlen);
	conf_dump(c, f);
	fclose(f);
	assert_non_null(strstr(dump, "allow_empty = yes\n"));
	free(dump);
	conf_free(c);
	unlink(path);

	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(conf_load(fifo, &c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	unlink(fifo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_rule_types),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_empty_refused),
		cmocka_unit_test(test_bad_files),
	};
	char *slash;

	snprintf(srcdir, sizeof(srcdir), "%s", __FILE__);
	slash = strrchr(srcdir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(srcdir, sizeof(srcdir), ".");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
