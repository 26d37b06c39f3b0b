// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conf_parse: carehubd.conf's value syntax (names, numbers, durations,
 * clock times, windows, lists) and the tables of names. Every function
 * takes a string straight from the file, checks all of it, and returns
 * NULL or the phrase that ends the error message ("not a duration ...").
 * No function here knows about sections or lines.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <uapi/linux/carehub.h>

#include "conf_int.h"
#include "sensor.h"

static bool conf_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

const char *conf_parse_name(const char *s, size_t maxlen, char *out)
{
	size_t n = strlen(s);

	if (!n)
		return "empty name";
	if (n > maxlen)
		return maxlen == CONF_SENSOR_NAME_LEN ?
		       "name too long (sensor names: at most 31 characters, the kernel's limit)" :
		       "name too long (at most 47 characters)";
	for (size_t i = 0; i < n; i++)
		if (!conf_name_char(s[i]))
			return "names may only use A-Z a-z 0-9 _ . -";
	memcpy(out, s, n + 1);
	return NULL;
}

/* Free text goes into messages for people: printable, one line. */
const char *conf_parse_text(const char *s, char *out, size_t size)
{
	size_t n = strlen(s);

	if (n >= size)
		return "text too long (at most 127 characters)";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "control character in text";
	memcpy(out, s, n + 1);
	return NULL;
}

const char *conf_parse_path(const char *s, size_t maxlen, char *out)
{
	size_t n = strlen(s);

	if (s[0] != '/')
		return "must be an absolute path";
	if (n > maxlen)
		return "path too long";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return "space or control character in path";
	memcpy(out, s, n + 1);
	return NULL;
}

/* Digits only: no sign, no hex, no spaces; stops before overflowing. */
static const char *conf_digits(const char **sp, uint64_t limit, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return "not a number";
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > limit)
			return "too large";
	}
	*sp = s;
	*out = v;
	return NULL;
}

const char *conf_parse_uint(const char *s, uint32_t lo, uint32_t hi,
			    uint32_t *out)
{
	const char *e;
	uint64_t v;

	e = conf_digits(&s, UINT32_MAX, &v);
	if (e || *s)
		return "not a whole number";
	if (v < lo || v > hi)
		return "out of range";
	*out = (uint32_t)v;
	return NULL;
}

const char *conf_parse_duration(const char *s, uint32_t *out)
{
	static const char bad[] = "not a duration (e.g. 90s, 20m, 14h, 2d)";
	uint64_t v, mul = 1;

	if (conf_digits(&s, UINT32_MAX, &v))
		return isdigit((unsigned char)*s) ? "duration too large" : bad;
	switch (*s) {
	case '\0':
	case 's':
		break;
	case 'm':
		mul = 60;
		break;
	case 'h':
		mul = 3600;
		break;
	case 'd':
		mul = 86400;
		break;
	default:
		return bad;
	}
	if (*s && s[1])
		return bad;
	if (v * mul > UINT32_MAX)
		return "duration too large";
	*out = (uint32_t)(v * mul);
	return NULL;
}

const char *conf_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return NULL;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return NULL;
		}
	}
	return "not a boolean (yes/no, true/false, on/off, 1/0)";
}

static const char conf_not_tod[] = "not a clock time (HH:MM)";

