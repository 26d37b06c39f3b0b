// SPDX-License-Identifier: GPL-2.0
/*
 * carehub bed-occupancy decision; see carehub_occupancy.h for the rules.
 * No kernel-only dependencies: this file is also built on the host.
 */
#include "carehub_occupancy.h"

/**
 * cho_check_cfg() - is a configuration consistent?
 * @cfg: the configuration
 *
 * Return: 0, or -1 when the thresholds are inverted or equal.
 */
int cho_check_cfg(const struct cho_cfg *cfg)
{
	return cfg->rise > cfg->fall && cfg->stuck_delta >= 0 ? 0 : -1;
}

/**
 * cho_init() - start deciding from a first sample
 * @o: state to initialise
 * @cfg: a configuration that passed cho_check_cfg()
 * @value: first sample; occupied if at or above the middle of the band
 * @now: its time
 */
void cho_init(struct cho *o, const struct cho_cfg *cfg, s64 value, u64 now)
{
	*o = (struct cho){
		.cfg = *cfg,
		.level = value >= cfg->fall + (cfg->rise - cfg->fall) / 2,
		.first_cross_ns = now,
		.settle_ns = now,
		.win_start_ns = now,
		.win_min = value,
		.win_max = value,
		.last_value = value,
		.samples = 1,
	};
}

/**
 * cho_set_cfg() - change the configuration; a pending candidate is kept
 * @o: state
 * @cfg: a configuration that passed cho_check_cfg()
 */
void cho_set_cfg(struct cho *o, const struct cho_cfg *cfg)
{
	o->cfg = *cfg;
}

static u32 cho_track_flat(struct cho *o, u64 now, s64 value)
{
	if (value < o->win_min)
		o->win_min = value;
	if (value > o->win_max)
		o->win_max = value;

	if (o->win_max - o->win_min > o->cfg.stuck_delta) {
		/* It moves: a new flat window starts here. */
		o->win_start_ns = now;
		o->win_min = value;
		o->win_max = value;
		if (o->faults & CHO_FAULT_STUCK) {
			o->faults &= ~CHO_FAULT_STUCK;
			return CHO_REPORT_FAULT;
		}
		return 0;
	}
	if (o->cfg.stuck_ns && !(o->faults & CHO_FAULT_STUCK) &&
	    now - o->win_start_ns >= o->cfg.stuck_ns) {
		o->faults |= CHO_FAULT_STUCK;
		return CHO_REPORT_FAULT;
	}
	return 0;
}

/**
 * cho_sample() - account a good sample
 * @o: state
 * @now: sample time
 * @value: raw value
 *
 * Return: CHO_* flags saying what to report.
 */
u32 cho_sample(struct cho *o, u64 now, s64 value)
{
	bool beyond, back;
	u32 act = 0;

	o->samples++;
	o->last_value = value;
	if (o->erring) {
		o->erring = false;
		if (o->faults & CHO_FAULT_OFFLINE) {
			o->faults &= ~CHO_FAULT_OFFLINE;
			act |= CHO_REPORT_FAULT;
		}
	}
	act |= cho_track_flat(o, now, value);

	if (o->level) {
		beyond = value < o->cfg.fall;
		back = value >= o->cfg.rise;
	} else {
		beyond = value >= o->cfg.rise;
		back = value < o->cfg.fall;
	}

	if (!o->pending) {
		if (beyond) {
			o->pending = true;
			o->first_cross_ns = now;
			o->crossings++;
		}
	} else if (back) {
		o->pending = false;
		o->glitches++;
	}

	if (o->pending &&
	    now - o->first_cross_ns >= (o->level ? o->cfg.leave_ns :
						    o->cfg.enter_ns)) {
		o->pending = false;
		o->level = !o->level;
		o->settle_ns = now;
		act |= CHO_REPORT_STATE;
	}
	return act;
}

/**
 * cho_error() - account a failed read
 * @o: state
 * @now: time of the failure
 *
 * A pending candidate change is cancelled.
 *
 * Return: CHO_REPORT_FAULT when the offline fault is raised, else 0.
 */
u32 cho_error(struct cho *o, u64 now)
{
	o->errors++;
	/*
	 * A pending candidate cannot complete across an outage: its hold
	 * would end in time that was never observed, stamped from before
	 * the outage. Cancel it (not a glitch); the first good sample beyond
	 * the threshold starts a new one and the hold restarts there.
	 */
	o->pending = false;
	if (!o->erring) {
		o->erring = true;
		o->err_since_ns = now;
	}
	if (!(o->faults & CHO_FAULT_OFFLINE) &&
	    now - o->err_since_ns >= o->cfg.offline_ns) {
		o->faults |= CHO_FAULT_OFFLINE;
		return CHO_REPORT_FAULT;
	}
	return 0;
}
