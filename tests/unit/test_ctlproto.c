// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctlproto: every request, every malformed form we could think of, the
 * limits, the permission table and the reply helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctlproto.h"

static int parse(const char *s, struct ctlp_req *r, char *err, size_t errlen)
{
	return ctlp_parse_request(s, strlen(s), r, err, errlen);
}

static void test_valid(void **state)
{
	struct ctlp_req r;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"cmd\":\"status\"}", &r, err, sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_STATUS);
	assert_int_equal(r.limit, 0);
	assert_int_equal(parse("{\"cmd\":\"sensors\"}", &r, err, sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_SENSORS);
	assert_int_equal(parse("{\"cmd\":\"test\"}", &r, err, sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_TEST);
	assert_int_equal(parse(" {\"cmd\" : \"monitor\"}\n", &r, err,
			       sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_MONITOR);

	assert_int_equal(parse("{\"cmd\":\"alarms\"}", &r, err, sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_ALARMS);
	assert_false(r.open);
	assert_int_equal(r.limit, CTLP_LIMIT_DEFAULT);
	assert_int_equal(parse("{\"limit\":1,\"cmd\":\"alarms\",\"open\":true}",
			       &r, err, sizeof(err)), 0);
	assert_true(r.open);
	assert_int_equal(r.limit, 1);
	assert_int_equal(parse("{\"cmd\":\"alarms\",\"open\":false,\"limit\":1000}",
			       &r, err, sizeof(err)), 0);
	assert_false(r.open);
	assert_int_equal(r.limit, 1000);

	assert_int_equal(parse("{\"cmd\":\"ack\",\"id\":12}", &r, err,
			       sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_ACK);
	assert_int_equal(r.id, 12);
	assert_int_equal(parse("{\"cmd\":\"cancel\",\"id\":9007199254740992}",
			       &r, err, sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_CANCEL);
	assert_true(r.id == CTLP_ID_MAX);
	assert_int_equal(parse("{\"cmd\":\"ack\",\"id\":1}", &r, err,
			       sizeof(err)), 0);
	assert_int_equal(r.id, 1);
}

struct bad {
	const char *req;
	int ret;
	const char *msg;	/* a substring of the message */
};

static void test_malformed(void **state)
{
	static const struct bad bad[] = {
		{ "", -EINVAL, "empty request" },
		{ "{", -EINVAL, "invalid JSON" },
		{ "{\"cmd\":\"status\"", -EINVAL, "invalid JSON" },
		{ "{\"cmd\":\"status\"} {}", -EINVAL, "invalid JSON" },
		{ "{\"cmd\":\"status\"}x", -EINVAL, "invalid JSON" },
		{ "[\"status\"]", -EINVAL, "must be a JSON object, not an array" },
		{ "\"status\"", -EINVAL, "not a string" },
		{ "12", -EINVAL, "not an integer" },
		{ "null", -EINVAL, "not null" },
		{ "{}", -EINVAL, "missing \"cmd\"" },
		{ "{\"id\":1}", -EINVAL, "missing \"cmd\"" },
		{ "{\"cmd\":1}", -EINVAL, "\"cmd\" must be a string, not an integer" },
		{ "{\"cmd\":null}", -EINVAL, "not null" },
		{ "{\"cmd\":[\"ack\"]}", -EINVAL, "not an array" },
		{ "{\"cmd\":\"Status\"}", -EOPNOTSUPP, "unknown command \"Status\"" },
		{ "{\"cmd\":\"reboot\"}", -EOPNOTSUPP, "unknown command \"reboot\"" },
		{ "{\"cmd\":\"\"}", -EOPNOTSUPP, "unknown command \"\"" },
		{ "{\"cmd\":\"status\",\"cmd\":\"ack\"}", -EINVAL, "duplicate" },
		{ "{\"cmd\":\"ack\",\"id\":1,\"id\":2}", -EINVAL, "duplicate" },
		{ "{\"cmd\":\"status\",\"id\":1}", -EINVAL, "unknown key \"id\" for status" },
		{ "{\"cmd\":\"sensors\",\"open\":true}", -EINVAL, "unknown key \"open\" for sensors" },
		{ "{\"cmd\":\"monitor\",\"limit\":3}", -EINVAL, "unknown key \"limit\" for monitor" },
		{ "{\"cmd\":\"test\",\"x\":0}", -EINVAL, "unknown key \"x\" for test" },
		{ "{\"cmd\":\"alarms\",\"lmit\":5}", -EINVAL, "unknown key \"lmit\" for alarms" },
		{ "{\"cmd\":\"alarms\",\"id\":5}", -EINVAL, "unknown key \"id\" for alarms" },
		{ "{\"cmd\":\"ack\",\"limit\":5,\"id\":1}", -EINVAL, "unknown key \"limit\" for ack" },
		{ "{\"cmd\":\"ack\"}", -EINVAL, "ack needs \"id\"" },
		{ "{\"cmd\":\"cancel\"}", -EINVAL, "cancel needs \"id\"" },
		{ "{\"cmd\":\"ack\",\"id\":0}", -EINVAL, "must be in 1..9007199254740992, not 0" },
		{ "{\"cmd\":\"ack\",\"id\":-1}", -EINVAL, "not -1" },
		{ "{\"cmd\":\"ack\",\"id\":9007199254740993}", -EINVAL, "not 9007199254740993" },
		{ "{\"cmd\":\"ack\",\"id\":99999999999999999999999}", -EINVAL, "invalid JSON" },
		{ "{\"cmd\":\"ack\",\"id\":1.0}", -EINVAL, "not a real number" },
		{ "{\"cmd\":\"ack\",\"id\":1e3}", -EINVAL, "not a real number" },
		{ "{\"cmd\":\"ack\",\"id\":\"12\"}", -EINVAL, "not a string" },
		{ "{\"cmd\":\"ack\",\"id\":true}", -EINVAL, "not a boolean" },
		{ "{\"cmd\":\"ack\",\"id\":null}", -EINVAL, "not null" },
		{ "{\"cmd\":\"alarms\",\"limit\":0}", -EINVAL, "\"limit\" must be in 1..1000, not 0" },
		{ "{\"cmd\":\"alarms\",\"limit\":1001}", -EINVAL, "not 1001" },
		{ "{\"cmd\":\"alarms\",\"limit\":-5}", -EINVAL, "not -5" },
		{ "{\"cmd\":\"alarms\",\"limit\":\"5\"}", -EINVAL, "not a string" },
		{ "{\"cmd\":\"alarms\",\"open\":1}", -EINVAL, "\"open\" must be true or false, not an integer" },
		{ "{\"cmd\":\"alarms\",\"open\":\"yes\"}", -EINVAL, "not a string" },
		{ "{\"cmd\":\"alarms\",\"open\":null}", -EINVAL, "not null" },
		{ "{\"cmd\":\"status\\u0000\"}", -EINVAL, "invalid JSON" },
		{ "{\"cmd\":\"stat\xff\"}", -EINVAL, "invalid JSON" },
		{ "{'cmd':'status'}", -EINVAL, "invalid JSON" },
		{ "{\"cmd\":\"status\",}", -EINVAL, "invalid JSON" },
	};
	struct ctlp_req r;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret;

		memset(&r, 0x5a, sizeof(r));
		strcpy(err, "untouched");
		ret = parse(bad[i].req, &r, err, sizeof(err));
		if (ret != bad[i].ret || !strstr(err, bad[i].msg))
			fail_msg("%s: got %d \"%s\", want %d \"...%s...\"",
				 bad[i].req, ret, err, bad[i].ret, bad[i].msg);
		/* A failed parse leaves nothing half-filled. */
		assert_int_equal(r.id, 0);
		assert_int_equal(r.limit, 0);
	}
}

static void test_nul_and_size(void **state)
{
	static const char nul[] = "{\"cmd\":\"status\"}\0";
	char buf[CTLP_REQ_MAX + 2], err[128];
	struct ctlp_req r;
	size_t n;

	(void)state;
	/* A NUL byte after a valid object, and one inside a key. */
	assert_int_equal(ctlp_parse_request(nul, sizeof(nul) - 1, &r, err,
					    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "NUL byte"));
	assert_int_equal(ctlp_parse_request("{\"c\0md\":1}", 10, &r, err,
					    sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "NUL byte"));
	/* Only len bytes are read: no terminator needed. */
	memcpy(buf, "{\"cmd\":\"test\"}XXXX", 18);
	assert_int_equal(ctlp_parse_request(buf, 14, &r, err, sizeof(err)), 0);
	assert_int_equal(r.cmd, CTLP_TEST);

	/* Exactly CTLP_REQ_MAX bytes (padded with spaces) is fine... */
	n = CTLP_REQ_MAX;
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "{\"cmd\":\"status\"}", 16);
	assert_int_equal(ctlp_parse_request(buf, n, &r, err, sizeof(err)), 0);
	/* ...one more is not. */
	assert_int_equal(ctlp_parse_request(buf, n + 1, &r, err, sizeof(err)),
			 -EMSGSIZE);
	assert_non_null(strstr(err, "4097 bytes is longer than 4096"));

	/* A NULL/0 error buffer is allowed. */
	assert_int_equal(ctlp_parse_request("{}", 2, &r, NULL, 0), -EINVAL);
}

/* Long or binary names are not echoed raw into the message. */
static void test_quoting(void **state)
{
	char req[512], err[256];
	struct ctlp_req r;

	(void)state;
	snprintf(req, sizeof(req), "{\"cmd\":\"%s\"}",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(parse(req, &r, err, sizeof(err)), -EOPNOTSUPP);
	assert_non_null(strstr(err, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\""));
	assert_int_equal(parse("{\"cmd\":\"x\\u001b[31m\\u00e9\"}", &r, err,
			       sizeof(err)), -EOPNOTSUPP);
	assert_string_equal(err, "unknown command \"x?[31m??\"");
	assert_int_equal(parse("{\"cmd\":\"alarms\",\"\\n\":1}", &r, err,
			       sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown key \"?\" for alarms");
	/* A tiny error buffer truncates, never overflows. */
	assert_int_equal(parse("{}", &r, err, 4), -EINVAL);
	assert_string_equal(err, "mis");
}

static void test_names_perms(void **state)
{
	static const struct {
		enum ctlp_cmd cmd;
		const char *name;
		enum ctlp_perm perm;
		const char *key;
	} t[] = {
		{ CTLP_STATUS, "status", CTLP_PERM_READ, "status" },
		{ CTLP_SENSORS, "sensors", CTLP_PERM_READ, "sensors" },
		{ CTLP_ALARMS, "alarms", CTLP_PERM_READ, "alarms" },
		{ CTLP_ACK, "ack", CTLP_PERM_OPERATE, "alarm" },
		{ CTLP_CANCEL, "cancel", CTLP_PERM_OPERATE, "alarm" },
		{ CTLP_TEST, "test", CTLP_PERM_OPERATE, "alarm" },
		{ CTLP_MONITOR, "monitor", CTLP_PERM_READ, NULL },
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(t) / sizeof(t[0]), CTLP_CMDS);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(ctlp_cmd_name(t[i].cmd), t[i].name);
		assert_int_equal(ctlp_cmd_parse(t[i].name), (int)t[i].cmd);
		assert_int_equal(ctlp_cmd_perm(t[i].cmd), t[i].perm);
		if (t[i].key)
			assert_string_equal(ctlp_reply_key(t[i].cmd), t[i].key);
		else
			assert_null(ctlp_reply_key(t[i].cmd));
	}
	assert_int_equal(ctlp_cmd_parse("nope"), -1);
	assert_string_equal(ctlp_cmd_name((enum ctlp_cmd)99), "?");
	assert_int_equal(ctlp_cmd_perm((enum ctlp_cmd)99), CTLP_PERM_OPERATE);
	assert_string_equal(ctlp_perm_name(CTLP_PERM_READ), "read");
	assert_string_equal(ctlp_perm_name(CTLP_PERM_OPERATE), "operate");
}

static void assert_dump(json_t *j, const char *want)
{
	char *s;
	size_t len;

	assert_non_null(j);
	s = ctlp_dump(j, &len);
	assert_non_null(s);
	assert_string_equal(s, want);
	assert_int_equal(len, strlen(want));
	free(s);
	json_decref(j);
}

static void test_replies(void **state)
{
	(void)state;
	assert_dump(ctlp_reply_ok(NULL, NULL), "{\"ok\":true}");
	assert_dump(ctlp_reply_ok(NULL, json_integer(3)), "{\"ok\":true}");
	assert_dump(ctlp_reply_ok("alarms", json_array()),
		    "{\"ok\":true,\"alarms\":[]}");
	assert_dump(ctlp_reply_ok("status",
				  json_pack("{s:s,s:i}", "hub", "h1",
					    "uptime_s", 5)),
		    "{\"ok\":true,\"status\":{\"hub\":\"h1\",\"uptime_s\":5}}");
	/* A key without a payload is a caller bug: NULL, nothing leaks. */
	assert_null(ctlp_reply_ok("status", NULL));

	assert_dump(ctlp_reply_err(EPERM, "permission denied: %s", "ack"),
		    "{\"ok\":false,\"error\":\"permission denied: ack\",\"errno\":\"EPERM\"}");
	assert_dump(ctlp_reply_err(ENOENT, "no alarm %d", 12),
		    "{\"ok\":false,\"error\":\"no alarm 12\",\"errno\":\"ENOENT\"}");
	/* Quotes are escaped; invalid UTF-8 and controls become '?'. */
	assert_dump(ctlp_reply_err(EINVAL, "bad \"%s\"", "x\xff\x01y"),
		    "{\"ok\":false,\"error\":\"bad \\\"x??y\\\"\",\"errno\":\"EINVAL\"}");
	assert_dump(ctlp_reply_err(12345, "odd"),
		    "{\"ok\":false,\"error\":\"odd\",\"errno\":\"EIO\"}");

	assert_string_equal(ctlp_errno_name(EALREADY), "EALREADY");
	assert_string_equal(ctlp_errno_name(EMSGSIZE), "EMSGSIZE");
	assert_string_equal(ctlp_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	assert_string_equal(ctlp_errno_name(EBUSY), "EBUSY");
	assert_string_equal(ctlp_errno_name(EACCES), "EACCES");
}

/* What the client builds, the server parses back the same. */
static void test_roundtrip(void **state)
{
	static const struct ctlp_req reqs[] = {
		{ .cmd = CTLP_STATUS },
		{ .cmd = CTLP_SENSORS },
		{ .cmd = CTLP_ALARMS, .open = true, .limit = 7 },
		{ .cmd = CTLP_ALARMS, .limit = CTLP_LIMIT_DEFAULT },
		{ .cmd = CTLP_ACK, .id = 42 },
		{ .cmd = CTLP_CANCEL, .id = CTLP_ID_MAX },
		{ .cmd = CTLP_TEST },
		{ .cmd = CTLP_MONITOR },
	};
	struct ctlp_req r;
	char err[128];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		json_t *j = ctlp_request_json(&reqs[i]);
		char *s;

		assert_non_null(j);
		s = ctlp_dump(j, &len);
		json_decref(j);
		assert_non_null(s);
		assert_int_equal(ctlp_parse_request(s, len, &r, err,
						    sizeof(err)), 0);
		assert_int_equal(r.cmd, reqs[i].cmd);
		assert_true(r.id == reqs[i].id);
		assert_int_equal(r.open, reqs[i].open);
		assert_int_equal(r.limit, reqs[i].limit);
		free(s);
	}
	assert_null(ctlp_request_json(&(struct ctlp_req){
		.cmd = (enum ctlp_cmd)CTLP_CMDS }));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul_and_size),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_names_perms),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
