// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of daemon/kernel/chnl.c's message parser and daemon/kernel/chnl_track.c's
 * sequence bookkeeping. Messages are built in memory with libnl's own
 * nlmsg / nla_put API, the way the kernel lays them out, then broken in
 * every way the parser must catch.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* as daemon/kernel/chnl.c */
#endif
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "chnl.h"
#include "chnl_track.h"

#define FAMILY_ID	0x20

/* ---- building messages ---- */

static struct nl_msg *msg_start(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	assert_non_null(m);
	assert_non_null(genlmsg_put(m, 0, 0, FAMILY_ID, 0, 0, cmd,
				    CAREHUB_GENL_VERSION));
	return m;
}

/* Every attribute the kernel sends, in its order, except @skip. */
static void put_std(struct nl_msg *m, uint8_t cmd, int skip)
{
#define PUT(t, call) do { if (skip != (t)) assert_int_equal(call, 0); } while (0)
	PUT(CAREHUB_A_SENSOR_ID, nla_put_u32(m, CAREHUB_A_SENSOR_ID, 7));
	PUT(CAREHUB_A_NAME, nla_put_string(m, CAREHUB_A_NAME, "door1"));
	PUT(CAREHUB_A_LABEL, nla_put_string(m, CAREHUB_A_LABEL,
					    "Front door \xe5\x89\x8d\xe9\x97\xa8"));
	PUT(CAREHUB_A_KIND, nla_put_u32(m, CAREHUB_A_KIND, CAREHUB_KIND_DOOR));
	PUT(CAREHUB_A_STATE, nla_put_u8(m, CAREHUB_A_STATE, 1));
	PUT(CAREHUB_A_FAULTS, nla_put_u32(m, CAREHUB_A_FAULTS,
					  CAREHUB_FAULT_CHATTER));
	/* The kernel pads 64-bit attributes; an empty PAD must be harmless. */
	assert_int_equal(nla_put(m, CAREHUB_A_PAD, 0, NULL), 0);
	PUT(CAREHUB_A_FIRST_EDGE_NS, nla_put_u64(m, CAREHUB_A_FIRST_EDGE_NS,
						 1000000001ULL));
	PUT(CAREHUB_A_SETTLE_NS, nla_put_u64(m, CAREHUB_A_SETTLE_NS,
					     1020000001ULL));
	PUT(CAREHUB_A_SEQ, nla_put_u64(m, CAREHUB_A_SEQ, 42));
	PUT(CAREHUB_A_SENSOR_SEQ, nla_put_u64(m, CAREHUB_A_SENSOR_SEQ, 5));
	PUT(CAREHUB_A_EDGES, nla_put_u64(m, CAREHUB_A_EDGES, 12));
	PUT(CAREHUB_A_GLITCHES, nla_put_u64(m, CAREHUB_A_GLITCHES, 3));
	PUT(CAREHUB_A_CHATTER_FAULTS, nla_put_u64(m, CAREHUB_A_CHATTER_FAULTS,
						  1));
	PUT(CAREHUB_A_DEBOUNCE_MS, nla_put_u32(m, CAREHUB_A_DEBOUNCE_MS, 20));
	PUT(CAREHUB_A_HOLDOFF_MAX_MS, nla_put_u32(m, CAREHUB_A_HOLDOFF_MAX_MS,
						  2000));
	if (cmd == CAREHUB_CMD_SENSOR_CHANGE_NTF)
		PUT(CAREHUB_A_REASON, nla_put_u32(m, CAREHUB_A_REASON,
						  CAREHUB_REASON_STATE |
						  CAREHUB_REASON_FAULT));
#undef PUT
}

static struct nl_msg *msg_std(uint8_t cmd, int skip)
{
	struct nl_msg *m = msg_start(cmd);

	put_std(m, cmd, skip);
	return m;
}

static char errbuf[256];

static int parse(struct nl_msg *m, struct chnl_sensor *s)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);

	memset(errbuf, 0, sizeof(errbuf));
	return chnl_parse(nlh, nlh->nlmsg_len, s, errbuf, sizeof(errbuf));
}

