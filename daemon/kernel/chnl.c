// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * chnl: user-space client of the carehub generic netlink family; see
 * chnl.h. Two libnl sockets: requests (blocking, with a receive timeout,
 * extended ACKs on) and events (non-blocking, subscribed to carehub's
 * "events" group and to nlctrl's "notify" group so that an unloaded module
 * is noticed instead of looking like a quiet house).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* SO_RCVBUFFORCE, struct timeval */
#endif
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "chnl.h"
#include "chnl_track.h"
#include "errf.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define CHNL_RCVBUF_DEFAULT	(1 << 20)
#define CHNL_TIMEOUT_DEFAULT	5000
#define CHNL_READ_BATCH		64
#define CHNL_ERRMSG_MAX		256

/* Why the events callback stopped a datagram. */
enum chnl_pending {
	CHNL_PENDING_NONE,
	CHNL_PENDING_RESYNC,	/* cause and lost in struct chnl */
	CHNL_PENDING_GONE,	/* the family was unregistered */
	CHNL_PENDING_FATAL,	/* error in struct chnl */
};

/**
 * struct chnl - one client
 * @req: request socket (SENSOR_GET)
 * @ev: events socket
 * @family: generic netlink family id of carehub
 * @timeout_ms: request timeout
 * @track: sequence bookkeeping of the events socket
 * @dump: the last dump, by id; @n_dump used, @cap_dump allocated
 * @req_err: errno of an NLMSG_ERROR on @req (0 if none)
 * @req_parse_err: first parse error of a dump or reply (0 if none)
 * @get_out: chnl_get()'s destination while it runs
 * @get_found: chnl_get() got its reply
 * @cb: event callback during chnl_read() / chnl_sync()
 * @cb_arg: its argument
 * @delivered: events delivered during this chnl_read()
 * @pending: what the events callback left to do
 * @resync_cause: with CHNL_PENDING_RESYNC
 * @resync_lost: with CHNL_PENDING_RESYNC
 * @fatal: negative errno with CHNL_PENDING_FATAL
 * @errmsg: last error message
 */
struct chnl {
	struct nl_sock *req;
	struct nl_sock *ev;
	int family;
	int timeout_ms;
	struct chnl_track track;
	struct chnl_sensor *dump;
	size_t n_dump;
	size_t cap_dump;
	int req_err;
	int req_parse_err;
	struct chnl_sensor *get_out;
	bool get_found;
	chnl_event_cb cb;
	void *cb_arg;
	int delivered;
	enum chnl_pending pending;
	enum chnl_resync_cause resync_cause;
	int64_t resync_lost;
	int fatal;
	char errmsg[CHNL_ERRMSG_MAX];
};

/* ---- errors ---- */

__attribute__((format(printf, 3, 4)))
static int chnl_err(struct chnl *h, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->errmsg, sizeof(h->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

const char *chnl_errmsg(const struct chnl *h)
{
	return h ? h->errmsg : "";
}

static int chnl_nlerr_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_INTR:
		return EINTR;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_PERM:
		return EPERM;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_BUSY:
		return EBUSY;
	case NLE_INVAL:
		return EINVAL;
	case NLE_RANGE:
		return ERANGE;
	case NLE_MSGSIZE:
		return EMSGSIZE;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_BAD_SOCK:
		return EBADF;
	}
	return EIO;
}

static const char *chnl_perm_hint(int err)
{
	return err == EPERM || err == EACCES ? ": needs CAP_NET_ADMIN" : "";
}

/* ---- request socket ---- */

