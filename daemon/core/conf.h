/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * conf: carehubd's configuration, /etc/carehub/carehubd.conf (prefix conf_).
 *
 * The file is INI (parsed with inih). conf_load() parses a whole file into
 * a fresh struct conf and validates it; nothing global is touched, so
 * SIGHUP can parse the new file and swap it in only on success. Every
 * error names the place: "FILE:LINE: message" (LINE 0 for errors about
 * the file as a whole, e.g. a rule naming a sensor that no section
 * declares). conf_load() stops at the first error.
 *
 * Sections (full reference with defaults: carehubd.conf(5)):
 *
 *	[hub]			name, state_dir, socket, heartbeat ...
 *	[gpio]			the hub's own button / buzzer / LED line names
 *	[resident NAME]		one per person (usually one); account
 *	[sensor NAME]		a kernel sensor by its configfs/DT name
 *	[rule NAME]		type = sos | bed-exit | ... and its parameters
 *	[recipient NAME]	transport = log | ... ; ack_timeout
 *	[escalation]		chain = recipient, recipient, ...
 *
 * Durations are written as an integer with a unit: "90s", "20m", "14h",
 * "2d" (or a bare integer of seconds); clock times as "HH:MM" (24 h, local
 * wall time); windows as "HH:MM-HH:MM" (may cross midnight; equal ends
 * are an error). Booleans: yes/no, true/false, on/off, 1/0.
 * Unknown sections and keys are errors (a typo must not silently disable
 * an alarm).
 */
#ifndef CONF_H
#define CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONF_NAME_MAX		48	/* names of sections, incl. NUL */
#define CONF_TEXT_MAX		128	/* free text values, incl. NUL */
#define CONF_PATH_MAX		256
#define CONF_SENSORS_MAX	64
#define CONF_RULES_MAX		64
#define CONF_RESIDENTS_MAX	8
#define CONF_RECIPIENTS_MAX	16
#define CONF_RULE_SENSORS_MAX	16

/* Minutes since local midnight, 0..1439. */
typedef uint16_t conf_tod;

/* A daily window of local wall time, [start, end); end < start crosses midnight. */
struct conf_window {
	bool set;		/* false: always active */
	conf_tod start;
	conf_tod end;
};

enum conf_rule_type {
	CONF_RULE_SOS,			/* sensors of kind sos + hub call button */
	CONF_RULE_BED_EXIT,		/* out of bed in window, not back within absence */
	CONF_RULE_NOT_IN_BED_BY,	/* bed not occupied at time */
	CONF_RULE_NOT_UP_BY,		/* bed still occupied at time */
	CONF_RULE_DOOR_NIGHT,		/* door opened in window */
	CONF_RULE_DOOR_OPEN,		/* door open longer than max (in window) */
	CONF_RULE_NO_ACTIVITY,		/* no activity-sensor change for max */
	CONF_RULE_TOO_LONG,		/* toilet/bathroom active longer than max */
	CONF_RULE_SENSOR_FAULT,		/* chatter/stuck/offline/disappeared */
	CONF_RULE_SENSOR_SILENT,	/* no state change for max */
	CONF_RULE_LINK_DOWN,		/* receivers unreachable for max */
	CONF_RULE_PERIODIC_TEST,	/* daily test report at time */
	CONF_RULE_VITALS,		/* HR/RR out of range for max while in bed */
};
#define CONF_RULE_TYPES	(CONF_RULE_VITALS + 1)

