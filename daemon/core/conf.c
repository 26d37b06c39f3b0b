// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conf: reading carehubd.conf - lines, sections and keys (see conf.h).
 *
 * inih does the key = value splitting, trimming and inline comments, but
 * Debian's libinih is built with options we cannot change and its handler
 * gets no line number and never hears of a section header. So inih reads
 * through our own line reader (ini_parse_stream): the reader counts lines,
 * stops the parse at the first error by returning NULL (whatever
 * INI_STOP_ON_FIRST_ERROR was), and looks at each line before inih does:
 *   - NUL bytes and lines longer than inih's buffer (`num`, 200 bytes in
 *     Debian: 198 characters) are errors - inih would cut a long line in
 *     two and read the tail as a line of its own;
 *   - leading white space is removed, which switches off inih's
 *     continuation lines (an indented "key = value" would otherwise be
 *     glued to the previous value);
 *   - section headers are opened here, so an empty [sensor door] section,
 *     a duplicate section and a missing ']' are seen with their line;
 *   - a line that is neither comment, header nor "key = value" is an error
 *     here, with a clearer message than inih's bare line number.
 * Comments: a line starting with '#' or ';', or ';' after white space
 * ("max = 20m ; twenty"). '#' inside a value is kept.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "conf_int.h"
#include "utf8.h"

#define CONF_FILE_MAX	(1024 * 1024)

static void conf_vfail(struct conf_ctx *x, unsigned int line,
		       const char *label, const char *fmt, va_list ap)
{
	int n;

	if (x->failed)
		return;
	x->failed = true;
	n = snprintf(x->err, x->errlen, "%s:%u: %s%s", x->file, line,
		     label ? label : "", label ? " " : "");
	if (n >= 0 && (size_t)n < x->errlen)
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
}

bool conf_fail(struct conf_ctx *x, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vfail(x, line, NULL, fmt, ap);
	va_end(ap);
	return false;
}

/* "[rule a] max = 200m: <fmt>" at the key's line */
bool conf_key_fail(struct conf_ctx *x, unsigned int key, const char *fmt, ...)
{
	char label[sizeof(x->label) + 64 + CONF_ECHO_MAX];
	va_list ap;

	snprintf(label, sizeof(label), "%s %s = %s:", x->label,
		 x->key_names[key], x->key_val[key]);
	va_start(ap, fmt);
	conf_vfail(x, x->key_line[key], label, fmt, ap);
	va_end(ap);
	return false;
}

/* The end of a section: what needs all of its keys. */
static bool conf_close_section(struct conf_ctx *x)
{
	switch (x->sect) {
	case CONF_SECT_NONE:
	case CONF_SECT_HUB:
	case CONF_SECT_GPIO:
	case CONF_SECT_RESIDENT:
	case CONF_SECT_SENSOR:
	case CONF_SECT_ESCALATION:
		return true;
	case CONF_SECT_RULE:
		return conf_check_rule(x);
	case CONF_SECT_RECIPIENT:
		if (!x->key_line[0])
			return conf_fail(x, x->sect_line, "%s missing 'transport' (log)",
					 x->label);
		return true;
	}
	return true;
}

/* A named section's object: unique name, room left. */
static bool conf_new_named(struct conf_ctx *x, const char *word,
			   const char *name, unsigned int *count, unsigned int max,
			   size_t stride, const void *names, size_t maxlen)
{
	char tmp[CONF_NAME_MAX];
	const char *e;

	if (!*name)
		return conf_fail(x, x->lineno, "[%s] needs a name: [%s NAME]", word, word);
	e = conf_parse_name(name, maxlen, tmp);
	if (e)
		return conf_fail(x, x->lineno, "[%s %s]: %s", word, name, e);
	for (unsigned int i = 0; i < *count; i++) {
		const char *other = (const char *)names + i * stride;

		if (!strcmp(other, tmp))
			return conf_fail(x, x->lineno, "duplicate section [%s %s]", word, tmp);
	}
	if (*count == max)
		return conf_fail(x, x->lineno, "too many [%s] sections (at most %u)", word, max);
	x->idx = (*count)++;
	memcpy((char *)names + x->idx * stride, tmp, strlen(tmp) + 1);
	return true;
}

