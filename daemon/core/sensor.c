// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sensor: the kernel's sensor vocabulary, once for user space. See sensor.h.
 */
#include <errno.h>
#include <string.h>

#include "sensor.h"

static const char *const sensor_kinds[] = {
	[CAREHUB_KIND_CONTACT] = "contact",
	[CAREHUB_KIND_DOOR] = "door",
	[CAREHUB_KIND_SOS] = "sos",
	[CAREHUB_KIND_BED] = "bed",
	[CAREHUB_KIND_TOILET] = "toilet",
	[CAREHUB_KIND_PAD] = "pad",
};

#define SENSOR_N_KINDS	(sizeof(sensor_kinds) / sizeof(sensor_kinds[0]))
_Static_assert(SENSOR_N_KINDS == __CAREHUB_KIND_MAX, "a kind without a name");

const char *sensor_kind_name(uint32_t kind)
{
	return kind < SENSOR_N_KINDS ? sensor_kinds[kind] : NULL;
}

int sensor_kind_parse(const char *s, uint32_t *out)
{
	if (!strcmp(s, "any")) {
		*out = CAREHUB_KIND_CONTACT;
		return 0;
	}
	for (uint32_t k = 0; k < SENSOR_N_KINDS; k++) {
		if (!strcmp(s, sensor_kinds[k])) {
			*out = k;
			return 0;
		}
	}
	return -EINVAL;
}

const char *sensor_state_name(uint32_t kind, unsigned int state)
{
	bool on = state != 0;

	if (kind > CAREHUB_KIND_MAX)
		return on ? "active" : "inactive";
	switch ((enum carehub_kind)kind) {
	case CAREHUB_KIND_CONTACT:
	case CAREHUB_KIND_DOOR:
		return on ? "closed" : "open";
	case CAREHUB_KIND_SOS:
		return on ? "pressed" : "released";
	case CAREHUB_KIND_BED:
	case CAREHUB_KIND_PAD:
		return on ? "occupied" : "empty";
	case CAREHUB_KIND_TOILET:
		return on ? "occupied" : "free";
	case __CAREHUB_KIND_MAX:
		break;
	}
	return on ? "active" : "inactive";
}

const char *sensor_fault_name(uint32_t bit)
{
	switch (bit) {
	case CAREHUB_FAULT_CHATTER:
		return "chatter";
	case CAREHUB_FAULT_STUCK:
		return "stuck";
	case CAREHUB_FAULT_OFFLINE:
		return "offline";
	}
	return NULL;
}
