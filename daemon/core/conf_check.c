// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conf_check: what needs more than one line of carehubd.conf - a rule's
 * keys against its type, defaults that depend on other sections, names
 * that point at other sections - and conf_dump(), the canonical form.
 * Errors about a reference between sections name LINE 0 (the file as a
 * whole, as conf.h says) and give the key's own line in the message.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <unistd.h>

#include <uapi/linux/carehub.h>

#include "conf_int.h"

#define K(x)	CONF_RK(CONF_RK_##x)
#define KIND(x)	(1U << CAREHUB_KIND_##x)
#define CONF_RK_COMMON	(K(TYPE) | K(ENABLED) | K(RESIDENT) | K(CODE) | K(TEXT))

/* Which keys a rule type takes. */
uint32_t conf_rule_keys(enum conf_rule_type t)
{
	switch (t) {
	case CONF_RULE_SOS:
		return CONF_RK_COMMON | K(SENSOR);
	case CONF_RULE_BED_EXIT:
	case CONF_RULE_NO_ACTIVITY:
		return CONF_RK_COMMON | K(SENSOR) | K(WINDOW) | K(MAX) |
		       K(PREALARM) | K(REALARM);
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
		return CONF_RK_COMMON | K(SENSOR) | K(TIME) | K(PREALARM);
	case CONF_RULE_DOOR_NIGHT:
		return CONF_RK_COMMON | K(SENSOR) | K(WINDOW) | K(PREALARM) |
		       K(OVERRIDE);
	case CONF_RULE_DOOR_OPEN:
		return CONF_RK_COMMON | K(SENSOR) | K(WINDOW) | K(MAX) |
		       K(PREALARM) | K(REALARM) | K(OVERRIDE);
	case CONF_RULE_TOO_LONG:
		return CONF_RK_COMMON | K(SENSOR) | K(WINDOW) | K(MAX) |
		       K(PREALARM) | K(REALARM) | K(ACTIVE_STATE);
	case CONF_RULE_SENSOR_FAULT:
		return CONF_RK_COMMON | K(SENSOR) | K(FAULTS);
	case CONF_RULE_SENSOR_SILENT:
		return CONF_RK_COMMON | K(SENSOR) | K(MAX);
	case CONF_RULE_LINK_DOWN:
		return CONF_RK_COMMON | K(MAX);
	case CONF_RULE_PERIODIC_TEST:
		return CONF_RK_COMMON | K(TIME);
	case CONF_RULE_VITALS:
		return CONF_RK_COMMON | K(SENSOR) | K(WINDOW) | K(MAX) |
		       K(PREALARM) | K(HR_MIN) | K(HR_MAX) | K(RR_MIN) | K(RR_MAX);
	}
	return 0;
}

/* The key a type cannot do without, or CONF_RK_COUNT. */
static enum conf_rkey conf_rule_required(enum conf_rule_type t)
{
	switch (t) {
	case CONF_RULE_SOS:
	case CONF_RULE_SENSOR_FAULT:
		return CONF_RK_COUNT;
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
	case CONF_RULE_PERIODIC_TEST:
		return CONF_RK_TIME;
	case CONF_RULE_DOOR_NIGHT:
		return CONF_RK_WINDOW;
	case CONF_RULE_BED_EXIT:
	case CONF_RULE_DOOR_OPEN:
	case CONF_RULE_NO_ACTIVITY:
	case CONF_RULE_TOO_LONG:
	case CONF_RULE_SENSOR_SILENT:
	case CONF_RULE_LINK_DOWN:
	case CONF_RULE_VITALS:
		return CONF_RK_MAX;
	}
	return CONF_RK_COUNT;
}

/* Range of "max" per type, and how to say it. */
static void conf_max_range(enum conf_rule_type t, uint32_t *lo, uint32_t *hi,
			   const char **what)
{
	*lo = 1;
	*hi = 30 * 86400;
	*what = "max must be 1s..30d";
	switch (t) {
	case CONF_RULE_BED_EXIT:
		*lo = 60, *hi = 99 * 60;
		*what = "bed-exit absence must be 1..99 minutes";
		break;
	case CONF_RULE_DOOR_OPEN:
		*lo = 10, *hi = 86400;
		*what = "door-open time must be 10s..24h";
		break;
	case CONF_RULE_NO_ACTIVITY:
		*lo = 30 * 60, *hi = 50 * 3600;
		*what = "no-activity time must be 30m..50h";
		break;
	case CONF_RULE_TOO_LONG:
		*lo = 60, *hi = 86400;
		*what = "too-long time must be 1m..24h";
		break;
	case CONF_RULE_SENSOR_SILENT:
		*lo = 600, *hi = 30 * 86400;
		*what = "sensor-silent time must be 10m..30d";
		break;
	case CONF_RULE_LINK_DOWN:
		*lo = 30, *hi = 86400;
		*what = "link-down time must be 30s..24h";
		break;
	case CONF_RULE_VITALS:
		*lo = 60, *hi = 3600;
		*what = "vitals must be out of range for 1m..1h";
		break;
	case CONF_RULE_SOS:
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
	case CONF_RULE_DOOR_NIGHT:
	case CONF_RULE_SENSOR_FAULT:
	case CONF_RULE_PERIODIC_TEST:
		break;
	}
}