/* Parse must fail with -EINVAL and an error mentioning @what. */
static void expect_reject(struct nl_msg *m, const char *what)
{
	struct chnl_sensor s;

	assert_int_equal(parse(m, &s), -EINVAL);
	if (!strstr(errbuf, what))
		fail_msg("error \"%s\" does not mention \"%s\"", errbuf, what);
	nlmsg_free(m);
}

/* ---- parser: accepted ---- */

static void test_parse_change(void **state)
{
	struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_CHANGE_NTF, 0);
	struct chnl_sensor s;

	(void)state;
	assert_int_equal(parse(m, &s), 0);
	assert_string_equal(errbuf, "");
	assert_int_equal(s.cmd, CHNL_CMD_CHANGE);
	assert_int_equal(s.id, 7);
	assert_string_equal(s.name, "door1");
	assert_string_equal(s.label, "Front door \xe5\x89\x8d\xe9\x97\xa8");
	assert_int_equal(s.kind, CAREHUB_KIND_DOOR);
	assert_int_equal(s.state, 1);
	assert_int_equal(s.faults, CAREHUB_FAULT_CHATTER);
	assert_int_equal(s.first_edge_ns, 1000000001ULL);
	assert_int_equal(s.settle_ns, 1020000001ULL);
	assert_int_equal(s.seq, 42);
	assert_int_equal(s.sensor_seq, 5);
	assert_int_equal(s.edges, 12);
	assert_int_equal(s.glitches, 3);
	assert_int_equal(s.chatter_faults, 1);
	assert_int_equal(s.debounce_ms, 20);
	assert_int_equal(s.holdoff_max_ms, 2000);
	assert_int_equal(s.reason, CAREHUB_REASON_STATE | CAREHUB_REASON_FAULT);
	nlmsg_free(m);
}

static void test_parse_cmds(void **state)
{
	static const struct {
		uint8_t genl;
		enum chnl_cmd cmd;
	} c[] = {
		{ CAREHUB_CMD_SENSOR_GET, CHNL_CMD_GET },
		{ CAREHUB_CMD_SENSOR_ADD_NTF, CHNL_CMD_ADD },
		{ CAREHUB_CMD_SENSOR_DEL_NTF, CHNL_CMD_DEL },
	};
	struct chnl_sensor s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct nl_msg *m = msg_std(c[i].genl, 0);

		assert_int_equal(parse(m, &s), 0);
		assert_int_equal(s.cmd, c[i].cmd);
		assert_int_equal(s.reason, 0);	/* REASON is CHANGE only */
		nlmsg_free(m);
	}
}

static void test_parse_unknown_kind_kept(void **state)
{
	struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_KIND);
	struct chnl_sensor s;

	(void)state;
	assert_int_equal(nla_put_u32(m, CAREHUB_A_KIND, 77), 0);
	assert_int_equal(parse(m, &s), 0);
	assert_int_equal(s.kind, 77);
	assert_null(sensor_kind_name(s.kind));
	assert_string_equal(sensor_state_name(s.kind, 1), "active");
	nlmsg_free(m);
}

static void test_parse_unknown_attrs_ignored(void **state)
{
	struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_GET, 0);
	uint8_t blob[13] = { 1, 2, 3 };
	struct chnl_sensor s;

	(void)state;
	/* A newer kernel's attributes, of any size, after and in between. */
	assert_int_equal(nla_put(m, CAREHUB_A_MAX + 1, sizeof(blob), blob), 0);
	assert_int_equal(nla_put_u64(m, CAREHUB_A_MAX + 40, 1), 0);
	assert_int_equal(nla_put(m, 0x3fff, 0, NULL), 0);
	assert_int_equal(nla_put_u32(m, CAREHUB_A_UNSPEC, 9), 0);
	assert_int_equal(parse(m, &s), 0);
	assert_int_equal(s.id, 7);
	nlmsg_free(m);
}

