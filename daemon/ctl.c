// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl: the control socket server (see ctl.h and docs/control-protocol.md).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* accept4, struct ucred, SO_PEERGROUPS */
#endif
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "ctl.h"
#include "errf.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59	/* Linux 4.13; older libc headers lack it */
#endif

/* Each client's send buffer: a full alarms reply and a monitor backlog. */
#define CTL_SNDBUF	(2 * CTL_REPLY_MAX)
/*
 * A monitor client is given up while this much of its send buffer is
 * still free, so the final {"event":"overflow"} always fits (the kernel
 * accepts a datagram while the queued total is below the buffer size).
 */
#define CTL_SNDBUF_RESERVE	16384

struct ctl_client {
	struct ctl *ctl;
	struct ctl_client *prev, *next;
	int fd;
	sd_event_source *io;
	sd_event_source *idle;	/* NULL for monitor clients */
	bool monitor;
	int sndbuf;		/* SO_SNDBUF as the kernel set it */
	gid_t *groups;
	struct ctl_peer peer;
};

struct ctl {
	sd_event *ev;
	const struct ctl_ops *ops;
	void *arg;
	int fd;
	sd_event_source *listen;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;		/* the socket file we made: remove only it */
	ino_t ino;
	gid_t read_gid, op_gid;
	uint64_t idle_usec;
	struct ctl_client *clients;
	unsigned int n_clients;
	/* accept() out of file descriptors: listening paused */
	sd_event_source *resume;
	unsigned int pause_s;
	/* refusals logged in this window, and those not logged */
	uint64_t log_window;
	unsigned int log_n, log_dropped;
	char buf[CTLP_REQ_MAX + 1];	/* +1: "longer than allowed" */
};

__attribute__((format(printf, 3, 4)))
static void ctl_log(struct ctl *c, int prio, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!c->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->ops->log(c->arg, prio, msg);
}

/*
 * Refusals come as fast as a client can send: at most CTL_LOG_BURST lines
 * per CTL_LOG_WINDOW_S, so they cannot crowd the alarm lines out of the
 * journal; the rest are counted and said once the window is over.
 */
__attribute__((format(printf, 3, 4)))
static void ctl_log_limited(struct ctl *c, int prio, const char *fmt, ...)
{
	struct timespec ts;
	uint64_t w;
	char msg[256];
	va_list ap;

	if (!c->ops->log)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	w = (uint64_t)ts.tv_sec / CTL_LOG_WINDOW_S;
	if (w != c->log_window) {
		if (c->log_dropped)
			ctl_log(c, LOG_NOTICE, "ctl: %u more refusals in %d s not"
				" logged", c->log_dropped, CTL_LOG_WINDOW_S);
		c->log_window = w;
		c->log_n = 0;
		c->log_dropped = 0;
	}
	if (c->log_n >= CTL_LOG_BURST) {
		c->log_dropped++;
		return;
	}
	c->log_n++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->ops->log(c->arg, prio, msg);
}

static bool ctl_in_group(const struct ctl_peer *peer, gid_t gid)
{
	size_t i;

	if (gid == (gid_t)-1)
		return false;
	if (peer->gid == gid)
		return true;
	for (i = 0; i < peer->n_groups; i++)
		if (peer->groups[i] == gid)
			return true;
	return false;
}

bool ctl_authorize(const struct ctl_peer *peer, enum ctlp_perm perm,
		   gid_t read_gid, gid_t op_gid)
{
	if (peer->uid == 0)
		return true;
	switch (perm) {
	case CTLP_PERM_READ:
		return ctl_in_group(peer, read_gid) ||
		       ctl_in_group(peer, op_gid);
	case CTLP_PERM_OPERATE:
		return ctl_in_group(peer, op_gid);
	}
	return false;
}

static gid_t ctl_gid(const char *name)
{
	struct group gr, *res = NULL;
	char buf[4096];

	if (getgrnam_r(name, &gr, buf, sizeof(buf), &res) || !res)
		return (gid_t)-1;
	return res->gr_gid;
}

static void ctl_client_free(struct ctl_client *cl)
{
	struct ctl *c = cl->ctl;

	if (cl->prev)
		cl->prev->next = cl->next;
	else
		c->clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	c->n_clients--;
	/* Safe from the source's own callback: sd-event holds a reference. */
	sd_event_source_disable_unref(cl->io);
	sd_event_source_disable_unref(cl->idle);
	close(cl->fd);
	free(cl->groups);
	free(cl);
}

