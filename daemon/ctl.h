/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctl: carehubd's operator control socket (prefix ctl_).
 *
 * An AF_UNIX SOCK_SEQPACKET socket on an sd-event loop: one request per
 * datagram (ctlproto.h), one reply per request, and for monitor clients a
 * stream of event datagrams. The caller's credentials are taken when it
 * connects (SO_PEERCRED, SO_PEERGROUPS) and checked against each command's
 * permission before the daemon sees the request.
 *
 * The daemon never waits for a client: sockets are non-blocking, a client
 * whose queue is full is dropped (monitor: after a last {"event":
 * "overflow"} when that still fits), at most CTL_CLIENTS_MAX clients are
 * served (the next gets an EBUSY reply and is closed), and a request
 * client idle for ops->idle_usec is closed so that idle connections cannot
 * hold every slot. The last CTL_OPERATOR_SLOTS slots are for operators
 * (root, the operate group): readers, who may only watch, can never lock
 * out the person who acknowledges an alarm. Refusals are logged at most
 * CTL_LOG_BURST per CTL_LOG_WINDOW_S, then counted. When accept() runs
 * out of file descriptors the socket is not listened to for a second
 * (doubling to 30 s) instead of spinning; the clients it has are served.
 * Malformed or oversized requests get an error reply; the connection
 * stays usable.
 */
#ifndef CTL_H
#define CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>
#include <systemd/sd-event.h>

#include "ctlproto.h"

#define CTL_CLIENTS_MAX		16
#define CTL_OPERATOR_SLOTS	4	/* of CTL_CLIENTS_MAX, operators only */
#define CTL_LOG_BURST		10
#define CTL_LOG_WINDOW_S	10
#define CTL_IDLE_USEC_DEFAULT	(60 * UINT64_C(1000000))
#define CTL_REPLY_MAX		(1024 * 1024)	/* bytes in one reply */
#define CTL_READ_GROUP		"carehub"
#define CTL_OPERATE_GROUP	"carehub-operators"

/**
 * struct ctl_peer - who is on the other end, as of connect()
 * @pid, @uid, @gid: SO_PEERCRED
 * @groups: supplementary groups (SO_PEERGROUPS), @n_groups of them
 * @who: "uid:NAME" (user name, or the number when it has none): the
 *	audit name given to the daemon, e.g. as the acknowledger of an alarm
 */
struct ctl_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t n_groups;
	char who[64];
};

/**
 * struct ctl_ops - what the daemon provides
 * @handle: answer an authorised request; returns the reply (ctlp_reply_ok()
 *	or ctlp_reply_err()), which ctl sends and releases. NULL is answered
 *	with an EIO error. Called for monitor too: an ok reply makes the
 *	client a monitor client (the reply may carry a snapshot).
 * @log: optional; refused requests and dropped clients (prio: LOG_*)
 * @read_group, @operate_group: group names (NULL: CTL_READ_GROUP,
 *	CTL_OPERATE_GROUP); a group that does not exist grants nothing. The
 *	socket file gets @read_group when it exists.
 * @idle_usec: close a request client silent this long (0: default 60 s)
 */
struct ctl_ops {
	json_t *(*handle)(void *arg, const struct ctlp_req *req,
			  const struct ctl_peer *peer);
	void (*log)(void *arg, int prio, const char *msg);
	const char *read_group;
	const char *operate_group;
	uint64_t idle_usec;
};

struct ctl;

/*
 * Create the socket at @path (mode 0666: anyone may connect, a caller
 * with neither group is refused with EPERM at once; group @read_group if
 * it exists)
 * and serve it on @ev. A stale socket file is replaced only when nothing
 * listens on it; any other file at @path is an error. @ops must outlive
 * the server. Returns 0 or -errno with a message in @err.
 */
int ctl_open(struct ctl **out, sd_event *ev, const char *path,
	     const struct ctl_ops *ops, void *arg, char *err, size_t errlen);
/* Stop serving, close every client, remove the socket file. NULL is ok. */
void ctl_close(struct ctl *c);

/*
 * Send @event (an {"event":...} object; not stolen) to every monitor
 * client, without waiting. Returns the number of clients it reached.
 */
unsigned int ctl_broadcast(struct ctl *c, json_t *event);

/* Clients connected now (request and monitor). */
unsigned int ctl_clients(const struct ctl *c);

/*
 * The access policy, pure: uid 0 may do anything; READ needs @read_gid or
 * @op_gid, OPERATE needs @op_gid, as primary or supplementary group.
 * (gid_t)-1 stands for a group that does not exist and matches nobody.
 */
bool ctl_authorize(const struct ctl_peer *peer, enum ctlp_perm perm,
		   gid_t read_gid, gid_t op_gid);

#endif /* CTL_H */