static void test_parse_string_limits(void **state)
{
	char label[CAREHUB_LABEL_MAX], name[CAREHUB_NAME_MAX];
	struct chnl_sensor s;
	struct nl_msg *m;

	(void)state;
	/* Longest allowed: MAX - 1 characters and the NUL. */
	memset(label, 'L', sizeof(label) - 1);
	label[sizeof(label) - 1] = '\0';
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_LABEL);
	assert_int_equal(nla_put_string(m, CAREHUB_A_LABEL, label), 0);
	assert_int_equal(parse(m, &s), 0);
	assert_int_equal(strlen(s.label), CAREHUB_LABEL_MAX - 1);
	nlmsg_free(m);

	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_NAME);
	assert_int_equal(nla_put_string(m, CAREHUB_A_NAME, name), 0);
	assert_int_equal(parse(m, &s), 0);
	assert_int_equal(strlen(s.name), CAREHUB_NAME_MAX - 1);
	nlmsg_free(m);

	/* An empty label is allowed (the name is not). */
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_LABEL);
	assert_int_equal(nla_put_string(m, CAREHUB_A_LABEL, ""), 0);
	assert_int_equal(parse(m, &s), 0);
	assert_string_equal(s.label, "");
	nlmsg_free(m);
}

/* ---- parser: rejected ---- */

static void test_reject_missing_each(void **state)
{
	int t;

	(void)state;
	/*
	 * Every attribute of 0.1.0 is required; VERIFIED_NS, added after
	 * it, is optional (an older module does not send it).
	 */
	for (t = CAREHUB_A_SENSOR_ID; t <= CAREHUB_A_REASON; t++) {
		struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_CHANGE_NTF, t);

		expect_reject(m, "missing");
	}
	/* A message without VERIFIED_NS is fine; a wrong-sized one is not. */
	{
		struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_CHANGE_NTF, 0);
		struct chnl_sensor s;

		assert_int_equal(parse(m, &s), 0);
		nlmsg_free(m);
		m = msg_std(CAREHUB_CMD_SENSOR_CHANGE_NTF, 0);
		assert_int_equal(nla_put_u32(m, CAREHUB_A_VERIFIED_NS, 1), 0);
		expect_reject(m, "VERIFIED_NS");
	}
	/* ... and names it */
	expect_reject(msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_SEQ),
		      "attribute SEQ missing");
	expect_reject(msg_std(CAREHUB_CMD_SENSOR_CHANGE_NTF, CAREHUB_A_REASON),
		      "change: attribute REASON missing");
}

static void test_reject_wrong_lengths(void **state)
{
	static const struct {
		int type;
		int len;
		const char *what;
	} c[] = {
		{ CAREHUB_A_SENSOR_ID, 8, "SENSOR_ID: 8 bytes, expected 4" },
		{ CAREHUB_A_SENSOR_ID, 2, "SENSOR_ID: 2 bytes, expected 4" },
		{ CAREHUB_A_STATE, 4, "STATE: 4 bytes, expected 1" },
		{ CAREHUB_A_STATE, 0, "STATE: 0 bytes, expected 1" },
		{ CAREHUB_A_SEQ, 4, "SEQ: 4 bytes, expected 8" },
		{ CAREHUB_A_SETTLE_NS, 12, "SETTLE_NS: 12 bytes, expected 8" },
		{ CAREHUB_A_KIND, 1, "KIND: 1 bytes, expected 4" },
		{ CAREHUB_A_HOLDOFF_MAX_MS, 0, "HOLDOFF_MAX_MS: 0 bytes" },
	};
	uint8_t zero[16] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_GET, c[i].type);

		zero[0] = 1;	/* a plausible id / state */
		assert_int_equal(nla_put(m, c[i].type, c[i].len, zero), 0);
		expect_reject(m, c[i].what);
	}
}

static void test_reject_strings(void **state)
{
	char big[200];
	struct nl_msg *m;

	(void)state;
	/* Unterminated name. */
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_NAME);
	assert_int_equal(nla_put(m, CAREHUB_A_NAME, 5, "door1"), 0);
	expect_reject(m, "NAME: not NUL-terminated within 32 bytes");

	/* Overlong label, terminated only after the limit. */
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_LABEL);
	assert_int_equal(nla_put_string(m, CAREHUB_A_LABEL, big), 0);
	expect_reject(m, "LABEL: not NUL-terminated within 64 bytes");

	/* Exactly one too long: 64 characters and the NUL. */
	big[CAREHUB_LABEL_MAX] = '\0';
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_LABEL);
	assert_int_equal(nla_put_string(m, CAREHUB_A_LABEL, big), 0);
	expect_reject(m, "LABEL: not NUL-terminated within 64 bytes");

	/* NUL early, but more than the limit in the attribute. */
	big[3] = '\0';
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_LABEL);
	assert_int_equal(nla_put(m, CAREHUB_A_LABEL, 100, big), 0);
	expect_reject(m, "LABEL: 100 bytes, at most 64 allowed");

	/* NUL early and garbage up to the end of the attribute. */
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_NAME);
	assert_int_equal(nla_put(m, CAREHUB_A_NAME, 8, "ab\0cdefg"), 0);
	expect_reject(m, "NAME: bytes after the terminating NUL");

	/* Zero-length string: not even a NUL. */
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_NAME);
	assert_int_equal(nla_put(m, CAREHUB_A_NAME, 0, NULL), 0);
	expect_reject(m, "NAME: empty");

	/* Empty name. */
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_NAME);
	assert_int_equal(nla_put_string(m, CAREHUB_A_NAME, ""), 0);
	expect_reject(m, "NAME: empty");
}

