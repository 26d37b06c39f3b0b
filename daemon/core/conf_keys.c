// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * conf_keys: the keys of each carehubd.conf section and what each does
 * with its value. Syntax and fixed ranges are checked here, as the line
 * is read; what depends on other keys (a rule's type) waits for
 * conf_check_rule() at the end of the section.
 */
#include <string.h>

#include "conf_int.h"

const char *const conf_hub_keys[] = {
	"name", "state_dir", "socket", "heartbeat", "timezone", "allow_empty",
	NULL };
const char *const conf_gpio_keys[] = {
	"sos_button", "cancel_button", "buzzer", "led", "active_low",
	"debounce_ms", NULL };
const char *const conf_resident_keys[] = { "account", NULL };
const char *const conf_sensor_keys[] = {
	"resident", "zone", "kind", "activity", "label", NULL };
const char *const conf_rule_keys_names[CONF_RK_COUNT + 1] = {
	"type", "enabled", "resident", "sensor", "window", "time", "max",
	"prealarm", "realarm", "override", "active_state", "faults",
	"hr_min", "hr_max", "rr_min", "rr_max", "code", "text", NULL };
const char *const conf_recipient_keys[] = {
	"transport", "ack_timeout", "retry", NULL };
const char *const conf_escalation_keys[] = { "chain", "repeat", NULL };


#define CONF_TRY(x, k, expr) do {					\
	const char *e_ = (expr);					\
	if (e_)								\
		return conf_key_fail((x), (k), "%s", e_);		\
} while (0)

static bool conf_hub_key(struct conf_ctx *x, unsigned int k, const char *v)
{
	struct conf *c = x->c;

	switch (k) {
	case 0:
		CONF_TRY(x, k, conf_parse_name(v, CONF_NAME_MAX - 1, c->hub_name));
		return true;
	case 1:
		CONF_TRY(x, k, conf_parse_path(v, CONF_PATH_MAX - 1, c->state_dir));
		return true;
	case 2:	/* sun_path holds 107 characters */
		CONF_TRY(x, k, conf_parse_path(v, 107, c->socket));
		return true;
	case 3:
		CONF_TRY(x, k, conf_parse_duration(v, &c->heartbeat_s));
		if (c->heartbeat_s < 30 || c->heartbeat_s > 3600)
			return conf_key_fail(x, k, "heartbeat must be 30s..1h");
		return true;
	case 4:
		CONF_TRY(x, k, conf_parse_timezone(v, c->timezone));
		return true;
	case 5:
		CONF_TRY(x, k, conf_parse_bool(v, &c->allow_empty));
		return true;
	}
	return false;
}

static bool conf_gpio_key(struct conf_ctx *x, unsigned int k, const char *v)
{
	struct conf_gpio *g = &x->c->gpio;
	char *line[] = { g->sos_button, g->cancel_button, g->buzzer, g->led };

	switch (k) {
	case 0: case 1: case 2: case 3:
		if (*v)
			CONF_TRY(x, k, conf_parse_name(v, CONF_NAME_MAX - 1, line[k]));
		for (unsigned int i = 0; *v && i < 4; i++)
			if (i != k && !strcmp(line[i], v))
				return conf_key_fail(x, k, "GPIO line already used by %s",
						     conf_gpio_keys[i]);
		return true;
	case 4:
		CONF_TRY(x, k, conf_parse_bool(v, &g->active_low));
		return true;
	case 5:
		CONF_TRY(x, k, conf_parse_uint(v, 1, 1000, &g->debounce_ms));
		return true;
	}
	return false;
}

static bool conf_sensor_key(struct conf_ctx *x, unsigned int k, const char *v)
{
	struct conf_sensor *s = &x->c->sensors[x->idx];
	struct conf_ref *res = &x->sensor_res[x->idx];
	uint32_t zone;

	switch (k) {
	case 0:
		CONF_TRY(x, k, conf_parse_name(v, CONF_NAME_MAX - 1, res->names[0]));
		res->n = 1;
		res->line = x->lineno;
		return true;
	case 1:
		if (conf_parse_uint(v, 1, 999, &zone))
			return conf_key_fail(x, k, "zone must be 1..999");
		s->zone = (uint16_t)zone;
		x->sensor_zone_set[x->idx] = true;
		return true;
	case 2:
		CONF_TRY(x, k, conf_parse_kind(v, &s->kind));
		return true;
	case 3:
		CONF_TRY(x, k, conf_parse_bool(v, &s->activity));
		x->sensor_activity_set[x->idx] = true;
		return true;
	case 4:
		CONF_TRY(x, k, conf_parse_text(v, s->label, sizeof(s->label)));
		x->sensor_label_set[x->idx] = *v != '\0';
		return true;
	}
	return false;
}

static bool conf_u16(struct conf_ctx *x, unsigned int k, const char *v,
		     uint32_t lo, uint32_t hi, uint16_t *out)
{
	uint32_t n;

	if (conf_parse_uint(v, lo, hi, &n))
		return conf_key_fail(x, k, "must be a whole number %u..%u", lo, hi);
	*out = (uint16_t)n;
	return true;
}

