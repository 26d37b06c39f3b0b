/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonw: a tiny streaming JSON writer (prefix jw_).
 *
 * Writes straight to a FILE, no tree, no allocation. Commas and key/value
 * separators are placed by the writer; the caller only says what comes.
 * Output is compact (no spaces, no newlines): one document per line is
 * then just jw_*() calls followed by fputc('\n').
 *
 * Strings (keys and values) are escaped as RFC 8259 requires: '"' and '\\'
 * with a backslash, control characters U+0000..U+001F as \b \f \n \r \t or
 * \u00XX, and U+007F (DEL) as \u007f so that a terminal never sees a raw
 * control byte. Valid UTF-8 passes through unchanged. Bytes that are not
 * part of a well-formed UTF-8 sequence (stray continuation bytes, overlong
 * forms, surrogates, code points above U+10FFFF, truncated sequences) are
 * each replaced by \ufffd: the output is always valid JSON and valid UTF-8,
 * and nothing is silently dropped. Kernel labels are bytes, not text.
 *
 * Misuse (a value where a key belongs, closing what was not opened, nesting
 * deeper than JW_DEPTH_MAX) is recorded and reported by jw_finish(); the
 * output is then not valid JSON.
 */
#ifndef JSONW_H
#define JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JW_DEPTH_MAX	16

/**
 * struct jw - writer state (treat as opaque)
 * @f: destination
 * @depth: open containers
 * @is_obj: per level: object (true) or array
 * @count: per level: members written so far
 * @want_value: a key was written, its value comes next
 * @misuse: the caller broke the grammar
 */
struct jw {
	FILE *f;
	unsigned int depth;
	bool is_obj[JW_DEPTH_MAX];
	unsigned long count[JW_DEPTH_MAX];
	bool want_value;
	bool misuse;
};

void jw_init(struct jw *w, FILE *f);
/* 0 when a complete document was written without misuse or I/O error. */
int jw_finish(struct jw *w);

void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);
void jw_key(struct jw *w, const char *key);

void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_u64(struct jw *w, uint64_t v);
void jw_i64(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);

/* Key and value in one call. */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_ku64(struct jw *w, const char *key, uint64_t v);
void jw_ki64(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_knull(struct jw *w, const char *key);

/*
 * Write @s (@n bytes) as a JSON string literal, quotes included, escaped
 * as described above. Usable on its own.
 */
void jw_write_string(FILE *f, const char *s, size_t n);


#endif /* JSONW_H */
