// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chnl_parse: the carehub family's messages to values, and their names;
 * no sockets, no state - the part of the netlink client the fuzzer runs.
 * See chnl.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* libnl's headers need struct addrinfo */
#endif
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "chnl.h"
#include "errf.h"
#include "utf8.h"

/* ---- names ---- */

void chnl_sensor_value(const struct chnl_sensor *m, struct sensor *out)
{
	memset(out, 0, sizeof(*out));
	out->id = m->id;
	/* bytes as the kernel has them: whole UTF-8 characters from here on */
	utf8_copy(out->name, sizeof(out->name), m->name);
	utf8_copy(out->label, sizeof(out->label), m->label);
	out->st.present = m->cmd != CHNL_CMD_DEL;
	out->st.kind = m->kind;
	out->st.state = m->state;
	out->st.faults = m->faults;
	out->st.since_ns = m->settle_ns;
}

const char *chnl_reason_name(uint32_t bit)
{
	switch (bit) {
	case CAREHUB_REASON_STATE:
		return "state";
	case CAREHUB_REASON_FAULT:
		return "fault";
	case CAREHUB_REASON_RESYNC:
		return "resync";
	}
	return NULL;
}

const char *chnl_cmd_name(enum chnl_cmd cmd)
{
	switch (cmd) {
	case CHNL_CMD_GET:
		return "get";
	case CHNL_CMD_ADD:
		return "add";
	case CHNL_CMD_DEL:
		return "del";
	case CHNL_CMD_CHANGE:
		return "change";
	}
	return "?";
}

const char *chnl_resync_cause_name(enum chnl_resync_cause cause)
{
	switch (cause) {
	case CHNL_RESYNC_START:
		return "start";
	case CHNL_RESYNC_GAP:
		return "gap";
	case CHNL_RESYNC_OVERFLOW:
		return "overflow";
	case CHNL_RESYNC_INVALID:
		return "invalid";
	}
	return "?";
}

/* ---- parser ---- */

/*
 * Exact lengths: libnl only checks minimum lengths unless maxlen is set,
 * and a u32 where a u64 belongs must not be read as half a number.
 */
#define CHNL_FIXED(t, n)	{ .type = (t), .minlen = (n), .maxlen = (n) }
static const struct nla_policy chnl_policy[CAREHUB_A_MAX + 1] = {
	[CAREHUB_A_SENSOR_ID] = CHNL_FIXED(NLA_U32, 4),
	[CAREHUB_A_NAME] = { .type = NLA_STRING, .maxlen = CAREHUB_NAME_MAX },
	[CAREHUB_A_LABEL] = { .type = NLA_STRING,
			      .maxlen = CAREHUB_LABEL_MAX },
	[CAREHUB_A_KIND] = CHNL_FIXED(NLA_U32, 4),
	[CAREHUB_A_STATE] = CHNL_FIXED(NLA_U8, 1),
	[CAREHUB_A_FAULTS] = CHNL_FIXED(NLA_U32, 4),
	[CAREHUB_A_FIRST_EDGE_NS] = CHNL_FIXED(NLA_U64, 8),
	[CAREHUB_A_SETTLE_NS] = CHNL_FIXED(NLA_U64, 8),
	[CAREHUB_A_SEQ] = CHNL_FIXED(NLA_U64, 8),
	[CAREHUB_A_SENSOR_SEQ] = CHNL_FIXED(NLA_U64, 8),
	[CAREHUB_A_EDGES] = CHNL_FIXED(NLA_U64, 8),
	[CAREHUB_A_GLITCHES] = CHNL_FIXED(NLA_U64, 8),
	[CAREHUB_A_CHATTER_FAULTS] = CHNL_FIXED(NLA_U64, 8),
	[CAREHUB_A_DEBOUNCE_MS] = CHNL_FIXED(NLA_U32, 4),
	[CAREHUB_A_HOLDOFF_MAX_MS] = CHNL_FIXED(NLA_U32, 4),
	[CAREHUB_A_REASON] = CHNL_FIXED(NLA_U32, 4),
	/* Optional: a module of 0.1.0 does not send it. Not used yet. */
	[CAREHUB_A_VERIFIED_NS] = CHNL_FIXED(NLA_U64, 8),
};

