// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text people read is whole UTF-8 characters (issue 9, defect 2): cuts at
 * length limits keep characters whole, bytes that are not UTF-8 become
 * '?', the config refuses a file that is not UTF-8 with FILE:LINE:, and
 * the rule engine's alarm texts built from long Chinese labels stay
 * valid.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"
#include "rules_harness.h"
#include "utf8.h"

/* 卧室床 "bedroom bed": three 3-byte characters */
#define BED_ZH	"\xe5\x8d\xa7\xe5\xae\xa4\xe5\xba\x8a"

static void test_copy_cuts_whole_characters(void **state)
{
	char src[400] = "", dst[160];
	size_t n;

	(void)state;
	for (int i = 0; i < 40; i++)
		strcat(src, BED_ZH);		/* 360 bytes */
	for (size_t size = 1; size <= sizeof(dst); size++) {
		n = utf8_copy(dst, size, src);
		assert_true(n < size);
		assert_int_equal(n % 3, 0);	/* whole characters only */
		assert_true(size - 1 - n < 3);	/* and as many as fit */
		assert_true(utf8_valid(dst, n));
	}
	/* an ASCII prefix shifts the boundary */
	n = utf8_copy(dst, sizeof(dst), "A" BED_ZH BED_ZH);
	assert_int_equal(n, 19);
	n = utf8_copy(dst, 6, "A" BED_ZH);
	assert_string_equal(dst, "A\xe5\x8d\xa7");
	assert_int_equal(n, 4);
}

static void test_copy_replaces_what_is_not_utf8(void **state)
{
	char buf[64];

	(void)state;
	/* Latin-1 "Café", GBK "床" (0xB4 0xB2), a lone continuation byte */
	utf8_copy(buf, sizeof(buf), "Caf\xe9");
	assert_string_equal(buf, "Caf?");
	utf8_copy(buf, sizeof(buf), "\xb4\xb2 bed \x80");
	assert_string_equal(buf, "?? bed ?");
	/* overlong, surrogate, cut short */
	utf8_copy(buf, sizeof(buf), "\xc0\xaf|\xed\xa0\x80|\xe5\x8d");
	assert_true(utf8_valid(buf, strlen(buf)));
	assert_null(strchr(buf, '\xc0'));
	/* in place */
	strcpy(buf, "x\xff" BED_ZH);
	utf8_copy(buf, sizeof(buf), buf);
	assert_string_equal(buf, "x?" BED_ZH);
	assert_false(utf8_valid("\xe5\x8d", 2));
	assert_true(utf8_valid(BED_ZH, sizeof(BED_ZH) - 1));
}

static void test_conf_refuses_latin1(void **state)
{
#define CONF_HEAD "[hub]\nname = home\n[resident ada]\naccount = 1234\n" \
		  "[sensor bed]\nkind = bed\n"
	static const char text[] = CONF_HEAD "label = Caf\xe9 bed\n";
	static const char ok[] = CONF_HEAD
		"label = " BED_ZH "\n"
		"[rule night]\n"
		"type = bed-exit\n"
		"max = 20m\n"
		"[recipient log]\n"
		"transport = log\n"
		"[escalation]\n"
		"chain = log\n";
	struct conf *c = NULL;
	char err[256];

	(void)state;
	assert_int_equal(conf_load_buf("t.conf", text, sizeof(text) - 1, &c,
				       err, sizeof(err)), -EINVAL);
	assert_null(c);
	assert_string_equal(err, "t.conf:7: not valid UTF-8 (save the file as UTF-8)");
	assert_int_equal(conf_load_buf("t.conf", ok, sizeof(ok) - 1, &c,
				       err, sizeof(err)), 0);
	assert_string_equal(c->sensors[0].label, BED_ZH);
	conf_free(c);
}

/* A label as long as the config allows, in Chinese: the text is cut whole. */
static void test_rule_text_long_chinese_label(void **state)
{
	struct rh *h = rh_new();
	unsigned int s = rh_add_sensor(h, "cord", CAREHUB_KIND_SOS);
	const struct rules_alarm *a;

	(void)state;
	h->c.sensors[s].label[0] = '\0';
	for (int i = 0; i < 14; i++)	/* 126 bytes: within CONF_TEXT_MAX */
		strcat(h->c.sensors[s].label, BED_ZH);
	rh_add_rule(h, CONF_RULE_SOS, 1, s);
	rh_start(h, rh_utc(2026, 1, 15, 12, 0, 0));
	rh_set(h, s, 1);
	a = rh_expect(h, RULES_RAISE, 0, (int)s, h->mono);
	assert_true(strlen(a->text) < sizeof(a->text));
	assert_true(utf8_valid(a->text, strlen(a->text)));
	assert_non_null(strstr(a->text, BED_ZH));
	rh_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_cuts_whole_characters),
		cmocka_unit_test(test_copy_replaces_what_is_not_utf8),
		cmocka_unit_test(test_conf_refuses_latin1),
		cmocka_unit_test(test_rule_text_long_chinese_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