/* "H:MM" or "HH:MM"; *sp past it. */
static const char *conf_tod_at(const char **sp, conf_tod *out)
{
	const char *s = *sp;
	unsigned int h, m;

	if (!isdigit((unsigned char)s[0]))
		return conf_not_tod;
	h = (unsigned int)(s[0] - '0');
	s++;
	if (isdigit((unsigned char)*s))
		h = h * 10 + (unsigned int)(*s++ - '0');
	if (s[0] != ':' || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return conf_not_tod;
	m = (unsigned int)(s[1] - '0') * 10 + (unsigned int)(s[2] - '0');
	if (h > 23 || m > 59)
		return "clock time out of range (00:00..23:59)";
	*sp = s + 3;
	*out = (conf_tod)(h * 60 + m);
	return NULL;
}

const char *conf_parse_tod(const char *s, conf_tod *out)
{
	const char *e = conf_tod_at(&s, out);

	if (e)
		return e;
	return *s ? conf_not_tod : NULL;
}

const char *conf_parse_window(const char *s, struct conf_window *out)
{
	static const char bad[] = "not a window (HH:MM-HH:MM or always)";
	struct conf_window w = { .set = true };
	const char *e;

	if (!strcasecmp(s, "always")) {
		*out = (struct conf_window){ .set = false };
		return NULL;
	}
	e = conf_tod_at(&s, &w.start);
	if (e)
		return e == conf_not_tod ? bad : e;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s++ != '-')
		return bad;
	while (*s == ' ' || *s == '\t')
		s++;
	e = conf_tod_at(&s, &w.end);
	if (e)
		return e == conf_not_tod ? bad : e;
	if (*s)
		return bad;
	if (w.start == w.end)
		return "window start and end are equal (use 'always' for all day)";
	*out = w;
	return NULL;
}

/* Kind 0 is both "contact" and "any": the header's "0 = any". */
const char *conf_parse_kind(const char *s, uint32_t *out)
{
	return sensor_kind_parse(s, out) ? "unknown kind (" SENSOR_KINDS_HELP ")" : NULL;
}

const char *conf_kind_name(uint32_t kind)
{
	const char *n = sensor_kind_name(kind);

	if (kind == CAREHUB_KIND_CONTACT)
		return "any";
	return n ? n : "?";
}

/* Comma-separated names, each a section name; duplicates are an error. */
const char *conf_parse_list(const char *s, struct conf_ref *out)
{
	char item[CONF_NAME_MAX];
	struct conf_ref r = { 0 };

	for (;;) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);

		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n)
			return "empty name in list";
		if (n >= CONF_NAME_MAX)
			return "name in list too long (at most 47 characters)";
		memcpy(item, s, n);
		item[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if (!conf_name_char(item[i]))
				return "names may only use A-Z a-z 0-9 _ . -";
		for (unsigned int i = 0; i < r.n; i++)
			if (!strcmp(r.names[i], item))
				return "the same name twice in the list";
		if (r.n == CONF_RULE_SENSORS_MAX)
			return "too many names (at most 16)";
		memcpy(r.names[r.n++], item, n + 1);
		if (!end)
			break;
		s = end + 1;
	}
	r.line = out->line;
	*out = r;
	return NULL;
}

const char *conf_parse_faults(const char *s, uint32_t *out)
{
	static const struct { const char *name; uint32_t bit; } f[] = {
		{ "chatter", CONF_FAULT_CHATTER },
		{ "stuck", CONF_FAULT_STUCK },
		{ "offline", CONF_FAULT_OFFLINE },
		{ "missing", CONF_FAULT_MISSING },
		{ "all", CONF_FAULT_ALL },
	};
	struct conf_ref r = { 0 };
	uint32_t bits = 0;
	const char *e = conf_parse_list(s, &r);

	if (e)
		return e;
	for (unsigned int i = 0; i < r.n; i++) {
		size_t j;

		for (j = 0; j < sizeof(f) / sizeof(f[0]); j++)
			if (!strcmp(r.names[i], f[j].name))
				break;
		if (j == sizeof(f) / sizeof(f[0]))
			return "unknown fault (chatter stuck offline missing, or all)";
		bits |= f[j].bit;
	}
	*out = bits;
	return NULL;
}

/* DC-09 account: 3..16 hex digits, kept in upper case. Empty: none. */
const char *conf_parse_account(const char *s, char *out)
{
	size_t n = strlen(s);

	if (n && (n < 3 || n > 16))
		return "account must be 3..16 hex digits";
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return "account must be 3..16 hex digits";
		out[i] = (char)toupper((unsigned char)s[i]);
	}
	out[n] = '\0';
	return NULL;
}

/*
 * An IANA zone name that tzdata has. glibc quietly falls back to UTC for
 * an unknown TZ, which would move every night window: refuse it here.
 */
