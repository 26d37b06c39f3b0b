// SPDX-License-Identifier: GPL-2.0
/*
 * carehub generic netlink family: the authoritative event stream.
 *
 * IIO's event queue holds 16 entries and drops when nobody reads; this
 * family carries every change with sequence numbers so a reader can tell
 * when it lost something and re-read the state with SENSOR_GET.
 */
#include <net/genetlink.h>

#include "carehub.h"
#include "carehub_compat.h"

/*
 * Who is in bed and who opened the door is health data: only CAP_NET_ADMIN
 * may join the events group (6.7, backported to Debian's 6.1). This must
 * fail closed: a kernel that cannot restrict the group gets no module. The
 * flag is a macro, so the preprocessor answers exactly; a compile probe
 * could be flipped off by an unrelated warning.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "carehub needs GENL_MCAST_CAP_NET_ADMIN (6.7 or a backport)"
#endif

static const struct genl_multicast_group carehub_nl_mcgrps[] = {
	{
		.name = CAREHUB_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static const struct nla_policy carehub_nl_get_policy[CAREHUB_A_SENSOR_ID + 1] = {
	[CAREHUB_A_SENSOR_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* STATUS_GET takes no attributes: any is refused (strict validation). */
static const struct nla_policy carehub_nl_status_policy[CAREHUB_A_SENSOR_ID + 1] = {
	[CAREHUB_A_SENSOR_ID] = { .type = NLA_REJECT },
};

static struct genl_family carehub_nl_family;

static int carehub_nl_fill(struct sk_buff *msg, const struct carehub_sensor *s,
			   u8 cmd, u32 portid, u32 seq, int flags, u32 reason,
			   u64 family_seq, u64 verified_ns)
{
	const struct carehub_state *st = &s->pub;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &carehub_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_u32(msg, CAREHUB_A_SENSOR_ID, s->id) ||
	    nla_put_string(msg, CAREHUB_A_NAME, s->name) ||
	    nla_put_string(msg, CAREHUB_A_LABEL, s->label) ||
	    nla_put_u32(msg, CAREHUB_A_KIND, s->kind) ||
	    nla_put_u8(msg, CAREHUB_A_STATE, st->level) ||
	    nla_put_u32(msg, CAREHUB_A_FAULTS, st->faults) ||
	    nla_put_u64_64bit(msg, CAREHUB_A_FIRST_EDGE_NS, st->first_edge_ns,
			      CAREHUB_A_PAD) ||
	    nla_put_u64_64bit(msg, CAREHUB_A_SETTLE_NS, st->settle_ns,
			      CAREHUB_A_PAD) ||
	    nla_put_u64_64bit(msg, CAREHUB_A_SEQ, family_seq, CAREHUB_A_PAD) ||
	    nla_put_u64_64bit(msg, CAREHUB_A_SENSOR_SEQ, s->seq,
			      CAREHUB_A_PAD) ||
	    nla_put_u64_64bit(msg, CAREHUB_A_EDGES, st->edges, CAREHUB_A_PAD) ||
	    nla_put_u64_64bit(msg, CAREHUB_A_GLITCHES, st->glitches,
			      CAREHUB_A_PAD) ||
	    nla_put_u64_64bit(msg, CAREHUB_A_CHATTER_FAULTS,
			      st->chatter_faults, CAREHUB_A_PAD) ||
	    nla_put_u32(msg, CAREHUB_A_DEBOUNCE_MS, st->debounce_ms) ||
	    nla_put_u32(msg, CAREHUB_A_HOLDOFF_MAX_MS, st->holdoff_max_ms))
		goto cancel;
	if (nla_put_u64_64bit(msg, CAREHUB_A_VERIFIED_NS, verified_ns,
			      CAREHUB_A_PAD))
		goto cancel;
	if (cmd == CAREHUB_CMD_SENSOR_CHANGE_NTF &&
	    nla_put_u32(msg, CAREHUB_A_REASON, reason))
		goto cancel;

	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/*
 * Exactly what carehub_nl_fill() puts, so the send needs no reallocation:
 * six u32 (id, kind, faults, debounce, holdoff, reason), the u8 state, two
 * strings and eight u64 (stamps, sequence numbers, counters).
 */
static size_t carehub_nl_msg_size(const struct carehub_sensor *s)
{
	return nla_total_size(sizeof(u32)) * 6 +
	       nla_total_size(sizeof(u8)) +
	       nla_total_size(strlen(s->name) + 1) +
	       nla_total_size(strlen(s->label) + 1) +
	       nla_total_size_64bit(sizeof(u64)) * 8;
}

