// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * carehubctl's commands answered by carehubd: status, sensors, alarms,
 * ack, cancel, test, monitor. One request per connection; the reply's
 * payload is printed as JSON exactly as the daemon built it (--json), or
 * as a table for people. Fields the daemon adds later show up in --json
 * at once; the tables show what they know and "-" for what is missing,
 * so an older carehubctl still works against a newer carehubd.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* signalfd */
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "carehubctl.h"
#include "ctlclient.h"
#include "ctlproto.h"

/* SD cards stall on fsync for seconds; the daemon answers after commit. */
#define CAREHUBCTL_REPLY_MS	30000

/* ---- values to text ---- */

/* A JSON value as table text (malloc'ed): missing/null/[] as "-". */
char *carehubctl_cell(const json_t *v)
{
	char *s = NULL;
	size_t i;
	json_t *e;

	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		/* an empty cell would shift the columns people read */
		return strdup(json_string_length(v) ? json_string_value(v) : "-");
	case JSON_INTEGER:
		if (asprintf(&s, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) < 0)
			s = NULL;
		return s;
	case JSON_REAL:
		if (asprintf(&s, "%g", json_real_value(v)) < 0)
			s = NULL;
		return s;
	case JSON_TRUE:
		return strdup("yes");
	case JSON_FALSE:
		return strdup("no");
	case JSON_NULL:
		return strdup("-");
	case JSON_ARRAY:
		if (!json_array_size(v))
			return strdup("-");
		json_array_foreach(v, i, e) {
			char *c = carehubctl_cell(e), *n = NULL;

			if (!c || asprintf(&n, "%s%s%s", s ? s : "",
					   s ? "," : "", c) < 0)
				n = NULL;
			free(c);
			free(s);
			s = n;
			if (!s)
				return NULL;
		}
		return s;
	case JSON_OBJECT:
		return json_dumps(v, JSON_COMPACT);
	}
	return NULL;
}

/* "2026-03-29T02:14:00+01:00" -> "2026-03-29 02:14:00" (local already). */
char *carehubctl_when(const json_t *v)
{
	const char *s = json_string_value(v);
	char *r;

	if (!s || strlen(s) < 19 || s[10] != 'T')
		return carehubctl_cell(v);
	r = strndup(s, 19);
	if (r)
		r[10] = ' ';
	return r;
}

/* An online rate (fraction 0..1) as percent with one decimal. */
static char *carehubctl_rate(const json_t *v)
{
	char *s;

	if (!json_is_number(v))
		return carehubctl_cell(v);
	if (asprintf(&s, "%.1f", 100.0 * json_number_value(v)) < 0)
		return NULL;
	return s;
}

/* ---- tables ---- */

struct carehubctl_tbl {
	size_t cols, rows, cap;
	const char *const *hdr;
	char **cell;		/* rows * cols */
};

static int carehubctl_tbl_add(struct carehubctl_tbl *t, char **row)
{
	size_t i;

	if (t->rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **c = realloc(t->cell, cap * t->cols * sizeof(*c));

		if (!c)
			goto fail;
		t->cell = c;
		t->cap = cap;
	}
	for (i = 0; i < t->cols; i++)
		if (!row[i])
			goto fail;
	memcpy(t->cell + t->rows * t->cols, row, t->cols * sizeof(*row));
	t->rows++;
	return 0;
fail:
	for (i = 0; i < t->cols; i++)
		free(row[i]);
	return -1;
}

/* Left-aligned columns, escaped text; the last column is not padded. */
static void carehubctl_tbl_print(struct carehubctl_tbl *t)
{
	int w[16] = { 0 };
	size_t r, c;

	for (c = 0; c < t->cols && c < 16; c++) {
		w[c] = carehubctl_safe(NULL, t->hdr[c]);
		for (r = 0; r < t->rows; r++) {
			int x = carehubctl_safe(NULL, t->cell[r * t->cols + c]);

			w[c] = x > w[c] ? x : w[c];
		}
	}
	for (r = 0; r <= t->rows; r++) {
		for (c = 0; c < t->cols; c++) {
			const char *s = r ? t->cell[(r - 1) * t->cols + c] :
					    t->hdr[c];
			int x = carehubctl_safe(stdout, s);

			if (c + 1 < t->cols)
				carehubctl_pad(stdout, w[c] - x + 2);
		}
		fputc('\n', stdout);
	}
}

