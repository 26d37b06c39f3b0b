// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_time: local wall-clock arithmetic for the rule engine - calendar
 * dates, "HH:MM on date D" as an instant, daily windows - in the
 * process's TZ, and conversion between wall and CLOCK_BOOTTIME through
 * the caller's "now" pair.
 *
 * DST is why this file exists. A clock time that does not exist (the
 * spring-forward gap) means the first instant after it, i.e. the moment
 * the clocks jump; one that exists twice (autumn) means its first
 * occurrence. Daily rules remember the local date they fired for, so the
 * second 01:30 of an autumn night is not a second day.
 *
 * Speed: the conversions through libc are memoized per engine (struct
 * rules_tzc, rules_int.h), keyed by their exact arguments, so a replay or
 * a busy day costs about one localtime_r() per call (the new "now") and a
 * few mktime() per local date, not several per instance per call. The
 * memos are emptied when TZ changes (checked on every call; carehubd also
 * builds a new engine on reload). A zone changed behind TZ's back (TZ
 * unset and /etc/localtime replaced) is seen by a new engine, not this
 * one - as libc's own localtime_r() does not re-read it either.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE	/* timegm */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

/* Local broken-down fields as one comparable number. */
static int64_t rules_tm_key(const struct tm *tm)
{
	int64_t k = (int64_t)tm->tm_year;

	k = k * 16 + tm->tm_mon;
	k = k * 32 + tm->tm_mday;
	k = k * 32 + tm->tm_hour;
	k = k * 64 + tm->tm_min;
	return k * 64 + tm->tm_sec;
}

static void rules_date_tm(rules_date d, conf_tod tod, struct tm *tm)
{
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = d / 10000 - 1900;
	tm->tm_mon = d / 100 % 100 - 1;
	tm->tm_mday = d % 100;
	tm->tm_hour = tod / 60;
	tm->tm_min = tod % 60;
}

uint64_t rules_wall_to_mono(const struct rules_now *now, time_t wall)
{
	int64_t ds = (int64_t)wall - (int64_t)now->wall;

	if (ds < 0) {
		uint64_t back = (uint64_t)-ds * RULES_NS;

		return back / RULES_NS != (uint64_t)-ds || back > now->mono_ns ?
		       0 : now->mono_ns - back;
	}
	if ((uint64_t)ds > (RULES_NEVER - 1 - now->mono_ns) / RULES_NS)
		return RULES_NEVER - 1;
	return now->mono_ns + (uint64_t)ds * RULES_NS;
}

time_t rules_mono_to_wall(const struct rules_now *now, uint64_t mono)
{
	if (mono <= now->mono_ns)
		return now->wall - (time_t)((now->mono_ns - mono) / RULES_NS);
	return now->wall + (time_t)((mono - now->mono_ns) / RULES_NS);
}

static rules_date rules_date_of_libc(time_t wall)
{
	struct tm tm;

	if (!localtime_r(&wall, &tm))
		return 19700101;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	       tm.tm_mday;
}

/* Empty the memos if TZ is not what they were filled under. */
void rules_tz_check(struct rules *r)
{
	struct rules_tzc *z = &r->tzc;
	const char *tz = getenv("TZ");
	size_t n;

	if (!tz)
		tz = "";
	n = strnlen(tz, RULES_TZ_MAX);
	if (z->on && n < RULES_TZ_MAX && !memcmp(z->tz, tz, n + 1))
		return;
	memset(z->wall, 0, sizeof(z->wall));
	memset(z->date, 0, sizeof(z->date));
	z->date_next = 0;
	/* localtime_r() alone would keep using the zone it read last. */
	tzset();
	z->on = n < RULES_TZ_MAX;	/* else: emptied on every call */
	if (z->on)
		memcpy(z->tz, tz, n + 1);
}

rules_date rules_date_of(struct rules *r, time_t wall)
{
	struct rules_tzc *z = &r->tzc;
	unsigned int i;
	rules_date d;

	for (i = 0; i < RULES_DATE_MEMO; i++)
		if (z->date[i].used && z->date[i].t == wall)
			return z->date[i].d;
	d = rules_date_of_libc(wall);
	z->misses++;
	i = z->date_next;
	z->date_next = (i + 1) % RULES_DATE_MEMO;
	z->date[i].used = true;
	z->date[i].t = wall;
	z->date[i].d = d;
	return d;
}

