/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the carehub benchmarks (prefix bu_): statistics
 * over nanosecond samples, clocks, pre-opened gpio-sim `pull` files (so the
 * timed write is one write(2), not open+write+close as cht_line_set does).
 */
#ifndef BENCHUTIL_H
#define BENCHUTIL_H

#include <stdint.h>
#include <stdlib.h>

#include "cht.h"

/* A growing array of signed nanosecond samples. */
struct bu_samples {
	int64_t *v;
	size_t n, cap;
};

void bu_push(struct bu_samples *s, int64_t ns);
void bu_free(struct bu_samples *s);
/* Nearest-rank percentile, 0 < p <= 100; sorts a copy. 0 when empty. */
int64_t bu_pct(const struct bu_samples *s, double p);
int64_t bu_max(const struct bu_samples *s);

uint64_t bu_mono_ns(void);

/* O_WRONLY fd of a gpio-sim line's pull attribute, or -errno. */
int bu_pull_open(const struct cht_chip *c, int line);
/* Set the simulated level with one write(2); 0 or -errno. */
int bu_pull_write(int fd, int level);

/* "%.3f" of ns in ms, into a caller buffer. */
const char *bu_ms(char *buf, size_t size, int64_t ns);

#endif /* BENCHUTIL_H */