static void carehubctl_tbl_free(struct carehubctl_tbl *t)
{
	size_t i;

	for (i = 0; i < t->rows * t->cols; i++)
		free(t->cell[i]);
	free(t->cell);
}

/* ---- one request ---- */

static int carehubctl_refused(const json_t *reply, bool json)
{
	const char *msg = json_string_value(json_object_get(reply, "error"));
	const char *no = json_string_value(json_object_get(reply, "errno"));

	if (json) {
		char *s = json_dumps(reply, JSON_COMPACT);

		if (s)
			puts(s);
		free(s);
	}
	carehubctl_err("carehubd: %s%s%s%s", msg ? msg : "refused, no reason given",
		       no ? " (" : "", no ? no : "", no ? ")" : "");
	return EXIT_REFUSED;
}

/*
 * Ask @req; on success *@reply holds the daemon's {"ok":true,...} and the
 * open connection is returned in *@fdp (when not NULL; else closed).
 * Returns 0 or an exit status.
 */
int carehubctl_call(const struct ctlp_req *req, bool json, json_t **reply,
		    int *fdp)
{
	json_t *r = ctlp_request_json(req);
	char err[256];
	int fd, ret;

	*reply = NULL;
	if (!r) {
		carehubctl_err("out of memory");
		return 1;
	}
	fd = ctlc_connect(carehubctl_socket, err, sizeof(err));
	if (fd < 0) {
		json_decref(r);
		carehubctl_err("%s", err);
		return fd == -EACCES ? EXIT_REFUSED : 1;
	}
	ret = ctlc_send(fd, r, err, sizeof(err));
	json_decref(r);
	/*
	 * A daemon that refuses the connection (EBUSY) says why and closes
	 * it, possibly before the request went out: read what it said.
	 */
	if (!ret || ret == -EPIPE || ret == -ECONNRESET)
		ret = ctlc_recv(fd, reply, NULL, CAREHUBCTL_REPLY_MS, err,
				sizeof(err));
	if (ret) {
		close(fd);
		carehubctl_err("%s", err);
		return 1;
	}
	if (!json_is_true(json_object_get(*reply, "ok"))) {
		ret = carehubctl_refused(*reply, json);
		json_decref(*reply);
		*reply = NULL;
		close(fd);
		return ret;
	}
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	return 0;
}

int carehubctl_flush(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		carehubctl_err("writing the output: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* The payload exactly as the daemon serialised it (jansson, compact). */
static int carehubctl_print_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (!s) {
		carehubctl_err("out of memory");
		return 1;
	}
	puts(s);
	free(s);
	return carehubctl_flush();
}


int carehubctl_getopt(int argc, char **argv, const char *cmd,
		      unsigned int allow, struct carehubctl_opts *o)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "open", no_argument, NULL, 'o' },
		{ "limit", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+jhol:n:t:", opts, NULL)) != -1) {
		const char *p = c > 0 ? strchr("olnt", c) : NULL;

		if (p && !(allow & (1u << (p - "olnt"))))
			return carehubctl_usage_err("%s: option -%c / --%s not for this command",
						    cmd, c, opts[2 + (p - "olnt")].name);
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			fputs(carehubctl_usage, stdout);
			return carehubctl_flush();
		case 'o':
			o->open = true;
			break;
		case 'l':
			if (carehubctl_parse_ulong(optarg, &o->limit) ||
			    o->limit < 1 || o->limit > CTLP_LIMIT_MAX)
				return carehubctl_usage_err("--limit: '%s' is not a number in 1..%d",
							    optarg, CTLP_LIMIT_MAX);
			break;
		case 'n':
			if (carehubctl_parse_ulong(optarg, &o->count) ||
			    o->count == 0)
				return carehubctl_usage_err("--count: '%s' is not a positive number",
							    optarg);
			break;
		case 't':
			if (carehubctl_parse_secs(optarg, &o->timeout))
				return carehubctl_usage_err("--timeout: '%s' is not a number of seconds in (0, 1e7]",
							    optarg);
			break;
		default:
			return carehubctl_usage_err("%s: bad option", cmd);
		}
	}
	return -1;
}

/* ---- status ---- */

