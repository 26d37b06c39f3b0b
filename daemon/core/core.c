// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core: sensor state -> rules -> durable alarms. See core.h.
 *
 * Order of every decision: the engine (rules.c) says what happened, the
 * lifecycle (alarm.c) commits it to SQLite, and only then do the hooks act
 * on it (log, buzzer, control-socket monitors). A crash between the
 * engine's decision and the commit loses nothing either: after a restart
 * the kernel's dump carries each sensor's settle stamp, so the engine
 * reaches the same decision again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "transport_log.h"

#define CORE_PENDING_MAX	64

struct core_pending {
	struct rules_alarm ra;
	char rule[CONF_NAME_MAX];
	char sensor[CONF_NAME_MAX];
};

struct core {
	struct conf *conf;
	struct rules *rules;
	struct alarm *alarm;
	struct online *online;
	struct tlog *tlog;
	const struct core_hooks *hooks;
	void *arg;
	char boot_id[40];
	/* kernel sensors, sorted by id */
	struct core_ksensor *ks;
	size_t n_ks, cap_ks;
	/* per conf sensor: present in the kernel (for online accounting) */
	bool online_known[CONF_SENSORS_MAX];
	bool online_state[CONF_SENSORS_MAX];
	uint64_t next_heartbeat;
	bool indicate_on;
	/* the engine's transitions of the call in progress */
	struct rules_out out;
	/* an alarm went out without being stored: buzzer on until the
	 * store works again */
	bool unstored;
	/* transitions the store could not commit, in order */
	struct core_pending pending[CORE_PENDING_MAX];
	unsigned int n_pending;
	bool pending_lost;	/* more than fit: re-evaluate all */
	bool recovering;
};

static void core_anow(const struct core *k, const struct core_now *now,
		      struct alarm_now *an)
{
	an->mono_ns = now->mono_ns;
	an->wall = now->wall;
	an->boot_id = k->boot_id;
}

static void core_rnow(const struct core_now *now, struct rules_now *rn)
{
	rn->mono_ns = now->mono_ns;
	rn->wall = now->wall;
}

/* ---- engine -> lifecycle ---- */

static enum alarm_tr core_alarm_tr(enum rules_tr tr)
{
	switch (tr) {
	case RULES_PREALARM:		return ALARM_TR_PREALARM;
	case RULES_PREALARM_CANCEL:	return ALARM_TR_PREALARM_CANCEL;
	case RULES_PREALARM_CLEAR:	return ALARM_TR_PREALARM_CLEAR;
	case RULES_RAISE:		return ALARM_TR_RAISE;
	case RULES_REALARM:		return ALARM_TR_REALARM;
	case RULES_CLEAR:		return ALARM_TR_CLEAR;
	case RULES_LOCAL_CANCEL:	return ALARM_TR_LOCAL_CANCEL;
	}
	return ALARM_TR_RAISE;
}

/* Commit one transition of the engine; 0 or -errno. */
static int core_store(struct core *k, const struct rules_alarm *ra,
		      const struct core_now *now)
{
	const struct conf_rule *r = &k->conf->rules[ra->rule];
	char text[sizeof(ra->text) + 1];
	struct alarm_input in = {
		.tr = core_alarm_tr(ra->tr),
		.rule = r->name,
		.type = r->type,
		.sensor = ra->sensor >= 0 ? k->conf->sensors[ra->sensor].name : NULL,
		.rule_idx = ra->rule,
		.sensor_idx = ra->sensor,
		.code = ra->code,
		.zone = ra->zone,
		.text = text,
	};
	struct alarm_now an;

	/* ra->text is a fixed array: never trust it to be terminated. */
	snprintf(text, sizeof(text), "%.*s", (int)sizeof(ra->text), ra->text);
	core_anow(k, now, &an);
	return alarm_on_rule(k->alarm, &in, &an);
}

static bool core_store_ok(const struct core *k)
{
	struct alarm_health h;

	alarm_health(k->alarm, &h);
	return h.ok;
}

/*
 * Keep a transition the store could not commit, to commit when it works
 * again (by name: a reload may renumber rules and sensors meanwhile).
 */
static void core_pend(struct core *k, const struct rules_alarm *ra)
{
	struct core_pending *p;

	if (ra->tr == RULES_RAISE || ra->tr == RULES_REALARM)
		k->unstored = true;	/* the buzzer says so locally */
	if (k->n_pending == CORE_PENDING_MAX) {
		k->pending_lost = true;	/* re-evaluate everything instead */
		return;
	}
	p = &k->pending[k->n_pending++];
	p->ra = *ra;
	snprintf(p->rule, sizeof(p->rule), "%s", k->conf->rules[ra->rule].name);
	snprintf(p->sensor, sizeof(p->sensor), "%s", ra->sensor >= 0 ?
		 k->conf->sensors[ra->sensor].name : "");
}