static bool conf_single(struct conf_ctx *x, const char *word, const char *name,
			unsigned int *seen)
{
	if (*name)
		return conf_fail(x, x->lineno, "[%s] takes no name", word);
	if (*seen)
		return conf_fail(x, x->lineno, "duplicate section [%s] (first at line %u)",
				 word, *seen);
	*seen = x->lineno;
	return true;
}

/* @head: what is between '[' and ']', already checked for odd bytes. */
static bool conf_open_section(struct conf_ctx *x, char *head)
{
	struct conf *c = x->c;
	char *word = head, *name;
	size_t n;

	if (!conf_close_section(x))
		return false;
	while (*word == ' ' || *word == '\t')
		word++;
	name = word + strcspn(word, " \t");
	if (*name)
		*name++ = '\0';
	while (*name == ' ' || *name == '\t')
		name++;
	n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		name[--n] = '\0';
	if (strpbrk(name, " \t"))
		return conf_fail(x, x->lineno, "[%s %s]: names may only use A-Z a-z 0-9 _ . -",
				 word, name);
	memset(x->key_line, 0, sizeof(x->key_line));
	x->sect_line = x->lineno;
	snprintf(x->label, sizeof(x->label), "[%.20s%s%.47s]", word, *name ? " " : "", name);

	if (!strcmp(word, "hub")) {
		x->sect = CONF_SECT_HUB;
		x->key_names = conf_hub_keys;
		return conf_single(x, word, name, &x->hub_line);
	}
	if (!strcmp(word, "gpio")) {
		x->sect = CONF_SECT_GPIO;
		x->key_names = conf_gpio_keys;
		return conf_single(x, word, name, &x->gpio_line);
	}
	if (!strcmp(word, "escalation")) {
		x->sect = CONF_SECT_ESCALATION;
		x->key_names = conf_escalation_keys;
		return conf_single(x, word, name, &x->esc_line);
	}
	if (!strcmp(word, "resident")) {
		x->sect = CONF_SECT_RESIDENT;
		x->key_names = conf_resident_keys;
		if (!conf_new_named(x, word, name, &c->n_residents, CONF_RESIDENTS_MAX,
				    sizeof(c->residents[0]), c->residents[0].name,
				    CONF_NAME_MAX - 1))
			return false;
		c->residents[x->idx].line = x->lineno;
		return true;
	}
	if (!strcmp(word, "sensor")) {
		x->sect = CONF_SECT_SENSOR;
		x->key_names = conf_sensor_keys;
		if (!conf_new_named(x, word, name, &c->n_sensors, CONF_SENSORS_MAX,
				    sizeof(c->sensors[0]), c->sensors[0].name,
				    CONF_SENSOR_NAME_LEN))
			return false;
		c->sensors[x->idx].line = x->lineno;
		return true;
	}
	if (!strcmp(word, "rule")) {
		struct conf_rule *r;

		x->sect = CONF_SECT_RULE;
		x->key_names = conf_rule_keys_names;
		if (!conf_new_named(x, word, name, &c->n_rules, CONF_RULES_MAX,
				    sizeof(c->rules[0]), c->rules[0].name,
				    CONF_NAME_MAX - 1))
			return false;
		r = &c->rules[x->idx];
		r->line = x->lineno;
		r->enabled = true;
		r->active_state = 1;
		r->faults = CONF_FAULT_ALL;
		r->hr_min = 40;
		r->hr_max = 120;
		r->rr_min = 8;
		r->rr_max = 30;
		return true;
	}
	if (!strcmp(word, "recipient")) {
		struct conf_recipient *p;

		x->sect = CONF_SECT_RECIPIENT;
		x->key_names = conf_recipient_keys;
		if (!conf_new_named(x, word, name, &c->n_recipients, CONF_RECIPIENTS_MAX,
				    sizeof(c->recipients[0]), c->recipients[0].name,
				    CONF_NAME_MAX - 1))
			return false;
		p = &c->recipients[x->idx];
		p->line = x->lineno;
		p->ack_timeout_s = 120;
		p->retry_s = 10;
		return true;
	}
	x->sect = CONF_SECT_NONE;
	return conf_fail(x, x->lineno, "unknown section [%s] (hub gpio resident sensor rule recipient escalation)",
			 word);
}