static int chnl_req_valid(struct nl_msg *msg, void *arg)
{
	struct chnl *h = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct chnl_sensor s, *d;
	char perr[160];
	int ret;

	if (nlh->nlmsg_type != h->family)
		return NL_SKIP;
	ret = chnl_parse(nlh, nlh->nlmsg_len, &s, perr, sizeof(perr));
	if (!ret && s.cmd != CHNL_CMD_GET) {
		ret = -EINVAL;
		snprintf(perr, sizeof(perr), "%s message in a reply",
			 chnl_cmd_name(s.cmd));
	}
	if (ret) {
		/* Keep reading to the end of the dump; report the first. */
		if (!h->req_parse_err) {
			h->req_parse_err = -EPROTO;
			chnl_err(h, -EPROTO, "bad reply from the kernel: %s",
				 perr);
		}
		return NL_SKIP;
	}

	if (h->get_out) {
		*h->get_out = s;
		h->get_found = true;
		return NL_OK;
	}
	if (h->n_dump == h->cap_dump) {
		size_t cap = h->cap_dump ? h->cap_dump * 2 : 32;

		if (cap > SIZE_MAX / sizeof(*d))
			d = NULL;
		else
			d = realloc(h->dump, cap * sizeof(*d));
		if (!d) {
			if (!h->req_parse_err) {
				h->req_parse_err = -ENOMEM;
				chnl_err(h, -ENOMEM, "out of memory");
			}
			return NL_SKIP;
		}
		h->dump = d;
		h->cap_dump = cap;
	}
	h->dump[h->n_dump++] = s;
	return NL_OK;
}

/* The kernel's extended ACK message, if any (NETLINK_CAP_ACK is on). */
static const char *chnl_extack_msg(const struct nlmsgerr *e)
{
	const struct nlmsghdr *nlh = (const void *)((const char *)e -
						     NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e));
	struct nlattr *a;
	int rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    !(nlh->nlmsg_flags & NLM_F_CAPPED) || nlh->nlmsg_len <= off)
		return NULL;
	nla_for_each_attr(a, (struct nlattr *)((char *)nlh + off),
			  (int)(nlh->nlmsg_len - off), rem) {
		const char *s = nla_data(a);

		if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0 &&
		    s[nla_len(a) - 1] == '\0')
			return s;
	}
	return NULL;
}

static int chnl_req_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
			  void *arg)
{
	struct chnl *h = arg;
	const char *ext = chnl_extack_msg(e);
	int err = e->error < 0 ? -e->error : e->error;

	(void)nla;
	h->req_err = err ? err : EIO;
	chnl_err(h, -h->req_err, "SENSOR_GET: %s%s%s%s", strerror(h->req_err),
		 ext ? " (" : "", ext ? ext : "", ext ? ")" : "");
	if (err == EPERM || err == EACCES)
		chnl_err(h, -err, "SENSOR_GET: %s: needs CAP_NET_ADMIN",
			 strerror(err));
	return NL_STOP;
}

/* Send SENSOR_GET (dump when @id is 0) and read the whole answer. */
static int chnl_request(struct chnl *h, uint32_t id)
{
	struct nl_msg *msg;
	int ret;

	h->req_err = 0;
	h->req_parse_err = 0;
	h->errmsg[0] = '\0';

	msg = nlmsg_alloc();
	if (!msg)
		return chnl_err(h, -ENOMEM, "out of memory");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
			 id ? 0 : NLM_F_DUMP, CAREHUB_CMD_SENSOR_GET,
			 CAREHUB_GENL_VERSION) ||
	    (id && nla_put_u32(msg, CAREHUB_A_SENSOR_ID, id))) {
		nlmsg_free(msg);
		return chnl_err(h, -ENOMEM, "out of memory");
	}
	ret = nl_send_auto(h->req, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		int e = chnl_nlerr_errno(ret);

		return chnl_err(h, -e, "sending SENSOR_GET: %s",
				nl_geterror(ret));
	}

	ret = nl_recvmsgs_default(h->req);
	if (h->req_err)
		return -h->req_err;
	if (ret == -NLE_AGAIN)
		return chnl_err(h, -ETIMEDOUT,
				"SENSOR_GET: no answer from the kernel within %d ms",
				h->timeout_ms);
	if (ret < 0) {
		int e = chnl_nlerr_errno(ret);

		return chnl_err(h, -e, "SENSOR_GET: %s%s", nl_geterror(ret),
				chnl_perm_hint(e));
	}
	return h->req_parse_err;
}

static int chnl_dump_all(struct chnl *h)
{
	h->n_dump = 0;
	h->get_out = NULL;
	return chnl_request(h, 0);
}

int chnl_dump(struct chnl *h,
	      int (*cb)(const struct chnl_sensor *s, void *arg), void *arg)
{
	size_t i;
	int ret;

	ret = chnl_dump_all(h);
	if (ret)
		return ret;
	for (i = 0; i < h->n_dump; i++) {
		ret = cb(&h->dump[i], arg);
		if (ret)
			return ret;
	}
	return 0;
}

