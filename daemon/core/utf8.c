// SPDX-License-Identifier: GPL-2.0-or-later
/* utf8: see utf8.h. */
#include <string.h>

#include "utf8.h"

size_t utf8_char_len(const unsigned char *s, size_t n)
{
	unsigned char c, lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (!n)
		return 0;
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;	/* continuation byte, C0, C1, F5..FF */
	if (n < len)
		return 0;
	/* The second byte's range rules out overlongs, surrogates, > U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n) {
		len = utf8_char_len(u + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

size_t utf8_copy(char *dst, size_t size, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n, i = 0, o = 0, len;

	if (!size)
		return 0;
	n = strlen(src);
	while (i < n) {
		len = utf8_char_len(s + i, n - i);
		if (o + (len ? len : 1) >= size)
			break;
		if (len) {
			memmove(dst + o, s + i, len);
			o += len;
			i += len;
		} else {
			dst[o++] = '?';
			i++;
		}
	}
	dst[o] = '\0';
	return o;
}