/**
 * carehub_nl_notify() - multicast a sensor's published state
 * @s: the sensor
 * @cmd: CAREHUB_CMD_SENSOR_*_NTF
 * @reason: CAREHUB_REASON_* for CHANGE notifications
 *
 * Context: process context, registry lock held (it orders the stream).
 * A notification that cannot be allocated is lost like any netlink
 * overrun; readers see the sequence gap and resynchronise.
 */
void carehub_nl_notify(const struct carehub_sensor *s, u8 cmd, u32 reason)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&carehub_nl_family, &init_net, 0))
		return;

	msg = genlmsg_new(carehub_nl_msg_size(s), GFP_KERNEL);
	if (!msg)
		return;
	/* A miscounted size is a bug here, not a netlink overrun. */
	if (WARN_ON_ONCE(carehub_nl_fill(msg, s, cmd, 0, 0, 0, reason,
					 s->family_seq, s->pub.verified_ns))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&carehub_nl_family, msg, 0, 0, GFP_KERNEL);
}

static int carehub_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct carehub_sensor *s;
	struct sk_buff *msg;
	int ret = 0;

	if (!info->attrs[CAREHUB_A_SENSOR_ID]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "sensor id required (or use a dump)");
		return -EINVAL;
	}

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	carehub_sensors_lock();
	s = carehub_sensor_find(nla_get_u32(info->attrs[CAREHUB_A_SENSOR_ID]));
	if (s)
		ret = carehub_nl_fill(msg, s, CAREHUB_CMD_SENSOR_GET,
				      info->snd_portid, info->snd_seq, 0, 0,
				      carehub_family_seq(),
				      atomic64_read(&s->verified_ns));
	carehub_sensors_unlock();

	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[CAREHUB_A_SENSOR_ID],
				    "no such sensor");
		nlmsg_free(msg);
		return -ENOENT;
	}
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int carehub_nl_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	u64 seq;

	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &carehub_nl_family, 0,
				CAREHUB_CMD_STATUS_GET);
	if (!hdr)
		goto nospace;

	carehub_sensors_lock();
	seq = carehub_family_seq();
	carehub_sensors_unlock();
	if (nla_put_u64_64bit(msg, CAREHUB_A_SEQ, seq, CAREHUB_A_PAD))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* cb->args[0]: next sensor id to dump. */
static int carehub_nl_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct nlattr *want = carehub_dumpit_attrs(cb)[CAREHUB_A_SENSOR_ID];
	unsigned long id = cb->args[0];
	struct carehub_sensor *s;
	int ret = 0;

	carehub_sensors_lock();
	while ((s = carehub_sensor_next(&id))) {
		if (!want || nla_get_u32(want) == s->id) {
			ret = carehub_nl_fill(skb, s, CAREHUB_CMD_SENSOR_GET,
					      NETLINK_CB(cb->skb).portid,
					      cb->nlh->nlmsg_seq, NLM_F_MULTI,
					      0, carehub_family_seq(),
					      atomic64_read(&s->verified_ns));
			if (ret)
				break;
		}
		id++;
	}
	carehub_sensors_unlock();
	cb->args[0] = id;

	/* A partly filled skb is sent; the dump continues from id. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

static const struct genl_ops carehub_nl_ops[] = {
	{
		.cmd = CAREHUB_CMD_SENSOR_GET,
		.doit = carehub_nl_get_doit,
		.dumpit = carehub_nl_get_dumpit,
		.policy = carehub_nl_get_policy,
		.maxattr = ARRAY_SIZE(carehub_nl_get_policy) - 1,
		/* Sensor state is health data: as private as the events. */
		.flags = GENL_ADMIN_PERM,
	}, {
		/* The sequence baseline for a reader whose dump is empty. */
		.cmd = CAREHUB_CMD_STATUS_GET,
		.doit = carehub_nl_status_doit,
		.policy = carehub_nl_status_policy,
		.maxattr = ARRAY_SIZE(carehub_nl_status_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family carehub_nl_family __ro_after_init = {
	.name = CAREHUB_GENL_NAME,
	.version = CAREHUB_GENL_VERSION,
	.maxattr = CAREHUB_A_MAX,
	.module = THIS_MODULE,
	.ops = carehub_nl_ops,
	.n_ops = ARRAY_SIZE(carehub_nl_ops),
	.mcgrps = carehub_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(carehub_nl_mcgrps),
};

int __init carehub_nl_init(void)
{
	return genl_register_family(&carehub_nl_family);
}

void carehub_nl_exit(void)
{
	genl_unregister_family(&carehub_nl_family);
}
