/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctlproto: the vocabulary of carehubd's control socket (prefix ctlp_),
 * shared by the daemon (ctl.c) and carehubctl. Full reference:
 * docs/control-protocol.md.
 *
 * One request is one JSON object in one SOCK_SEQPACKET datagram of at most
 * CTLP_REQ_MAX bytes, e.g. {"cmd":"ack","id":12}. The parser is strict on
 * purpose: the socket is reachable by every member of group carehub, and
 * an operator's typo ("lmit") must be an error, not a silently ignored key.
 *
 * One reply is one JSON object in one datagram: {"ok":true, KEY: payload}
 * (KEY from ctlp_reply_key()) or {"ok":false,"error":"...","errno":"EPERM"}.
 * After a successful monitor request the server pushes one event object
 * per datagram until the client closes.
 */
#ifndef CTLPROTO_H
#define CTLPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define CTLP_REQ_MAX		4096	/* bytes in one request datagram */
#define CTLP_ID_MAX		(UINT64_C(1) << 53)	/* exact in a double */
#define CTLP_LIMIT_MAX		1000
#define CTLP_LIMIT_DEFAULT	100

enum ctlp_cmd {
	CTLP_STATUS,	/* the hub at a glance */
	CTLP_SENSORS,	/* configured sensors, state, online rate */
	CTLP_ALARMS,	/* recent alarms, newest first; open, limit */
	CTLP_ACK,	/* a person takes charge of alarm id */
	CTLP_CANCEL,	/* close alarm id (false alarm) */
	CTLP_TEST,	/* send a test report (602) through the chain now */
	CTLP_MONITOR,	/* follow alarm and sensor events */
};
#define CTLP_CMDS	(CTLP_MONITOR + 1)

/* What a command needs from the caller (ctl_authorize()). */
enum ctlp_perm {
	CTLP_PERM_READ,		/* uid 0, group carehub or carehub-operators */
	CTLP_PERM_OPERATE,	/* uid 0 or group carehub-operators */
};

/**
 * struct ctlp_req - a parsed request
 * @cmd: the command
 * @id: ack, cancel: alarm id, 1..CTLP_ID_MAX; 0 otherwise
 * @open: alarms: only alarms not closed (default false: all)
 * @limit: alarms: at most this many, 1..CTLP_LIMIT_MAX (default 100);
 *	0 for other commands
 */
struct ctlp_req {
	enum ctlp_cmd cmd;
	uint64_t id;
	bool open;
	unsigned int limit;
};

/*
 * Parse one request datagram. Returns 0, or -EINVAL (malformed),
 * -EMSGSIZE (longer than CTLP_REQ_MAX) or -EOPNOTSUPP (well-formed but
 * an unknown "cmd": a newer client) with a one-line message in @err.
 * Never reads beyond @len; @buf need not be NUL-terminated.
 */
int ctlp_parse_request(const char *buf, size_t len, struct ctlp_req *out,
		       char *err, size_t errlen);

/* The request as a new JSON object (what carehubctl sends); NULL on ENOMEM. */
json_t *ctlp_request_json(const struct ctlp_req *req);

const char *ctlp_cmd_name(enum ctlp_cmd cmd);
/* "status" -> CTLP_STATUS ...; -1 if unknown. */
int ctlp_cmd_parse(const char *name);
enum ctlp_perm ctlp_cmd_perm(enum ctlp_cmd cmd);
const char *ctlp_perm_name(enum ctlp_perm perm);
/*
 * The member of a successful reply that carries the payload: "status",
 * "sensors", "alarms", "alarm" (ack, cancel, test); NULL for monitor.
 */
const char *ctlp_reply_key(enum ctlp_cmd cmd);

/*
 * {"ok":true} plus @key: @payload when @key is not NULL. Steals the
 * reference to @payload (even on failure). NULL on ENOMEM.
 */
json_t *ctlp_reply_ok(const char *key, json_t *payload);
/*
 * {"ok":false,"error":MESSAGE,"errno":NAME}; @errnum is a positive errno
 * value (EPERM ...), named by ctlp_errno_name(). NULL on ENOMEM.
 */
__attribute__((format(printf, 2, 3)))
json_t *ctlp_reply_err(int errnum, const char *fmt, ...);
/* "EPERM" for EPERM...; "EIO" for a value the protocol does not use. */
const char *ctlp_errno_name(int errnum);

/*
 * Serialise a reply or event for one datagram (compact, UTF-8, no
 * newline). Returns a malloc'ed string and its length in *@len, or NULL.
 */
char *ctlp_dump(const json_t *msg, size_t *len);

#endif /* CTLPROTO_H */
