/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * core: the part of carehubd that turns inputs into alarms (prefix core_).
 *
 * It owns the configuration, the rule engine (rules.c), the durable alarm
 * lifecycle (alarm.c, SQLite) and the online accounting (online.c), and
 * glues them: sensor state -> rules -> alarm transitions -> outbox. It does
 * no I/O of its own besides the store, reads no clock and knows no event
 * loop: carehubd feeds it the kernel's netlink events, the hub buttons and
 * real clocks; carehubd --replay feeds it a scenario on a virtual clock.
 * Both therefore run exactly the same decisions.
 *
 * Time: struct core_now carries CLOCK_BOOTTIME (durations, deadlines) and
 * CLOCK_REALTIME (windows, stored timestamps) read at the same moment.
 */
#ifndef CORE_H
#define CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alarm.h"
#include "conf.h"
#include "online.h"
#include "rules.h"
#include "sensor.h"

#define CORE_NEVER	UINT64_MAX

struct core_now {
	uint64_t mono_ns;	/* CLOCK_BOOTTIME */
	time_t wall;		/* CLOCK_REALTIME */
};

/*
 * What the daemon (or the replay) does with decisions. Every member may be
 * NULL. Called synchronously, after the transition is committed.
 */
struct core_hooks {
	/* An alarm changed (@what: "prealarm", "raised", "acked", ...). */
	void (*transition)(void *arg, const struct alarm_info *ai,
			   const char *what);
	/* Pre-alarm indicator (buzzer / LED) on or off. */
	void (*indicate)(void *arg, bool on);
	/* A sensor's state as the daemon now sees it (for monitor); @conf_idx
	 * -1 if the config does not name it; s->st.present false: gone. */
	void (*sensor)(void *arg, const struct sensor *s, int conf_idx);
};

/**
 * struct core_ksensor - a sensor the kernel reported
 * @s: its last full state
 * @conf: index into conf->sensors, -1 if the config does not name it
 */
struct core_ksensor {
	struct sensor s;
	int conf;
};

struct core;

/*
 * core_open() - open the store at @db_path (":memory:" for replay),
 * resume open alarms, start the engine. Takes ownership of @c (also on
 * failure). @boot_id tells a restart within one boot from a reboot.
 * Return 0 or -errno with a message in @err.
 */
int core_open(struct core **out, struct conf *c, const char *db_path,
	      const char *boot_id, const struct core_hooks *hooks, void *arg,
	      const struct core_now *now, char *err, size_t errlen);
void core_close(struct core *k);

/*
 * core_reload() - swap in @c (a freshly parsed config): a new engine is
 * built and fed the current sensor state and the open alarms; the old one
 * is dropped. Takes ownership of @c. Return 0 or -errno (@err).
 */
int core_reload(struct core *k, struct conf *c, const struct core_now *now,
		char *err, size_t errlen);

const struct conf *core_conf(const struct core *k);
/*
 * Reads, for the control socket: the only door into core's state (the
 * store and the accounting stay behind it). As alarm_list(), alarm_get(),
 * alarm_counts() and online_rate_recent() (a fraction, or < 0 when
 * unknown).
 */
int core_alarm_list(struct core *k, bool open_only, unsigned int limit,
		    int (*cb)(void *arg, const struct alarm_info *ai), void *arg);
int core_alarm_get(struct core *k, uint64_t id, struct alarm_info *out);
int core_alarm_counts(struct core *k, unsigned int *open, unsigned int *unacked);
double core_online_rate(struct core *k, const char *subject, time_t span,
			time_t now);
/* Is the store committing? (see alarm_health() in alarm.h) */
void core_store_health(const struct core *k, struct alarm_health *out);

/*
 * Sensor input, from the kernel (daemon/kernel/) or a scenario (replay):
 * core_sensor() one sensor's new state (s->st.present false: it is gone);
 * core_sensors_resync() every sensor there is (a fresh dump; @n 0 when the
 * module went away): sensors not in @v are gone.
 */
void core_sensor(struct core *k, const struct sensor *s,
		 const struct core_now *now);
void core_sensors_resync(struct core *k, const struct sensor *v, size_t n,
			 const struct core_now *now);
/* Kernel sensors known now, by id. */
const struct core_ksensor *core_ksensors(const struct core *k, size_t *n);

void core_button(struct core *k, enum rules_button b,
		 const struct core_now *now);
void core_link(struct core *k, bool up, const struct core_now *now);
void core_vitals(struct core *k, unsigned int sensor, unsigned int hr,
		 unsigned int rr, const struct core_now *now);

/* Operator actions: 0, -ENOENT, -EALREADY, or another -errno. */
int core_ack(struct core *k, uint64_t id, const char *who,
	     const struct core_now *now);
int core_cancel(struct core *k, uint64_t id, const char *who,
		const struct core_now *now);
int core_test(struct core *k, const char *who, const struct core_now *now,
	      uint64_t *id);

/* A fault of the hub itself, raised to the chain (alarm_hub_fault()). */
int core_hub_fault(struct core *k, const char *what, const char *text,
		   const struct core_now *now);

/* Earliest deadline (CLOCK_BOOTTIME ns) of engine, outbox, heartbeat. */
uint64_t core_next(const struct core *k);
/* Do what is due; also after a wall-clock step. */
void core_advance(struct core *k, const struct core_now *now);

bool core_prealarm_active(const struct core *k);

#endif /* CORE_H */