int chnl_dump_array(struct chnl *h, struct chnl_sensor *arr, size_t cap,
		    size_t *n)
{
	int ret;

	*n = 0;
	ret = chnl_dump_all(h);
	if (ret)
		return ret;
	*n = h->n_dump;
	if (h->n_dump)
		memcpy(arr, h->dump,
		       (h->n_dump < cap ? h->n_dump : cap) * sizeof(*arr));
	if (h->n_dump > cap)
		return chnl_err(h, -ENOSPC, "%zu sensors, room for %zu",
				h->n_dump, cap);
	return 0;
}

int chnl_get(struct chnl *h, uint32_t id, struct chnl_sensor *out)
{
	int ret;

	if (id == 0)
		return chnl_err(h, -EINVAL, "sensor id 0 is never used");
	h->get_out = out;
	h->get_found = false;
	ret = chnl_request(h, id);
	h->get_out = NULL;
	if (ret)
		return ret;
	if (!h->get_found)
		return chnl_err(h, -EPROTO, "SENSOR_GET: empty reply");
	if (out->id != id)
		return chnl_err(h, -EPROTO,
				"SENSOR_GET: asked for sensor %u, got %u",
				id, out->id);
	return 0;
}

/* ---- events ---- */

static void chnl_deliver(struct chnl *h, const struct chnl_event *ev)
{
	h->delivered++;
	if (h->cb)
		h->cb(ev, h->cb_arg);
}

static int chnl_resync(struct chnl *h, enum chnl_resync_cause cause,
		       int64_t lost)
{
	struct chnl_event ev = {
		.type = CHNL_EV_RESYNC,
		.cause = cause,
		.lost = lost,
	};
	size_t i;
	int ret;

	ret = chnl_dump_all(h);
	if (ret)
		return ret;
	chnl_track_rebase(&h->track);
	for (i = 0; i < h->n_dump; i++)
		if (chnl_track_dumped(&h->track, h->dump[i].id,
				      h->dump[i].seq, h->dump[i].sensor_seq))
			return chnl_err(h, -ENOMEM, "out of memory");
	ev.seq = h->track.have_seq ? h->track.last_seq : 0;
	ev.sensors = h->dump;
	ev.n_sensors = h->n_dump;
	chnl_deliver(h, &ev);
	return 0;
}

int chnl_sync(struct chnl *h, chnl_event_cb cb, void *arg)
{
	int ret;

	if (!h->ev)
		return chnl_err(h, -EINVAL, "opened for requests only");
	h->cb = cb;
	h->cb_arg = arg;
	h->errmsg[0] = '\0';
	ret = chnl_resync(h, CHNL_RESYNC_START, 0);
	h->cb = NULL;
	return ret;
}

static void chnl_need_resync(struct chnl *h, enum chnl_resync_cause cause,
			     int64_t lost)
{
	h->pending = CHNL_PENDING_RESYNC;
	h->resync_cause = cause;
	h->resync_lost = lost;
}

/* nlctrl notification: is it carehub going away? */
static int chnl_ev_ctrl(struct chnl *h, struct nlmsghdr *nlh)
{
	static const struct nla_policy pol[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct genlmsghdr *gh;

	if (!genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	gh = nlmsg_data(nlh);
	if (gh->cmd != CTRL_CMD_DELFAMILY)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, pol) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID] ||
	    nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) != h->family)
		return NL_SKIP;
	h->pending = CHNL_PENDING_GONE;
	return NL_STOP;
}

