/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chnl: user-space client of the carehub generic netlink family.
 *
 * The ABI is include/uapi/linux/carehub.h. This library hides libnl: it
 * resolves the family, keeps two sockets (requests; notifications of the
 * "events" group), parses every message strictly, and turns the unreliable
 * notification stream into a reliable one: a sequence gap, an ENOBUFS
 * overrun or a message it cannot parse makes it re-read the state of every
 * sensor (a dump) and hand that to the caller as a "resync". Callers never
 * toggle state on an event: every event and every dump carries complete
 * sensor state, taken as given.
 *
 * There is no global state: everything lives in a struct chnl, and one
 * struct chnl must be used by one thread at a time.
 *
 * Typical reader:
 *
 *	struct chnl *h;
 *	char err[256];
 *
 *	if (chnl_open(&h, NULL, err, sizeof(err)))	// subscribes first
 *		die(err);
 *	if (chnl_sync(h, on_event, ctx))		// then dumps: baseline
 *		die(chnl_errmsg(h));
 *	for (;;) {
 *		poll chnl_fd(h) with the other fds, then:
 *		if (chnl_read(h, on_event, ctx) < 0)
 *			die(chnl_errmsg(h));
 *	}
 *	chnl_close(h);
 *
 * Errors are negative errno values; chnl_errmsg() says what happened in a
 * sentence fit for an operator (the kernel's extended ACK message included).
 * Worth telling apart:
 *	-ENOENT    chnl_open(): the carehub module is not loaded;
 *	           chnl_get(): no sensor has that id
 *	-EPERM     CAP_NET_ADMIN is missing (SENSOR_GET and, where the kernel
 *	           supports it, the "events" group are restricted)
 *	-ENODEV    the family went away (module unloaded) under an open handle
 *	-EPROTO    the kernel sent something this library cannot parse
 */
#ifndef CHNL_H
#define CHNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/linux/carehub.h>

#include "sensor.h"

/* What a message is: the carehub command it carried. */
enum chnl_cmd {
	CHNL_CMD_GET,		/* CAREHUB_CMD_SENSOR_GET reply (dump or do) */
	CHNL_CMD_ADD,		/* CAREHUB_CMD_SENSOR_ADD_NTF */
	CHNL_CMD_DEL,		/* CAREHUB_CMD_SENSOR_DEL_NTF */
	CHNL_CMD_CHANGE,	/* CAREHUB_CMD_SENSOR_CHANGE_NTF */
};

/**
 * struct chnl_sensor - one parsed carehub message: a sensor's full state
 * @cmd: what the message was
 * @id: sensor id (>= 1), stable while the sensor exists
 * @name: configfs / device tree name, NUL-terminated, never empty
 * @label: operator's label, NUL-terminated, may be empty; both strings are
 *	bytes as the kernel has them (normally UTF-8, not guaranteed)
 * @kind: enum carehub_kind; values this library does not know are kept
 *	(sensor_kind_name() returns NULL for them)
 * @state: 1 closed / pressed / occupied, 0 not
 * @faults: CAREHUB_FAULT_* bits (unknown bits kept)
 * @first_edge_ns: CLOCK_BOOTTIME of the first edge of the reported burst
 * @settle_ns: CLOCK_BOOTTIME when the state settled
 * @seq: family-wide notification number; in a GET reply, the number of the
 *	last notification sent before the reply was built
 * @sensor_seq: per-sensor notification number
 * @edges: raw edges seen
 * @glitches: bursts that settled back to the old level
 * @chatter_faults: times the chatter fault was raised
 * @debounce_ms: debounce period
 * @holdoff_max_ms: longest burst before a chatter fault
 * @reason: CAREHUB_REASON_* bits (CHNL_CMD_CHANGE; 0 otherwise)
 */
struct chnl_sensor {
	enum chnl_cmd cmd;
	uint32_t id;
	char name[CAREHUB_NAME_MAX];
	char label[CAREHUB_LABEL_MAX];
	uint32_t kind;
	uint8_t state;
	uint32_t faults;
	uint64_t first_edge_ns;
	uint64_t settle_ns;
	uint64_t seq;
	uint64_t sensor_seq;
	uint64_t edges;
	uint64_t glitches;
	uint64_t chatter_faults;
	uint32_t debounce_ms;
	uint32_t holdoff_max_ms;
	uint32_t reason;
};

/* Why a struct chnl_event of type CHNL_EV_RESYNC was delivered. */
enum chnl_resync_cause {
	CHNL_RESYNC_START,	/* chnl_sync(): the initial state */
	CHNL_RESYNC_GAP,	/* sequence gap: @lost notifications missed */
	CHNL_RESYNC_OVERFLOW,	/* ENOBUFS: receive buffer overran */
	CHNL_RESYNC_INVALID,	/* a notification could not be parsed */
};

enum chnl_event_type {
	CHNL_EV_SENSOR,		/* a notification: add, del or change */
	CHNL_EV_RESYNC,		/* a fresh dump replaces all state */
};

#define CHNL_LOST_UNKNOWN	(-1)

/**
 * struct chnl_event - what the event reader delivers
 * @type: which of the fields below are set
 * @sensor: CHNL_EV_SENSOR: the notification (cmd add / del / change)
 * @cause: CHNL_EV_RESYNC: why
 * @lost: CHNL_EV_RESYNC: notifications missed, or CHNL_LOST_UNKNOWN
 *	(overflow, unparsable message); 0 for CHNL_RESYNC_START
 * @seq: CHNL_EV_RESYNC: family-wide number the dump reflects (0 when there
 *	are no sensors: an empty dump carries no number)
 * @sensors: CHNL_EV_RESYNC: every sensor's state (cmd CHNL_CMD_GET), by id
 * @n_sensors: number of @sensors
 *
 * Everything pointed to is owned by the library and valid only during the
 * callback. On a resync the caller replaces all its sensor state with
 * @sensors: sensors it knew that are missing are gone.
 */
struct chnl_event {
	enum chnl_event_type type;
	const struct chnl_sensor *sensor;
	enum chnl_resync_cause cause;
	int64_t lost;
	uint64_t seq;
	const struct chnl_sensor *sensors;
	size_t n_sensors;
};

/*
 * Called from chnl_sync() / chnl_read() / chnl_wait(). It must not call
 * back into the same struct chnl (except chnl_errmsg() and the name
 * helpers): copy what it needs and act after the call returns.
 */
typedef void (*chnl_event_cb)(const struct chnl_event *ev, void *arg);

/**
 * struct chnl_opts - chnl_open() options; NULL means all defaults
 * @rcvbuf: receive buffer of the events socket in bytes; 0: 1 MiB. Set
 *	with SO_RCVBUFFORCE (CAP_NET_ADMIN), else SO_RCVBUF (capped by
 *	net.core.rmem_max). Small values make overruns easy to provoke.
 * @timeout_ms: how long a request (dump, get) may wait for the kernel;
 *	0: 5000
 * @requests_only: no events socket (for one-shot dump / get): chnl_fd()
 *	is then -1 and chnl_sync(), chnl_read(), chnl_wait() fail with -EINVAL
 */
struct chnl_opts {
	int rcvbuf;
	int timeout_ms;
	bool requests_only;
};

struct chnl;

/*
 * chnl_open() - resolve the family, subscribe to "events", open the request
 * socket. Subscribing comes first, so that a chnl_sync() after it misses
 * nothing. On failure *hp is NULL, the error is returned and @err (may be
 * NULL) holds a message such as "carehub module not loaded (genl family
 * 'carehub' not found)".
 */
int chnl_open(struct chnl **hp, const struct chnl_opts *opts,
	      char *err, size_t errlen);
/* Close both sockets and free everything; NULL is fine. */
void chnl_close(struct chnl *h);

/* The last error's message; "" if none. Valid until the next call. */
const char *chnl_errmsg(const struct chnl *h);

/*
 * chnl_dump() - read every sensor's state (SENSOR_GET, NLM_F_DUMP) and call
 * @cb for each, in id order. A non-zero return of @cb stops the walk and is
 * returned. Does not touch the event stream (see chnl_sync()).
 * Return: 0, @cb's non-zero value, or a negative errno.
 */
int chnl_dump(struct chnl *h,
	      int (*cb)(const struct chnl_sensor *s, void *arg), void *arg);

/*
 * chnl_dump_array() - the same into @arr of @cap entries. *@n is set to the
 * number of sensors, which may exceed @cap: then the first @cap are stored
 * and -ENOSPC is returned.
 */
int chnl_dump_array(struct chnl *h, struct chnl_sensor *arr, size_t cap,
		    size_t *n);

/* One sensor by id (SENSOR_GET): 0, -ENOENT if there is none, -errno. */
int chnl_get(struct chnl *h, uint32_t id, struct chnl_sensor *out);

/*
 * chnl_sync() - dump and make the dump the baseline of the event stream:
 * queued notifications already reflected in it are dropped later, and the
 * next one expected is the one after it. Delivers one CHNL_EV_RESYNC with
 * cause CHNL_RESYNC_START. Call once after chnl_open(); the reader calls
 * the same on its own after a gap.
 */
int chnl_sync(struct chnl *h, chnl_event_cb cb, void *arg);

/*
 * The events socket, non-blocking, for poll/epoll (POLLIN). Level
 * triggered: call chnl_read() while it is readable.
 */
int chnl_fd(const struct chnl *h);

/*
 * chnl_read() - handle what is queued on the events socket, without
 * blocking: deliver notifications, drop duplicates, and on a gap, overrun
 * or unparsable message re-dump and deliver a CHNL_EV_RESYNC. Handles at
 * most 64 datagrams per call so one busy family cannot starve the caller's
 * other fds; call again while chnl_fd() is readable.
 * Return: events delivered (>= 0) or a negative errno; -ENODEV once the
 * family is unregistered (module unloaded): close and reopen.
 */
int chnl_read(struct chnl *h, chnl_event_cb cb, void *arg);

/*
 * chnl_wait() - wait up to @timeout_ms (-1: forever) for the events socket,
 * then chnl_read(). Return: events delivered, 0 on timeout, -EINTR if a
 * signal interrupted the wait, or a negative errno.
 */
int chnl_wait(struct chnl *h, int timeout_ms, chnl_event_cb cb, void *arg);

/*
 * chnl_parse() - parse one carehub message (netlink header, generic
 * netlink header, attributes) from @buf, which holds @len bytes starting
 * with the netlink header, 4-byte aligned like any netlink receive buffer.
 * Bytes after the message's nlmsg_len are ignored. Every attribute the
 * kernel always sends is required (CAREHUB_A_REASON for CHANGE only), with
 * exact lengths; strings must be NUL-terminated within CAREHUB_NAME_MAX /
 * CAREHUB_LABEL_MAX; duplicated attributes are rejected; unknown attribute
 * types are ignored (newer kernels may add some). The family id is not
 * checked (the caller knows it).
 * Return: 0; -EOPNOTSUPP for a command other than the four known ones;
 * -EINVAL for anything malformed, explained in @err (may be NULL).
 */
int chnl_parse(const void *buf, size_t len, struct chnl_sensor *out,
	       char *err, size_t errlen);
/*
 * The family-wide SEQ of a message whose command chnl_parse() does not
 * know (a newer kernel's notification); false if it carries none.
 */
struct nlmsghdr;
bool chnl_peek_seq(const struct nlmsghdr *nlh, uint64_t *seq);

/*
 * The pipeline's value for a parsed message (present unless @m is a DEL).
 * Kind, state and fault names: sensor.h.
 */
void chnl_sensor_value(const struct chnl_sensor *m, struct sensor *out);
/* Name of one CAREHUB_REASON_* bit: "state", "fault", "resync"; or NULL. */
const char *chnl_reason_name(uint32_t bit);
/* "get", "add", "del", "change". */
const char *chnl_cmd_name(enum chnl_cmd cmd);
/* "start", "gap", "overflow", "invalid". */
const char *chnl_resync_cause_name(enum chnl_resync_cause cause);

#endif /* CHNL_H */
