/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared fixture of the alarm lifecycle tests: a configuration with three
 * recipients in the chain, a fake transport whose answer is set per
 * recipient, a virtual clock (mono + wall + boot id) and a real SQLite
 * file in a mkdtemp() directory.
 */
#ifndef ALARM_FIXTURE_H
#define ALARM_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alarm.h"
#include "store.h"

#define FX_SENT_MAX	256

struct fx_sent {
	uint64_t id, alarm;
	enum alarm_msg_kind kind;
	char recipient[CONF_NAME_MAX];
	unsigned int repeats;
};

struct fx {
	char dir[64];
	char path[96];
	struct conf c;
	struct alarm *a;
	struct alarm_now now;
	char boot[40];
	int mode[CONF_RECIPIENTS_MAX];	/* send() result per recipient index */
	struct fx_sent sent[FX_SENT_MAX];
	unsigned int n_sent;
	unsigned int n_trans, n_log;
	char last_what[24];
	char last_log[512];
};

enum { FX_R_SOS, FX_R_BED, FX_R_PTEST };
enum { FX_S_BED, FX_S_SOS };

static inline int fx_send(void *ctx, const struct alarm_msg *m)
{
	struct fx *f = ctx;
	int idx = -1;

	for (unsigned int i = 0; i < f->c.n_recipients; i++)
		if (strcmp(f->c.recipients[i].name, m->recipient) == 0)
			idx = (int)i;
	if (idx < 0)
		return -EINVAL;
	if (f->n_sent < FX_SENT_MAX) {
		struct fx_sent *s = &f->sent[f->n_sent++];

		s->id = m->id;
		s->alarm = m->alarm;
		s->kind = m->kind;
		s->repeats = m->repeats;
		snprintf(s->recipient, sizeof(s->recipient), "%s", m->recipient);
	}
	return f->mode[idx];
}

static inline void fx_transition(void *arg, const struct alarm_info *ai,
			  const char *what)
{
	struct fx *f = arg;

	(void)ai;
	f->n_trans++;
	snprintf(f->last_what, sizeof(f->last_what), "%s", what);
}

static inline void fx_log(void *arg, int prio, const char *msg)
{
	struct fx *f = arg;

	(void)prio;
	f->n_log++;
	snprintf(f->last_log, sizeof(f->last_log), "%s", msg);
}

static const struct alarm_ops fx_ops = {
	.transition = fx_transition,
	.log = fx_log,
};

static inline void fx_conf(struct conf *c)
{
	static const char *const rcpt[] = { "family", "worker", "centre" };
	static const uint32_t ackt[] = { 60, 120, 300 };

	memset(c, 0, sizeof(*c));
	snprintf(c->hub_name, sizeof(c->hub_name), "hub1");
	c->n_residents = 1;
	snprintf(c->residents[0].name, CONF_NAME_MAX, "ann");
	snprintf(c->residents[0].account, 17, "1234");
	c->n_sensors = 2;
	snprintf(c->sensors[FX_S_BED].name, CONF_NAME_MAX, "bed");
	snprintf(c->sensors[FX_S_BED].label, CONF_TEXT_MAX, "Bedroom bed");
	c->sensors[FX_S_BED].zone = 1;
	snprintf(c->sensors[FX_S_SOS].name, CONF_NAME_MAX, "sosbtn");
	snprintf(c->sensors[FX_S_SOS].label, CONF_TEXT_MAX, "SOS pendant");
	c->sensors[FX_S_SOS].zone = 2;
	c->n_rules = 3;
	snprintf(c->rules[FX_R_SOS].name, CONF_NAME_MAX, "sos");
	c->rules[FX_R_SOS].type = CONF_RULE_SOS;
	snprintf(c->rules[FX_R_BED].name, CONF_NAME_MAX, "bedexit");
	c->rules[FX_R_BED].type = CONF_RULE_BED_EXIT;
	snprintf(c->rules[FX_R_PTEST].name, CONF_NAME_MAX, "daily");
	c->rules[FX_R_PTEST].type = CONF_RULE_PERIODIC_TEST;
	c->n_recipients = 3;
	c->n_chain = 3;
	for (unsigned int i = 0; i < 3; i++) {
		snprintf(c->recipients[i].name, CONF_NAME_MAX, "%s", rcpt[i]);
		c->recipients[i].transport = CONF_TRANSPORT_LOG;
		c->recipients[i].ack_timeout_s = ackt[i];
		c->recipients[i].retry_s = 10;
		c->chain[i] = i;
	}
	c->repeat_s = 600;
}

