// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctl: the control socket server on a real sd-event loop, in process, with
 * a real socket in a temporary directory. The daemon's handler is a fake
 * returning canned replies: what is tested is the server - framing,
 * garbage, limits, monitor fan-out, slow readers, idle clients, the socket
 * file, and the access policy (pure function and, in forked children
 * with dropped credentials, through SO_PEERCRED / SO_PEERGROUPS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctl.h"
#include "unit_util.h"

/* Groups that exist on Debian; stand-ins for carehub / carehub-operators. */
#define T_READ_GROUP	"users"
#define T_OP_GROUP	"adm"

struct fx {
	char dir[64];
	char path[128];
	sd_event *ev;
	struct ctl *ctl;
	struct ctl_ops ops;
	/* what the fake handler saw */
	unsigned int calls;
	struct ctlp_req last;
	char who[64];
	pid_t pid;
	size_t big;		/* test: reply with this many payload bytes */
	bool null_reply;	/* test: return NULL */
	unsigned int logs;
};

static json_t *fake_handle(void *arg, const struct ctlp_req *req,
			   const struct ctl_peer *peer)
{
	struct fx *f = arg;

	f->calls++;
	f->last = *req;
	snprintf(f->who, sizeof(f->who), "%s", peer->who);
	f->pid = peer->pid;
	switch (req->cmd) {
	case CTLP_STATUS:
		return ctlp_reply_ok("status", json_pack("{s:s,s:i}", "hub",
							 "test-hub", "uptime_s", 7));
	case CTLP_SENSORS:
		return ctlp_reply_ok("sensors", json_array());
	case CTLP_ALARMS:
		return ctlp_reply_ok("alarms",
				     json_pack("[{s:I,s:b}]", "id", (json_int_t)req->limit,
					       "open", req->open));
	case CTLP_ACK:
	case CTLP_CANCEL:
		if (req->id == 404)
			return ctlp_reply_err(ENOENT, "no alarm %llu",
					      (unsigned long long)req->id);
		return ctlp_reply_ok("alarm", json_pack("{s:I,s:s}", "id",
							(json_int_t)req->id,
							"acked_by", peer->who));
	case CTLP_TEST:
		if (f->null_reply)
			return NULL;
		if (f->big) {
			char *s = malloc(f->big + 1);
			json_t *j;

			memset(s, 'x', f->big);
			s[f->big] = '\0';
			j = json_string(s);
			free(s);
			return ctlp_reply_ok("alarm", j);
		}
		return ctlp_reply_ok("alarm", json_pack("{s:i}", "code", 602));
	case CTLP_MONITOR:
		return ctlp_reply_ok(NULL, NULL);
	}
	return NULL;
}

static void fake_log(void *arg, int prio, const char *msg)
{
	struct fx *f = arg;

	(void)prio;
	(void)msg;
	f->logs++;
}

static int fx_open(struct fx *f)
{
	char err[256];
	int ret;

	f->ops = (struct ctl_ops){
		.handle = fake_handle,
		.log = fake_log,
		.read_group = T_READ_GROUP,
		.operate_group = T_OP_GROUP,
		.idle_usec = f->ops.idle_usec,
	};
	ret = ctl_open(&f->ctl, f->ev, f->path, &f->ops, f, err, sizeof(err));
	if (ret)
		print_error("ctl_open: %s\n", err);
	return ret;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/test_ctl.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/carehubd.sock", f->dir);
	if (sd_event_new(&f->ev) < 0)
		return -1;
	*state = f;
	return fx_open(f);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ctl_close(f->ctl);
	sd_event_unref(f->ev);
	rmdir(f->dir);	/* fails (and the test notices) if a file is left */
	free(f);
	return 0;
}

/* Run the server's loop until @fd is readable or @ms pass. */
static bool pump_until(struct fx *f, int fd, int ms)
{
	double end = now_s() + ms / 1000.0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	do {
		sd_event_run(f->ev, 1000);
		if (fd >= 0 && poll(&p, 1, 0) == 1)
			return true;
	} while (now_s() < end);
	return false;
}

static int client(struct fx *f)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	strcpy(sa.sun_path, f->path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Next datagram from the server as JSON; NULL on EOF / timeout. */
static json_t *recv_json(struct fx *f, int fd)
{
	char buf[8192], *big = NULL;
	ssize_t n;
	json_t *j;

	if (!pump_until(f, fd, 3000))
		return NULL;
	n = recv(fd, buf, 1, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (n <= 0)
		return NULL;
	if ((size_t)n > sizeof(buf))
		big = malloc((size_t)n);
	n = recv(fd, big ?: buf, big ? (size_t)n : sizeof(buf), 0);
	assert_true(n > 0);
	j = json_loadb(big ?: buf, (size_t)n, 0, NULL);
	free(big);
	assert_non_null(j);
	return j;
}

static json_t *rpc(struct fx *f, int fd, const char *req)
{
	assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	return recv_json(f, fd);
}

static void assert_json(json_t *j, const char *want)
{
	char *s;

	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT);
	if (strcmp(s, want))
		fail_msg("got %s\nwant %s", s, want);
	free(s);
	json_decref(j);
}

static void assert_errno(json_t *j, const char *name)
{
	assert_non_null(j);
	assert_true(json_is_false(json_object_get(j, "ok")));
	assert_string_equal(json_string_value(json_object_get(j, "errno")),
			    name);
	assert_true(json_is_string(json_object_get(j, "error")));
	json_decref(j);
}

/* The server closed this client: EOF after the loop ran. */
static bool closed_by_server(struct fx *f, int fd)
{
	char c;

	pump_until(f, fd, 3000);
	return recv(fd, &c, 1, MSG_DONTWAIT) == 0;
}

static void test_requests(void **state)
{
	struct fx *f = *state;
	int fd = client(f);

	assert_json(rpc(f, fd, "{\"cmd\":\"status\"}"),
		    "{\"ok\":true,\"status\":{\"hub\":\"test-hub\",\"uptime_s\":7}}");
	assert_json(rpc(f, fd, "{\"cmd\":\"sensors\"}"),
		    "{\"ok\":true,\"sensors\":[]}");
	assert_json(rpc(f, fd, "{\"cmd\":\"alarms\",\"open\":true,\"limit\":5}"),
		    "{\"ok\":true,\"alarms\":[{\"id\":5,\"open\":true}]}");
	assert_json(rpc(f, fd, "{\"cmd\":\"ack\",\"id\":12}"),
		    "{\"ok\":true,\"alarm\":{\"id\":12,\"acked_by\":\"uid:root\"}}");
	assert_int_equal(f->last.cmd, CTLP_ACK);
	assert_int_equal(f->last.id, 12);
	assert_string_equal(f->who, "uid:root");
	assert_int_equal(f->pid, getpid());
	assert_errno(rpc(f, fd, "{\"cmd\":\"cancel\",\"id\":404}"), "ENOENT");
	assert_json(rpc(f, fd, "{\"cmd\":\"test\"}"),
		    "{\"ok\":true,\"alarm\":{\"code\":602}}");
	assert_int_equal(f->calls, 6);
	assert_int_equal(ctl_clients(f->ctl), 1);
	close(fd);
	pump_until(f, -1, 50);
	assert_int_equal(ctl_clients(f->ctl), 0);
}

static void test_garbage(void **state)
{
	static const char nul[] = "{\"cmd\":\"status\"}\0\0";
	struct fx *f = *state;
	char big[70000];
	int fd = client(f);

	assert_errno(rpc(f, fd, "garbage"), "EINVAL");
	assert_errno(rpc(f, fd, "{\"cmd\":\"status\",\"x\":1}"), "EINVAL");
	assert_errno(rpc(f, fd, "{\"cmd\":\"reboot\"}"), "EOPNOTSUPP");
	assert_errno(rpc(f, fd, "[1,2,3]"), "EINVAL");
	assert_int_equal(send(fd, nul, sizeof(nul), 0), (ssize_t)sizeof(nul));
	assert_errno(recv_json(f, fd), "EINVAL");
	/* 4097 bytes and 70000 bytes: MSG_TRUNC, answered, not fatal. */
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"cmd\":\"status\"}", 16);
	assert_int_equal(send(fd, big, CTLP_REQ_MAX + 1, 0), CTLP_REQ_MAX + 1);
	assert_errno(recv_json(f, fd), "EMSGSIZE");
	assert_int_equal(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	assert_errno(recv_json(f, fd), "EMSGSIZE");
	/* exactly the limit is fine */
	assert_int_equal(send(fd, big, CTLP_REQ_MAX, 0), CTLP_REQ_MAX);
	assert_json(recv_json(f, fd),
		    "{\"ok\":true,\"status\":{\"hub\":\"test-hub\",\"uptime_s\":7}}");
	/* binary noise */
	for (int i = 0; i < 200; i++) {
		unsigned char noise[64];

		for (size_t k = 0; k < sizeof(noise); k++)
			noise[k] = (unsigned char)(rand() & 0xff);
		noise[0] = '{';
		assert_int_equal(send(fd, noise, sizeof(noise), 0), 64);
		assert_errno(recv_json(f, fd), "EINVAL");
	}
	/* Still usable after all that. */
	assert_json(rpc(f, fd, "{\"cmd\":\"sensors\"}"),
		    "{\"ok\":true,\"sensors\":[]}");
	/* Only the valid requests reached the handler. */
	assert_int_equal(f->calls, 2);
	/* An empty datagram ends the conversation. */
	assert_int_equal(send(fd, "", 0, 0), 0);
	assert_true(closed_by_server(f, fd));
	close(fd);
}

static void test_handler_failures(void **state)
{
	struct fx *f = *state;
	int fd = client(f);
	json_t *j;

	f->null_reply = true;
	assert_errno(rpc(f, fd, "{\"cmd\":\"test\"}"), "EIO");
	f->null_reply = false;
	/* Half a megabyte goes through in one datagram... */
	f->big = 500000;
	j = rpc(f, fd, "{\"cmd\":\"test\"}");
	assert_non_null(j);
	assert_int_equal(strlen(json_string_value(json_object_get(j, "alarm"))),
			 500000);
	json_decref(j);
	/* ...more than CTL_REPLY_MAX is refused with a hint. */
	f->big = CTL_REPLY_MAX;
	j = rpc(f, fd, "{\"cmd\":\"test\"}");
	assert_non_null(j);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")),
			       "limit"));
	assert_errno(j, "EMSGSIZE");
	f->big = 0;
	assert_json(rpc(f, fd, "{\"cmd\":\"test\"}"),
		    "{\"ok\":true,\"alarm\":{\"code\":602}}");
	close(fd);
}