bool conf_check_rule(struct conf_ctx *x)
{
	struct conf_rule *r = &x->c->rules[x->idx];
	const char *tn, *what;
	uint32_t keys, lo, hi;
	unsigned int bad = CONF_RK_COUNT;
	enum conf_rkey need;

	if (!x->key_line[CONF_RK_TYPE])
		return conf_fail(x, x->sect_line, "%s missing 'type'", x->label);
	tn = conf_rule_type_name(r->type);
	keys = conf_rule_keys(r->type);
	/* the first offending key in the file, not in the table */
	for (unsigned int k = 0; k < CONF_RK_COUNT; k++)
		if (x->key_line[k] && !(keys & CONF_RK(k)) &&
		    (bad == CONF_RK_COUNT || x->key_line[k] < x->key_line[bad]))
			bad = k;
	if (bad != CONF_RK_COUNT) {
		if (r->type == CONF_RULE_SOS && bad == CONF_RK_PREALARM)
			return conf_key_fail(x, bad, "prealarm is not allowed for sos rules (an SOS call is never delayed)");
		return conf_key_fail(x, bad, "'%s' does not apply to %s rules",
				     x->key_names[bad], tn);
	}
	need = conf_rule_required(r->type);
	if (need != CONF_RK_COUNT && !x->key_line[need])
		return conf_fail(x, x->sect_line, "%s %s rules need '%s'", x->label,
				 tn, x->key_names[need]);
	if (x->key_line[CONF_RK_MAX]) {
		conf_max_range(r->type, &lo, &hi, &what);
		if (r->max_s < lo || r->max_s > hi)
			return conf_key_fail(x, CONF_RK_MAX, "%s", what);
	}
	if (r->prealarm_s > 3600)
		return conf_key_fail(x, CONF_RK_PREALARM, "prealarm must be 0..1h");
	if (r->realarm_s && (r->realarm_s < 60 || r->realarm_s > 86400))
		return conf_key_fail(x, CONF_RK_REALARM, "realarm must be 0 (never) or 1m..24h");
	if (r->override_s > 12 * 3600)
		return conf_key_fail(x, CONF_RK_OVERRIDE, "override must be 0..12h");
	if (r->hr_min >= r->hr_max)
		return conf_fail(x, x->key_line[CONF_RK_HR_MAX] ? x->key_line[CONF_RK_HR_MAX] :
				 x->key_line[CONF_RK_HR_MIN], "%s hr_min (%u) must be below hr_max (%u)",
				 x->label, r->hr_min, r->hr_max);
	if (r->rr_min >= r->rr_max)
		return conf_fail(x, x->key_line[CONF_RK_RR_MAX] ? x->key_line[CONF_RK_RR_MAX] :
				 x->key_line[CONF_RK_RR_MIN], "%s rr_min (%u) must be below rr_max (%u)",
				 x->label, r->rr_min, r->rr_max);
	if (!x->key_line[CONF_RK_PREALARM])
		r->prealarm_s = r->type == CONF_RULE_NO_ACTIVITY ? 600 :
				r->type == CONF_RULE_BED_EXIT ? 120 : 0;
	if (!x->key_line[CONF_RK_CODE])
		r->code = conf_rule_default_code(r->type);
	if (!r->text[0])
		snprintf(r->text, sizeof(r->text), "%s", conf_rule_default_text(r->type));
	return true;
}

/* "resident = NAME" of a sensor or rule, or the only resident. */
static bool conf_resolve_resident(struct conf_ctx *x, const struct conf_ref *ref,
				  const char *label, unsigned int sect_line,
				  bool needed, unsigned int *out)
{
	struct conf *c = x->c;

	*out = 0;
	if (ref->n) {
		for (unsigned int i = 0; i < c->n_residents; i++) {
			if (!strcmp(c->residents[i].name, ref->names[0])) {
				*out = i;
				return true;
			}
		}
		return conf_fail(x, 0, "%s resident = %s (line %u): no [resident %s] in the file",
				 label, ref->names[0], ref->line, ref->names[0]);
	}
	if (needed && c->n_residents > 1)
		return conf_fail(x, sect_line, "%s needs 'resident' (the file has %u residents)",
				 label, c->n_residents);
	return true;
}