/* Loud when the store is not committing: alarms are not being kept. */
static void carehubctl_store_health(const json_t *v)
{
	const json_t *ok = json_object_get(v, "ok");
	char *why = carehubctl_cell(json_object_get(v, "why"));
	char *err = carehubctl_cell(json_object_get(v, "error"));
	char *since = carehubctl_when(json_object_get(v, "since"));
	char *unst = carehubctl_cell(json_object_get(v, "unstored"));

	if (json_is_true(ok)) {
		printf("%-15s ok\n", "alarm store:");
	} else {
		printf("%-15s FAILING since %s: ", "alarm store:",
		       since ? since : "?");
		carehubctl_safe(stdout, why ? why : "?");
		printf(" (");
		carehubctl_safe(stdout, err ? err : "?");
		printf("); alarms are sent but NOT kept, %s so far; retrying\n",
		       unst ? unst : "?");
	}
	free(why);
	free(err);
	free(since);
	free(unst);
}

static void carehubctl_status_human(const json_t *st)
{
	const json_t *v;
	const char *key;
	char *a, *b;

	/* Known fields first, in an order people read; the rest after. */
	static const char *const known[] = {
		"hub", "version", "uptime_s", "config", "store",
		"store_health", "hub_controls_fault", "kernel_module",
		"sensors", "alarms", "prealarm",
		"online_24h", "online_30d",
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		v = json_object_get(st, known[i]);
		if (!v)
			continue;
		if (!strcmp(known[i], "uptime_s") && json_is_integer(v)) {
			long long s = json_integer_value(v);

			printf("%-15s %lldd %02lld:%02lld:%02lld\n", "uptime:",
			       s / 86400, s % 86400 / 3600, s % 3600 / 60,
			       s % 60);
		} else if (!strcmp(known[i], "kernel_module")) {
			printf("%-15s %s\n", "kernel module:",
			       json_is_true(v) ? "present" : "NOT PRESENT");
		} else if (!strcmp(known[i], "store_health") &&
			   json_is_object(v)) {
			carehubctl_store_health(v);
		} else if (!strcmp(known[i], "hub_controls_fault")) {
			a = carehubctl_cell(v);
			printf("%-15s FAULTY, running without: ", "hub controls:");
			carehubctl_safe(stdout, a ? a : "?");
			fputc('\n', stdout);
			free(a);
		} else if (!strcmp(known[i], "prealarm")) {
			printf("%-15s %s\n", "pre-alarm:",
			       json_is_true(v) ? "RUNNING" : "no");
		} else if (!strcmp(known[i], "online_24h")) {
			a = carehubctl_rate(v);
			b = carehubctl_rate(json_object_get(st, "online_30d"));
			printf("%-15s %s %% last 24 h, %s %% last 30 days\n",
			       "hub online:", a ? a : "-", b ? b : "-");
			free(a);
			free(b);
		} else if (!strcmp(known[i], "online_30d")) {
			continue;	/* with online_24h */
		} else if (json_is_object(v)) {
			const json_t *m;
			bool first = true;
			char label[32];

			snprintf(label, sizeof(label), "%s:", known[i]);
			printf("%-15s", label);
			json_object_foreach((json_t *)v, key, m) {
				a = carehubctl_cell(m);
				printf("%s %s %s", first ? "" : ",", a ? a : "?",
				       key);
				free(a);
				first = false;
			}
			fputc('\n', stdout);
		} else {
			char label[32];

			snprintf(label, sizeof(label), "%s:", known[i]);
			a = carehubctl_cell(v);
			printf("%-15s ", label);
			carehubctl_safe(stdout, a ? a : "?");
			fputc('\n', stdout);
			free(a);
		}
	}
	json_object_foreach((json_t *)st, key, v) {
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (!strcmp(key, known[i]))
				break;
		if (i < sizeof(known) / sizeof(known[0]))
			continue;
		a = carehubctl_cell(v);
		carehubctl_safe(stdout, key);
		printf(": ");
		carehubctl_safe(stdout, a ? a : "?");
		fputc('\n', stdout);
		free(a);
	}
}