static void test_too_many_clients(void **state)
{
	struct fx *f = *state;
	int fds[CTL_CLIENTS_MAX], extra, i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		fds[i] = client(f);
	pump_until(f, -1, 100);
	assert_int_equal(ctl_clients(f->ctl), CTL_CLIENTS_MAX);
	extra = client(f);
	assert_errno(recv_json(f, extra), "EBUSY");
	assert_true(closed_by_server(f, extra));
	close(extra);
	assert_int_equal(ctl_clients(f->ctl), CTL_CLIENTS_MAX);
	/* Everyone admitted is served. */
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		assert_json(rpc(f, fds[i], "{\"cmd\":\"sensors\"}"),
			    "{\"ok\":true,\"sensors\":[]}");
	/* A slot freed is a slot for the next. */
	close(fds[0]);
	pump_until(f, -1, 50);
	fds[0] = client(f);
	assert_json(rpc(f, fds[0], "{\"cmd\":\"sensors\"}"),
		    "{\"ok\":true,\"sensors\":[]}");
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		close(fds[i]);
	pump_until(f, -1, 50);
	assert_int_equal(ctl_clients(f->ctl), 0);
}

static void test_monitor(void **state)
{
	struct fx *f = *state;
	int m1 = client(f), m2 = client(f), r = client(f);
	json_t *ev = json_pack("{s:s,s:s}", "event", "sensor", "name", "door1");

	assert_json(rpc(f, m1, "{\"cmd\":\"monitor\"}"), "{\"ok\":true}");
	assert_json(rpc(f, m2, "{\"cmd\":\"monitor\"}"), "{\"ok\":true}");
	assert_json(rpc(f, r, "{\"cmd\":\"status\"}"),
		    "{\"ok\":true,\"status\":{\"hub\":\"test-hub\",\"uptime_s\":7}}");
	assert_int_equal(ctl_broadcast(f->ctl, ev), 2);
	assert_json(recv_json(f, m1), "{\"event\":\"sensor\",\"name\":\"door1\"}");
	assert_json(recv_json(f, m2), "{\"event\":\"sensor\",\"name\":\"door1\"}");
	/* The request client got nothing. */
	assert_false(pump_until(f, r, 50));
	/* A monitor client's further datagrams are ignored, not answered. */
	assert_int_equal(send(m1, "{\"cmd\":\"status\"}", 16, 0), 16);
	assert_false(pump_until(f, m1, 50));
	close(m2);
	pump_until(f, -1, 50);
	assert_int_equal(ctl_broadcast(f->ctl, ev), 1);
	assert_json(recv_json(f, m1), "{\"event\":\"sensor\",\"name\":\"door1\"}");
	/* Events are not stolen. */
	assert_int_equal(ev->refcount, 1);
	json_decref(ev);
	assert_int_equal(ctl_broadcast(f->ctl, NULL), 0);
	close(m1);
	close(r);
}

