/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * replay: run a scenario through the real rule engine and alarm lifecycle
 * on a virtual clock, as fast as possible (prefix replay_).
 *
 * A scenario is a text file, one event per line (full grammar in
 * carehubd(8), section REPLAY):
 *
 *	# comment
 *	2026-03-28T21:00 sensor bed occupied      local time (config TZ)
 *	+20m sensor bed empty                     relative to the line before
 *	2026-03-29T02:00:00Z button cancel        UTC (or +01:00 offsets)
 *	+1h ack last operator
 *	+1d end                                    run the clock up to here
 *
 * Commands: sensor NAME STATE [FAULTS] (STATE 0/1 or a state name: open
 * closed occupied empty pressed released free; FAULTS comma-separated
 * chatter,stuck,offline or "none"), gone NAME, button sos|cancel,
 * ack ID|last [WHO], cancel ID|last [WHO], test, link up|down,
 * vitals NAME HR RR, end.
 *
 * At the first line's time every configured sensor is present in its
 * resting state (doors and contacts closed, the rest 0), so that a
 * scenario only says what changes. The virtual CLOCK_BOOTTIME advances
 * with the scenario's wall time; between lines every deadline of the
 * engine and the outbox is visited in order, never skipped. Every alarm
 * transition is printed to @out as it is committed.
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"

struct replay_opts {
	bool json;		/* one JSON object per transition */
	const char *db_path;	/* store; NULL = in memory */
};

struct replay_stats {
	uint64_t lines;		/* scenario events */
	uint64_t transitions;	/* alarm transitions printed */
	uint64_t wakeups;	/* deadlines visited */
	double simulated_s;	/* virtual time covered */
};

/*
 * replay_run() - run @scenario (a path; "-" for stdin) with config @c
 * (ownership passes to the replay). Return 0, or -EINVAL with
 * "FILE:LINE: message" in @err for a bad scenario line (transitions up to
 * that line are printed), or another -errno.
 */
int replay_run(struct conf *c, const char *scenario, FILE *out,
	       const struct replay_opts *opts, struct replay_stats *st,
	       char *err, size_t errlen);

#endif /* REPLAY_H */