/* Pure calendar arithmetic: UTC noon has no DST. */
rules_date rules_date_add(rules_date d, int days)
{
	struct tm tm;
	time_t t;

	rules_date_tm(d, 12 * 60, &tm);
	t = timegm(&tm) + (time_t)days * 86400;
	if (!gmtime_r(&t, &tm))
		return d;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	       tm.tm_mday;
}

static time_t rules_wall_at_libc(rules_date d, conf_tod tod)
{
	struct tm want, tm, got;
	time_t best = 0, t, lo, hi;
	bool found = false;
	int64_t key;

	rules_date_tm(d, tod, &want);
	key = rules_tm_key(&want);
	/* Try the time as standard and as summer time; keep valid ones. */
	for (int dst = 0; dst <= 1; dst++) {
		tm = want;
		tm.tm_isdst = dst;
		t = mktime(&tm);
		if (t == (time_t)-1 || !localtime_r(&t, &got))
			continue;
		if (rules_tm_key(&got) == key && (!found || t < best)) {
			best = t;
			found = true;
		}
	}
	if (found)
		return best;
	/*
	 * In a gap: the first instant whose local time is at or after it.
	 * Local time only moves forward within a day or so of a spring
	 * change, so bisection over [-26 h, +26 h] of the UTC reading is safe.
	 */
	tm = want;
	t = timegm(&tm);
	lo = t - 26 * 3600;
	hi = t + 26 * 3600;
	while (lo < hi) {
		time_t mid = lo + (hi - lo) / 2;

		if (localtime_r(&mid, &got) && rules_tm_key(&got) >= key)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Fibonacci hashing: the top bits of key * 2^64/phi pick the set. Keys,
 * (date, HH:MM), have much structure in their low bits (consecutive
 * dates, round clock times) that those bits spread well: over 55 years,
 * the example config's ~32 live keys never put more than 3 in one set.
 */
static unsigned int rules_wall_set(rules_date d, conf_tod tod)
{
	uint64_t k = ((uint64_t)(uint32_t)d * 1440 + tod) *
		     0x9e3779b97f4a7c15ULL;

	return (unsigned int)(k >> 56) % RULES_WALL_SETS * RULES_WALL_WAYS;
}

time_t rules_wall_at(struct rules *r, rules_date d, conf_tod tod)
{
	struct rules_tzc *z = &r->tzc;
	unsigned int i = rules_wall_set(d, tod), v, lru = i;
	time_t t;

	z->tick++;
	for (v = i; v < i + RULES_WALL_WAYS; v++) {
		if (d && z->wall[v].d == d && z->wall[v].tod == tod) {
			z->wall[v].used = z->tick;
			return z->wall[v].t;
		}
		if (z->tick - z->wall[v].used > z->tick - z->wall[lru].used)
			lru = v;
	}
	t = rules_wall_at_libc(d, tod);
	z->misses++;
	if (d) {
		z->wall[lru].d = d;
		z->wall[lru].tod = tod;
		z->wall[lru].used = z->tick;
		z->wall[lru].t = t;
	}
	return t;
}

/*
 * Is @t inside @w? If so *@start and *@end are that occurrence's edges;
 * *@next_start is the next start after @t either way. An unset window is
 * always in, from the epoch to never.
 */
bool rules_window_at(struct rules *r, const struct conf_window *w, time_t t,
		     time_t *start, time_t *end, time_t *next_start)
{
	rules_date today;
	bool in = false;

	*next_start = 0;
	if (!w->set) {
		*start = 0;
		*end = (time_t)INT64_MAX;
		return true;
	}
	today = rules_date_of(r, t);
	for (int i = -1; i <= 1; i++) {
		rules_date d = rules_date_add(today, i);
		time_t s = rules_wall_at(r, d, w->start);
		time_t e = rules_wall_at(r, w->end > w->start ? d :
					 rules_date_add(d, 1), w->end);

		if (!in && s <= t && t < e) {
			*start = s;
			*end = e;
			in = true;
		}
		if (s > t && (!*next_start || s < *next_start))
			*next_start = s;
	}
	if (!*next_start)	/* cannot happen with sane dates */
		*next_start = t + 86400;
	return in;
}

void rules_hhmm(time_t t, char *buf, unsigned int len)
{
	struct tm tm;

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, len, "--:--");
		return;
	}
	snprintf(buf, len, "%02d:%02d", tm.tm_hour, tm.tm_min);
}