/* A monitor client that never reads is dropped; the server never blocks. */
static void test_monitor_slow(void **state)
{
	struct fx *f = *state;
	int slow = client(f), fast = client(f);
	char pad[1000], buf[8192];
	unsigned int i, sent = 0, fast_got = 0;
	double t0, worst = 0;
	json_t *ev, *last = NULL;
	ssize_t n;

	assert_json(rpc(f, slow, "{\"cmd\":\"monitor\"}"), "{\"ok\":true}");
	assert_json(rpc(f, fast, "{\"cmd\":\"monitor\"}"), "{\"ok\":true}");
	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	for (i = 0; i < 100000 && ctl_clients(f->ctl) == 2; i++) {
		ev = json_pack("{s:s,s:i,s:s}", "event", "sensor", "n", i,
			       "pad", pad);
		t0 = now_s();
		ctl_broadcast(f->ctl, ev);
		if (now_s() - t0 > worst)
			worst = now_s() - t0;
		json_decref(ev);
		sent++;
		while (recv(fast, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			fast_got++;
	}
	print_message("# slow monitor dropped after %u events, slowest broadcast %.1f ms\n",
		      sent, worst * 1e3);
	assert_int_equal(ctl_clients(f->ctl), 1);
	assert_true(sent > 10 && sent < 100000);
	assert_true(worst < 0.5);
	/* The fast one got every event and is still served. */
	assert_int_equal(fast_got, sent);
	ev = json_pack("{s:s}", "event", "after");
	assert_int_equal(ctl_broadcast(f->ctl, ev), 1);
	json_decref(ev);
	assert_json(recv_json(f, fast), "{\"event\":\"after\"}");
	/* The slow one finds its backlog, then "overflow", then EOF. */
	while ((n = recv(slow, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		json_decref(last);
		last = json_loadb(buf, (size_t)n, 0, NULL);
		assert_non_null(last);
	}
	assert_int_equal(n, 0);
	assert_json(last, "{\"event\":\"overflow\"}");
	close(slow);
	close(fast);
}

static void test_idle(void **state)
{
	struct fx *f = *state;
	int idle, busy, mon;

	ctl_close(f->ctl);
	f->ops.idle_usec = 200000;
	assert_int_equal(fx_open(f), 0);
	idle = client(f);
	busy = client(f);
	mon = client(f);
	assert_json(rpc(f, mon, "{\"cmd\":\"monitor\"}"), "{\"ok\":true}");
	for (int i = 0; i < 5; i++) {	/* 5 x 100 ms, kept alive by requests */
		pump_until(f, -1, 100);
		assert_json(rpc(f, busy, "{\"cmd\":\"sensors\"}"),
			    "{\"ok\":true,\"sensors\":[]}");
	}
	assert_true(closed_by_server(f, idle));
	assert_int_equal(ctl_clients(f->ctl), 2);
	pump_until(f, -1, 400);
	/* busy is idle now too; the monitor client never times out */
	assert_int_equal(ctl_clients(f->ctl), 1);
	close(idle);
	close(busy);
	close(mon);
}

static void test_socket_file(void **state)
{
	struct fx *f = *state;
	struct ctl *other;
	struct stat st;
	char err[256], longp[200];
	struct group *g = getgrnam(T_READ_GROUP);
	int fd;

	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0666);
	if (g)
		assert_int_equal(st.st_gid, g->gr_gid);
	/* A second server on a live socket is refused; the file stays. */
	assert_int_equal(ctl_open(&other, f->ev, f->path, &f->ops, f, err,
				  sizeof(err)), -EADDRINUSE);
	assert_null(other);
	assert_non_null(strstr(err, "another process listens"));
	assert_int_equal(stat(f->path, &st), 0);
	fd = client(f);
	assert_json(rpc(f, fd, "{\"cmd\":\"sensors\"}"),
		    "{\"ok\":true,\"sensors\":[]}");
	close(fd);

	/* close removes it; a stale socket (nobody listening) is replaced. */
	ctl_close(f->ctl);
	f->ctl = NULL;
	assert_int_equal(stat(f->path, &st), -1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		strcpy(sa.sun_path, f->path);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	close(fd);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(fx_open(f), 0);
	fd = client(f);
	assert_json(rpc(f, fd, "{\"cmd\":\"sensors\"}"),
		    "{\"ok\":true,\"sensors\":[]}");
	close(fd);
	ctl_close(f->ctl);
	f->ctl = NULL;

	/* Not a socket: never removed. */
	fd = open(f->path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ctl_open(&other, f->ev, f->path, &f->ops, f, err,
				  sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "not a socket"));
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	unlink(f->path);

	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(ctl_open(&other, f->ev, longp, &f->ops, f, err,
				  sizeof(err)), -ENAMETOOLONG);
	snprintf(longp, sizeof(longp), "%s/nodir/x.sock", f->dir);
	assert_int_equal(ctl_open(&other, f->ev, longp, &f->ops, f, err,
				  sizeof(err)), -ENOENT);
	assert_int_equal(fx_open(f), 0);
}

static void test_authorize_table(void **state)
{
	static const gid_t none[1], rd[] = { 5, 100 }, op[] = { 4 };
	static const struct {
		uid_t uid;
		gid_t gid;
		const gid_t *groups;
		size_t n;
		bool read, operate;
	} t[] = {
		{ 0, 0, none, 0, true, true },		/* root */
		{ 0, 999, none, 0, true, true },	/* root, any group */
		{ 1000, 1000, none, 0, false, false },	/* nobody special */
		{ 1000, 100, none, 0, true, false },	/* primary read */
		{ 1000, 1000, rd, 2, true, false },	/* supplementary read */
		{ 1000, 4, none, 0, true, true },	/* primary operate */
		{ 1000, 1000, op, 1, true, true },	/* supplementary operate */
		{ 65534, 65534, none, 0, false, false },
	};
	const gid_t bad = (gid_t)-1;
	struct ctl_peer p = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		p.uid = t[i].uid;
		p.gid = t[i].gid;
		p.groups = t[i].groups;
		p.n_groups = t[i].n;
		assert_int_equal(ctl_authorize(&p, CTLP_PERM_READ, 100, 4),
				 t[i].read);
		assert_int_equal(ctl_authorize(&p, CTLP_PERM_OPERATE, 100, 4),
				 t[i].operate);
	}
	/* A group that does not exist matches nobody, not gid -1 callers. */
	p = (struct ctl_peer){ .uid = 1000, .gid = bad };
	assert_false(ctl_authorize(&p, CTLP_PERM_READ, bad, bad));
	assert_false(ctl_authorize(&p, CTLP_PERM_OPERATE, bad, bad));
	p.gid = 100;
	assert_true(ctl_authorize(&p, CTLP_PERM_READ, 100, bad));
	assert_false(ctl_authorize(&p, CTLP_PERM_OPERATE, 100, bad));
	p.uid = 0;
	assert_true(ctl_authorize(&p, CTLP_PERM_OPERATE, bad, bad));
}

/*
 * A forked child with dropped credentials asks @req; returns its exit
 * status: 0 ok reply, 3 EPERM reply, 1 anything else.
 */
static int as_user(struct fx *f, gid_t gid, const gid_t *groups, size_t n,
		   const char *req)
{
	pid_t pid = fork();
	int st = -1;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		char buf[4096];
		json_t *j;
		ssize_t len;
		int fd;

		if (setgroups(n, groups) || setgid(gid) || setuid(65534))
			_exit(1);
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		strcpy(sa.sun_path, f->path);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(1);
		/* a refusal may come before the request goes out: read it */
		send(fd, req, strlen(req), MSG_NOSIGNAL);
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0 && errno == ECONNRESET)	/* then the refusal */
			len = recv(fd, buf, sizeof(buf), 0);
		j = len > 0 ? json_loadb(buf, (size_t)len, 0, NULL) : NULL;
		if (j && json_is_true(json_object_get(j, "ok")))
			_exit(0);
		if (j && !strcmp(json_string_value(json_object_get(j, "errno")) ?: "",
				 "EPERM"))
			_exit(3);
		_exit(1);
	}
	for (int i = 0; i < 500 && waitpid(pid, &st, WNOHANG) == 0; i++)
		pump_until(f, -1, 10);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_peer_credentials(void **state)
{
	struct fx *f = *state;
	struct group *g;
	gid_t rd, op;

	/* getgrnam() returns a static buffer: copy before the next call */
	g = getgrnam(T_READ_GROUP);
	rd = g ? g->gr_gid : (gid_t)-1;
	g = getgrnam(T_OP_GROUP);
	op = g ? g->gr_gid : (gid_t)-1;
	if (rd == (gid_t)-1 || op == (gid_t)-1 || geteuid() != 0) {
		print_message("# SKIP: needs root and groups %s, %s\n",
			      T_READ_GROUP, T_OP_GROUP);
		skip();
	}
	/* Let the children reach the file; ctl itself decides. */
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(f->path, 0666), 0);
	assert_int_equal(as_user(f, 65534, NULL, 0, "{\"cmd\":\"status\"}"), 3);
	assert_int_equal(as_user(f, 65534, &rd, 1, "{\"cmd\":\"status\"}"), 0);
	assert_int_equal(as_user(f, 65534, &rd, 1, "{\"cmd\":\"monitor\"}"), 0);
	assert_int_equal(as_user(f, 65534, &rd, 1, "{\"cmd\":\"ack\",\"id\":1}"), 3);
	assert_int_equal(as_user(f, rd, NULL, 0, "{\"cmd\":\"test\"}"), 3);
	assert_int_equal(as_user(f, 65534, &op, 1, "{\"cmd\":\"ack\",\"id\":1}"), 0);
	assert_string_equal(f->who, "uid:nobody");
	assert_int_equal(as_user(f, op, NULL, 0, "{\"cmd\":\"cancel\",\"id\":2}"), 0);
	assert_int_equal(as_user(f, op, NULL, 0, "{\"cmd\":\"sensors\"}"), 0);
	/* refusals were logged, accepted requests were handled */
	assert_true(f->logs >= 3);
	assert_int_equal(f->last.cmd, CTLP_SENSORS);
}

/* Root, a reader group and an operator group, or the test skips. */
static void need_groups(gid_t *rd, gid_t *op)
{
	struct group *g = getgrnam(T_READ_GROUP);

	*rd = g ? g->gr_gid : (gid_t)-1;
	g = getgrnam(T_OP_GROUP);
	*op = g ? g->gr_gid : (gid_t)-1;
	if (*rd == (gid_t)-1 || *op == (gid_t)-1 || geteuid() != 0) {
		print_message("# SKIP: needs root and groups %s, %s\n",
			      T_READ_GROUP, T_OP_GROUP);
		skip();
	}
}

/*
 * A forked reader (uid nobody, group @rd) opens @n connections, asks
 * each @req and keeps them open; it writes "OK BUSY OTHER" counts to
 * @res and exits when @hold is closed.
 */
static pid_t reader_hold(struct fx *f, gid_t rd, unsigned int n,
			 const char *req, int res[2], int hold[2])
{
	pid_t pid;

	assert_int_equal(pipe(res), 0);
	assert_int_equal(pipe(hold), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		unsigned int ok = 0, busy = 0, other = 0;
		char buf[4096], line[64];
		int fds[64];

		close(res[0]);
		close(hold[1]);
		if (setgroups(1, &rd) || setgid(65534) || setuid(65534))
			_exit(1);
		for (unsigned int i = 0; i < n && i < 64; i++) {
			struct sockaddr_un sa = { .sun_family = AF_UNIX };
			json_t *j = NULL;
			ssize_t len;

			fds[i] = socket(AF_UNIX, SOCK_SEQPACKET, 0);
			strcpy(sa.sun_path, f->path);
			if (connect(fds[i], (struct sockaddr *)&sa, sizeof(sa)))
				_exit(1);
			send(fds[i], req, strlen(req), MSG_NOSIGNAL);
			len = recv(fds[i], buf, sizeof(buf), 0);
			if (len < 0 && errno == ECONNRESET)	/* then the refusal */
				len = recv(fds[i], buf, sizeof(buf), 0);
			if (len > 0)
				j = json_loadb(buf, (size_t)len, 0, NULL);
			if (j && json_is_true(json_object_get(j, "ok")))
				ok++;
			else if (j && !strcmp(json_string_value(json_object_get(
					j, "errno")) ?: "", "EBUSY") &&
				 strstr(json_string_value(json_object_get(j,
					"error")) ?: "", "kept for operators"))
				busy++;
			else
				other++;
			json_decref(j);
		}
		snprintf(line, sizeof(line), "%u %u %u\n", ok, busy, other);
		if (write(res[1], line, strlen(line)) < 0)
			_exit(1);
		(void)!read(hold[0], buf, 1);	/* until the parent lets go */
		_exit(0);
	}
	close(res[1]);
	close(hold[0]);
	return pid;
}

/*
 * Issue 9, defect 4: a reader holding every monitor slot it can get
 * leaves CTL_OPERATOR_SLOTS for operators, who can still acknowledge.
 */
static void test_operator_slots(void **state)
{
	struct fx *f = *state;
	unsigned int ok = 0, busy = 0, other = 0;
	int res[2], hold[2], st, op1, op2;
	char line[64] = "";
	gid_t rd, opg;
	pid_t pid;

	need_groups(&rd, &opg);
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(f->path, 0666), 0);
	pid = reader_hold(f, rd, CTL_CLIENTS_MAX, "{\"cmd\":\"monitor\"}",
			  res, hold);
	assert_true(pump_until(f, res[0], 10000));
	assert_true(read(res[0], line, sizeof(line) - 1) > 0);
	assert_int_equal(sscanf(line, "%u %u %u", &ok, &busy, &other), 3);
	assert_int_equal(ok, CTL_CLIENTS_MAX - CTL_OPERATOR_SLOTS);
	assert_int_equal(busy, CTL_OPERATOR_SLOTS);
	assert_int_equal(other, 0);
	/* the operator (root here) still gets in, twice */
	op1 = client(f);
	op2 = client(f);
	assert_json(rpc(f, op1, "{\"cmd\":\"ack\",\"id\":7}"),
		    "{\"ok\":true,\"alarm\":{\"id\":7,\"acked_by\":\"uid:root\"}}");
	assert_json(rpc(f, op2, "{\"cmd\":\"status\"}"),
		    "{\"ok\":true,\"status\":{\"hub\":\"test-hub\",\"uptime_s\":7}}");
	close(op1);
	close(op2);
	close(hold[1]);
	close(res[0]);
	while (waitpid(pid, &st, WNOHANG) == 0)
		pump_until(f, -1, 10);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Refusals as fast as a client can ask are logged CTL_LOG_BURST times. */
static void test_refusals_rate_limited(void **state)
{
	struct fx *f = *state;
	gid_t rd, opg;
	pid_t pid;
	int st;

	need_groups(&rd, &opg);
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(f->path, 0666), 0);
	f->logs = 0;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		static const char req[] = "{\"cmd\":\"ack\",\"id\":1}";
		char buf[512];
		int fd, refused = 0;

		if (setgroups(1, &rd) || setgid(65534) || setuid(65534))
			_exit(1);
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		strcpy(sa.sun_path, f->path);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(1);
		for (int i = 0; i < 500; i++) {
			if (send(fd, req, sizeof(req) - 1, 0) < 0 ||
			    recv(fd, buf, sizeof(buf), 0) <= 0)
				_exit(1);
			refused += strstr(buf, "EPERM") != NULL;
		}
		_exit(refused == 500 ? 0 : 1);
	}
	while (waitpid(pid, &st, WNOHANG) == 0)
		pump_until(f, -1, 1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(f->logs >= 1);
	assert_true(f->logs <= CTL_LOG_BURST);
}

