// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chnl_track: sequence bookkeeping of the carehub event stream; see
 * chnl_track.h for the rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chnl_track.h"

void chnl_track_init(struct chnl_track *t)
{
	memset(t, 0, sizeof(*t));
}

void chnl_track_exit(struct chnl_track *t)
{
	free(t->ents);
	memset(t, 0, sizeof(*t));
}

void chnl_track_rebase(struct chnl_track *t)
{
	t->have_seq = false;
	t->last_seq = 0;
	t->n = 0;
}

/* Index of @id, or of where it would be inserted. */
static size_t chnl_track_find(const struct chnl_track *t, uint32_t id)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->ents[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int chnl_track_set(struct chnl_track *t, uint32_t id,
			  uint64_t sensor_seq)
{
	size_t i = chnl_track_find(t, id);

	if (i < t->n && t->ents[i].id == id) {
		t->ents[i].sensor_seq = sensor_seq;
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct chnl_track_ent *e;

		if (cap > SIZE_MAX / sizeof(*e))
			return -ENOMEM;
		e = realloc(t->ents, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		t->ents = e;
		t->cap = cap;
	}
	memmove(&t->ents[i + 1], &t->ents[i], (t->n - i) * sizeof(*t->ents));
	t->ents[i] = (struct chnl_track_ent){ .id = id,
					      .sensor_seq = sensor_seq };
	t->n++;
	return 0;
}

static void chnl_track_del(struct chnl_track *t, uint32_t id)
{
	size_t i = chnl_track_find(t, id);

	if (i < t->n && t->ents[i].id == id) {
		memmove(&t->ents[i], &t->ents[i + 1],
			(t->n - i - 1) * sizeof(*t->ents));
		t->n--;
	}
}

int chnl_track_dumped(struct chnl_track *t, uint32_t id, uint64_t seq,
		      uint64_t sensor_seq)
{
	if (!t->have_seq || seq < t->last_seq) {
		t->last_seq = seq;
		t->have_seq = true;
	}
	return chnl_track_set(t, id, sensor_seq);
}

enum chnl_track_verdict chnl_track_seq(struct chnl_track *t, uint64_t seq,
				       uint64_t *lost)
{
	*lost = 0;
	if (t->have_seq) {
		if (seq <= t->last_seq)
			return CHNL_TRACK_DUPLICATE;
		if (seq != t->last_seq + 1) {
			*lost = seq - t->last_seq - 1;
			return CHNL_TRACK_GAP;
		}
	}
	t->last_seq = seq;
	t->have_seq = true;
	return CHNL_TRACK_DELIVER;
}

enum chnl_track_verdict chnl_track_event(struct chnl_track *t, bool del,
					 uint32_t id, uint64_t seq,
					 uint64_t sensor_seq, uint64_t *lost)
{
	enum chnl_track_verdict v = chnl_track_seq(t, seq, lost);
	size_t i;

	if (v != CHNL_TRACK_DELIVER)
		return v;

	i = chnl_track_find(t, id);
	if (i < t->n && t->ents[i].id == id &&
	    sensor_seq <= t->ents[i].sensor_seq)
		return CHNL_TRACK_DUPLICATE;

	if (del) {
		chnl_track_del(t, id);
		return CHNL_TRACK_DELIVER;
	}
	if (chnl_track_set(t, id, sensor_seq))
		return CHNL_TRACK_NOMEM;
	return CHNL_TRACK_DELIVER;
}
