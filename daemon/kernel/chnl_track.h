/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chnl_track: sequence bookkeeping of the carehub event stream (internal to
 * chnl.c; separate so that it can be tested without sockets).
 *
 * The kernel numbers every notification family-wide (seq, +1 each, from 1)
 * and per sensor (sensor_seq). A reader subscribes, then dumps; the dump
 * says for every sensor which sensor_seq it reflects, and the family-wide
 * number of the last notification sent before it was built. From then on:
 *
 *  - a notification with seq <= the baseline is already in the dump: drop;
 *  - otherwise seq must be last + 1, or notifications were lost: resync;
 *  - a notification whose sensor_seq is <= the one known for that sensor
 *    is a duplicate of what the dump (taken in several parts, under the
 *    lock only per part) already showed: drop.
 *
 * The baseline of a dump is the smallest seq among its messages, so that
 * notifications sent while a multi-part dump was being taken are judged by
 * their sensor_seq. An empty dump carries no seq: the first notification
 * after it is then accepted as it is.
 */
#ifndef CHNL_TRACK_H
#define CHNL_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum chnl_track_verdict {
	CHNL_TRACK_DELIVER,	/* new: hand to the caller */
	CHNL_TRACK_DUPLICATE,	/* already reflected in the state: drop */
	CHNL_TRACK_GAP,		/* notifications lost: resync */
	CHNL_TRACK_NOMEM,	/* out of memory: resync (state unknown) */
};

struct chnl_track_ent {
	uint32_t id;
	uint64_t sensor_seq;
};

/**
 * struct chnl_track - what the reader knows of the stream
 * @have_seq: @last_seq is valid
 * @last_seq: family-wide number of the last notification accounted for
 * @ents: last sensor_seq per sensor id, sorted by id
 * @n: entries used
 * @cap: entries allocated
 */
struct chnl_track {
	bool have_seq;
	uint64_t last_seq;
	struct chnl_track_ent *ents;
	size_t n;
	size_t cap;
};

void chnl_track_init(struct chnl_track *t);
void chnl_track_exit(struct chnl_track *t);

/* A new dump starts: forget everything. */
void chnl_track_rebase(struct chnl_track *t);
/* One sensor of the dump; 0 or -ENOMEM. */
int chnl_track_dumped(struct chnl_track *t, uint32_t id, uint64_t seq,
		      uint64_t sensor_seq);

/*
 * A sensor notification. On CHNL_TRACK_GAP *lost is the number of
 * notifications missed; the state is left as it was (a resync rebases it).
 */
enum chnl_track_verdict chnl_track_event(struct chnl_track *t, bool del,
					 uint32_t id, uint64_t seq,
					 uint64_t sensor_seq, uint64_t *lost);

/* A notification of a command this reader does not know: only its seq. */
enum chnl_track_verdict chnl_track_seq(struct chnl_track *t, uint64_t seq,
				       uint64_t *lost);

#endif /* CHNL_TRACK_H */