/**
 * struct conf_rule - one [rule NAME] section
 * @name: section name, unique among rules; identifies the rule's alarms
 * @type: what it watches
 * @enabled: "enabled = no" keeps a rule in the file but off
 * @resident: index into conf.residents
 * @sensors: indexes into conf.sensors the rule watches ("sensor = a, b");
 *	defaults when absent: sos - every sensor of kind sos; bed-exit,
 *	not-in-bed-by, not-up-by, vitals - the resident's bed/pad sensors;
 *	door-* - the resident's door sensors; too-long - the resident's
 *	toilet sensors; no-activity - the resident's sensors with activity
 *	= yes; sensor-fault, sensor-silent - every sensor of the resident.
 *	A rule whose default set is empty is an error (LINE of the section).
 * @n_sensors: entries in @sensors
 * @window: "window = 22:00-07:00": when the rule is armed (bed-exit,
 *	door-night, door-open, too-long, no-activity, vitals); unset: always
 * @at: "time = 22:30" (not-in-bed-by, not-up-by, periodic-test)
 * @max_s: "max = 20m": absence (bed-exit, 1..99 min), open (door-open),
 *	quiet (no-activity, 30 min..50 h), occupied (too-long), silent
 *	(sensor-silent), down (link-down), sustained (vitals)
 * @prealarm_s: "prealarm = 10m": local buzzer/LED warning before raising;
 *	the hub's Cancel button stops it (0: none). Defaults: no-activity
 *	10 min, bed-exit 2 min, others 0. Not allowed for sos.
 * @realarm_s: "realarm = 30m": raise again while the condition holds
 *	(bed-exit, door-open, too-long, no-activity); 0: never
 * @override_s: "override = 15m" (door-night, door-open): pressing the hub's
 *	Cancel button while nothing is pending disarms the rule for this
 *	long - a carer leaving at night; 0: no override
 * @active_state: too-long: the state that means "occupied" (1 = closed /
 *	occupied, default; 0 for a bathroom door left open when free)
 * @faults: sensor-fault: CONF_FAULT_* bits watched (default all)
 * @hr_min, @hr_max, @rr_min, @rr_max: vitals range (per minute)
 * @code: Contact ID event code sent to receivers (default by type, see
 *	conf_rule_default_code())
 * @text: "text = ...": operator's wording of the alarm; default by type
 * @line: line of the [rule] header, for messages
 */
struct conf_rule {
	char name[CONF_NAME_MAX];
	enum conf_rule_type type;
	bool enabled;
	unsigned int resident;
	unsigned int sensors[CONF_RULE_SENSORS_MAX];
	unsigned int n_sensors;
	struct conf_window window;
	conf_tod at;
	uint32_t max_s;
	uint32_t prealarm_s;
	uint32_t realarm_s;
	uint32_t override_s;
	uint8_t active_state;
	uint32_t faults;
	uint16_t hr_min, hr_max, rr_min, rr_max;
	uint16_t code;
	char text[CONF_TEXT_MAX];
	unsigned int line;
};

/* sensor-fault bits: the kernel's CAREHUB_FAULT_* plus what the daemon sees */
#define CONF_FAULT_CHATTER	0x1	/* == CAREHUB_FAULT_CHATTER */
#define CONF_FAULT_STUCK	0x2	/* == CAREHUB_FAULT_STUCK */
#define CONF_FAULT_OFFLINE	0x4	/* == CAREHUB_FAULT_OFFLINE */
#define CONF_FAULT_MISSING	0x100	/* configured but not in the kernel */
#define CONF_FAULT_ALL		0x107

/**
 * struct conf_sensor - one [sensor NAME] section
 * @name: the kernel sensor's name (configfs directory / DT node name)
 * @resident: index into conf.residents ("resident = NAME"; default: the
 *	only resident; required when there are several)
 * @zone: zone number sent to receivers, 1..999 ("zone = 3"); default:
 *	position in the file, from 1
 * @activity: counts as activity for no-activity ("activity = yes");
 *	default yes for door, bed, pad, toilet, contact; no for sos
 * @kind: expected kind, CAREHUB_KIND_* ("kind = door"); 0 = any. A
 *	sensor that appears with another kind is reported as a fault.
 * @label: operator's text for messages; default the name
 */
struct conf_sensor {
	char name[CONF_NAME_MAX];
	unsigned int resident;
	uint16_t zone;
	bool activity;
	uint32_t kind;
	char label[CONF_TEXT_MAX];
	unsigned int line;
};

struct conf_resident {
	char name[CONF_NAME_MAX];
	char account[17];	/* "account = 1234": DC-09 account, hex digits, 3..16 */
	unsigned int line;
};

enum conf_transport {
	CONF_TRANSPORT_LOG,	/* the journal (stderr under systemd) */
};

/**
 * struct conf_recipient - one [recipient NAME] section
 * @transport: how messages reach it
 * @ack_timeout_s: after delivery, how long to wait for a person's
 *	acknowledgement before escalating to the next in the chain
 *	("ack_timeout = 2m", default 120 s, 10 s .. 1 h)
 * @retry_s: delivery retry interval after a failure (default 10 s)
 */
struct conf_recipient {
	char name[CONF_NAME_MAX];
	enum conf_transport transport;
	uint32_t ack_timeout_s;
	uint32_t retry_s;
	unsigned int line;
};

/* The hub's own controls, by GPIO line name; "" = not fitted. */
struct conf_gpio {
	char sos_button[CONF_NAME_MAX];
	char cancel_button[CONF_NAME_MAX];
	char buzzer[CONF_NAME_MAX];
	char led[CONF_NAME_MAX];
	bool active_low;	/* buttons pull the line low (default yes) */
	uint32_t debounce_ms;	/* default 30 */
};

