/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sensor: what the pipeline knows of one sensor, and the one user-space
 * table of the kernel's sensor vocabulary (prefix sensor_).
 *
 * struct sensor is a plain value: the netlink client (daemon/kernel/)
 * makes one from each kernel message, the replay from each scenario line,
 * and core, the rule engine and the control socket's answers read it. No
 * stage needs another stage's types to describe a sensor.
 *
 * The names (kinds, states, faults) are the words of carehub.h and of
 * docs/kernel-abi.md; the config parser, the daemon's replies and
 * carehubctl all use these, so a kind has one spelling in user space.
 */
#ifndef SENSOR_H
#define SENSOR_H

#include <stdbool.h>
#include <stdint.h>

#include <uapi/linux/carehub.h>

/**
 * struct sensor_state - a sensor's level-based state, all the rules need
 * @present: false: the sensor is gone (removed, or missing from a dump)
 * @kind: enum carehub_kind (unknown values kept)
 * @state: 1 closed / pressed / occupied, 0 not
 * @faults: CAREHUB_FAULT_* bits
 * @since_ns: CLOCK_BOOTTIME when the state settled; after a daemon
 *	restart it still tells how long the bed has been empty
 */
struct sensor_state {
	bool present;
	uint32_t kind;
	uint8_t state;
	uint32_t faults;
	uint64_t since_ns;
};

/**
 * struct sensor - one sensor as an input stage reports it
 * @id: the kernel's id (>= 1); a scenario's sensor has its config index + 1
 * @name: configfs / device-tree name, the key the config uses
 * @label: the operator's label, may be empty; bytes as the kernel has them
 * @st: its state
 */
struct sensor {
	uint32_t id;
	char name[CAREHUB_NAME_MAX];
	char label[CAREHUB_LABEL_MAX];
	struct sensor_state st;
};

/* "door", ...; NULL for a kind this table does not know. */
const char *sensor_kind_name(uint32_t kind);
/*
 * A kind by name, or "any" (kind 0 = contact, the header's "0 = any").
 * Return 0 or -EINVAL; SENSOR_KINDS_HELP lists the words for messages.
 */
int sensor_kind_parse(const char *s, uint32_t *out);
#define SENSOR_KINDS_HELP	"contact door sos bed toilet pad, or any"
/* "closed"/"open", "pressed"/"released", "occupied"/"empty", ... */
const char *sensor_state_name(uint32_t kind, unsigned int state);
/* One CAREHUB_FAULT_* bit: "chatter", "stuck", "offline"; NULL if unknown. */
const char *sensor_fault_name(uint32_t bit);

#endif /* SENSOR_H */