int carehubctl_d_status(int argc, char **argv, bool json)
{
	struct carehubctl_opts o = { .json = json };
	json_t *reply, *st;
	int ret;

	ret = carehubctl_getopt(argc, argv, "status", 0, &o);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		return carehubctl_usage_err("status: unexpected '%s'",
					    argv[optind]);
	ret = carehubctl_call(&(struct ctlp_req){ .cmd = CTLP_STATUS }, o.json,
			      &reply, NULL);
	if (ret)
		return ret;
	st = json_object_get(reply, ctlp_reply_key(CTLP_STATUS));
	if (!json_is_object(st)) {
		carehubctl_err("carehubd's status reply has no status object");
		ret = 1;
	} else if (o.json) {
		ret = carehubctl_print_json(st);
	} else {
		carehubctl_status_human(st);
		ret = carehubctl_flush();
	}
	json_decref(reply);
	return ret;
}

/* ---- sensors ---- */

static int carehubctl_sensors_human(const json_t *arr)
{
	static const char *const hdr[] = {
		"NAME", "KIND", "STATE", "FAULTS", "SINCE", "ZONE",
		"RESIDENT", "24H%", "30D%", "LABEL",
	};
	struct carehubctl_tbl t = { .cols = 10, .hdr = hdr };
	const json_t *s;
	size_t i;
	int ret = 0;

	json_array_foreach(arr, i, s) {
		char *row[10] = {
			carehubctl_cell(json_object_get(s, "name")),
			carehubctl_cell(json_object_get(s, "kind")),
			carehubctl_cell(json_object_get(s, "state_name")),
			carehubctl_cell(json_object_get(s, "faults")),
			carehubctl_when(json_object_get(s, "since")),
			carehubctl_cell(json_object_get(s, "zone")),
			carehubctl_cell(json_object_get(s, "resident")),
			carehubctl_rate(json_object_get(s, "online_24h")),
			carehubctl_rate(json_object_get(s, "online_30d")),
			carehubctl_cell(json_object_get(s, "label")),
		};

		if (carehubctl_tbl_add(&t, row)) {
			ret = -1;
			break;
		}
	}
	if (!ret && t.rows)
		carehubctl_tbl_print(&t);
	else if (!ret)
		printf("(no sensors)\n");
	carehubctl_tbl_free(&t);
	return ret;
}

/* status, sensors, alarms: print the payload as JSON or with @human. */
static int carehubctl_list(int argc, char **argv, bool json,
			   enum ctlp_cmd cmd, unsigned int allow,
			   int (*human)(const json_t *))
{
	struct carehubctl_opts o = { .json = json };
	struct ctlp_req req = { .cmd = cmd };
	json_t *reply, *a;
	int ret;

	ret = carehubctl_getopt(argc, argv, ctlp_cmd_name(cmd), allow, &o);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		return carehubctl_usage_err("%s: unexpected '%s'",
					    ctlp_cmd_name(cmd), argv[optind]);
	if (cmd == CTLP_ALARMS) {
		req.open = o.open;
		req.limit = o.limit ? (unsigned int)o.limit : CTLP_LIMIT_DEFAULT;
	}
	ret = carehubctl_call(&req, o.json, &reply, NULL);
	if (ret)
		return ret;
	a = json_object_get(reply, ctlp_reply_key(cmd));
	if (!json_is_array(a)) {
		carehubctl_err("carehubd's reply has no %s array",
			       ctlp_reply_key(cmd));
		ret = 1;
	} else if (o.json) {
		ret = carehubctl_print_json(a);
	} else if (human(a)) {
		carehubctl_err("out of memory");
		ret = 1;
	} else {
		ret = carehubctl_flush();
	}
	json_decref(reply);
	return ret;
}

int carehubctl_d_sensors(int argc, char **argv, bool json)
{
	return carehubctl_list(argc, argv, json, CTLP_SENSORS, 0,
			       carehubctl_sensors_human);
}

/* ---- alarms ---- */