/**
 * struct conf - everything carehubd.conf says, after validation
 * @path: the file it came from
 * @hub_name: "[hub] name": shown to recipients (default: hostname)
 * @state_dir: SQLite store lives here (default /var/lib/carehub)
 * @socket: control socket path (default /run/carehub/carehubd.sock)
 * @heartbeat_s: online accounting granularity and supervision heartbeat
 *	(default 120 s, 30 s .. 1 h)
 * @timezone: IANA zone for windows (default: the system's, i.e. TZ/
 *	/etc/localtime); "" = system
 * @chain: escalation order, indexes into @recipients; default: every
 *	recipient in file order
 * @repeat_s: after the chain is exhausted, start again from the first
 *	recipient after this long (default 5 min; 0 = stop, alarm stays open)
 */
struct conf {
	char path[CONF_PATH_MAX];
	char hub_name[CONF_NAME_MAX];
	char state_dir[CONF_PATH_MAX];
	char socket[CONF_PATH_MAX];
	bool allow_empty;	/* [hub] allow_empty: no sensor / rule is fine */
	uint32_t heartbeat_s;
	char timezone[CONF_NAME_MAX];
	struct conf_gpio gpio;
	struct conf_resident residents[CONF_RESIDENTS_MAX];
	unsigned int n_residents;
	struct conf_sensor sensors[CONF_SENSORS_MAX];
	unsigned int n_sensors;
	struct conf_rule rules[CONF_RULES_MAX];
	unsigned int n_rules;
	struct conf_recipient recipients[CONF_RECIPIENTS_MAX];
	unsigned int n_recipients;
	unsigned int chain[CONF_RECIPIENTS_MAX];
	unsigned int n_chain;
	uint32_t repeat_s;
};

/*
 * conf_load() - parse and validate @path into a newly allocated *@out.
 * Return 0, or -errno (-ENOENT / -EACCES for the file, -EINVAL for its
 * content) with "FILE:LINE: message" in @err. *@out is NULL on failure.
 * A file that is not a regular file (a FIFO, a directory) is refused
 * without blocking; so is one without a [sensor] or a [rule] section
 * unless [hub] allow_empty = yes: an empty or truncated file must not
 * replace a working configuration.
 */
int conf_load(const char *path, struct conf **out, char *err, size_t errlen);
/* The same from memory (tests, fuzzing); @name is used as FILE in messages. */
int conf_load_buf(const char *name, const char *buf, size_t len,
		  struct conf **out, char *err, size_t errlen);
void conf_free(struct conf *c);

/* Write @c in canonical form (every key, defaults resolved): golden files. */
void conf_dump(const struct conf *c, FILE *f);

/* Index of the sensor / rule named @name, or -1. */
int conf_sensor_find(const struct conf *c, const char *name);
int conf_rule_find(const struct conf *c, const char *name);

/* "sos", "bed-exit", ... and back (-1 if unknown). */
const char *conf_rule_type_name(enum conf_rule_type t);
int conf_rule_type_parse(const char *s);
/*
 * Contact ID code per type: sos 101, bed-exit 150, not-in-bed-by 641,
 * not-up-by 641, door-night 150, door-open 134, no-activity 641, too-long
 * 150, sensor-fault 380 (stuck/chatter) - 381 for offline/missing is
 * chosen by the engine, sensor-silent 381, link-down 350, periodic-test
 * 602, vitals 100.
 */
/* Inline: the rule engine uses it too and is built without conf.c. */
static inline uint16_t conf_rule_default_code(enum conf_rule_type t)
{
	switch (t) {
	case CONF_RULE_SOS:		return 101;
	case CONF_RULE_BED_EXIT:	return 150;
	case CONF_RULE_NOT_IN_BED_BY:	return 641;
	case CONF_RULE_NOT_UP_BY:	return 641;
	case CONF_RULE_DOOR_NIGHT:	return 150;
	case CONF_RULE_DOOR_OPEN:	return 134;
	case CONF_RULE_NO_ACTIVITY:	return 641;
	case CONF_RULE_TOO_LONG:	return 150;
	case CONF_RULE_SENSOR_FAULT:	return 380;
	case CONF_RULE_SENSOR_SILENT:	return 381;
	case CONF_RULE_LINK_DOWN:	return 350;
	case CONF_RULE_PERIODIC_TEST:	return 602;
	case CONF_RULE_VITALS:		return 100;
	}
	return 0;
}

#endif /* CONF_H */
