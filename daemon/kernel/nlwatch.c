// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlwatch: generic netlink controller notifications. See nlwatch.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* struct addrinfo in libnl headers */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "nlwatch.h"

struct nlw {
	struct nl_sock *sk;
	nlw_cb cb;
	void *arg;
};

static int nlw_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *g;
	struct nlw *w = arg;
	char name[GENL_NAMSIZ];

	if (!genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	g = genlmsg_hdr(nlh);
	if (g->cmd != CTRL_CMD_NEWFAMILY && g->cmd != CTRL_CMD_DELFAMILY)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME])
		return NL_SKIP;
	/* nla_strlcpy bounds the copy whatever the kernel sent. */
	nla_strlcpy(name, tb[CTRL_ATTR_FAMILY_NAME], sizeof(name));
	w->cb(w->arg, name, g->cmd == CTRL_CMD_NEWFAMILY);
	return NL_OK;
}

int nlw_open(struct nlw **out, nlw_cb cb, void *arg, char *err,
	     size_t errlen)
{
	struct nlw *w;
	int grp, ret;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->cb = cb;
	w->arg = arg;
	w->sk = nl_socket_alloc();
	if (!w->sk) {
		ret = -ENOMEM;
		goto fail;
	}
	nl_socket_disable_seq_check(w->sk);
	ret = genl_connect(w->sk);
	if (ret < 0) {
		snprintf(err, errlen, "generic netlink: %s", nl_geterror(ret));
		ret = -EIO;
		goto fail;
	}
	grp = genl_ctrl_resolve_grp(w->sk, "nlctrl", "notify");
	if (grp < 0) {
		snprintf(err, errlen, "nlctrl notify group: %s", nl_geterror(grp));
		ret = -EIO;
		goto fail;
	}
	ret = nl_socket_add_membership(w->sk, grp);
	if (ret < 0) {
		snprintf(err, errlen, "joining nlctrl notify: %s", nl_geterror(ret));
		ret = -EIO;
		goto fail;
	}
	nl_socket_modify_cb(w->sk, NL_CB_VALID, NL_CB_CUSTOM, nlw_valid, w);
	ret = nl_socket_set_nonblocking(w->sk);
	if (ret < 0) {
		ret = -EIO;
		goto fail;
	}
	*out = w;
	return 0;
fail:
	nlw_close(w);
	return ret;
}

void nlw_close(struct nlw *w)
{
	if (!w)
		return;
	if (w->sk)
		nl_socket_free(w->sk);
	free(w);
}

int nlw_fd(const struct nlw *w)
{
	return nl_socket_get_fd(w->sk);
}

int nlw_read(struct nlw *w)
{
	int ret = nl_recvmsgs_default(w->sk);

	if (ret == -NLE_AGAIN || ret >= 0)
		return 0;
	if (ret == -NLE_NOMEM)
		return -ENOBUFS;
	return -EIO;
}