static const char *const chnl_attr_names[CAREHUB_A_MAX + 1] = {
	[CAREHUB_A_UNSPEC] = "UNSPEC",
	[CAREHUB_A_PAD] = "PAD",
	[CAREHUB_A_SENSOR_ID] = "SENSOR_ID",
	[CAREHUB_A_NAME] = "NAME",
	[CAREHUB_A_LABEL] = "LABEL",
	[CAREHUB_A_KIND] = "KIND",
	[CAREHUB_A_STATE] = "STATE",
	[CAREHUB_A_FAULTS] = "FAULTS",
	[CAREHUB_A_FIRST_EDGE_NS] = "FIRST_EDGE_NS",
	[CAREHUB_A_SETTLE_NS] = "SETTLE_NS",
	[CAREHUB_A_SEQ] = "SEQ",
	[CAREHUB_A_SENSOR_SEQ] = "SENSOR_SEQ",
	[CAREHUB_A_EDGES] = "EDGES",
	[CAREHUB_A_GLITCHES] = "GLITCHES",
	[CAREHUB_A_CHATTER_FAULTS] = "CHATTER_FAULTS",
	[CAREHUB_A_DEBOUNCE_MS] = "DEBOUNCE_MS",
	[CAREHUB_A_HOLDOFF_MAX_MS] = "HOLDOFF_MAX_MS",
	[CAREHUB_A_REASON] = "REASON",
	[CAREHUB_A_VERIFIED_NS] = "VERIFIED_NS",
};

/* Sent in every message; REASON additionally in CHANGE notifications. */
#define CHNL_BIT(a)	(1UL << (a))
#define CHNL_REQUIRED	(CHNL_BIT(CAREHUB_A_SENSOR_ID) |		\
			 CHNL_BIT(CAREHUB_A_NAME) |			\
			 CHNL_BIT(CAREHUB_A_LABEL) |			\
			 CHNL_BIT(CAREHUB_A_KIND) |			\
			 CHNL_BIT(CAREHUB_A_STATE) |			\
			 CHNL_BIT(CAREHUB_A_FAULTS) |			\
			 CHNL_BIT(CAREHUB_A_FIRST_EDGE_NS) |		\
			 CHNL_BIT(CAREHUB_A_SETTLE_NS) |		\
			 CHNL_BIT(CAREHUB_A_SEQ) |			\
			 CHNL_BIT(CAREHUB_A_SENSOR_SEQ) |		\
			 CHNL_BIT(CAREHUB_A_EDGES) |			\
			 CHNL_BIT(CAREHUB_A_GLITCHES) |			\
			 CHNL_BIT(CAREHUB_A_CHATTER_FAULTS) |		\
			 CHNL_BIT(CAREHUB_A_DEBOUNCE_MS) |		\
			 CHNL_BIT(CAREHUB_A_HOLDOFF_MAX_MS))

/* Unaligned-safe getters: 64-bit attributes are only 4-byte aligned. */
static uint64_t chnl_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

static uint32_t chnl_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

static int chnl_cmd_from_genl(uint8_t cmd, enum chnl_cmd *out)
{
	switch (cmd) {
	case CAREHUB_CMD_SENSOR_GET:
		*out = CHNL_CMD_GET;
		return 0;
	case CAREHUB_CMD_SENSOR_ADD_NTF:
		*out = CHNL_CMD_ADD;
		return 0;
	case CAREHUB_CMD_SENSOR_DEL_NTF:
		*out = CHNL_CMD_DEL;
		return 0;
	case CAREHUB_CMD_SENSOR_CHANGE_NTF:
		*out = CHNL_CMD_CHANGE;
		return 0;
	}
	return -EOPNOTSUPP;
}

