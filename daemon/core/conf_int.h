/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf_int: what conf.c (reading, sections, keys), conf_parse.c (values)
 * and conf_check.c (per-section checks, defaults, references, dump) share.
 * Private to the conf module; nothing outside daemon/conf*.c includes it.
 */
#ifndef CONF_INT_H
#define CONF_INT_H

#include <stdarg.h>

#include "conf.h"

/* The kernel's sensor names hold at most this many characters. */
#define CONF_SENSOR_NAME_LEN	31
/* Longest value echoed back in an error message. */
#define CONF_ECHO_MAX		40
#define CONF_KEYS_MAX		20

enum conf_sect {
	CONF_SECT_NONE,
	CONF_SECT_HUB,
	CONF_SECT_GPIO,
	CONF_SECT_RESIDENT,
	CONF_SECT_SENSOR,
	CONF_SECT_RULE,
	CONF_SECT_RECIPIENT,
	CONF_SECT_ESCALATION,
};

/* Keys of [rule]: the order of conf.c's rule key table. */
enum conf_rkey {
	CONF_RK_TYPE, CONF_RK_ENABLED, CONF_RK_RESIDENT, CONF_RK_SENSOR,
	CONF_RK_WINDOW, CONF_RK_TIME, CONF_RK_MAX, CONF_RK_PREALARM,
	CONF_RK_REALARM, CONF_RK_OVERRIDE, CONF_RK_ACTIVE_STATE,
	CONF_RK_FAULTS, CONF_RK_HR_MIN, CONF_RK_HR_MAX, CONF_RK_RR_MIN,
	CONF_RK_RR_MAX, CONF_RK_CODE, CONF_RK_TEXT,
	CONF_RK_COUNT
};
#define CONF_RK(k)	(1U << (k))

/* Names a section gave for another section, resolved once all are read. */
struct conf_ref {
	char names[CONF_RULE_SENSORS_MAX][CONF_NAME_MAX];
	unsigned int n;
	unsigned int line;	/* of the key; 0: not given */
};

/* One parse: the struct being filled, the input, the first error. */
struct conf_ctx {
	struct conf *c;
	const char *file;
	const char *buf;
	size_t len, pos;
	unsigned int lineno;	/* line last handed to inih */
	bool failed;
	char *err;
	size_t errlen;

	/* the section being read */
	enum conf_sect sect;
	unsigned int idx;		/* its object's index */
	unsigned int sect_line;
	char label[CONF_NAME_MAX + 32];	/* "[rule night-exit]" */
	unsigned int key_line[CONF_KEYS_MAX];
	char key_val[CONF_KEYS_MAX][CONF_ECHO_MAX + 4];
	const char *const *key_names;

	/* single sections seen (at their header line) */
	unsigned int hub_line, gpio_line, esc_line;

	/* what is resolved at the end */
	struct conf_ref sensor_res[CONF_SENSORS_MAX];
	bool sensor_zone_set[CONF_SENSORS_MAX];
	bool sensor_activity_set[CONF_SENSORS_MAX];
	bool sensor_label_set[CONF_SENSORS_MAX];
	struct conf_ref rule_res[CONF_RULES_MAX];
	struct conf_ref rule_sensors[CONF_RULES_MAX];
	struct conf_ref chain;
	unsigned int repeat_line;
};

/* conf.c */
bool conf_fail(struct conf_ctx *x, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool conf_key_fail(struct conf_ctx *x, unsigned int key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* conf_keys.c: key tables (NULL-terminated) and their setters */
extern const char *const conf_hub_keys[];
extern const char *const conf_gpio_keys[];
extern const char *const conf_resident_keys[];
extern const char *const conf_sensor_keys[];
extern const char *const conf_rule_keys_names[CONF_RK_COUNT + 1];
extern const char *const conf_recipient_keys[];
extern const char *const conf_escalation_keys[];
bool conf_set_key(struct conf_ctx *x, unsigned int k, const char *value);

/* conf_parse.c: each returns NULL on success or a phrase for the message */
const char *conf_parse_name(const char *s, size_t maxlen, char *out);
const char *conf_parse_text(const char *s, char *out, size_t size);
const char *conf_parse_path(const char *s, size_t maxlen, char *out);
const char *conf_parse_uint(const char *s, uint32_t lo, uint32_t hi,
			    uint32_t *out);
const char *conf_parse_duration(const char *s, uint32_t *out);
const char *conf_parse_bool(const char *s, bool *out);
const char *conf_parse_tod(const char *s, conf_tod *out);
const char *conf_parse_window(const char *s, struct conf_window *out);
const char *conf_parse_kind(const char *s, uint32_t *out);
const char *conf_parse_faults(const char *s, uint32_t *out);
const char *conf_parse_list(const char *s, struct conf_ref *out);
const char *conf_parse_account(const char *s, char *out);
const char *conf_parse_timezone(const char *s, char *out);
void conf_echo(const char *s, char *out, size_t size);
/* "20m", "90s", "0": the largest unit that divides @s exactly */
void conf_fmt_duration(uint32_t s, char *out, size_t size);
const char *conf_kind_name(uint32_t kind);
const char *conf_rule_default_text(enum conf_rule_type t);

/* conf_check.c */
bool conf_check_rule(struct conf_ctx *x);	/* at the end of a [rule] */
bool conf_finish(struct conf_ctx *x);		/* after the last line */
uint32_t conf_rule_keys(enum conf_rule_type t);

#endif /* CONF_INT_H */