/*
 * Issue 9, defect 6: accept() out of file descriptors pauses listening
 * instead of spinning; the clients already connected are served, and
 * those waiting are accepted once descriptors are free again.
 */
static void test_emfile_pauses(void **state)
{
	struct fx *f = *state;
	int served = client(f), waiting[3], dummies[4096];
	unsigned int nd = 0, busy_turns = 0;
	struct rlimit old, lim;
	double end;

	assert_json(rpc(f, served, "{\"cmd\":\"sensors\"}"),
		    "{\"ok\":true,\"sensors\":[]}");
	for (int i = 0; i < 3; i++)
		waiting[i] = client(f);		/* queued, not accepted */
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	lim = old;
	lim.rlim_cur = 1024 < old.rlim_cur ? 1024 : old.rlim_cur;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &lim), 0);
	while (nd < 4096) {
		int d = dup(0);

		if (d < 0) {
			assert_int_equal(errno, EMFILE);
			break;
		}
		dummies[nd++] = d;
	}
	f->logs = 0;
	/* the loop must go idle: at most a few turns in 300 ms */
	end = now_s() + 0.3;
	while (now_s() < end)
		busy_turns += sd_event_run(f->ev, 50000) > 0;
	assert_true(busy_turns <= 3);
	assert_true(f->logs >= 1 && f->logs <= 2);
	assert_int_equal(ctl_clients(f->ctl), 1);
	/* the client already here is served meanwhile */
	assert_json(rpc(f, served, "{\"cmd\":\"sensors\"}"),
		    "{\"ok\":true,\"sensors\":[]}");
	while (nd)
		close(dummies[--nd]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	pump_until(f, -1, 2500);
	assert_int_equal(ctl_clients(f->ctl), 4);
	for (int i = 0; i < 3; i++) {
		assert_json(rpc(f, waiting[i], "{\"cmd\":\"sensors\"}"),
			    "{\"ok\":true,\"sensors\":[]}");
		close(waiting[i]);
	}
	close(served);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_monitor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_monitor_slow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_file, setup, teardown),
		cmocka_unit_test(test_authorize_table),
		cmocka_unit_test_setup_teardown(test_peer_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_operator_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_rate_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emfile_pauses, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
