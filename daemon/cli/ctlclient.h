/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctlclient: the client end of carehubd's control socket (prefix ctlc_),
 * for carehubctl. Message vocabulary: ctlproto.h.
 */
#ifndef CTLCLIENT_H
#define CTLCLIENT_H

#include <stddef.h>

#include <jansson.h>

/*
 * Connect to @path. Returns a blocking SOCK_SEQPACKET fd, or -errno with a
 * message for people in @err: -ENOENT / -ECONNREFUSED (carehubd not
 * running), -EACCES (not allowed to reach the socket file), ...
 */
int ctlc_connect(const char *path, char *err, size_t errlen);

/* Send @req (not stolen) as one datagram. 0 or -errno. */
int ctlc_send(int fd, const json_t *req, char *err, size_t errlen);

/*
 * Receive one datagram as a JSON object, waiting up to @timeout_ms (-1:
 * forever). The datagram's exact bytes are kept in *@raw when @raw is not
 * NULL (caller frees): what --json prints for monitor events. Returns 0,
 * -ETIMEDOUT, -ECONNRESET (the daemon closed the connection), -EBADMSG (not
 * a JSON object), or -errno.
 */
int ctlc_recv(int fd, json_t **msg, char **raw, int timeout_ms, char *err,
	      size_t errlen);

#endif /* CTLCLIENT_H */
