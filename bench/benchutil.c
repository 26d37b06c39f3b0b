// SPDX-License-Identifier: GPL-2.0
/*
 * carehub benchmark helpers; see benchutil.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"

void bu_push(struct bu_samples *s, int64_t ns)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		int64_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			perror("realloc");
			exit(1);
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ns;
}

void bu_free(struct bu_samples *s)
{
	free(s->v);
	*s = (struct bu_samples){ 0 };
}

static int bu_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t bu_pct(const struct bu_samples *s, double p)
{
	int64_t *v, r;
	size_t k;

	if (!s->n)
		return 0;
	v = malloc(s->n * sizeof(*v));
	if (!v) {
		perror("malloc");
		exit(1);
	}
	memcpy(v, s->v, s->n * sizeof(*v));
	qsort(v, s->n, sizeof(*v), bu_cmp);
	/* Nearest rank: the smallest sample with at least p% at or below. */
	k = (size_t)((p / 100.0) * (double)s->n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > s->n)
		k = s->n;
	r = v[k - 1];
	free(v);
	return r;
}

int64_t bu_max(const struct bu_samples *s)
{
	int64_t m = 0;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (i == 0 || s->v[i] > m)
			m = s->v[i];
	return m;
}

uint64_t bu_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int bu_pull_open(const struct cht_chip *c, int line)
{
	char path[CHT_PATH_MAX];
	int fd;

	/* The same file cht_line_set() writes. */
	snprintf(path, sizeof(path), "/sys/devices/platform/%s/%s/sim_gpio%d/pull",
		 c->dev_name, c->chip_name, line);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int bu_pull_write(int fd, int level)
{
	const char *v = level ? "pull-up" : "pull-down";
	ssize_t n = pwrite(fd, v, strlen(v), 0);

	if (n < 0)
		return -errno;
	return n == (ssize_t)strlen(v) ? 0 : -EIO;
}

const char *bu_ms(char *buf, size_t size, int64_t ns)
{
	snprintf(buf, size, "%.3f", (double)ns / 1e6);
	return buf;
}