static int chnl_ev_valid(struct nl_msg *msg, void *arg)
{
	struct chnl *h = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct chnl_event ev = { .type = CHNL_EV_SENSOR };
	enum chnl_track_verdict v;
	struct chnl_sensor s;
	char perr[160];
	uint64_t lost, seq;
	int ret;

	if (nlh->nlmsg_type == GENL_ID_CTRL)
		return chnl_ev_ctrl(h, nlh);
	if (nlh->nlmsg_type != h->family)
		return NL_SKIP;

	ret = chnl_parse(nlh, nlh->nlmsg_len, &s, perr, sizeof(perr));
	if (ret == -EOPNOTSUPP) {
		/* A newer kernel's notification: only account for its seq. */
		if (!chnl_peek_seq(nlh, &seq))
			return NL_SKIP;
		v = chnl_track_seq(&h->track, seq, &lost);
		s.cmd = CHNL_CMD_GET;
	} else if (ret) {
		chnl_err(h, -EPROTO, "bad notification from the kernel: %s",
			 perr);
		chnl_need_resync(h, CHNL_RESYNC_INVALID, CHNL_LOST_UNKNOWN);
		return NL_STOP;
	} else if (s.cmd == CHNL_CMD_GET) {
		return NL_SKIP;	/* not a notification; never multicast */
	} else {
		v = chnl_track_event(&h->track, s.cmd == CHNL_CMD_DEL, s.id,
				     s.seq, s.sensor_seq, &lost);
	}

	switch (v) {
	case CHNL_TRACK_DELIVER:
		if (s.cmd != CHNL_CMD_GET) {
			ev.sensor = &s;
			chnl_deliver(h, &ev);
		}
		return NL_OK;
	case CHNL_TRACK_DUPLICATE:
		return NL_SKIP;
	case CHNL_TRACK_GAP:
		chnl_need_resync(h, CHNL_RESYNC_GAP,
				 lost > INT64_MAX ? CHNL_LOST_UNKNOWN :
						    (int64_t)lost);
		return NL_STOP;
	case CHNL_TRACK_NOMEM:
		h->pending = CHNL_PENDING_FATAL;
		h->fatal = chnl_err(h, -ENOMEM, "out of memory");
		return NL_STOP;
	}
	return NL_STOP;
}

int chnl_read(struct chnl *h, chnl_event_cb cb, void *arg)
{
	int i, ret = 0;

	if (!h->ev)
		return chnl_err(h, -EINVAL, "opened for requests only");
	h->cb = cb;
	h->cb_arg = arg;
	h->delivered = 0;
	h->errmsg[0] = '\0';
	for (i = 0; i < CHNL_READ_BATCH; i++) {
		h->pending = CHNL_PENDING_NONE;
		ret = nl_recvmsgs_default(h->ev);
		if (ret == -NLE_AGAIN) {
			ret = 0;
			break;
		}
		if (ret == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped notifications. */
			chnl_need_resync(h, CHNL_RESYNC_OVERFLOW,
					 CHNL_LOST_UNKNOWN);
		} else if (ret < 0 && h->pending == CHNL_PENDING_NONE) {
			int e = chnl_nlerr_errno(ret);

			ret = chnl_err(h, -e, "reading events: %s",
				       nl_geterror(ret));
			break;
		}
		ret = 0;
		switch (h->pending) {
		case CHNL_PENDING_NONE:
			break;
		case CHNL_PENDING_RESYNC:
			ret = chnl_resync(h, h->resync_cause, h->resync_lost);
			break;
		case CHNL_PENDING_GONE:
			ret = chnl_err(h, -ENODEV,
				       "carehub module unloaded (genl family '%s' gone)",
				       CAREHUB_GENL_NAME);
			break;
		case CHNL_PENDING_FATAL:
			ret = h->fatal;
			break;
		}
		if (ret)
			break;
	}
	h->cb = NULL;
	return ret < 0 ? ret : h->delivered;
}

int chnl_wait(struct chnl *h, int timeout_ms, chnl_event_cb cb, void *arg)
{
	struct pollfd pfd = { .fd = chnl_fd(h), .events = POLLIN };
	int ret;

	if (!h->ev)
		return chnl_err(h, -EINVAL, "opened for requests only");
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0) {
		int e = errno;

		return chnl_err(h, -e, "poll: %s", strerror(e));
	}
	if (ret == 0)
		return 0;
	return chnl_read(h, cb, arg);
}

int chnl_fd(const struct chnl *h)
{
	return h->ev ? nl_socket_get_fd(h->ev) : -1;
}

/* ---- open / close ---- */

__attribute__((format(printf, 4, 5)))
static void chnl_open_fail(struct chnl *h, char *err, size_t errlen,
			   const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	chnl_close(h);
}

static struct nl_sock *chnl_socket(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk && genl_connect(sk)) {
		nl_socket_free(sk);
		sk = NULL;
	}
	return sk;
}