/* Kinds a rule may watch when its sensors are listed (any kind: always). */
static uint32_t conf_rule_kinds(enum conf_rule_type t, const char **names)
{
	switch (t) {
	case CONF_RULE_SOS:
		*names = "sos";
		return KIND(SOS);
	case CONF_RULE_BED_EXIT:
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
	case CONF_RULE_VITALS:
		*names = "bed or pad";
		return KIND(BED) | KIND(PAD);
	case CONF_RULE_DOOR_NIGHT:
	case CONF_RULE_DOOR_OPEN:
		*names = "door";
		return KIND(DOOR);
	case CONF_RULE_TOO_LONG:
		*names = "toilet or door";
		return KIND(TOILET) | KIND(DOOR);
	case CONF_RULE_NO_ACTIVITY:
	case CONF_RULE_SENSOR_FAULT:
	case CONF_RULE_SENSOR_SILENT:
	case CONF_RULE_LINK_DOWN:
	case CONF_RULE_PERIODIC_TEST:
		break;
	}
	*names = "any";
	return ~0U;
}

/* The default set of conf.h's struct conf_rule @sensors. */
static bool conf_default_member(const struct conf *c, const struct conf_rule *r,
				const struct conf_sensor *s)
{
	const char *unused;

	switch (r->type) {
	case CONF_RULE_SOS:
		return s->kind == CAREHUB_KIND_SOS;
	case CONF_RULE_NO_ACTIVITY:
		return s->resident == r->resident && s->activity;
	case CONF_RULE_SENSOR_FAULT:
	case CONF_RULE_SENSOR_SILENT:
		return s->resident == r->resident;
	case CONF_RULE_LINK_DOWN:
	case CONF_RULE_PERIODIC_TEST:
		return false;
	case CONF_RULE_BED_EXIT:
	case CONF_RULE_NOT_IN_BED_BY:
	case CONF_RULE_NOT_UP_BY:
	case CONF_RULE_VITALS:
	case CONF_RULE_DOOR_NIGHT:
	case CONF_RULE_DOOR_OPEN:
	case CONF_RULE_TOO_LONG:
		(void)c;
		return s->resident == r->resident && s->kind != CAREHUB_KIND_CONTACT &&
		       (conf_rule_kinds(r->type, &unused) & (1U << s->kind)) &&
		       (r->type != CONF_RULE_TOO_LONG || s->kind == CAREHUB_KIND_TOILET);
	}
	return false;
}

static bool conf_rule_sensors(struct conf_ctx *x, unsigned int ri)
{
	struct conf *c = x->c;
	struct conf_rule *r = &c->rules[ri];
	const struct conf_ref *ref = &x->rule_sensors[ri];
	const char *kinds;
	uint32_t ok = conf_rule_kinds(r->type, &kinds);

	r->n_sensors = 0;
	if (ref->n) {
		for (unsigned int i = 0; i < ref->n; i++) {
			int si = conf_sensor_find(c, ref->names[i]);

			if (si < 0)
				return conf_fail(x, 0, "[rule %s] sensor = %s (line %u): no [sensor %s] in the file",
						 r->name, ref->names[i], ref->line, ref->names[i]);
			if (c->sensors[si].kind != CAREHUB_KIND_CONTACT &&
			    !(ok & (1U << c->sensors[si].kind)))
				return conf_fail(x, 0, "[rule %s] sensor = %s (line %u): a %s sensor; %s rules watch %s sensors",
						 r->name, ref->names[i], ref->line,
						 conf_kind_name(c->sensors[si].kind),
						 conf_rule_type_name(r->type), kinds);
			r->sensors[r->n_sensors++] = (unsigned int)si;
		}
		return true;
	}
	if (r->type == CONF_RULE_LINK_DOWN || r->type == CONF_RULE_PERIODIC_TEST)
		return true;
	for (unsigned int i = 0; i < c->n_sensors; i++) {
		if (!conf_default_member(c, r, &c->sensors[i]))
			continue;
		if (r->n_sensors == CONF_RULE_SENSORS_MAX)
			return conf_fail(x, r->line, "[rule %s] more than %u sensors by default: list them with 'sensor =' in several rules",
					 r->name, CONF_RULE_SENSORS_MAX);
		r->sensors[r->n_sensors++] = i;
	}
	if (!r->n_sensors && !(r->type == CONF_RULE_SOS && c->gpio.sos_button[0]))
		return conf_fail(x, r->line, "[rule %s] no sensor to watch: no %s sensor of resident %s (set 'kind' on the sensors or list them with 'sensor =')",
				 r->name, r->type == CONF_RULE_NO_ACTIVITY ? "activity" :
				 r->type == CONF_RULE_TOO_LONG ? "toilet" : kinds,
				 c->residents[r->resident].name);
	return true;
}