static int carehubctl_alarms_human(const json_t *arr)
{
	static const char *const hdr[] = {
		"ID", "STATE", "RAISED", "RULE", "SENSOR", "CODE", "ZONE",
		"ACKED_BY", "TEXT",
	};
	struct carehubctl_tbl t = { .cols = 9, .hdr = hdr };
	const json_t *a;
	size_t i;
	int ret = 0;

	json_array_foreach(arr, i, a) {
		char *row[9] = {
			carehubctl_cell(json_object_get(a, "id")),
			carehubctl_cell(json_object_get(a, "state")),
			carehubctl_when(json_object_get(a, "raised")),
			carehubctl_cell(json_object_get(a, "rule")),
			carehubctl_cell(json_object_get(a, "sensor")),
			carehubctl_cell(json_object_get(a, "code")),
			carehubctl_cell(json_object_get(a, "zone")),
			carehubctl_cell(json_object_get(a, "acked_by")),
			carehubctl_cell(json_object_get(a, "text")),
		};

		if (carehubctl_tbl_add(&t, row)) {
			ret = -1;
			break;
		}
	}
	if (!ret && t.rows)
		carehubctl_tbl_print(&t);
	else if (!ret)
		printf("(no alarms)\n");
	carehubctl_tbl_free(&t);
	return ret;
}

int carehubctl_d_alarms(int argc, char **argv, bool json)
{
	return carehubctl_list(argc, argv, json, CTLP_ALARMS,
			       CAREHUBCTL_O_OPEN | CAREHUBCTL_O_LIMIT,
			       carehubctl_alarms_human);
}

/* ---- ack, cancel, test ---- */

/* "alarm 12 acked: TEXT (rule r, code 150, zone 2, by uid:anna)" */
static void carehubctl_alarm_line(const char *verb, const json_t *a)
{
	static const char *const keys[] = { "rule", "code", "zone", "acked_by" };
	static const char *const names[] = { "rule", "code", "zone", "by" };
	char *id = carehubctl_cell(json_object_get(a, "id"));
	char *st = carehubctl_cell(json_object_get(a, "state"));
	char *text = carehubctl_cell(json_object_get(a, "text"));
	size_t i;
	bool first = true;

	printf("%salarm %s %s: ", verb, id ? id : "?", st ? st : "?");
	carehubctl_safe(stdout, text ? text : "?");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const json_t *v = json_object_get(a, keys[i]);
		char *c;

		if (!v || json_is_null(v) ||
		    (json_is_string(v) && !json_string_length(v)))
			continue;
		c = carehubctl_cell(v);
		printf("%s%s ", first ? " (" : ", ", names[i]);
		carehubctl_safe(stdout, c ? c : "?");
		free(c);
		first = false;
	}
	printf("%s\n", first ? "" : ")");
	free(id);
	free(st);
	free(text);
}

static int carehubctl_act(int argc, char **argv, bool json, enum ctlp_cmd cmd)
{
	struct carehubctl_opts o = { .json = json };
	struct ctlp_req req = { .cmd = cmd };
	const char *name = ctlp_cmd_name(cmd);
	json_t *reply, *a;
	unsigned long id;
	int ret;

	ret = carehubctl_getopt(argc, argv, name, 0, &o);
	if (ret >= 0)
		return ret;
	if (cmd != CTLP_TEST) {
		if (optind >= argc)
			return carehubctl_usage_err("%s: which alarm? (%s ID)",
						    name, name);
		if (carehubctl_parse_ulong(argv[optind], &id) || id < 1 ||
		    (uint64_t)id > CTLP_ID_MAX)
			return carehubctl_usage_err("%s: '%s' is not an alarm id (1..2^53)",
						    name, argv[optind]);
		req.id = id;
		optind++;
	}
	if (optind < argc)
		return carehubctl_usage_err("%s: unexpected '%s'", name,
					    argv[optind]);
	ret = carehubctl_call(&req, o.json, &reply, NULL);
	if (ret)
		return ret;
	a = json_object_get(reply, ctlp_reply_key(cmd));
	if (!json_is_object(a)) {
		carehubctl_err("carehubd's reply has no alarm object");
		ret = 1;
	} else if (o.json) {
		ret = carehubctl_print_json(a);
	} else {
		carehubctl_alarm_line(cmd == CTLP_TEST ? "test " : "", a);
		ret = carehubctl_flush();
	}
	json_decref(reply);
	return ret;
}

int carehubctl_d_ack(int argc, char **argv, bool json)
{
	return carehubctl_act(argc, argv, json, CTLP_ACK);
}

int carehubctl_d_cancel(int argc, char **argv, bool json)
{
	return carehubctl_act(argc, argv, json, CTLP_CANCEL);
}

int carehubctl_d_test(int argc, char **argv, bool json)
{
	return carehubctl_act(argc, argv, json, CTLP_TEST);
}