static int conf_handler(void *user, const char *section, const char *name,
			const char *value)
{
	struct conf_ctx *x = user;
	char echo[CONF_ECHO_MAX + 4];
	unsigned int k;

	(void)section;	/* ours is in x: inih's copy is cut at 49 bytes */
	if (x->failed)
		return 1;
	if (x->sect == CONF_SECT_NONE) {
		conf_echo(name, echo, sizeof(echo));
		return conf_fail(x, x->lineno, "key '%s' outside any section", echo);
	}
	for (k = 0; x->key_names[k]; k++)
		if (!strcmp(x->key_names[k], name))
			break;
	if (!x->key_names[k]) {
		conf_echo(name, echo, sizeof(echo));
		return conf_fail(x, x->lineno, "%s unknown key '%s'", x->label, echo);
	}
	if (x->key_line[k])
		return conf_fail(x, x->lineno, "%s duplicate key '%s' (first at line %u)",
				 x->label, name, x->key_line[k]);
	x->key_line[k] = x->lineno;
	conf_echo(value, x->key_val[k], sizeof(x->key_val[k]));
	return conf_set_key(x, k, value);
}

/* Before inih sees a line: is it one of ours? Opens sections. */
static bool conf_screen(struct conf_ctx *x, char *s)
{
	char head[256], *end;

	if (!*s || *s == '#' || *s == ';')
		return true;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end)
			return conf_fail(x, x->lineno, "section header without ']'");
		for (char *p = end + 1; *p && *p != ';' && *p != '#'; p++)
			if (*p != ' ' && *p != '\t')
				return conf_fail(x, x->lineno, "text after section header");
		*end = '\0';
		memcpy(head, s + 1, (size_t)(end - s));
		for (char *p = head; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f ||
			    *p == ';' || *p == '[')
				if (*p != '\t')
					return conf_fail(x, x->lineno, "bad character in section header");
		*end = ']';
		return conf_open_section(x, head);
	}
	/* inih's rule: the first '=' or ':' not after an inline comment */
	for (char *p = s; *p; p++) {
		if (*p == '=')
			return p != s || conf_fail(x, x->lineno, "missing key before '='");
		if (*p == ':')
			return conf_fail(x, x->lineno, "expected 'key = value' (':' is not a separator)");
		if (*p == ';' && p > s && (p[-1] == ' ' || p[-1] == '\t'))
			break;
	}
	return conf_fail(x, x->lineno, "expected 'key = value' or '[section]'");
}

