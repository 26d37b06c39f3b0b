// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: daemon/kernel/chnl.c's message parser and the sequence
 * bookkeeping behind it, over a receive buffer of netlink messages as the
 * kernel would send them (several per datagram in a dump).
 *
 * Besides "never crash", it checks what callers rely on: a parsed sensor
 * has a non-empty NUL-terminated name, a NUL-terminated label, state 0 or
 * 1 and an id; JSON written from it is valid UTF-8 without control bytes;
 * the bookkeeping table stays sorted by id.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* fmemopen */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#include "chnl.h"
#include "chnl_track.h"
#include "jsonw.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_json(const char *s)
{
	char out[4 * 64 * 6 + 8];
	size_t n, i, len;
	FILE *f;

	f = fmemopen(out, sizeof(out), "w");
	if (!f)
		abort();
	jw_write_string(f, s, strlen(s));
	n = (size_t)ftell(f);
	fclose(f);
	if (n >= sizeof(out))
		abort();
	for (i = 0; i < n; i += len) {
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			abort();
		len = utf8_char_len((const unsigned char *)out + i, n - i);
		if (!len)
			abort();
	}
}

static void check_sensor(const struct chnl_sensor *s)
{
	if (!s->id || s->state > 1 ||
	    !memchr(s->name, '\0', sizeof(s->name)) || !s->name[0] ||
	    !memchr(s->label, '\0', sizeof(s->label)))
		abort();
	if (!sensor_state_name(s->kind, s->state) || !chnl_cmd_name(s->cmd))
		abort();
	(void)sensor_kind_name(s->kind);
	check_json(s->name);
	check_json(s->label);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chnl_track t;
	struct chnl_sensor s;
	char err[160];
	uint32_t *buf;
	size_t off = 0, i;
	uint64_t lost;

	/* Receive buffers are aligned; copy so the parser gets one. */
	buf = malloc(size + 4);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	chnl_track_init(&t);

	while (off <= size && size - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh =
			(const struct nlmsghdr *)((char *)buf + off);
		int ret = chnl_parse(nlh, size - off, &s, err, sizeof(err));

		if (ret == 0) {
			check_sensor(&s);
			if (s.cmd == CHNL_CMD_GET)
				(void)chnl_track_dumped(&t, s.id, s.seq,
							s.sensor_seq);
			else
				(void)chnl_track_event(&t,
						       s.cmd == CHNL_CMD_DEL,
						       s.id, s.seq,
						       s.sensor_seq, &lost);
		} else if (!err[0]) {
			abort();	/* every rejection is explained */
		}
		/* In size_t: NLMSG_ALIGN() of a huge u32 wraps to 0. */
		if (nlh->nlmsg_len < NLMSG_HDRLEN ||
		    nlh->nlmsg_len > size - off)
			break;
		off += ((size_t)nlh->nlmsg_len + NLMSG_ALIGNTO - 1) &
		       ~(size_t)(NLMSG_ALIGNTO - 1);
	}
	for (i = 1; i < t.n; i++)
		if (t.ents[i - 1].id >= t.ents[i].id)
			abort();

	chnl_track_exit(&t);
	free(buf);
	return 0;
}