static void core_commit(struct core *k, const struct rules_alarm *ra,
			const struct core_now *now)
{
	int ret;

	/*
	 * While transitions wait for the store, later ones wait behind
	 * them (order matters); a raise is still tried, so that it goes
	 * out unstored if the store still fails.
	 */
	if (k->n_pending || k->pending_lost) {
		if ((ra->tr == RULES_RAISE || ra->tr == RULES_REALARM) &&
		    core_store(k, ra, now) >= 0)
			return;
		core_pend(k, ra);
		return;
	}
	ret = core_store(k, ra, now);
	if (ret >= 0 || ret == -EALREADY || ret == -ENOENT)
		return;
	fprintf(stderr, "<3>carehubd: rule %s: storing the %s transition failed: %s\n",
		k->conf->rules[ra->rule].name, rules_tr_name(ra->tr),
		strerror(-ret));
	if (!core_store_ok(k))
		core_pend(k, ra);
}

static int core_engine(struct core *k, const struct rules *old,
		       const struct core_now *now);

/*
 * The store works again: commit what waited, in order. If more waited
 * than was kept, build a new engine from the sensors' level state and the
 * open alarms instead, so every condition that still holds is decided -
 * and stored - again.
 */
static void core_recovered(struct core *k, const struct core_now *now)
{
	struct core_pending v[CORE_PENDING_MAX];
	unsigned int n = k->n_pending;
	bool lost = k->pending_lost;

	if (k->recovering)
		return;
	k->recovering = true;
	memcpy(v, k->pending, n * sizeof(v[0]));
	k->n_pending = 0;
	k->pending_lost = false;
	k->unstored = false;
	for (unsigned int i = 0; i < n; i++) {
		struct rules_alarm ra = v[i].ra;
		int rule = conf_rule_find(k->conf, v[i].rule);
		int sensor = v[i].sensor[0] ?
			conf_sensor_find(k->conf, v[i].sensor) : -1;

		if (rule < 0 || (v[i].sensor[0] && sensor < 0))
			continue;	/* gone with a reload */
		ra.rule = (unsigned int)rule;
		ra.sensor = sensor;
		core_commit(k, &ra, now);
	}
	if (lost && core_store_ok(k)) {
		struct rules *old = k->rules;

		k->rules = NULL;
		if (core_engine(k, old, now) < 0) {
			fprintf(stderr, "<3>carehubd: re-evaluating after the store recovered: out of memory\n");
			rules_free(k->rules);
			k->rules = old;
		} else {
			rules_free(old);
		}
	}
	k->recovering = false;
}

/*
 * What the last engine call decided: commit each transition in order,
 * then set the pre-alarm indicator to the engine's state.
 */
/* The buzzer / LED: a pre-alarm runs, or an alarm could not be stored. */
static void core_indicate(struct core *k)
{
	bool on = rules_prealarm_active(k->rules) || k->unstored;

	if (on != k->indicate_on) {
		k->indicate_on = on;
		if (k->hooks->indicate)
			k->hooks->indicate(k->arg, on);
	}
}

static void core_drain(struct core *k, const struct core_now *now)
{
	for (unsigned int i = 0; i < k->out.n; i++)
		core_commit(k, &k->out.v[i], now);
	if (k->out.dropped)
		fprintf(stderr, "<2>carehubd: %u rule transitions did not fit the engine's output (a bug)\n",
			k->out.dropped);
	k->out.n = 0;
	k->out.dropped = 0;
	if (alarm_take_recovered(k->alarm))
		core_recovered(k, now);
	core_indicate(k);
}

/* ---- lifecycle -> hooks ---- */

static void core_alarm_transition(void *arg, const struct alarm_info *ai,
				  const char *what)
{
	struct core *k = arg;

	if (k->hooks->transition)
		k->hooks->transition(k->arg, ai, what);
}

static const struct alarm_ops core_alarm_ops = {
	.transition = core_alarm_transition,
};

/* ---- sensors ---- */

static void core_online_note(struct core *k, unsigned int idx, bool online,
			const struct core_now *now)
{
	if (k->online_known[idx] && k->online_state[idx] == online)
		return;
	k->online_known[idx] = true;
	k->online_state[idx] = online;
	online_set(k->online, k->conf->sensors[idx].name, online, now->wall);
}

