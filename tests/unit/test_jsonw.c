// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of daemon/cli/jsonw.c: string escaping (control characters,
 * quotes, backslash, UTF-8 passthrough, invalid bytes as \ufffd), commas
 * and nesting, and detection of misuse.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* open_memstream */
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonw.h"
#include "utf8.h"

struct buf {
	char *p;
	size_t n;
	FILE *f;
};

static void buf_open(struct buf *b)
{
	b->p = NULL;
	b->n = 0;
	b->f = open_memstream(&b->p, &b->n);
	assert_non_null(b->f);
}

/* Close and return the text (caller frees). */
static char *buf_close(struct buf *b)
{
	assert_int_equal(fclose(b->f), 0);
	return b->p;
}

static void expect_escaped(const char *in, size_t n, const char *want)
{
	struct buf b;
	char *got;

	buf_open(&b);
	jw_write_string(b.f, in, n);
	got = buf_close(&b);
	if (strcmp(got, want))
		fail_msg("escaped %zu bytes: got %s, want %s", n, got, want);
	free(got);
}

#define ES(in, want) expect_escaped((in), sizeof(in) - 1, (want))

static void test_plain(void **state)
{
	(void)state;
	ES("", "\"\"");
	ES("door1", "\"door1\"");
	ES("a/b", "\"a/b\"");	/* '/' needs no escape */
}

static void test_quotes_backslash(void **state)
{
	(void)state;
	ES("say \"hi\"", "\"say \\\"hi\\\"\"");
	ES("C:\\tmp\\", "\"C:\\\\tmp\\\\\"");
	ES("\\\"", "\"\\\\\\\"\"");
}

static void test_controls(void **state)
{
	char all[32];
	struct buf b;
	char *got;
	int i;

	(void)state;
	ES("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	ES("\x1b[31m", "\"\\u001b[31m\"");
	ES("\x7f", "\"\\u007f\"");
	/* NUL inside the given length is escaped, not a terminator. */
	ES("a\0b", "\"a\\u0000b\"");

	/* Every C0 control: no raw byte below 0x20 in the output. */
	for (i = 0; i < 32; i++)
		all[i] = (char)i;
	buf_open(&b);
	jw_write_string(b.f, all, sizeof(all));
	got = buf_close(&b);
	for (i = 0; got[i]; i++)
		assert_true((unsigned char)got[i] >= 0x20);
	assert_non_null(strstr(got, "\\u001f"));
	free(got);
}

static void test_utf8_passthrough(void **state)
{
	(void)state;
	ES("\xc3\xa9", "\"\xc3\xa9\"");				/* é */
	ES("\xe5\x89\x8d\xe9\x97\xa8", "\"\xe5\x89\x8d\xe9\x97\xa8\""); /* 前门 */
	ES("\xf0\x9f\x9a\xaa", "\"\xf0\x9f\x9a\xaa\"");		/* U+1F6AA */
	ES("\xef\xbf\xbf", "\"\xef\xbf\xbf\"");			/* U+FFFF */
	ES("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");		/* U+10FFFF */
	ES("\xe2\x80\xa8", "\"\xe2\x80\xa8\"");			/* U+2028 */
	ES("\xc2\x80", "\"\xc2\x80\"");				/* U+0080 */
}

static void test_utf8_invalid(void **state)
{
	(void)state;
	ES("\x80", "\"\\ufffd\"");			/* lone continuation */
	ES("a\xffz", "\"a\\ufffdz\"");			/* never valid */
	ES("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong '/' */
	ES("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");	/* overlong */
	ES("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	ES("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* >10FFFF */
	ES("\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* Truncated sequences, at the end and before ASCII. */
	ES("\xe5\x89", "\"\\ufffd\\ufffd\"");
	ES("\xe5\x89x", "\"\\ufffd\\ufffdx\"");
	ES("\xf0\x9f\x9a", "\"\\ufffd\\ufffd\\ufffd\"");
	/* Valid after invalid resumes at once. */
	ES("\xff\xc3\xa9", "\"\\ufffd\xc3\xa9\"");
}

static void test_utf8_len(void **state)
{
	const unsigned char s[] = "\xe5\x89\x8d";

	(void)state;
	assert_int_equal(utf8_char_len(s, 3), 3);
	assert_int_equal(utf8_char_len(s, 2), 0);
	assert_int_equal(utf8_char_len((const unsigned char *)"A", 1), 1);
}

static void test_document(void **state)
{
	struct buf b;
	struct jw w;
	char *got;

	(void)state;
	buf_open(&b);
	jw_init(&w, b.f);
	jw_obj_open(&w);
	jw_kstr(&w, "event", "change");
	jw_ku64(&w, "seq", UINT64_MAX);
	jw_ki64(&w, "lost", -1);
	jw_kbool(&w, "ok", true);
	jw_knull(&w, "none");
	jw_key(&w, "faults");
	jw_arr_open(&w);
	jw_str(&w, "chatter");
	jw_str(&w, "stuck");
	jw_arr_close(&w);
	jw_key(&w, "empty");
	jw_arr_open(&w);
	jw_arr_close(&w);
	jw_key(&w, "nested");
	jw_arr_open(&w);
	jw_obj_open(&w);
	jw_obj_close(&w);
	jw_obj_open(&w);
	jw_kstr(&w, "k\"", "v\n");
	jw_obj_close(&w);
	jw_arr_close(&w);
	jw_obj_close(&w);
	assert_int_equal(jw_finish(&w), 0);
	got = buf_close(&b);
	assert_string_equal(got,
		"{\"event\":\"change\",\"seq\":18446744073709551615,"
		"\"lost\":-1,\"ok\":true,\"none\":null,"
		"\"faults\":[\"chatter\",\"stuck\"],\"empty\":[],"
		"\"nested\":[{},{\"k\\\"\":\"v\\n\"}]}");
	free(got);
}

static void test_misuse(void **state)
{
	struct buf b;
	struct jw w;

	(void)state;
	buf_open(&b);

	jw_init(&w, b.f);		/* value without a key */
	jw_obj_open(&w);
	jw_str(&w, "x");
	jw_obj_close(&w);
	assert_int_not_equal(jw_finish(&w), 0);

	jw_init(&w, b.f);		/* key in an array */
	jw_arr_open(&w);
	jw_key(&w, "k");
	assert_int_not_equal(jw_finish(&w), 0);

	jw_init(&w, b.f);		/* key without a value */
	jw_obj_open(&w);
	jw_key(&w, "k");
	jw_obj_close(&w);
	assert_int_not_equal(jw_finish(&w), 0);

	jw_init(&w, b.f);		/* unclosed */
	jw_arr_open(&w);
	assert_int_not_equal(jw_finish(&w), 0);

	jw_init(&w, b.f);		/* wrong closer */
	jw_arr_open(&w);
	jw_obj_close(&w);
	assert_int_not_equal(jw_finish(&w), 0);

	jw_init(&w, b.f);		/* too deep */
	for (int i = 0; i <= JW_DEPTH_MAX; i++)
		jw_arr_open(&w);
	assert_int_not_equal(jw_finish(&w), 0);

	free(buf_close(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quotes_backslash),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8_passthrough),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_misuse),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
