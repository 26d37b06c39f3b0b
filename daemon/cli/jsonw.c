// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jsonw: a tiny streaming JSON writer; see jsonw.h.
 */
#include <inttypes.h>
#include <string.h>

#include "jsonw.h"
#include "utf8.h"

void jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

int jw_finish(struct jw *w)
{
	if (w->misuse || w->depth || w->want_value)
		return -1;
	return ferror(w->f) ? -1 : 0;
}

/* Before any value or key: the separator its position needs. */
static bool jw_before(struct jw *w, bool is_key)
{
	unsigned int d = w->depth;

	if (d == 0)
		return true;	/* top level: one value */
	if (w->is_obj[d - 1]) {
		if (is_key == w->want_value) {
			w->misuse = true;
			return false;
		}
		if (!is_key) {
			w->want_value = false;
			return true;
		}
	} else if (is_key) {
		w->misuse = true;
		return false;
	}
	if (w->count[d - 1]++)
		fputc(',', w->f);
	return true;
}

void jw_write_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	fputc('"', f);
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
				break;
			}
			len = utf8_char_len(s + i, n - i);
			if (!len) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s + i, 1, len, f);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', f);
}

static void jw_open(struct jw *w, bool obj)
{
	if (!jw_before(w, false))
		return;
	if (w->depth == JW_DEPTH_MAX) {
		w->misuse = true;
		return;
	}
	w->is_obj[w->depth] = obj;
	w->count[w->depth] = 0;
	w->depth++;
	fputc(obj ? '{' : '[', w->f);
}

static void jw_close(struct jw *w, bool obj)
{
	if (!w->depth || w->is_obj[w->depth - 1] != obj || w->want_value) {
		w->misuse = true;
		return;
	}
	w->depth--;
	fputc(obj ? '}' : ']', w->f);
}

void jw_obj_open(struct jw *w)
{
	jw_open(w, true);
}

void jw_obj_close(struct jw *w)
{
	jw_close(w, true);
}

void jw_arr_open(struct jw *w)
{
	jw_open(w, false);
}

void jw_arr_close(struct jw *w)
{
	jw_close(w, false);
}

void jw_key(struct jw *w, const char *key)
{
	if (!jw_before(w, true))
		return;
	jw_write_string(w->f, key, strlen(key));
	fputc(':', w->f);
	w->want_value = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	if (jw_before(w, false))
		jw_write_string(w->f, s, n);
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void jw_u64(struct jw *w, uint64_t v)
{
	if (jw_before(w, false))
		fprintf(w->f, "%" PRIu64, v);
}

void jw_i64(struct jw *w, int64_t v)
{
	if (jw_before(w, false))
		fprintf(w->f, "%" PRId64, v);
}

void jw_bool(struct jw *w, bool v)
{
	if (jw_before(w, false))
		fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w)
{
	if (jw_before(w, false))
		fputs("null", w->f);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_ku64(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_u64(w, v);
}

void jw_ki64(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_i64(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *key)
{
	jw_key(w, key);
	jw_null(w);
}