/* Syntax only: ranges that depend on the type wait for conf_check_rule(). */
static bool conf_rule_key(struct conf_ctx *x, unsigned int k, const char *v)
{
	struct conf_rule *r = &x->c->rules[x->idx];
	uint32_t n;
	int t;

	switch ((enum conf_rkey)k) {
	case CONF_RK_TYPE:
		t = conf_rule_type_parse(v);
		if (t < 0)
			return conf_key_fail(x, k, "unknown rule type (sos bed-exit not-in-bed-by not-up-by door-night door-open no-activity too-long sensor-fault sensor-silent link-down periodic-test vitals)");
		r->type = (enum conf_rule_type)t;
		return true;
	case CONF_RK_ENABLED:
		CONF_TRY(x, k, conf_parse_bool(v, &r->enabled));
		return true;
	case CONF_RK_RESIDENT:
		CONF_TRY(x, k, conf_parse_name(v, CONF_NAME_MAX - 1,
					       x->rule_res[x->idx].names[0]));
		x->rule_res[x->idx].n = 1;
		x->rule_res[x->idx].line = x->lineno;
		return true;
	case CONF_RK_SENSOR:
		x->rule_sensors[x->idx].line = x->lineno;
		CONF_TRY(x, k, conf_parse_list(v, &x->rule_sensors[x->idx]));
		return true;
	case CONF_RK_WINDOW:
		CONF_TRY(x, k, conf_parse_window(v, &r->window));
		return true;
	case CONF_RK_TIME:
		CONF_TRY(x, k, conf_parse_tod(v, &r->at));
		return true;
	case CONF_RK_MAX:
		CONF_TRY(x, k, conf_parse_duration(v, &r->max_s));
		return true;
	case CONF_RK_PREALARM:
		CONF_TRY(x, k, conf_parse_duration(v, &r->prealarm_s));
		return true;
	case CONF_RK_REALARM:
		CONF_TRY(x, k, conf_parse_duration(v, &r->realarm_s));
		return true;
	case CONF_RK_OVERRIDE:
		CONF_TRY(x, k, conf_parse_duration(v, &r->override_s));
		return true;
	case CONF_RK_ACTIVE_STATE:
		if (conf_parse_uint(v, 0, 1, &n))
			return conf_key_fail(x, k, "active_state must be 1 (closed/occupied) or 0 (open/free)");
		r->active_state = (uint8_t)n;
		return true;
	case CONF_RK_FAULTS:
		CONF_TRY(x, k, conf_parse_faults(v, &r->faults));
		return true;
	case CONF_RK_HR_MIN:
		return conf_u16(x, k, v, 20, 250, &r->hr_min);
	case CONF_RK_HR_MAX:
		return conf_u16(x, k, v, 20, 250, &r->hr_max);
	case CONF_RK_RR_MIN:
		return conf_u16(x, k, v, 3, 60, &r->rr_min);
	case CONF_RK_RR_MAX:
		return conf_u16(x, k, v, 3, 60, &r->rr_max);
	case CONF_RK_CODE:
		return conf_u16(x, k, v, 100, 999, &r->code);
	case CONF_RK_TEXT:
		CONF_TRY(x, k, conf_parse_text(v, r->text, sizeof(r->text)));
		return true;
	case CONF_RK_COUNT:
		break;
	}
	return false;
}

static bool conf_recipient_key(struct conf_ctx *x, unsigned int k, const char *v)
{
	struct conf_recipient *p = &x->c->recipients[x->idx];

	switch (k) {
	case 0:
		if (strcmp(v, "log"))
			return conf_key_fail(x, k, "unknown transport (log)");
		p->transport = CONF_TRANSPORT_LOG;
		return true;
	case 1:
		CONF_TRY(x, k, conf_parse_duration(v, &p->ack_timeout_s));
		if (p->ack_timeout_s < 10 || p->ack_timeout_s > 3600)
			return conf_key_fail(x, k, "ack_timeout must be 10s..1h");
		return true;
	case 2:
		CONF_TRY(x, k, conf_parse_duration(v, &p->retry_s));
		if (p->retry_s < 1 || p->retry_s > 3600)
			return conf_key_fail(x, k, "retry must be 1s..1h");
		return true;
	}
	return false;
}

static bool conf_escalation_key(struct conf_ctx *x, unsigned int k, const char *v)
{
	switch (k) {
	case 0:
		x->chain.line = x->lineno;
		CONF_TRY(x, k, conf_parse_list(v, &x->chain));
		return true;
	case 1:
		CONF_TRY(x, k, conf_parse_duration(v, &x->c->repeat_s));
		if (x->c->repeat_s && (x->c->repeat_s < 60 || x->c->repeat_s > 86400))
			return conf_key_fail(x, k, "repeat must be 0 (never) or 1m..24h");
		return true;
	}
	return false;
}

/* @k: index into x->key_names, the current section's table */
bool conf_set_key(struct conf_ctx *x, unsigned int k, const char *value)
{
	bool ok = false;

	switch (x->sect) {
	case CONF_SECT_NONE:
		break;
	case CONF_SECT_HUB:
		ok = conf_hub_key(x, k, value);
		break;
	case CONF_SECT_GPIO:
		ok = conf_gpio_key(x, k, value);
		break;
	case CONF_SECT_RESIDENT:
		if (conf_parse_account(value, x->c->residents[x->idx].account))
			ok = conf_key_fail(x, k, "account must be 3..16 hex digits");
		else
			ok = true;
		break;
	case CONF_SECT_SENSOR:
		ok = conf_sensor_key(x, k, value);
		break;
	case CONF_SECT_RULE:
		ok = conf_rule_key(x, k, value);
		break;
	case CONF_SECT_RECIPIENT:
		ok = conf_recipient_key(x, k, value);
		break;
	case CONF_SECT_ESCALATION:
		ok = conf_escalation_key(x, k, value);
		break;
	}
	return ok;
}