/* 0, or -errno: -EAGAIN when the client's queue is full. */
static int ctl_send_str(int fd, const char *s, size_t len)
{
	if (send(fd, s, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/* Send and release @reply; false when the client must go. */
static bool ctl_send_reply(struct ctl_client *cl, json_t *reply)
{
	size_t len = 0;
	char *s;
	int ret;

	if (!reply)
		reply = ctlp_reply_err(ENOMEM, "out of memory");
	s = reply ? ctlp_dump(reply, &len) : NULL;
	json_decref(reply);
	if (s && len > CTL_REPLY_MAX) {
		free(s);
		reply = ctlp_reply_err(EMSGSIZE,
				       "reply of %zu bytes is larger than %d; ask for fewer (limit)",
				       len, CTL_REPLY_MAX);
		s = reply ? ctlp_dump(reply, &len) : NULL;
		json_decref(reply);
	}
	if (!s) {
		ctl_log(cl->ctl, LOG_ERR, "ctl: %s: out of memory for a reply",
			cl->peer.who);
		return false;
	}
	ret = ctl_send_str(cl->fd, s, len);
	free(s);
	if (ret && ret != -EPIPE && ret != -ECONNRESET)
		ctl_log(cl->ctl, LOG_WARNING, "ctl: %s: reply not sent (%s), dropping the client",
			cl->peer.who, strerror(-ret));
	return ret == 0;
}

static json_t *ctl_dispatch(struct ctl_client *cl, const char *buf, size_t n)
{
	struct ctl *c = cl->ctl;
	struct ctlp_req req;
	enum ctlp_perm perm;
	char err[256];
	int ret;

	if (n > CTLP_REQ_MAX)
		return ctlp_reply_err(EMSGSIZE,
				      "request longer than %d bytes", CTLP_REQ_MAX);
	ret = ctlp_parse_request(buf, n, &req, err, sizeof(err));
	if (ret)
		return ctlp_reply_err(-ret, "%s", err);
	perm = ctlp_cmd_perm(req.cmd);
	if (!ctl_authorize(&cl->peer, perm, c->read_gid, c->op_gid)) {
		const char *g = c->ops->operate_group ?: CTL_OPERATE_GROUP;

		ctl_log_limited(c, LOG_NOTICE, "ctl: %s (pid %d): %s refused",
				cl->peer.who, (int)cl->peer.pid,
				ctlp_cmd_name(req.cmd));
		if (perm == CTLP_PERM_READ)
			return ctlp_reply_err(EPERM,
					      "permission denied: %s needs uid 0 or group %s or %s",
					      ctlp_cmd_name(req.cmd),
					      c->ops->read_group ?: CTL_READ_GROUP, g);
		return ctlp_reply_err(EPERM,
				      "permission denied: %s needs uid 0 or group %s",
				      ctlp_cmd_name(req.cmd), g);
	}
	return c->ops->handle(c->arg, &req, &cl->peer) ?:
	       ctlp_reply_err(EIO, "internal error: no reply");
}

static int ctl_on_client(sd_event_source *s, int fd, uint32_t revents,
			 void *userdata)
{
	struct ctl_client *cl = userdata;
	struct ctl *c = cl->ctl;
	json_t *reply;
	ssize_t n;
	bool became_monitor = false;

	(void)s;
	if (!(revents & EPOLLIN)) {
		ctl_client_free(cl);	/* EPOLLHUP / EPOLLERR with no data */
		return 0;
	}
	/* MSG_TRUNC: n is the datagram's real size, even when cut. */
	n = recv(fd, c->buf, sizeof(c->buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		ctl_client_free(cl);
		return 0;
	}
	if (n == 0) {
		/* EOF; an empty datagram is treated alike: nothing to answer */
		ctl_client_free(cl);
		return 0;
	}
	if (cl->monitor)
		return 0;	/* a monitor client has nothing more to ask */

	if (cl->idle)
		sd_event_source_set_time_relative(cl->idle, c->idle_usec);
	reply = ctl_dispatch(cl, c->buf, (size_t)n);
	if (reply && json_is_true(json_object_get(reply, "ok")) &&
	    n <= CTLP_REQ_MAX) {
		struct ctlp_req req;

		/* Parsed once already; cheap, and keeps dispatch simple. */
		became_monitor = !ctlp_parse_request(c->buf, (size_t)n, &req,
						     NULL, 0) &&
				 req.cmd == CTLP_MONITOR;
	}
	if (!ctl_send_reply(cl, reply)) {
		ctl_client_free(cl);
		return 0;
	}
	if (became_monitor) {
		cl->monitor = true;
		cl->idle = sd_event_source_disable_unref(cl->idle);
	}
	return 0;
}

static int ctl_on_idle(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct ctl_client *cl = userdata;

	(void)s;
	(void)usec;
	ctl_log(cl->ctl, LOG_INFO, "ctl: %s idle, closed", cl->peer.who);
	ctl_client_free(cl);
	return 0;
}

static int ctl_peer_creds(struct ctl_client *cl)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	struct passwd pw, *res = NULL;
	char pwbuf[1024];
	gid_t *g = NULL;
	size_t cap = 32;

	if (getsockopt(cl->fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) ||
	    len != sizeof(uc))
		return -errno ?: -EIO;
	cl->peer.pid = uc.pid;
	cl->peer.uid = uc.uid;
	cl->peer.gid = uc.gid;

	/* Ask with room for 32; ERANGE tells the size needed. */
	for (;;) {
		gid_t *ng = realloc(g, cap * sizeof(*g));

		if (!ng) {
			free(g);
			return -ENOMEM;
		}
		g = ng;
		len = (socklen_t)(cap * sizeof(*g));
		if (!getsockopt(cl->fd, SOL_SOCKET, SO_PEERGROUPS, g, &len))
			break;
		if (errno != ERANGE || len <= cap * sizeof(*g)) {
			free(g);
			return -errno;
		}
		cap = len / sizeof(*g) + 1;
	}
	cl->groups = g;
	cl->peer.groups = g;
	cl->peer.n_groups = len / sizeof(*g);

	if (!getpwuid_r(uc.uid, &pw, pwbuf, sizeof(pwbuf), &res) && res)
		snprintf(cl->peer.who, sizeof(cl->peer.who), "uid:%s",
			 res->pw_name);
	else
		snprintf(cl->peer.who, sizeof(cl->peer.who), "uid:%u",
			 (unsigned int)uc.uid);
	return 0;
}

/* Refuse a connection with a reason the client can print. */
static void ctl_refuse(int fd, int errnum, const char *msg)
{
	json_t *r = ctlp_reply_err(errnum, "%s", msg);
	char *s = r ? ctlp_dump(r, NULL) : NULL;

	if (s)
		ctl_send_str(fd, s, strlen(s));
	free(s);
	json_decref(r);
	/*
	 * Closing with the client's request unread would make its recv()
	 * fail with ECONNRESET before it reads why: drop what it sent.
	 */
	while (recv(fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC) > 0)
		;
	close(fd);
}

static void ctl_accept_one(struct ctl *c, int fd)
{
	struct ctl_client *cl;
	int sndbuf = CTL_SNDBUF, ret;
	socklen_t len;

	if (c->n_clients >= CTL_CLIENTS_MAX) {
		ctl_log_limited(c, LOG_WARNING, "ctl: %d clients already,"
				" refusing one", CTL_CLIENTS_MAX);
		ctl_refuse(fd, EBUSY, "too many clients, try again later");
		return;
	}
	cl = calloc(1, sizeof(*cl));
	if (!cl) {
		close(fd);
		return;
	}
	cl->ctl = c;
	cl->fd = fd;
	ret = ctl_peer_creds(cl);
	if (ret) {
		ctl_log(c, LOG_WARNING, "ctl: peer credentials: %s",
			strerror(-ret));
		free(cl->groups);
		free(cl);
		ctl_refuse(fd, EIO, "cannot read your credentials");
		return;
	}
	if (!ctl_authorize(&cl->peer, CTLP_PERM_READ, c->read_gid, c->op_gid)) {
		ctl_log_limited(c, LOG_NOTICE, "ctl: %s (pid %d) refused: not in"
				" group %s or %s", cl->peer.who,
				(int)cl->peer.pid,
				c->ops->read_group ?: CTL_READ_GROUP,
				c->ops->operate_group ?: CTL_OPERATE_GROUP);
		free(cl->groups);
		free(cl);
		ctl_refuse(fd, EPERM, c->ops->read_group || c->ops->operate_group ?
			   "permission denied: needs uid 0 or membership of the"
			   " read or operate group" :
			   "permission denied: needs uid 0 or group "
			   CTL_READ_GROUP " (to read) or " CTL_OPERATE_GROUP
			   " (to read and act)");
		return;
	}
	/* The last slots are kept for whoever acknowledges alarms. */
	if (c->n_clients >= CTL_CLIENTS_MAX - CTL_OPERATOR_SLOTS &&
	    !ctl_authorize(&cl->peer, CTLP_PERM_OPERATE, c->read_gid, c->op_gid)) {
		ctl_log_limited(c, LOG_WARNING, "ctl: %s (pid %d) refused: the"
				" last %d slots are kept for operators",
				cl->peer.who, (int)cl->peer.pid,
				CTL_OPERATOR_SLOTS);
		free(cl->groups);
		free(cl);
		ctl_refuse(fd, EBUSY, "too many clients: the remaining slots are"
			   " kept for operators, try again later");
		return;
	}
	/* Root may exceed wmem_max; anyone else gets what the kernel allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	len = sizeof(cl->sndbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &cl->sndbuf, &len))
		cl->sndbuf = 0;	/* unknown: rely on EAGAIN alone */

	if (sd_event_add_io(c->ev, &cl->io, fd, EPOLLIN, ctl_on_client, cl) < 0 ||
	    sd_event_add_time_relative(c->ev, &cl->idle, CLOCK_MONOTONIC,
				       c->idle_usec, 100000, ctl_on_idle,
				       cl) < 0) {
		sd_event_source_disable_unref(cl->io);
		free(cl->groups);
		free(cl);
		close(fd);
		return;
	}
	cl->next = c->clients;
	if (c->clients)
		c->clients->prev = cl;
	c->clients = cl;
	c->n_clients++;
}

static int ctl_on_resume(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct ctl *c = userdata;

	(void)s;
	(void)usec;
	sd_event_source_set_enabled(c->listen, SD_EVENT_ON);
	return 0;
}

/*
 * accept() has no file descriptor (or memory) for a new client: the
 * pending connection stays queued and the socket stays readable, so
 * listening again at once would spin. Pause 1 s, doubling to 30 s while
 * it lasts; the clients already here are served meanwhile.
 */
static void ctl_pause(struct ctl *c, int err)
{
	c->pause_s = c->pause_s ? c->pause_s * 2 : 1;
	if (c->pause_s > 30)
		c->pause_s = 30;
	ctl_log_limited(c, LOG_WARNING, "ctl: accept: %s; not accepting for"
			" %u s", strerror(err), c->pause_s);
	sd_event_source_set_enabled(c->listen, SD_EVENT_OFF);
	if (!c->resume &&
	    sd_event_add_time_relative(c->ev, &c->resume, CLOCK_MONOTONIC,
				       0, 100000, ctl_on_resume, c) < 0) {
		c->resume = NULL;
		sd_event_source_set_enabled(c->listen, SD_EVENT_ON);
		return;
	}
	sd_event_source_set_time_relative(c->resume,
					  (uint64_t)c->pause_s * 1000000u);
	sd_event_source_set_enabled(c->resume, SD_EVENT_ONESHOT);
}

static int ctl_on_listen(sd_event_source *s, int fd, uint32_t revents,
			 void *userdata)
{
	struct ctl *c = userdata;
	int cfd, i;

	(void)s;
	(void)revents;
	/* A bounded batch, so a connect storm cannot starve the loop. */
	for (i = 0; i < CTL_CLIENTS_MAX + 4; i++) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				ctl_pause(c, errno);
			} else if (errno != EAGAIN && errno != EINTR &&
				   errno != ECONNABORTED) {
				ctl_log_limited(c, LOG_WARNING, "ctl: accept: %s",
						strerror(errno));
			}
			break;
		}
		c->pause_s = 0;
		ctl_accept_one(c, cfd);
	}
	return 0;
}