/* inih's fgets(): one line of the buffer per call, screened. */
static char *conf_reader(char *str, int num, void *stream)
{
	struct conf_ctx *x = stream;
	const char *line, *nl;
	size_t n, room = num > 2 ? (size_t)num - 2 : 0;
	char *s;

	if (x->failed || x->pos >= x->len)
		return NULL;
	line = x->buf + x->pos;
	nl = memchr(line, '\n', x->len - x->pos);
	n = nl ? (size_t)(nl - line) : x->len - x->pos;
	x->pos += n + (nl ? 1 : 0);
	x->lineno++;
	if (memchr(line, '\0', n)) {
		conf_fail(x, x->lineno, "NUL byte in line");
		return NULL;
	}
	if (!utf8_valid(line, n)) {
		conf_fail(x, x->lineno, "not valid UTF-8 (save the file as UTF-8)");
		return NULL;
	}
	if (x->lineno == 1 && n >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
		line += 3;
		n -= 3;
	}
	while (n && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (n > room) {
		conf_fail(x, x->lineno, "line too long (%zu characters, at most %zu)", n, room);
		return NULL;
	}
	s = str;
	memcpy(s, line, n);
	s[n] = '\0';
	if (!conf_screen(x, s))
		return NULL;
	s[n] = '\n';
	s[n + 1] = '\0';
	return s;
}

int conf_load_buf(const char *name, const char *buf, size_t len,
		  struct conf **out, char *err, size_t errlen)
{
	struct conf_ctx *x;
	struct conf *c;
	int rc;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	c = calloc(1, sizeof(*c));
	x = calloc(1, sizeof(*x));
	if (!c || !x) {
		free(c);
		free(x);
		snprintf(err, errlen, "%s:0: out of memory", name);
		return -ENOMEM;
	}
	x->c = c;
	x->file = name;
	x->buf = buf;
	x->len = len;
	x->err = err;
	x->errlen = errlen;
	snprintf(c->path, sizeof(c->path), "%s", name);
	snprintf(c->state_dir, sizeof(c->state_dir), "/var/lib/carehub");
	snprintf(c->socket, sizeof(c->socket), "/run/carehub/carehubd.sock");
	c->heartbeat_s = 120;
	c->repeat_s = 300;
	c->gpio.active_low = true;
	c->gpio.debounce_ms = 30;

	rc = ini_parse_stream(conf_reader, x, conf_handler, x);
	if (!x->failed && rc)
		conf_fail(x, rc > 0 ? (unsigned int)rc : 0, "cannot parse (inih error %d)", rc);
	if (!x->failed && conf_close_section(x))
		conf_finish(x);
	rc = x->failed ? -EINVAL : 0;
	free(x);
	if (rc) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* An empty or cut-off file must not run a hub that watches nothing. */
static bool conf_empty(const struct conf *c, char *err, size_t errlen)
{
	const char *what = !c->n_sensors ? "[sensor]" :
			   !c->n_rules ? "[rule]" : NULL;

	if (c->allow_empty || !what)
		return false;
	snprintf(err, errlen, "%s: no %s section: %s (an empty or truncated"
		 " file?); set 'allow_empty = yes' in [hub] if that is meant",
		 c->path, what, !c->n_sensors ? "no sensor would be watched" :
		 "no alarm could be raised");
	return true;
}

int conf_load(const char *path, struct conf **out, char *err, size_t errlen)
{
	struct stat st;
	ssize_t got = 0;
	size_t len = 0;
	char *buf;
	int fd, rc;

	*out = NULL;
	/* O_NONBLOCK: a FIFO must not hang the check; refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s:0: %s", path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > CONF_FILE_MAX) {
		close(fd);
		snprintf(err, errlen, "%s:0: not a regular file of at most 1 MiB", path);
		return -EINVAL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "%s:0: out of memory", path);
		return -ENOMEM;
	}
	while (len <= (size_t)st.st_size) {	/* a file that grew: stop at limit */
		got = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	rc = got < 0 ? -errno : 0;
	close(fd);
	if (rc) {
		snprintf(err, errlen, "%s:0: %s", path, strerror(-rc));
		free(buf);
		return rc;
	}
	if (len > (size_t)st.st_size) {
		snprintf(err, errlen, "%s:0: file changed while being read", path);
		free(buf);
		return -EINVAL;
	}
	rc = conf_load_buf(path, buf, len, out, err, errlen);
	free(buf);
	if (!rc && conf_empty(*out, err, errlen)) {
		conf_free(*out);
		*out = NULL;
		rc = -EINVAL;
	}
	return rc;
}


void conf_free(struct conf *c)
{
	free(c);
}

int conf_sensor_find(const struct conf *c, const char *name)
{
	for (unsigned int i = 0; i < c->n_sensors; i++)
		if (!strcmp(c->sensors[i].name, name))
			return (int)i;
	return -1;
}

int conf_rule_find(const struct conf *c, const char *name)
{
	for (unsigned int i = 0; i < c->n_rules; i++)
		if (!strcmp(c->rules[i].name, name))
			return (int)i;
	return -1;
}