static void test_reject_values(void **state)
{
	struct nl_msg *m;

	(void)state;
	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_STATE);
	assert_int_equal(nla_put_u8(m, CAREHUB_A_STATE, 2), 0);
	expect_reject(m, "STATE: 2, not 0 or 1");

	m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, CAREHUB_A_SENSOR_ID);
	assert_int_equal(nla_put_u32(m, CAREHUB_A_SENSOR_ID, 0), 0);
	expect_reject(m, "SENSOR_ID: 0");

	m = msg_std(CAREHUB_CMD_SENSOR_CHANGE_NTF, CAREHUB_A_SEQ);
	assert_int_equal(nla_put_u64(m, CAREHUB_A_SEQ, 0), 0);
	expect_reject(m, "sequence number 0");
}

static void test_reject_duplicate(void **state)
{
	struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_ADD_NTF, 0);

	(void)state;
	assert_int_equal(nla_put_u8(m, CAREHUB_A_STATE, 0), 0);
	expect_reject(m, "STATE: given twice");
}

static void test_reject_unknown_cmd(void **state)
{
	struct nl_msg *m = msg_std(CAREHUB_CMD_MAX + 1, 0);
	struct chnl_sensor s;

	(void)state;
	assert_int_equal(parse(m, &s), -EOPNOTSUPP);
	assert_non_null(strstr(errbuf, "unknown command"));
	nlmsg_free(m);
	m = msg_std(CAREHUB_CMD_UNSPEC, 0);
	assert_int_equal(parse(m, &s), -EOPNOTSUPP);
	nlmsg_free(m);
}

/* Every truncation of a valid message, in both ways, is rejected. */
static void test_reject_truncated(void **state)
{
	struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_CHANGE_NTF, 0);
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	uint32_t full = nlh->nlmsg_len, k;
	struct chnl_sensor s;
	uint32_t *buf;

	(void)state;
	buf = malloc(full + 4);
	assert_non_null(buf);
	for (k = 0; k < full; k++) {
		/* Fewer bytes received than nlmsg_len says. */
		memcpy(buf, nlh, full);
		assert_int_equal(chnl_parse(buf, k, &s, errbuf, sizeof(errbuf)),
				 -EINVAL);
		assert_true(errbuf[0] != '\0');
		/* nlmsg_len itself cut short. */
		((struct nlmsghdr *)buf)->nlmsg_len = k;
		assert_int_equal(chnl_parse(buf, full, &s, errbuf,
					    sizeof(errbuf)), -EINVAL);
		assert_true(errbuf[0] != '\0');
	}
	/* Extra bytes after nlmsg_len belong to the next message: fine. */
	memcpy(buf, nlh, full);
	assert_int_equal(chnl_parse(buf, full + 4, &s, NULL, 0), 0);
	free(buf);
	nlmsg_free(m);
}

