// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctlclient: connect, send one request, receive replies and events.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlclient.h"
#include "errf.h"
#include "ctlproto.h"

/* Replies are bounded by the daemon (ctl.h CTL_REPLY_MAX); be a bit wider. */
#define CTLC_MSG_MAX	(4 * 1024 * 1024)

int ctlc_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path))
		return errf(-ENAMETOOLONG, err, errlen,
				 "socket path too long: %s", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errf(-errno, err, errlen, "socket: %s",
				 strerror(errno));
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fd;
	e = errno;
	close(fd);
	switch (e) {
	case ENOENT:
	case ECONNREFUSED:
		return errf(-e, err, errlen,
				 "carehubd is not running (%s: %s)", path,
				 strerror(e));
	case EACCES:
	case EPERM:
		return errf(-EACCES, err, errlen,
				 "permission denied: %s (its directory is not open to you)",
				 path);
	default:
		return errf(-e, err, errlen, "connect %s: %s", path,
				 strerror(e));
	}
}

int ctlc_send(int fd, const json_t *req, char *err, size_t errlen)
{
	size_t len;
	char *s = ctlp_dump(req, &len);
	ssize_t n;

	if (!s)
		return errf(-ENOMEM, err, errlen, "out of memory");
	n = send(fd, s, len, MSG_NOSIGNAL);
	free(s);
	if (n < 0)
		return errf(-errno, err, errlen, "sending to carehubd: %s",
				 strerror(errno));
	return 0;
}

int ctlc_recv(int fd, json_t **msg, char **raw, int timeout_ms, char *err,
	      size_t errlen)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	json_error_t jerr;
	ssize_t n, len;
	char *buf;
	int ret;

	*msg = NULL;
	if (raw)
		*raw = NULL;
	do
		ret = poll(&p, 1, timeout_ms);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return errf(-errno, err, errlen, "poll: %s",
				 strerror(errno));
	if (ret == 0)
		return errf(-ETIMEDOUT, err, errlen,
				 "carehubd did not answer in time");
	/*
	 * Peek with MSG_TRUNC: the size of the next datagram, then read it.
	 * A daemon that refused us and closed while our request was unread
	 * makes the first recv() fail with ECONNRESET; that clears the error
	 * and its refusal is still queued: read it.
	 */
	len = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (len < 0 && errno == ECONNRESET)
		len = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (len < 0)
		return errf(-errno, err, errlen,
				 "receiving from carehubd: %s", strerror(errno));
	if (len == 0) {
		/* consume it: an empty datagram and EOF look alike */
		n = recv(fd, &ret, sizeof(ret), MSG_DONTWAIT);
		return errf(-ECONNRESET, err, errlen,
				 "carehubd closed the connection");
	}
	if (len > CTLC_MSG_MAX)
		return errf(-EMSGSIZE, err, errlen,
				 "message of %zd bytes from carehubd is too large",
				 len);
	buf = malloc((size_t)len + 1);
	if (!buf)
		return errf(-ENOMEM, err, errlen, "out of memory");
	n = recv(fd, buf, (size_t)len, MSG_DONTWAIT);
	if (n != len) {
		free(buf);
		return errf(n < 0 ? -errno : -EIO, err, errlen,
				 "receiving from carehubd: %s",
				 n < 0 ? strerror(errno) : "short read");
	}
	buf[n] = '\0';
	*msg = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, &jerr);
	if (!*msg || !json_is_object(*msg)) {
		json_decref(*msg);
		*msg = NULL;
		free(buf);
		return errf(-EBADMSG, err, errlen,
				 "carehubd sent something that is not a JSON object (%s)",
				 jerr.text[0] ? jerr.text : "not an object");
	}
	if (raw)
		*raw = buf;
	else
		free(buf);
	return 0;
}