static void conf_default_hub_name(struct conf *c)
{
	char host[256] = "";
	size_t n = 0;

	if (gethostname(host, sizeof(host) - 1))
		host[0] = '\0';
	for (const char *p = host; *p && n < CONF_NAME_MAX - 1; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *p))
			c->hub_name[n++] = *p;
	c->hub_name[n] = '\0';
	if (!n)
		snprintf(c->hub_name, sizeof(c->hub_name), "carehub");
}

bool conf_finish(struct conf_ctx *x)
{
	struct conf *c = x->c;
	char label[CONF_NAME_MAX + 16];

	if (!c->hub_name[0])
		conf_default_hub_name(c);
	if (!c->n_residents) {
		snprintf(c->residents[0].name, sizeof(c->residents[0].name), "resident");
		c->n_residents = 1;
	}
	for (unsigned int i = 0; i < c->n_sensors; i++) {
		struct conf_sensor *s = &c->sensors[i];

		snprintf(label, sizeof(label), "[sensor %s]", s->name);
		if (!conf_resolve_resident(x, &x->sensor_res[i], label, s->line, true,
					   &s->resident))
			return false;
		if (!x->sensor_zone_set[i])
			s->zone = (uint16_t)(i + 1);
		if (!x->sensor_activity_set[i])
			s->activity = s->kind != CAREHUB_KIND_SOS;
		if (!x->sensor_label_set[i])
			memcpy(s->label, s->name, sizeof(s->name));
		for (unsigned int j = 0; j < i; j++)
			if (c->sensors[j].zone == s->zone)
				return conf_fail(x, s->line, "%s zone %u is also the zone of [sensor %s]%s",
						 label, s->zone, c->sensors[j].name,
						 x->sensor_zone_set[i] ? "" :
						 " (default zone: position in the file)");
	}
	for (unsigned int i = 0; i < c->n_rules; i++) {
		struct conf_rule *r = &c->rules[i];
		bool hubwide = r->type == CONF_RULE_LINK_DOWN ||
			       r->type == CONF_RULE_PERIODIC_TEST;

		snprintf(label, sizeof(label), "[rule %s]", r->name);
		if (!conf_resolve_resident(x, &x->rule_res[i], label, r->line, !hubwide,
					   &r->resident) ||
		    !conf_rule_sensors(x, i))
			return false;
	}
	if (!c->n_recipients) {
		/* alarms must go somewhere: at least the journal */
		snprintf(c->recipients[0].name, sizeof(c->recipients[0].name), "journal");
		c->recipients[0].transport = CONF_TRANSPORT_LOG;
		c->recipients[0].ack_timeout_s = 120;
		c->recipients[0].retry_s = 10;
		c->n_recipients = 1;
	}
	c->n_chain = 0;
	for (unsigned int i = 0; i < x->chain.n; i++) {
		unsigned int j;

		for (j = 0; j < c->n_recipients; j++)
			if (!strcmp(c->recipients[j].name, x->chain.names[i]))
				break;
		if (j == c->n_recipients)
			return conf_fail(x, 0, "[escalation] chain = ... %s (line %u): no [recipient %s] in the file",
					 x->chain.names[i], x->chain.line, x->chain.names[i]);
		c->chain[c->n_chain++] = j;
	}
	if (!x->chain.n)
		for (unsigned int j = 0; j < c->n_recipients; j++)
			c->chain[c->n_chain++] = j;
	return true;
}

/* "key = value", or "key =" without a trailing space for an empty value */
static void conf_dump_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, "%s =%s%s\n", key, *v ? " " : "", v);
}

static void conf_dump_dur(FILE *f, const char *key, uint32_t s)
{
	char buf[16];

	conf_fmt_duration(s, buf, sizeof(buf));
	fprintf(f, "%s = %s\n", key, buf);
}