static void test_reject_bad_headers(void **state)
{
	struct nl_msg *m = msg_std(CAREHUB_CMD_SENSOR_GET, 0);
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	struct chnl_sensor s;
	char *raw;

	(void)state;
	nlh->nlmsg_type = NLMSG_ERROR;
	assert_int_equal(parse(m, &s), -EINVAL);
	assert_non_null(strstr(errbuf, "control message"));
	nlh->nlmsg_type = FAMILY_ID;

	/* An attribute whose length runs past the message. */
	raw = (char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN;
	((struct nlattr *)raw)->nla_len = 0xfff0;
	assert_int_equal(parse(m, &s), -EINVAL);
	assert_non_null(strstr(errbuf, "offset 0"));
	/* ... or shorter than its own header. */
	((struct nlattr *)raw)->nla_len = 2;
	assert_int_equal(parse(m, &s), -EINVAL);
	nlmsg_free(m);

	/* Stray bytes after the last attribute. */
	m = msg_std(CAREHUB_CMD_SENSOR_GET, 0);
	nlh = nlmsg_hdr(m);
	assert_non_null(nlmsg_reserve(m, 4, 4));
	nlh->nlmsg_len -= 2;
	assert_int_equal(parse(m, &s), -EINVAL);
	assert_non_null(strstr(errbuf, "stray"));
	nlmsg_free(m);

	/* Misaligned buffer. */
	raw = malloc(64);
	assert_non_null(raw);
	assert_int_equal(chnl_parse(raw + 1, 60, &s, errbuf, sizeof(errbuf)),
			 -EINVAL);
	free(raw);
	assert_int_equal(chnl_parse(NULL, 0, &s, NULL, 0), -EINVAL);
}

/* Garbage of every short length and a few patterns never crashes. */
static void test_garbage(void **state)
{
	uint32_t buf[64];
	struct chnl_sensor s;
	size_t len;
	int seed;

	(void)state;
	for (seed = 0; seed < 2000; seed++) {
		srand((unsigned int)seed);
		for (len = 0; len < sizeof(buf) / sizeof(buf[0]); len++)
			buf[len] = (uint32_t)rand();
		len = (size_t)rand() % sizeof(buf);
		/* Plausible headers so the attribute walk is reached. */
		((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)len;
		((struct nlmsghdr *)buf)->nlmsg_type = FAMILY_ID;
		((struct genlmsghdr *)((char *)buf + NLMSG_HDRLEN))->cmd =
			(uint8_t)(seed % 5);
		(void)chnl_parse(buf, len, &s, errbuf, sizeof(errbuf));
	}
}

/* ---- names ---- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sensor_kind_name(CAREHUB_KIND_CONTACT), "contact");
	assert_string_equal(sensor_kind_name(CAREHUB_KIND_PAD), "pad");
	assert_null(sensor_kind_name(CAREHUB_KIND_MAX + 1));
	assert_null(sensor_kind_name(UINT32_MAX));
	assert_string_equal(sensor_state_name(CAREHUB_KIND_DOOR, 1), "closed");
	assert_string_equal(sensor_state_name(CAREHUB_KIND_CONTACT, 0), "open");
	assert_string_equal(sensor_state_name(CAREHUB_KIND_SOS, 1), "pressed");
	assert_string_equal(sensor_state_name(CAREHUB_KIND_SOS, 0), "released");
	assert_string_equal(sensor_state_name(CAREHUB_KIND_BED, 1), "occupied");
	assert_string_equal(sensor_state_name(CAREHUB_KIND_PAD, 0), "empty");
	assert_string_equal(sensor_state_name(CAREHUB_KIND_TOILET, 1), "occupied");
	assert_string_equal(sensor_state_name(CAREHUB_KIND_TOILET, 0), "free");
	assert_string_equal(sensor_fault_name(CAREHUB_FAULT_CHATTER), "chatter");
	assert_string_equal(sensor_fault_name(CAREHUB_FAULT_STUCK), "stuck");
	assert_string_equal(sensor_fault_name(CAREHUB_FAULT_OFFLINE), "offline");
	assert_null(sensor_fault_name(1U << 9));
	assert_null(sensor_fault_name(CAREHUB_FAULT_CHATTER |
				    CAREHUB_FAULT_STUCK));
	assert_string_equal(chnl_reason_name(CAREHUB_REASON_STATE), "state");
	assert_string_equal(chnl_reason_name(CAREHUB_REASON_FAULT), "fault");
	assert_string_equal(chnl_reason_name(CAREHUB_REASON_RESYNC), "resync");
	assert_string_equal(chnl_cmd_name(CHNL_CMD_CHANGE), "change");
	assert_string_equal(chnl_resync_cause_name(CHNL_RESYNC_OVERFLOW),
			    "overflow");
}

/* ---- sequence bookkeeping ---- */

static enum chnl_track_verdict ev(struct chnl_track *t, uint32_t id,
				  uint64_t seq, uint64_t sseq, uint64_t *lost)
{
	return chnl_track_event(t, false, id, seq, sseq, lost);
}

static void test_track_consecutive(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	chnl_track_rebase(&t);
	assert_int_equal(chnl_track_dumped(&t, 1, 10, 4), 0);
	assert_int_equal(chnl_track_dumped(&t, 2, 10, 6), 0);
	assert_int_equal(ev(&t, 1, 11, 5, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 2, 12, 7, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 3, 13, 1, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(chnl_track_event(&t, true, 3, 14, 2, &lost),
			 CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 1, 15, 6, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(t.last_seq, 15);
	assert_int_equal(t.n, 2);	/* sensor 3 forgotten on del */
	chnl_track_exit(&t);
}

static void test_track_gap(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	assert_int_equal(chnl_track_dumped(&t, 1, 10, 4), 0);
	assert_int_equal(ev(&t, 1, 11, 5, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 1, 15, 9, &lost), CHNL_TRACK_GAP);
	assert_int_equal(lost, 3);
	/* Nothing was taken from the event that showed the gap. */
	assert_int_equal(t.last_seq, 11);
	/* The resync: a fresh dump (taken after event 16) rebases. */
	chnl_track_rebase(&t);
	assert_int_equal(chnl_track_dumped(&t, 1, 16, 10), 0);
	/* Queued events up to the dump are dropped, then it goes on. */
	assert_int_equal(ev(&t, 1, 16, 10, &lost), CHNL_TRACK_DUPLICATE);
	assert_int_equal(ev(&t, 1, 17, 11, &lost), CHNL_TRACK_DELIVER);
	/* A gap of one. */
	assert_int_equal(ev(&t, 1, 19, 13, &lost), CHNL_TRACK_GAP);
	assert_int_equal(lost, 1);
	chnl_track_exit(&t);
}

/*
 * ENOBUFS: the reader knows nothing was lost in particular; it re-dumps.
 * Events queued after the overrun but before the dump are old; those
 * after the dump follow on.
 */
static void test_track_overflow(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	assert_int_equal(chnl_track_dumped(&t, 1, 3, 1), 0);
	assert_int_equal(ev(&t, 1, 4, 2, &lost), CHNL_TRACK_DELIVER);
	/* overrun: 5..20 dropped by the kernel; 21, 22 queued; dump at 22 */
	chnl_track_rebase(&t);
	assert_int_equal(chnl_track_dumped(&t, 1, 22, 19), 0);
	assert_int_equal(ev(&t, 1, 21, 18, &lost), CHNL_TRACK_DUPLICATE);
	assert_int_equal(ev(&t, 1, 22, 19, &lost), CHNL_TRACK_DUPLICATE);
	assert_int_equal(ev(&t, 1, 23, 20, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 1, 24, 21, &lost), CHNL_TRACK_DELIVER);
	chnl_track_exit(&t);
}

/*
 * A dump spread over several messages: the first part says seq 10, the
 * second, built after notifications 11 (sensor 1, already dumped) and 12
 * (sensor 2, dumped after it), says 12. 11 is new to the caller, 12 is
 * not.
 */
static void test_track_multipart_dump(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	assert_int_equal(chnl_track_dumped(&t, 1, 10, 4), 0);
	assert_int_equal(chnl_track_dumped(&t, 2, 12, 8), 0);
	assert_int_equal(t.last_seq, 10);
	assert_int_equal(ev(&t, 1, 11, 5, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 2, 12, 8, &lost), CHNL_TRACK_DUPLICATE);
	assert_int_equal(ev(&t, 2, 13, 9, &lost), CHNL_TRACK_DELIVER);
	chnl_track_exit(&t);
}

/* Subscribed, then dumped: the add of a sensor made between is dropped. */
static void test_track_duplicate_after_dump(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	/* queued: 5 (add 3, sseq 1), 6 (change 3, sseq 2); dump at 6 */
	assert_int_equal(chnl_track_dumped(&t, 3, 6, 2), 0);
	assert_int_equal(ev(&t, 3, 5, 1, &lost), CHNL_TRACK_DUPLICATE);
	assert_int_equal(ev(&t, 3, 6, 2, &lost), CHNL_TRACK_DUPLICATE);
	/* A stale duplicate seq later on is dropped too. */
	assert_int_equal(ev(&t, 3, 7, 3, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 3, 7, 3, &lost), CHNL_TRACK_DUPLICATE);
	assert_int_equal(ev(&t, 3, 2, 1, &lost), CHNL_TRACK_DUPLICATE);
	chnl_track_exit(&t);
}

/* An empty dump has no seq: the first event is the baseline. */
static void test_track_empty_dump(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	chnl_track_rebase(&t);
	assert_false(t.have_seq);
	assert_int_equal(ev(&t, 9, 100, 1, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 9, 101, 2, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 9, 103, 4, &lost), CHNL_TRACK_GAP);
	assert_int_equal(lost, 1);
	chnl_track_exit(&t);
}

/* Ids are reused only after a del; the new sensor starts at sseq 1. */
static void test_track_del_readd(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	assert_int_equal(chnl_track_dumped(&t, 4, 1, 7), 0);
	assert_int_equal(chnl_track_event(&t, true, 4, 2, 8, &lost),
			 CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 4, 3, 1, &lost), CHNL_TRACK_DELIVER);
	chnl_track_exit(&t);
}

/* A notification of an unknown command still counts in the sequence. */
static void test_track_unknown_cmd(void **state)
{
	struct chnl_track t;
	uint64_t lost;

	(void)state;
	chnl_track_init(&t);
	assert_int_equal(chnl_track_dumped(&t, 1, 5, 1), 0);
	assert_int_equal(chnl_track_seq(&t, 6, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(ev(&t, 1, 7, 2, &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(chnl_track_seq(&t, 9, &lost), CHNL_TRACK_GAP);
	assert_int_equal(lost, 1);
	chnl_track_exit(&t);
}

/* Many sensors, added out of order: the table stays sorted and right. */
static void test_track_many(void **state)
{
	struct chnl_track t;
	uint64_t lost, seq = 1;
	int id;
	size_t i;

	(void)state;
	chnl_track_init(&t);
	assert_int_equal(chnl_track_dumped(&t, 500, 0, 1), 0);
	for (id = 1000; id > 0; id -= 3)
		assert_int_equal(ev(&t, (uint32_t)id, seq++, 1, &lost),
				 CHNL_TRACK_DELIVER);
	for (i = 1; i < t.n; i++)
		assert_true(t.ents[i - 1].id < t.ents[i].id);
	for (id = 1000; id > 0; id -= 3)
		assert_int_equal(ev(&t, (uint32_t)id, seq++, 1, &lost),
				 CHNL_TRACK_DUPLICATE);
	for (id = 1000; id > 0; id -= 3)
		assert_int_equal(chnl_track_event(&t, true, (uint32_t)id, seq++, 2,
						  &lost), CHNL_TRACK_DELIVER);
	assert_int_equal(t.n, 1);
	chnl_track_exit(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_change),
		cmocka_unit_test(test_parse_cmds),
		cmocka_unit_test(test_parse_unknown_kind_kept),
		cmocka_unit_test(test_parse_unknown_attrs_ignored),
		cmocka_unit_test(test_parse_string_limits),
		cmocka_unit_test(test_reject_missing_each),
		cmocka_unit_test(test_reject_wrong_lengths),
		cmocka_unit_test(test_reject_strings),
		cmocka_unit_test(test_reject_values),
		cmocka_unit_test(test_reject_duplicate),
		cmocka_unit_test(test_reject_unknown_cmd),
		cmocka_unit_test(test_reject_truncated),
		cmocka_unit_test(test_reject_bad_headers),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_track_consecutive),
		cmocka_unit_test(test_track_gap),
		cmocka_unit_test(test_track_overflow),
		cmocka_unit_test(test_track_multipart_dump),
		cmocka_unit_test(test_track_duplicate_after_dump),
		cmocka_unit_test(test_track_empty_dump),
		cmocka_unit_test(test_track_del_readd),
		cmocka_unit_test(test_track_unknown_cmd),
		cmocka_unit_test(test_track_many),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("chnl", tests, NULL, NULL);
}