/* Receive buffer: forced if we may (CAP_NET_ADMIN), else capped by rmem_max. */
static void chnl_set_rcvbuf(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

int chnl_open(struct chnl **hp, const struct chnl_opts *opts,
	      char *err, size_t errlen)
{
	struct timeval tv;
	struct chnl *h;
	int grp, ctrl_grp, one = 1, rcvbuf, ret, e;

	*hp = NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		chnl_open_fail(NULL, err, errlen, "out of memory");
		return -ENOMEM;
	}
	chnl_track_init(&h->track);
	h->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms :
						       CHNL_TIMEOUT_DEFAULT;
	rcvbuf = opts && opts->rcvbuf > 0 ? opts->rcvbuf : CHNL_RCVBUF_DEFAULT;

	errno = 0;
	h->req = chnl_socket();
	if (!opts || !opts->requests_only)
		h->ev = chnl_socket();
	if (!h->req || (!h->ev && (!opts || !opts->requests_only))) {
		e = errno ? errno : ENOMEM;
		chnl_open_fail(h, err, errlen,
			       "cannot open a generic netlink socket: %s",
			       strerror(e));
		return -e;
	}

	h->family = genl_ctrl_resolve(h->req, CAREHUB_GENL_NAME);
	if (h->family < 0) {
		ret = h->family;
		if (ret == -NLE_OBJ_NOTFOUND) {
			chnl_open_fail(h, err, errlen,
				       "carehub module not loaded (genl family '%s' not found)",
				       CAREHUB_GENL_NAME);
			return -ENOENT;
		}
		e = chnl_nlerr_errno(ret);
		chnl_open_fail(h, err, errlen,
			       "resolving genl family '%s': %s",
			       CAREHUB_GENL_NAME, nl_geterror(ret));
		return -e;
	}
	grp = genl_ctrl_resolve_grp(h->req, CAREHUB_GENL_NAME,
				    CAREHUB_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		e = chnl_nlerr_errno(grp);
		chnl_open_fail(h, err, errlen,
			       "genl family '%s' has no multicast group '%s': %s",
			       CAREHUB_GENL_NAME, CAREHUB_GENL_MCGRP_EVENTS,
			       nl_geterror(grp));
		return -e;
	}
	/* Optional: without it, an unloaded module goes unnoticed. */
	ctrl_grp = genl_ctrl_resolve_grp(h->req, "nlctrl", "notify");
	if (!h->ev)
		goto requests;

	/* Events: subscribe before anyone dumps, so nothing falls between. */
	chnl_set_rcvbuf(nl_socket_get_fd(h->ev), rcvbuf);
	nl_socket_disable_seq_check(h->ev);
	nl_socket_modify_cb(h->ev, NL_CB_VALID, NL_CB_CUSTOM, chnl_ev_valid, h);
	ret = nl_socket_set_nonblocking(h->ev);
	if (!ret)
		ret = nl_socket_add_membership(h->ev, grp);
	if (ret < 0) {
		e = chnl_nlerr_errno(ret);
		chnl_open_fail(h, err, errlen,
			       "subscribing to '%s' events: %s%s",
			       CAREHUB_GENL_NAME, nl_geterror(ret),
			       chnl_perm_hint(e));
		return -e;
	}
	if (ctrl_grp >= 0)
		nl_socket_add_membership(h->ev, ctrl_grp);

requests:
	/* Requests: blocking with a timeout, replies checked by sequence. */
	nl_socket_disable_auto_ack(h->req);
	setsockopt(nl_socket_get_fd(h->req), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(h->req), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	tv.tv_sec = h->timeout_ms / 1000;
	tv.tv_usec = (h->timeout_ms % 1000) * 1000;
	setsockopt(nl_socket_get_fd(h->req), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	nl_socket_modify_cb(h->req, NL_CB_VALID, NL_CB_CUSTOM, chnl_req_valid,
			    h);
	nl_socket_modify_err_cb(h->req, NL_CB_CUSTOM, chnl_req_error, h);

	*hp = h;
	return 0;
}

void chnl_close(struct chnl *h)
{
	if (!h)
		return;
	nl_socket_free(h->ev);
	nl_socket_free(h->req);
	chnl_track_exit(&h->track);
	free(h->dump);
	free(h);
}