static void conf_dump_rule(const struct conf *c, const struct conf_rule *r, FILE *f)
{
	uint32_t keys = conf_rule_keys(r->type);

	fprintf(f, "\n[rule %s]\ntype = %s\nenabled = %s\nresident = %s\n", r->name,
		conf_rule_type_name(r->type), r->enabled ? "yes" : "no",
		c->residents[r->resident].name);
	if ((keys & K(SENSOR)) && r->n_sensors) {
		fputs("sensor =", f);
		for (unsigned int i = 0; i < r->n_sensors; i++)
			fprintf(f, "%s %s", i ? "," : "", c->sensors[r->sensors[i]].name);
		fputc('\n', f);
	}
	if (keys & K(WINDOW)) {
		if (r->window.set)
			fprintf(f, "window = %02u:%02u-%02u:%02u\n", r->window.start / 60,
				r->window.start % 60, r->window.end / 60, r->window.end % 60);
		else
			fputs("window = always\n", f);
	}
	if (keys & K(TIME))
		fprintf(f, "time = %02u:%02u\n", r->at / 60, r->at % 60);
	if (keys & K(MAX))
		conf_dump_dur(f, "max", r->max_s);
	if (keys & K(PREALARM))
		conf_dump_dur(f, "prealarm", r->prealarm_s);
	if (keys & K(REALARM))
		conf_dump_dur(f, "realarm", r->realarm_s);
	if (keys & K(OVERRIDE))
		conf_dump_dur(f, "override", r->override_s);
	if (keys & K(ACTIVE_STATE))
		fprintf(f, "active_state = %u\n", r->active_state);
	if (keys & K(FAULTS)) {
		if (r->faults == CONF_FAULT_ALL) {
			fputs("faults = all\n", f);
		} else {
			static const char *const fn[] = { "chatter", "stuck", "offline" };
			const char *sep = " ";

			fputs("faults =", f);
			for (unsigned int b = 0; b < 3; b++) {
				if (r->faults & (1U << b)) {
					fprintf(f, "%s%s", sep, fn[b]);
					sep = ", ";
				}
			}
			if (r->faults & CONF_FAULT_MISSING)
				fprintf(f, "%smissing", sep);
			fputc('\n', f);
		}
	}
	if (keys & K(HR_MIN))
		fprintf(f, "hr_min = %u\nhr_max = %u\nrr_min = %u\nrr_max = %u\n",
			r->hr_min, r->hr_max, r->rr_min, r->rr_max);
	fprintf(f, "code = %u\ntext = %s\n", r->code, r->text);
}

void conf_dump(const struct conf *c, FILE *f)
{
	const struct conf_gpio *g = &c->gpio;

	fprintf(f, "# carehubd.conf, canonical form\n\n[hub]\nname = %s\nstate_dir = %s\nsocket = %s\n",
		c->hub_name, c->state_dir, c->socket);
	conf_dump_dur(f, "heartbeat", c->heartbeat_s);
	conf_dump_str(f, "timezone", c->timezone);
	if (c->allow_empty)
		fputs("allow_empty = yes\n", f);
	fputs("\n[gpio]\n", f);
	conf_dump_str(f, "sos_button", g->sos_button);
	conf_dump_str(f, "cancel_button", g->cancel_button);
	conf_dump_str(f, "buzzer", g->buzzer);
	conf_dump_str(f, "led", g->led);
	fprintf(f, "active_low = %s\ndebounce_ms = %u\n", g->active_low ? "yes" : "no",
		g->debounce_ms);
	for (unsigned int i = 0; i < c->n_residents; i++) {
		fprintf(f, "\n[resident %s]\n", c->residents[i].name);
		conf_dump_str(f, "account", c->residents[i].account);
	}
	for (unsigned int i = 0; i < c->n_sensors; i++) {
		const struct conf_sensor *s = &c->sensors[i];

		fprintf(f, "\n[sensor %s]\nresident = %s\nzone = %u\nkind = %s\nactivity = %s\nlabel = %s\n",
			s->name, c->residents[s->resident].name, s->zone,
			conf_kind_name(s->kind), s->activity ? "yes" : "no", s->label);
	}
	for (unsigned int i = 0; i < c->n_rules; i++)
		conf_dump_rule(c, &c->rules[i], f);
	for (unsigned int i = 0; i < c->n_recipients; i++) {
		const struct conf_recipient *p = &c->recipients[i];

		fprintf(f, "\n[recipient %s]\n", p->name);
		switch (p->transport) {
		case CONF_TRANSPORT_LOG:
			fputs("transport = log\n", f);
			break;
		}
		conf_dump_dur(f, "ack_timeout", p->ack_timeout_s);
		conf_dump_dur(f, "retry", p->retry_s);
	}
	fputs("\n[escalation]\nchain =", f);
	for (unsigned int i = 0; i < c->n_chain; i++)
		fprintf(f, "%s %s", i ? "," : "", c->recipients[c->chain[i]].name);
	fputc('\n', f);
	conf_dump_dur(f, "repeat", c->repeat_s);
}