/* Check one known attribute's length and termination. */
static int chnl_check_attr(const struct nlattr *a, int type, char *err,
			   size_t errlen)
{
	const struct nla_policy *p = &chnl_policy[type];
	const char *name = chnl_attr_names[type];
	int len = nla_len(a);
	const char *s;

	switch (p->type) {
	case NLA_STRING:
		s = nla_data(a);
		if (len < 1)
			return errf(-EINVAL, err, errlen,
					 "attribute %s: empty (no NUL)", name);
		if (!memchr(s, '\0', len < p->maxlen ? len : p->maxlen))
			return errf(-EINVAL, err, errlen,
					 "attribute %s: not NUL-terminated within %u bytes",
					 name, p->maxlen);
		if (len > p->maxlen)
			return errf(-EINVAL, err, errlen,
					 "attribute %s: %d bytes, at most %u allowed",
					 name, len, p->maxlen);
		if (s[len - 1] != '\0')
			return errf(-EINVAL, err, errlen,
					 "attribute %s: bytes after the terminating NUL",
					 name);
		return 0;
	case NLA_UNSPEC:
		return 0;
	default:
		if (len != p->minlen)
			return errf(-EINVAL, err, errlen,
					 "attribute %s: %d bytes, expected %u",
					 name, len, p->minlen);
		return 0;
	}
}

