// SPDX-License-Identifier: GPL-2.0-or-later
/* errf: see errf.h. */
#include <stdarg.h>
#include <stdio.h>

#include "errf.h"

int errf(int ret, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}
