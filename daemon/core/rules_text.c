// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rules_text: the one line a person reads for an alarm - what, where
 * (the sensor's label), for how long in minutes, since what local time:
 *
 *	Bed exit at night: Bedroom bed empty for 20 min (since 02:14)
 *
 * The rule's own "text =" replaces the title before the colon; the
 * evidence after it is always the engine's.
 */
#include <stdio.h>

#include "rules_int.h"

static const char *rules_title(enum conf_rule_type t)
{
	switch (t) {
	case CONF_RULE_SOS:		return "SOS call";
	case CONF_RULE_BED_EXIT:	return "Bed exit at night";
	case CONF_RULE_NOT_IN_BED_BY:	return "Not in bed";
	case CONF_RULE_NOT_UP_BY:	return "Not up";
	case CONF_RULE_DOOR_NIGHT:	return "Door opened at night";
	case CONF_RULE_DOOR_OPEN:	return "Door left open";
	case CONF_RULE_NO_ACTIVITY:	return "No activity";
	case CONF_RULE_TOO_LONG:	return "Occupied too long";
	case CONF_RULE_SENSOR_FAULT:	return "Sensor fault";
	case CONF_RULE_SENSOR_SILENT:	return "Sensor silent";
	case CONF_RULE_LINK_DOWN:	return "Link down";
	case CONF_RULE_PERIODIC_TEST:	return "Periodic test";
	case CONF_RULE_VITALS:		return "Abnormal vital signs";
	}
	return "Alarm";
}

static const char *rules_fault_word(const struct rules *r,
				    const struct rules_inst *in)
{
	const struct rules_sens *se = &r->sens[in->sensor];
	uint32_t f = se->s.faults;

	if (!se->present)
		return "missing";
	if (f & CONF_FAULT_OFFLINE)
		return "offline";
	if (f & CONF_FAULT_CHATTER)
		return "chattering";
	if (f & CONF_FAULT_STUCK)
		return "stuck";
	if (se->s.kind != r->c->sensors[in->sensor].kind)
		return "wrong kind";
	return "healthy";
}

/*
 * How long, for people: "45 s" under a minute (short pre-alarms and
 * door rules), "20 min" under two hours, "13 h 05 min" beyond.
 */
static void rules_dur(uint64_t ns, char *buf, size_t len)
{
	unsigned long long s = ns / RULES_NS, min = s / 60;

	if (s < 60)
		snprintf(buf, len, "%llu s", s);
	else if (min < 120)
		snprintf(buf, len, "%llu min", min);
	else
		snprintf(buf, len, "%llu h %02llu min", min / 60, min % 60);
}

void rules_text(const struct rules *r, const struct rules_inst *in,
		uint64_t at_mono, char *buf, unsigned int len)
{
	const struct conf_rule *rule = &r->c->rules[in->rule];
	const struct conf_sensor *cs = in->sensor >= 0 ?
				       &r->c->sensors[in->sensor] : NULL;
	const char *label = cs ? (cs->label[0] ? cs->label : cs->name) :
			    "hub button";
	const char *title = rule->text[0] ? rule->text : rules_title(rule->type);
	uint64_t now = r->now.mono_ns;
	char since[8], at[8], dur[24];
	const struct rules_sens *se = in->sensor >= 0 ?
				      &r->sens[in->sensor] : NULL;

	rules_hhmm(rules_mono_to_wall(&r->now, at_mono), since, sizeof(since));
	rules_dur(now > at_mono ? now - at_mono : 0, dur, sizeof(dur));
	snprintf(at, sizeof(at), "%02u:%02u", rule->at / 60u % 24,
		 rule->at % 60u);
	switch (rule->type) {
	case CONF_RULE_SOS:
		snprintf(buf, len, "%s: %s pressed at %s", title, label, since);
		return;
	case CONF_RULE_BED_EXIT:
		snprintf(buf, len, "%s: %s empty for %s (since %s)",
			 title, label, dur, since);
		return;
	case CONF_RULE_NOT_IN_BED_BY:
		snprintf(buf, len, "%s by %s: %s empty (since %s)", title, at,
			 label, since);
		return;
	case CONF_RULE_NOT_UP_BY:
		snprintf(buf, len, "%s by %s: %s occupied (since %s)", title,
			 at, label, since);
		return;
	case CONF_RULE_DOOR_NIGHT:
		snprintf(buf, len, "%s: %s opened at %s", title, label, since);
		return;
	case CONF_RULE_DOOR_OPEN:
		snprintf(buf, len, "%s: %s open for %s (since %s)",
			 title, label, dur, since);
		return;
	case CONF_RULE_NO_ACTIVITY:
		snprintf(buf, len, "%s: no sensor change for %s (since %s)",
			 title, dur, since);
		return;
	case CONF_RULE_TOO_LONG:
		snprintf(buf, len, "%s: %s occupied for %s (since %s)",
			 title, label, dur, since);
		return;
	case CONF_RULE_SENSOR_FAULT:
		snprintf(buf, len, "%s: %s %s (since %s)", title, label,
			 rules_fault_word(r, in), since);
		return;
	case CONF_RULE_SENSOR_SILENT:
		snprintf(buf, len, "%s: %s unchanged for %s (since %s)",
			 title, label, dur, since);
		return;
	case CONF_RULE_LINK_DOWN:
		snprintf(buf, len, "%s: receivers unreachable for %s "
			 "(since %s)", title, dur, since);
		return;
	case CONF_RULE_PERIODIC_TEST:
		snprintf(buf, len, "%s: hub alive at %s", title, since);
		return;
	case CONF_RULE_VITALS:
		snprintf(buf, len, "%s: %s heart rate %u/min, breathing %u/min "
			 "for %s (since %s)", title, label, se->hr, se->rr,
			 dur, since);
		return;
	}
	snprintf(buf, len, "%s", title);
}