int chnl_parse(const void *buf, size_t len, struct chnl_sensor *out,
	       char *err, size_t errlen)
{
	struct nlattr *tb[CAREHUB_A_MAX + 1];
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *gh;
	unsigned long seen = 0, need;
	struct nlattr *attrs, *a;
	size_t msglen, rem, off;
	enum chnl_cmd cmd;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!buf || ((uintptr_t)buf & (NLMSG_ALIGNTO - 1)))
		return errf(-EINVAL, err, errlen, "buffer not 4-byte aligned");
	if (len < NLMSG_HDRLEN)
		return errf(-EINVAL, err, errlen,
				 "truncated: %zu bytes, no netlink header",
				 len);
	msglen = nlh->nlmsg_len;
	if (msglen < NLMSG_HDRLEN + GENL_HDRLEN)
		return errf(-EINVAL, err, errlen,
				 "nlmsg_len %zu too short for the netlink and genl headers",
				 msglen);
	if (msglen > len)
		return errf(-EINVAL, err, errlen,
				 "truncated: nlmsg_len %zu, %zu bytes received",
				 msglen, len);
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return errf(-EINVAL, err, errlen,
				 "netlink control message (type %u), not carehub",
				 nlh->nlmsg_type);

	gh = (const struct genlmsghdr *)((const char *)buf + NLMSG_HDRLEN);
	if (chnl_cmd_from_genl(gh->cmd, &cmd)) {
		if (err && errlen)
			snprintf(err, errlen, "unknown command %u", gh->cmd);
		return -EOPNOTSUPP;
	}

	/* Walk the attributes once for exact, explainable checks. */
	attrs = (struct nlattr *)((char *)buf + NLMSG_HDRLEN + GENL_HDRLEN);
	rem = msglen - NLMSG_HDRLEN - GENL_HDRLEN;
	off = 0;
	while (rem - off >= NLA_HDRLEN) {
		int type;

		a = (struct nlattr *)((char *)attrs + off);
		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem - off)
			return errf(-EINVAL, err, errlen,
					 "attribute at offset %zu: length %u, %zu bytes left",
					 off, a->nla_len, rem - off);
		type = nla_type(a);
		if (type >= CAREHUB_A_SENSOR_ID && type <= CAREHUB_A_MAX) {
			if (seen & CHNL_BIT(type))
				return errf(-EINVAL, err, errlen,
						 "attribute %s: given twice",
						 chnl_attr_names[type]);
			seen |= CHNL_BIT(type);
			ret = chnl_check_attr(a, type, err, errlen);
			if (ret)
				return ret;
		}
		off += NLA_ALIGN(a->nla_len);
		if (off > rem)
			off = rem;
	}
	if (off != rem)
		return errf(-EINVAL, err, errlen,
				 "%zu stray bytes after the attributes",
				 rem - off);

	need = CHNL_REQUIRED;
	if (cmd == CHNL_CMD_CHANGE)
		need |= CHNL_BIT(CAREHUB_A_REASON);
	if ((seen & need) != need) {
		int t;

		for (t = CAREHUB_A_SENSOR_ID; t <= CAREHUB_A_MAX; t++)
			if ((need & CHNL_BIT(t)) && !(seen & CHNL_BIT(t)))
				break;
		return errf(-EINVAL, err, errlen, "%s: attribute %s missing",
				 chnl_cmd_name(cmd), chnl_attr_names[t]);
	}

	/* libnl checks the same policy again and indexes the attributes. */
	ret = nla_parse(tb, CAREHUB_A_MAX, attrs, (int)rem, chnl_policy);
	if (ret < 0)
		return errf(-EINVAL, err, errlen, "attributes rejected: %s",
				 nl_geterror(ret));

	memset(out, 0, sizeof(*out));
	out->cmd = cmd;
	out->id = chnl_u32(tb[CAREHUB_A_SENSOR_ID]);
	if (out->id == 0)
		return errf(-EINVAL, err, errlen, "attribute SENSOR_ID: 0");
	/* Checked above: NUL-terminated within the destination's size. */
	snprintf(out->name, sizeof(out->name), "%s",
		 (const char *)nla_data(tb[CAREHUB_A_NAME]));
	if (!out->name[0])
		return errf(-EINVAL, err, errlen, "attribute NAME: empty");
	snprintf(out->label, sizeof(out->label), "%s",
		 (const char *)nla_data(tb[CAREHUB_A_LABEL]));
	out->kind = chnl_u32(tb[CAREHUB_A_KIND]);
	out->state = *(const uint8_t *)nla_data(tb[CAREHUB_A_STATE]);
	if (out->state > 1)
		return errf(-EINVAL, err, errlen, "attribute STATE: %u, not 0 or 1",
				 out->state);
	out->faults = chnl_u32(tb[CAREHUB_A_FAULTS]);
	out->first_edge_ns = chnl_u64(tb[CAREHUB_A_FIRST_EDGE_NS]);
	out->settle_ns = chnl_u64(tb[CAREHUB_A_SETTLE_NS]);
	out->seq = chnl_u64(tb[CAREHUB_A_SEQ]);
	out->sensor_seq = chnl_u64(tb[CAREHUB_A_SENSOR_SEQ]);
	if (cmd != CHNL_CMD_GET && (out->seq == 0 || out->sensor_seq == 0))
		return errf(-EINVAL, err, errlen,
				 "%s: sequence number 0 in a notification",
				 chnl_cmd_name(cmd));
	out->edges = chnl_u64(tb[CAREHUB_A_EDGES]);
	out->glitches = chnl_u64(tb[CAREHUB_A_GLITCHES]);
	out->chatter_faults = chnl_u64(tb[CAREHUB_A_CHATTER_FAULTS]);
	out->debounce_ms = chnl_u32(tb[CAREHUB_A_DEBOUNCE_MS]);
	out->holdoff_max_ms = chnl_u32(tb[CAREHUB_A_HOLDOFF_MAX_MS]);
	if (tb[CAREHUB_A_REASON])
		out->reason = chnl_u32(tb[CAREHUB_A_REASON]);
	return 0;
}

/* The SEQ of a message whose command is unknown; false if it has none. */
bool chnl_peek_seq(const struct nlmsghdr *nlh, uint64_t *seq)
{
	struct nlattr *a;
	int rem;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	nla_for_each_attr(a, (struct nlattr *)((char *)nlmsg_data(nlh) +
					       GENL_HDRLEN),
			  (int)(nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN),
			  rem) {
		if (nla_type(a) == CAREHUB_A_SEQ && nla_len(a) == 8) {
			*seq = chnl_u64(a);
			return true;
		}
	}
	return false;
}

