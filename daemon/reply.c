// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reply: control-socket replies and monitor events. See reply.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* localtime_r */
#endif
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "online.h"
#include "reply.h"

#ifndef CAREHUB_VERSION
#define CAREHUB_VERSION "0"
#endif

#define DAY	86400

json_t *reply_time(time_t t)
{
	char buf[40], off[8];
	struct tm tm;

	if (!t || !localtime_r(&t, &tm))
		return json_null();
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(off, sizeof(off), "%z", &tm);	/* +0100 -> +01:00 */
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%.3s:%.2s",
		 off, off + 3);
	return json_string(buf);
}

json_t *reply_alarm(const struct alarm_info *ai)
{
	return json_pack("{sI ss ss ss* ss* si si ss ss so so so ss* ss* si ss* si si}",
			 "id", (json_int_t)ai->id,
			 "rule", ai->rule,
			 "type", ai->type,
			 "sensor", ai->sensor[0] ? ai->sensor : NULL,
			 "resident", ai->resident[0] ? ai->resident : NULL,
			 "code", (int)ai->code,
			 "zone", (int)ai->zone,
			 "text", ai->text,
			 "state", ai->state_name,
			 "raised", reply_time(ai->raised_wall),
			 "acked", reply_time(ai->acked_wall),
			 "closed", reply_time(ai->closed_wall),
			 "acked_by", ai->acked_by[0] ? ai->acked_by : NULL,
			 "closed_reason", ai->closed_reason[0] ? ai->closed_reason : NULL,
			 "repeats", (int)ai->repeats,
			 "recipient", ai->recipient[0] ? ai->recipient : NULL,
			 "delivered", (int)ai->delivered,
			 "pending", (int)ai->pending);
}

json_t *reply_alarm_event(const struct alarm_info *ai, const char *what,
			  time_t when)
{
	return json_pack("{ss ss so so}", "event", "alarm", "what", what,
			 "time", reply_time(when), "alarm", reply_alarm(ai));
}

/* Fraction online over the last @span seconds, or null when unknown. */
static json_t *reply_rate(struct core *k, const char *subject, time_t now,
			  time_t span)
{
	double r = core_online_rate(k, subject, span, now);

	return r < 0 ? json_null() : json_real(r);
}

static json_t *reply_faults(uint32_t faults)
{
	json_t *a = json_array();
	uint32_t bit;

	for (bit = 1; a && bit; bit <<= 1) {
		const char *n;
		char hex[16];

		if (!(faults & bit))
			continue;
		n = sensor_fault_name(bit);
		if (!n) {
			snprintf(hex, sizeof(hex), "0x%x", bit);
			n = hex;
		}
		json_array_append_new(a, json_string(n));
	}
	return a;
}

/*
 * One sensor: @s is the kernel's state (NULL: configured but absent),
 * @conf_idx the config's entry (-1: the kernel has it, the config not).
 */
static json_t *reply_sensor(struct core *k, const struct sensor *s,
			    int conf_idx, time_t now_wall, uint64_t now_mono)
{
	const struct conf *c = core_conf(k);
	const struct conf_sensor *cs = conf_idx >= 0 ? &c->sensors[conf_idx] : NULL;
	const char *kind = s ? sensor_kind_name(s->st.kind) :
		(cs && cs->kind ? sensor_kind_name(cs->kind) : NULL);
	json_t *o;

	o = json_pack("{ss ss* ss* sb sb}",
		      "name", s ? s->name : cs->name,
		      "label", s ? (s->label[0] ? s->label : NULL) : cs->label,
		      "kind", kind,
		      "present", s != NULL,
		      "configured", cs != NULL);
	if (!o)
		return NULL;
	if (s) {
		time_t since = 0;

		if (s->st.since_ns && s->st.since_ns <= now_mono)
			since = now_wall - (time_t)((now_mono - s->st.since_ns) / 1000000000u);
		json_object_set_new(o, "id", json_integer(s->id));
		json_object_set_new(o, "state", json_integer(s->st.state));
		json_object_set_new(o, "state_name",
				    json_string(sensor_state_name(s->st.kind, s->st.state)));
		json_object_set_new(o, "faults", reply_faults(s->st.faults));
		json_object_set_new(o, "since", reply_time(since));
	} else {
		json_object_set_new(o, "faults",
				    json_pack("[s]", "missing"));
	}
	if (cs) {
		json_object_set_new(o, "zone", json_integer(cs->zone));
		json_object_set_new(o, "resident",
				    json_string(c->residents[cs->resident].name));
		json_object_set_new(o, "online_24h",
				    reply_rate(k, cs->name, now_wall, DAY));
		json_object_set_new(o, "online_30d",
				    reply_rate(k, cs->name, now_wall, 30 * DAY));
	}
	return o;
}

json_t *reply_sensor_event(struct core *k, const struct sensor *s,
			   int conf_idx, const struct core_now *now)
{
	bool present = s->st.present;
	json_t *so;

	if (present)
		so = reply_sensor(k, s, conf_idx, now->wall, now->mono_ns);
	else	/* gone: say which */
		so = json_pack("{ss sI}", "name", s->name, "id", (json_int_t)s->id);
	return json_pack("{ss sb so so}", "event", "sensor", "present", present,
			 "time", reply_time(now->wall), "sensor", so);
}