/* Is someone listening at @sa? A stale file refuses connections. */
static bool ctl_live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return true;	/* cannot tell: do not remove anything */
	live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0 ||
	       errno != ECONNREFUSED;
	close(fd);
	return live;
}

static int ctl_bind(struct ctl *c, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	if (!bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto bound;
	if (errno != EADDRINUSE)
		return errf(-errno, err, errlen, "bind %s: %s", c->path,
				strerror(errno));
	if (lstat(c->path, &st) || !S_ISSOCK(st.st_mode))
		return errf(-EEXIST, err, errlen,
				"%s exists and is not a socket", c->path);
	if (ctl_live(&sa))
		return errf(-EADDRINUSE, err, errlen,
				"%s: another process listens there (is carehubd running?)",
				c->path);
	if (unlink(c->path) && errno != ENOENT)
		return errf(-errno, err, errlen, "removing stale %s: %s",
				c->path, strerror(errno));
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return errf(-errno, err, errlen, "bind %s: %s", c->path,
				strerror(errno));
bound:
	if (lstat(c->path, &st))
		return errf(-errno, err, errlen, "%s: %s", c->path,
				strerror(errno));
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	/*
	 * Anyone may connect: every caller is checked at accept() from its
	 * credentials (readers: root, the read or the operate group), so an
	 * operator needs no membership of the read group to reach us.
	 */
	if (chmod(c->path, 0666))
		return errf(-errno, err, errlen, "chmod %s: %s", c->path,
				strerror(errno));
	if (c->read_gid != (gid_t)-1 && chown(c->path, (uid_t)-1, c->read_gid))
		ctl_log(c, LOG_WARNING, "ctl: chown %s to group %s: %s",
			c->path, c->ops->read_group ?: CTL_READ_GROUP,
			strerror(errno));
	return 0;
}

int ctl_open(struct ctl **out, sd_event *ev, const char *path,
	     const struct ctl_ops *ops, void *arg, char *err, size_t errlen)
{
	struct ctl *c;
	int ret;

	*out = NULL;
	if (!ops || !ops->handle)
		return errf(-EINVAL, err, errlen, "ctl: no handler");
	if (!path || !*path)
		return errf(-EINVAL, err, errlen, "ctl: empty socket path");
	c = calloc(1, sizeof(*c));
	if (!c)
		return errf(-ENOMEM, err, errlen, "out of memory");
	if (strlen(path) >= sizeof(c->path)) {
		free(c);
		return errf(-ENAMETOOLONG, err, errlen,
				"socket path longer than %zu bytes: %s",
				sizeof(c->path) - 1, path);
	}
	memcpy(c->path, path, strlen(path) + 1);
	c->ev = sd_event_ref(ev);
	c->ops = ops;
	c->arg = arg;
	c->read_gid = ctl_gid(ops->read_group ?: CTL_READ_GROUP);
	c->op_gid = ctl_gid(ops->operate_group ?: CTL_OPERATE_GROUP);
	c->idle_usec = ops->idle_usec ?: CTL_IDLE_USEC_DEFAULT;
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0);
	if (c->fd < 0) {
		ret = errf(-errno, err, errlen, "socket: %s",
			       strerror(errno));
		goto fail;
	}
	ret = ctl_bind(c, err, errlen);
	if (ret) {
		c->ino = 0;	/* not ours: leave the file alone */
		goto fail;
	}
	if (listen(c->fd, CTL_CLIENTS_MAX)) {
		ret = errf(-errno, err, errlen, "listen %s: %s", path,
			       strerror(errno));
		goto fail;
	}
	ret = sd_event_add_io(ev, &c->listen, c->fd, EPOLLIN, ctl_on_listen,
			      c);
	if (ret < 0) {
		errf(ret, err, errlen, "sd_event_add_io: %s",
			 strerror(-ret));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	ctl_close(c);
	return ret;
}

void ctl_close(struct ctl *c)
{
	struct stat st;

	if (!c)
		return;
	while (c->clients)
		ctl_client_free(c->clients);
	sd_event_source_disable_unref(c->resume);
	sd_event_source_disable_unref(c->listen);
	if (c->fd >= 0)
		close(c->fd);
	/* Another instance may have replaced the file since: leave that. */
	if (c->ino && !lstat(c->path, &st) && st.st_dev == c->dev &&
	    st.st_ino == c->ino)
		unlink(c->path);
	sd_event_unref(c->ev);
	free(c);
}

/* Would @len more bytes eat into the reserve for the overflow notice? */
static bool ctl_monitor_full(const struct ctl_client *cl, size_t len)
{
	int queued;

	if (cl->sndbuf <= CTL_SNDBUF_RESERVE ||
	    ioctl(cl->fd, SIOCOUTQ, &queued) || queued < 0)
		return false;
	return (size_t)queued + len > (size_t)(cl->sndbuf - CTL_SNDBUF_RESERVE);
}

unsigned int ctl_broadcast(struct ctl *c, json_t *event)
{
	static const char overflow[] = "{\"event\":\"overflow\"}";
	struct ctl_client *cl, *next;
	unsigned int reached = 0;
	size_t len;
	char *s;
	int ret;

	if (!c || !event)
		return 0;
	s = ctlp_dump(event, &len);
	if (!s)
		return 0;
	for (cl = c->clients; cl; cl = next) {
		next = cl->next;
		if (!cl->monitor)
			continue;
		ret = ctl_monitor_full(cl, len) ? -EAGAIN :
		      ctl_send_str(cl->fd, s, len);
		if (!ret) {
			reached++;
			continue;
		}
		if (ret == -EAGAIN || ret == -ENOBUFS) {
			/* Tell it why the stream ends, if that still fits. */
			ctl_send_str(cl->fd, overflow, sizeof(overflow) - 1);
			ctl_log(c, LOG_WARNING,
				"ctl: monitor %s (pid %d) does not keep up, dropped",
				cl->peer.who, (int)cl->peer.pid);
		}
		ctl_client_free(cl);
	}
	free(s);
	return reached;
}

unsigned int ctl_clients(const struct ctl *c)
{
	return c ? c->n_clients : 0;
}
