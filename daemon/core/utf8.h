/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * utf8: text that people read is UTF-8, whole characters only (prefix
 * utf8_). Labels may be Chinese; a byte cut in the middle of a character,
 * or a Latin-1/GBK label, must never make a reply, a monitor event or a
 * listing fail (JSON requires UTF-8) - so every string that enters from
 * outside (the kernel, the store) is copied with utf8_copy(), and every
 * text cut to a limit is cut on a character boundary.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Length of the well-formed UTF-8 character at @s (at most @n bytes
 * there): 1..4, or 0 if none starts there (a stray continuation byte, an
 * overlong form, a surrogate, > U+10FFFF, or cut short).
 */
size_t utf8_char_len(const unsigned char *s, size_t n);
/* Are the @n bytes at @s all well-formed UTF-8? */
bool utf8_valid(const char *s, size_t n);
/*
 * Copy the string @src to @dst (@size bytes, always terminated): each
 * byte that does not begin a well-formed character becomes '?', and the
 * copy ends before a character that would not fit whole. @dst may be
 * @src (in place). Returns the length of @dst.
 */
size_t utf8_copy(char *dst, size_t size, const char *src);

#endif /* UTF8_H */