static json_t *reply_sensors(const struct reply_ctx *rc)
{
	const struct conf *c = core_conf(rc->core);
	const struct core_ksensor *ks;
	json_t *a = json_array();
	unsigned int i;
	size_t n, j;

	ks = core_ksensors(rc->core, &n);
	for (i = 0; a && i < c->n_sensors; i++) {
		const struct sensor *s = NULL;

		for (j = 0; j < n; j++)
			if (ks[j].conf == (int)i)
				s = &ks[j].s;
		json_array_append_new(a, reply_sensor(rc->core, s, (int)i,
						      rc->now.wall, rc->now.mono_ns));
	}
	for (j = 0; a && j < n; j++)
		if (ks[j].conf < 0)
			json_array_append_new(a, reply_sensor(rc->core, &ks[j].s, -1,
							      rc->now.wall,
							      rc->now.mono_ns));
	return a;
}

static json_t *reply_status(const struct reply_ctx *rc)
{
	const struct conf *c = core_conf(rc->core);
	const struct core_ksensor *ks;
	unsigned int open = 0, unacked = 0, present = 0, faulty = 0, i;
	struct alarm_health h;
	json_t *o;
	size_t n, j;

	ks = core_ksensors(rc->core, &n);
	for (i = 0; i < c->n_sensors; i++) {
		bool here = false;

		for (j = 0; j < n; j++)
			if (ks[j].conf == (int)i) {
				here = true;
				faulty += ks[j].s.st.faults != 0;
			}
		present += here;
		faulty += !here;
	}
	core_alarm_counts(rc->core, &open, &unacked);
	core_store_health(rc->core, &h);
	o = json_pack("{ss ss sI ss sb s{si si si si} s{si si} sb so so"
			 " s{sb ss ss* so si}}",
			 "hub", c->hub_name,
			 "version", CAREHUB_VERSION,
			 "uptime_s", (json_int_t)rc->uptime_s,
			 "config", c->path,
			 "kernel_module", rc->kernel_up,
			 "sensors", "configured", (int)c->n_sensors,
			 "present", (int)present, "faulty", (int)faulty,
			 "unconfigured", (int)(n - (size_t)(present)),
			 "alarms", "open", (int)open, "unacked", (int)unacked,
			 "prealarm", core_prealarm_active(rc->core),
			 "online_24h", reply_rate(rc->core, "hub", rc->now.wall, DAY),
			 "online_30d", reply_rate(rc->core, "hub", rc->now.wall, 30 * DAY),
			 "store_health", "ok", h.ok, "why", h.why,
			 "error", h.ok ? NULL : strerror(-h.err),
			 "since", reply_time(h.since), "unstored", (int)h.unstored);
	if (o && rc->gpio_fault && rc->gpio_fault[0])
		json_object_set_new(o, "hub_controls_fault",
				    json_string(rc->gpio_fault));
	return o;
}

static int reply_list_one(void *arg, const struct alarm_info *ai)
{
	return json_array_append_new(arg, reply_alarm(ai));
}

static json_t *reply_one_alarm(const struct reply_ctx *rc, uint64_t id)
{
	struct alarm_info ai;

	if (core_alarm_get(rc->core, id, &ai))
		return ctlp_reply_err(EIO, "alarm %llu was stored but cannot be read back",
				      (unsigned long long)id);
	return ctlp_reply_ok("alarm", reply_alarm(&ai));
}

static json_t *reply_action(const struct reply_ctx *rc,
			    const struct ctlp_req *req)
{
	unsigned long long id = req->id;
	int ret;

	if (req->cmd == CTLP_ACK)
		ret = core_ack(rc->core, req->id, rc->who, &rc->now);
	else
		ret = core_cancel(rc->core, req->id, rc->who, &rc->now);
	switch (-ret) {
	case 0:
		return reply_one_alarm(rc, req->id);
	case ENOENT:
		return ctlp_reply_err(ENOENT, "no alarm %llu", id);
	case EALREADY:
		return ctlp_reply_err(EALREADY, "alarm %llu is already %s", id,
				      req->cmd == CTLP_ACK ?
				      "acknowledged or closed" : "closed");
	default:
		return ctlp_reply_err(-ret, "alarm %llu: %s", id, strerror(-ret));
	}
}

json_t *reply_handle(const struct reply_ctx *rc, const struct ctlp_req *req)
{
	uint64_t id;
	json_t *a;
	int ret;

	switch (req->cmd) {
	case CTLP_STATUS:
		return ctlp_reply_ok("status", reply_status(rc));
	case CTLP_SENSORS:
		return ctlp_reply_ok("sensors", reply_sensors(rc));
	case CTLP_ALARMS:
		a = json_array();
		ret = core_alarm_list(rc->core, req->open, req->limit,
				 reply_list_one, a);
		if (ret < 0) {
			json_decref(a);
			return ctlp_reply_err(-ret, "reading the alarm store: %s",
					      strerror(-ret));
		}
		return ctlp_reply_ok("alarms", a);
	case CTLP_ACK:
	case CTLP_CANCEL:
		return reply_action(rc, req);
	case CTLP_TEST:
		ret = core_test(rc->core, rc->who, &rc->now, &id);
		if (ret)
			return ctlp_reply_err(-ret, "test alarm: %s", strerror(-ret));
		return reply_one_alarm(rc, id);
	case CTLP_MONITOR:
		return ctlp_reply_ok(NULL, NULL);
	}
	return ctlp_reply_err(EOPNOTSUPP, "unknown command");
}
