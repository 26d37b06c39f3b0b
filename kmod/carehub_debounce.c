// SPDX-License-Identifier: GPL-2.0
/*
 * carehub debounce decision logic; see carehub_debounce.h for the rules.
 * No kernel-only dependencies: this file is also built on the host.
 */
#include "carehub_debounce.h"

/**
 * chd_init() - start debouncing a line whose level is known
 * @d: state to initialise
 * @debounce_ns: quiet time before a level is taken, > 0
 * @holdoff_max_ns: longest burst before a chatter fault, > @debounce_ns
 * @level: level read now (0 or 1); reported as the initial state
 * @now: current time
 */
void chd_init(struct chd *d, u64 debounce_ns, u64 holdoff_max_ns, int level,
	      u64 now)
{
	*d = (struct chd){
		.debounce_ns = debounce_ns,
		.holdoff_max_ns = holdoff_max_ns,
		.level = !!level,
		.first_edge_ns = now,
		.last_edge_ns = now,
		.settle_ns = now,
	};
}

static u64 chd_deadline(const struct chd *d)
{
	u64 settle = d->last_edge_ns + d->debounce_ns;
	u64 holdoff = d->first_edge_ns + d->holdoff_max_ns;

	/* Once chatter is reported only the end of the burst matters. */
	if (d->chatter || settle <= holdoff)
		return settle;
	return holdoff;
}

/**
 * chd_edge() - account an edge; safe to call from hard-IRQ context
 * @d: line state
 * @now: time of the edge
 *
 * Return: absolute time at which the caller must call chd_expire(); any
 * earlier pending deadline is superseded.
 */
u64 chd_edge(struct chd *d, u64 now)
{
	d->edges++;
	if (!d->in_burst) {
		d->in_burst = true;
		d->first_edge_ns = now;
		d->last_edge_ns = now;
	}
	/* Interrupt timestamps may arrive out of order across CPUs. */
	if (now < d->first_edge_ns)
		d->first_edge_ns = now;
	if (now > d->last_edge_ns)
		d->last_edge_ns = now;
	return chd_deadline(d);
}

/**
 * chd_expire() - the deadline passed: decide with the level read now
 * @d: line state
 * @now: current time
 * @level: line level read after the deadline (0 or 1)
 * @next: set to the next deadline, or 0 when the line is settled
 *
 * Return: CHD_* flags saying what to report.
 */
u32 chd_expire(struct chd *d, u64 now, int level, u64 *next)
{
	u32 act = 0;

	*next = 0;
	if (!d->in_burst)
		return 0;

	if (now < d->last_edge_ns + d->debounce_ns) {
		/* Still bouncing. */
		if (!d->chatter &&
		    now >= d->first_edge_ns + d->holdoff_max_ns) {
			d->chatter = true;
			d->chatter_faults++;
			act |= CHD_REPORT_FAULT;
		}
		*next = chd_deadline(d);
		return act;
	}

	/* Quiet for the debounce period: the level is the truth. */
	d->in_burst = false;
	if (d->chatter) {
		d->chatter = false;
		act |= CHD_REPORT_FAULT;
	}
	if (!!level != d->level) {
		d->level = !!level;
		d->settle_ns = now;
		act |= CHD_REPORT_STATE;
	} else if (!(act & CHD_REPORT_FAULT)) {
		d->glitches++;
		act |= CHD_GLITCH;
	}
	return act;
}

/**
 * chd_resync() - take the level as is, e.g. after resume
 * @d: line state
 * @now: current time
 * @level: level read now
 *
 * Edges may have been lost while suspended. A pending burst is left to
 * its deadline; otherwise a differing level is reported at once, with the
 * first-edge stamp equal to the settle stamp since no edge was seen.
 *
 * Return: CHD_REPORT_STATE if the state changed, else 0.
 */
u32 chd_resync(struct chd *d, u64 now, int level)
{
	if (d->in_burst || !!level == d->level)
		return 0;
	d->level = !!level;
	d->first_edge_ns = now;
	d->last_edge_ns = now;
	d->settle_ns = now;
	return CHD_REPORT_STATE;
}
