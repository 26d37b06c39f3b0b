/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * errf: the one helper for "fill the caller's error buffer, return a code"
 * (prefix errf). Every module that reports errors as (-errno, text) uses it.
 */
#ifndef ERRF_H
#define ERRF_H

#include <stddef.h>

/*
 * Format into @err (@errlen bytes; nothing if @err is NULL or @errlen 0)
 * and return @ret.
 */
int errf(int ret, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* ERRF_H */