const char *conf_parse_timezone(const char *s, char *out)
{
	char path[CONF_NAME_MAX + 32];
	size_t n = strlen(s);

	if (n >= CONF_NAME_MAX)
		return "time zone name too long";
	for (size_t i = 0; i < n; i++)
		if (!conf_name_char(s[i]) && s[i] != '/' && s[i] != '+')
			return "not a time zone name (e.g. Asia/Shanghai)";
	if (n && (s[0] == '/' || s[0] == '.' || strstr(s, "..")))
		return "not a time zone name (e.g. Asia/Shanghai)";
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", s);
	if (n && access(path, R_OK))
		return "unknown time zone (not in /usr/share/zoneinfo)";
	memcpy(out, s, n + 1);
	return NULL;
}

/* A value shown in a message: printable and short, whatever the file held. */
void conf_echo(const char *s, char *out, size_t size)
{
	size_t i, n = strlen(s), max = size - 4;

	for (i = 0; i < n && i < max; i++)
		out[i] = ((unsigned char)s[i] < 0x20 ||
			  (unsigned char)s[i] >= 0x7f) ? '?' : s[i];
	if (n > max) {
		memcpy(out + max - 3, "...", 3);
		i = max;
	}
	out[i] = '\0';
}

void conf_fmt_duration(uint32_t s, char *out, size_t size)
{
	if (s && !(s % 86400))
		snprintf(out, size, "%ud", s / 86400);
	else if (s && !(s % 3600))
		snprintf(out, size, "%uh", s / 3600);
	else if (s && !(s % 60))
		snprintf(out, size, "%um", s / 60);
	else
		snprintf(out, size, s ? "%us" : "%u", s);
}

static const char *const conf_type_names[CONF_RULE_TYPES] = {
	[CONF_RULE_SOS] = "sos",
	[CONF_RULE_BED_EXIT] = "bed-exit",
	[CONF_RULE_NOT_IN_BED_BY] = "not-in-bed-by",
	[CONF_RULE_NOT_UP_BY] = "not-up-by",
	[CONF_RULE_DOOR_NIGHT] = "door-night",
	[CONF_RULE_DOOR_OPEN] = "door-open",
	[CONF_RULE_NO_ACTIVITY] = "no-activity",
	[CONF_RULE_TOO_LONG] = "too-long",
	[CONF_RULE_SENSOR_FAULT] = "sensor-fault",
	[CONF_RULE_SENSOR_SILENT] = "sensor-silent",
	[CONF_RULE_LINK_DOWN] = "link-down",
	[CONF_RULE_PERIODIC_TEST] = "periodic-test",
	[CONF_RULE_VITALS] = "vitals",
};

const char *conf_rule_type_name(enum conf_rule_type t)
{
	return (unsigned int)t < CONF_RULE_TYPES ? conf_type_names[t] : "?";
}

int conf_rule_type_parse(const char *s)
{
	for (int t = 0; t < CONF_RULE_TYPES; t++)
		if (!strcmp(s, conf_type_names[t]))
			return t;
	return -1;
}

/* Never " ;": inih would take the rest for a comment when dumped. */
const char *conf_rule_default_text(enum conf_rule_type t)
{
	switch (t) {
	case CONF_RULE_SOS:		return "SOS call";
	case CONF_RULE_BED_EXIT:	return "Out of bed at night and not back";
	case CONF_RULE_NOT_IN_BED_BY:	return "Not in bed by the usual time";
	case CONF_RULE_NOT_UP_BY:	return "Not up by the usual time";
	case CONF_RULE_DOOR_NIGHT:	return "Door opened at night";
	case CONF_RULE_DOOR_OPEN:	return "Door left open";
	case CONF_RULE_NO_ACTIVITY:	return "No activity";
	case CONF_RULE_TOO_LONG:	return "Toilet or bathroom occupied too long";
	case CONF_RULE_SENSOR_FAULT:	return "Sensor fault";
	case CONF_RULE_SENSOR_SILENT:	return "Sensor silent";
	case CONF_RULE_LINK_DOWN:	return "Care network unreachable";
	case CONF_RULE_PERIODIC_TEST:	return "Periodic test";
	case CONF_RULE_VITALS:		return "Vital signs out of range";
	}
	return "";
}