/* Tell the engine and the accounting about configured sensor @idx. */
static void core_feed(struct core *k, unsigned int idx,
		      const struct sensor_state *st,
		      const struct core_now *now)
{
	struct rules_now rn;

	core_rnow(now, &rn);
	rules_sensor(k->rules, idx, st, &rn, &k->out);
	core_drain(k, now);
	core_online_note(k, idx, st->present &&
		    !(st->faults & CAREHUB_FAULT_OFFLINE), now);
}

static struct core_ksensor *core_ks_find(struct core *k, uint32_t id)
{
	size_t i;

	for (i = 0; i < k->n_ks; i++)
		if (k->ks[i].s.id == id)
			return &k->ks[i];
	return NULL;
}

static int core_ks_put(struct core *k, const struct sensor *s)
{
	struct core_ksensor *e = core_ks_find(k, s->id);
	size_t i;

	if (!e) {
		if (k->n_ks == k->cap_ks) {
			size_t cap = k->cap_ks ? 2 * k->cap_ks : 16;
			struct core_ksensor *v = realloc(k->ks, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			k->ks = v;
			k->cap_ks = cap;
		}
		for (i = k->n_ks; i > 0 && k->ks[i - 1].s.id > s->id; i--)
			k->ks[i] = k->ks[i - 1];
		e = &k->ks[i];
		k->n_ks++;
	}
	e->s = *s;
	e->conf = conf_sensor_find(k->conf, s->name);
	return 0;
}

static void core_ks_del(struct core *k, uint32_t id)
{
	struct core_ksensor *e = core_ks_find(k, id);

	if (!e)
		return;
	memmove(e, e + 1, (size_t)(k->ks + k->n_ks - e - 1) * sizeof(*e));
	k->n_ks--;
}

/* Is configured sensor @idx in the kernel table? */
static const struct core_ksensor *core_ks_conf(const struct core *k,
					       unsigned int idx)
{
	size_t i;

	for (i = 0; i < k->n_ks; i++)
		if (k->ks[i].conf == (int)idx)
			return &k->ks[i];
	return NULL;
}

/* Re-feed every configured sensor from the kernel table. */
static void core_feed_all(struct core *k, const struct core_now *now)
{
	static const struct sensor_state gone = { .present = false };
	unsigned int i;

	for (i = 0; i < k->conf->n_sensors; i++) {
		const struct core_ksensor *e = core_ks_conf(k, i);

		core_feed(k, i, e ? &e->s.st : &gone, now);
	}
}

static void core_hook_sensor(struct core *k, const struct sensor *s, int conf)
{
	if (k->hooks->sensor)
		k->hooks->sensor(k->arg, s, conf);
}

void core_sensors_resync(struct core *k, const struct sensor *v, size_t n,
			 const struct core_now *now)
{
	size_t i;

	for (i = 0; i < k->n_ks; i++) {
		struct sensor gone = k->ks[i].s;
		size_t j;

		for (j = 0; j < n && v[j].id != gone.id; j++)
			;
		if (j < n)
			continue;
		gone.st.present = false;
		core_hook_sensor(k, &gone, k->ks[i].conf);
	}
	k->n_ks = 0;
	for (i = 0; i < n; i++)
		if (v[i].st.present && core_ks_put(k, &v[i]))
			fprintf(stderr, "<3>carehubd: out of memory keeping sensor %s\n",
				v[i].name);
	core_feed_all(k, now);
	for (i = 0; i < k->n_ks; i++)
		core_hook_sensor(k, &k->ks[i].s, k->ks[i].conf);
}

void core_sensor(struct core *k, const struct sensor *s,
		 const struct core_now *now)
{
	struct core_ksensor *e;
	int conf;

	if (!s->st.present) {
		e = core_ks_find(k, s->id);
		conf = e ? e->conf : -1;
		core_ks_del(k, s->id);
		core_hook_sensor(k, s, conf);
		if (conf >= 0)
			core_feed(k, (unsigned int)conf, &s->st, now);
		return;
	}
	if (core_ks_put(k, s)) {
		fprintf(stderr, "<3>carehubd: out of memory keeping sensor %s\n",
			s->name);
		return;
	}
	e = core_ks_find(k, s->id);
	core_hook_sensor(k, s, e->conf);
	if (e->conf >= 0)
		core_feed(k, (unsigned int)e->conf, &s->st, now);
}

const struct core_ksensor *core_ksensors(const struct core *k, size_t *n)
{
	*n = k->n_ks;
	return k->ks;
}

/* ---- other inputs ---- */

void core_button(struct core *k, enum rules_button b,
		 const struct core_now *now)
{
	struct rules_now rn;

	core_rnow(now, &rn);
	rules_button(k->rules, b, &rn, &k->out);
	core_drain(k, now);
}

void core_link(struct core *k, bool up, const struct core_now *now)
{
	struct rules_now rn;

	core_rnow(now, &rn);
	rules_link(k->rules, up, &rn, &k->out);
	core_drain(k, now);
}

void core_vitals(struct core *k, unsigned int sensor, unsigned int hr,
		 unsigned int rr, const struct core_now *now)
{
	struct rules_now rn;

	core_rnow(now, &rn);
	rules_vitals(k->rules, sensor, hr, rr, &rn, &k->out);
	core_drain(k, now);
}

/*
 * A person took alarm @id (ack or cancel, committed): the engine stops
 * re-alarming its instance. Names are resolved in the current config; a
 * test or an alarm of a rule or sensor gone after a reload has none.
 */
static void core_taken(struct core *k, uint64_t id, const struct core_now *now)
{
	struct alarm_info ai;
	struct rules_now rn;
	int rule, sensor = -1;

	if (alarm_get(k->alarm, id, &ai) < 0 || ai.test)
		return;
	rule = conf_rule_find(k->conf, ai.rule);
	if (rule < 0)
		return;
	if (ai.sensor[0]) {
		sensor = conf_sensor_find(k->conf, ai.sensor);
		if (sensor < 0)
			return;
	}
	core_rnow(now, &rn);
	rules_acked(k->rules, (unsigned int)rule, sensor, &rn, &k->out);
	core_drain(k, now);
}

/* An operator's ack or cancel (@op): committed, then the engine hears it. */
static int core_operate(struct core *k, uint64_t id, const char *who,
			const struct core_now *now,
			int (*op)(struct alarm *a, uint64_t id, const char *who,
				  const struct alarm_now *now))
{
	struct alarm_now an;
	int ret;

	core_anow(k, now, &an);
	ret = op(k->alarm, id, who, &an);
	if (ret == 0)
		core_taken(k, id, now);
	return ret;
}

int core_ack(struct core *k, uint64_t id, const char *who,
	     const struct core_now *now)
{
	return core_operate(k, id, who, now, alarm_ack);
}

int core_cancel(struct core *k, uint64_t id, const char *who,
		const struct core_now *now)
{
	return core_operate(k, id, who, now, alarm_cancel);
}

int core_hub_fault(struct core *k, const char *what, const char *text,
		   const struct core_now *now)
{
	struct alarm_now an;

	core_anow(k, now, &an);
	return alarm_hub_fault(k->alarm, what, text, &an, NULL);
}

int core_test(struct core *k, const char *who, const struct core_now *now,
	      uint64_t *id)
{
	struct alarm_now an;

	core_anow(k, now, &an);
	return alarm_test(k->alarm, who, &an, id);
}

/* ---- time ---- */

uint64_t core_next(const struct core *k)
{
	uint64_t t = rules_next(k->rules), a = alarm_next(k->alarm);

	if (a < t)
		t = a;
	if (k->next_heartbeat < t)
		t = k->next_heartbeat;
	return t;
}

void core_advance(struct core *k, const struct core_now *now)
{
	struct rules_now rn;
	struct alarm_now an;

	core_rnow(now, &rn);
	core_anow(k, now, &an);
	rules_advance(k->rules, &rn, &k->out);
	core_drain(k, now);
	alarm_advance(k->alarm, &an);
	if (alarm_take_recovered(k->alarm)) {
		core_recovered(k, now);
		core_indicate(k);
	}
	if (now->mono_ns >= k->next_heartbeat) {
		online_heartbeat(k->online, now->wall);
		online_prune(k->online, now->wall);
		k->next_heartbeat = now->mono_ns +
			(uint64_t)k->conf->heartbeat_s * 1000000000u;
	}
}

bool core_prealarm_active(const struct core *k)
{
	return k->indicate_on;
}

/* ---- setup ---- */

static void core_restore_one(void *arg, unsigned int rule, int sensor,
			     uint64_t raised_mono)
{
	struct core *k = arg;

	rules_restore(k->rules, rule, sensor, raised_mono);
}

/*
 * A new engine for k->conf, with what @old (NULL at start) knew, the open
 * alarms and the current sensors.
 */
static int core_engine(struct core *k, const struct rules *old,
		       const struct core_now *now)
{
	struct rules_now rn;
	unsigned int cap;
	int ret;

	core_rnow(now, &rn);
	cap = rules_out_cap(k->conf);
	if (cap > k->out.cap) {
		struct rules_alarm *v = realloc(k->out.v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		k->out.v = v;
		k->out.cap = cap;
	}
	k->rules = rules_new(k->conf, &rn, &k->out);
	if (!k->rules)
		return -ENOMEM;
	rules_carry(k->rules, old);
	core_drain(k, now);
	ret = alarm_foreach_open(k->alarm, core_restore_one, k);
	if (ret < 0)
		return ret;
	core_feed_all(k, now);
	return 0;
}

int core_open(struct core **out, struct conf *c, const char *db_path,
	      const char *boot_id, const struct core_hooks *hooks, void *arg,
	      const struct core_now *now, char *err, size_t errlen)
{
	static const struct core_hooks none;
	struct alarm_now an;
	struct core *k;
	int ret;

	*out = NULL;
	k = calloc(1, sizeof(*k));
	if (!k) {
		conf_free(c);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	k->conf = c;
	k->hooks = hooks ? hooks : &none;
	k->arg = arg;
	snprintf(k->boot_id, sizeof(k->boot_id), "%s", boot_id ? boot_id : "");
	core_anow(k, now, &an);
	ret = alarm_open(&k->alarm, db_path, c, &core_alarm_ops, k, &an,
			 err, errlen);
	if (ret < 0)
		goto fail;
	ret = tlog_attach(&k->tlog, k->alarm, stderr);
	if (ret < 0) {
		snprintf(err, errlen, "log transport: %s", strerror(-ret));
		goto fail;
	}
	ret = online_open(&k->online, alarm_db(k->alarm), err, errlen);
	if (ret < 0)
		goto fail;
	online_set(k->online, "hub", true, now->wall);
	ret = core_engine(k, NULL, now);
	if (ret < 0) {
		snprintf(err, errlen, "rule engine: %s", strerror(-ret));
		goto fail;
	}
	k->next_heartbeat = now->mono_ns;
	*out = k;
	return 0;
fail:
	core_close(k);
	return ret;
}

int core_reload(struct core *k, struct conf *c, const struct core_now *now,
		char *err, size_t errlen)
{
	struct conf *old = k->conf;
	struct rules *old_rules = k->rules;
	size_t i;
	int ret;

	ret = alarm_reconf(k->alarm, c);
	if (ret < 0) {
		snprintf(err, errlen, "alarm store: %s", strerror(-ret));
		conf_free(c);
		return ret;
	}
	k->conf = c;
	for (i = 0; i < k->n_ks; i++)
		k->ks[i].conf = conf_sensor_find(c, k->ks[i].s.name);
	memset(k->online_known, 0, sizeof(k->online_known));
	k->rules = NULL;
	ret = core_engine(k, old_rules, now);
	if (ret < 0) {
		if (k->rules)
			rules_free(k->rules);
		k->rules = old_rules;
		k->conf = old;
		for (i = 0; i < k->n_ks; i++)
			k->ks[i].conf = conf_sensor_find(old, k->ks[i].s.name);
		alarm_reconf(k->alarm, old);
		conf_free(c);
		snprintf(err, errlen, "rule engine: %s", strerror(-ret));
		return ret;
	}
	rules_free(old_rules);
	conf_free(old);
	return 0;
}

const struct conf *core_conf(const struct core *k)
{
	return k->conf;
}

int core_alarm_list(struct core *k, bool open_only, unsigned int limit,
		    int (*cb)(void *arg, const struct alarm_info *ai), void *arg)
{
	return alarm_list(k->alarm, open_only, limit, cb, arg);
}

int core_alarm_get(struct core *k, uint64_t id, struct alarm_info *out)
{
	return alarm_get(k->alarm, id, out);
}

int core_alarm_counts(struct core *k, unsigned int *open, unsigned int *unacked)
{
	return alarm_counts(k->alarm, open, unacked);
}

void core_store_health(const struct core *k, struct alarm_health *out)
{
	alarm_health(k->alarm, out);
}

double core_online_rate(struct core *k, const char *subject, time_t span,
			time_t now)
{
	return online_rate_recent(k->online, subject, span, now, NULL);
}

void core_close(struct core *k)
{
	if (!k)
		return;
	if (k->rules)
		rules_free(k->rules);
	if (k->online)
		online_close(k->online);
	if (k->alarm)
		alarm_close(k->alarm);
	tlog_detach(k->tlog);
	free(k->ks);
	free(k->out.v);
	conf_free(k->conf);
	free(k);
}
