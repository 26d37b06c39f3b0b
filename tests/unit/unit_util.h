/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the host unit tests: reading a numeric knob from
 * the environment (seeds, counts, a single case to replay) and a clock for
 * reporting how long a property run took.
 */
#ifndef UNIT_UTIL_H
#define UNIT_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* $name as a number, else def; *set (if given) says whether it was set. */
static inline unsigned long long env_u64(const char *name,
					 unsigned long long def, int *set)
{
	const char *str = getenv(name);
	unsigned long long v;
	char *end;

	if (set)
		*set = 0;
	if (!str || !*str)
		return def;
	v = strtoull(str, &end, 0);
	if (*end) {
		fprintf(stderr, "bad %s=%s\n", name, str);
		exit(2);
	}
	if (set)
		*set = 1;
	return v;
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* UNIT_UTIL_H */