static inline int fx_open(struct fx *f)
{
	struct alarm_transport tr = { .name = "fake", .send = fx_send, .ctx = f };
	char err[256];
	int rc;

	f->now.boot_id = f->boot;
	rc = alarm_open(&f->a, f->path, &f->c, &fx_ops, f, &f->now, err,
			sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "alarm_open: %s\n", err);
		return rc;
	}
	return alarm_set_transport(f->a, CONF_TRANSPORT_LOG, &tr);
}

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		abort();
	snprintf(f->dir, sizeof(f->dir), "/tmp/carehub-alarm-XXXXXX");
	if (!mkdtemp(f->dir))
		abort();
	snprintf(f->path, sizeof(f->path), "%s/carehub.db", f->dir);
	fx_conf(&f->c);
	snprintf(f->boot, sizeof(f->boot), "boot-A");
	f->now.mono_ns = 1000ULL * 1000000000ULL;
	f->now.wall = 1700000000;
	for (unsigned int i = 0; i < CONF_RECIPIENTS_MAX; i++)
		f->mode[i] = 1;
	return f;
}

static inline void fx_free(struct fx *f)
{
	char p[160];

	alarm_close(f->a);
	snprintf(p, sizeof(p), "%s/carehub.db", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/carehub.db-wal", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/carehub.db-shm", f->dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/carehub.db.lock", f->dir);
	unlink(p);
	rmdir(f->dir);
	free(f);
}

/* Move the virtual clock and do what is due. */
static inline void fx_tick(struct fx *f, unsigned int s)
{
	f->now.mono_ns += (uint64_t)s * 1000000000ULL;
	f->now.wall += s;
	alarm_advance(f->a, &f->now);
}

/* A transition of (@rule, @sensor) worded @text. */
static inline int fx_rule_text(struct fx *f, enum alarm_tr tr, unsigned int rule,
			       int sensor, const char *text)
{
	struct alarm_input in = {
		.tr = tr, .rule = f->c.rules[rule].name,
		.type = f->c.rules[rule].type,
		.sensor = sensor >= 0 ? f->c.sensors[sensor].name : NULL,
		.rule_idx = rule, .sensor_idx = sensor,
		.code = 150, .zone = 1, .text = text,
	};

	return alarm_on_rule(f->a, &in, &f->now);
}

static inline int fx_rule(struct fx *f, enum alarm_tr tr, unsigned int rule, int sensor)
{
	char text[ALARM_TEXT_MAX];

	snprintf(text, sizeof(text), "rule %u sensor %d", rule, sensor);
	return fx_rule_text(f, tr, rule, sensor, text);
}

/* Newest open alarm id of the store (0 if none). */
static inline uint64_t fx_last_id(struct fx *f)
{
	int64_t v = 0;

	store_int(alarm_db(f->a), &v, "SELECT max(id) FROM alarms", NULL);
	return (uint64_t)v;
}

static inline int64_t fx_int(struct fx *f, const char *sql, uint64_t id)
{
	int64_t v = -1;

	if (store_int(alarm_db(f->a), &v, sql, "u", id) < 0)
		return -2;
	return v;
}

static inline enum alarm_state fx_state(struct fx *f, uint64_t id)
{
	struct alarm_info ai;

	if (alarm_get(f->a, id, &ai) < 0)
		return ALARM_STATES;
	return ai.state;
}

#endif /* ALARM_FIXTURE_H */
