/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transport_log: the "log" transport (prefix tlog_). Every message is one
 * line on stderr - the journal under systemd - with the sd-daemon(3)
 * priority prefix: "<2>" (crit) for an alarm, "<5>" (notice) for restore
 * and cancel, "<6>" (info) for a test. Delivery is immediate (send
 * returns 1) unless the write fails. Free text from the configuration or
 * the store is escaped so that one message is always one line.
 */
#ifndef TRANSPORT_LOG_H
#define TRANSPORT_LOG_H

#include <stdio.h>

#include "alarm.h"

struct tlog {
	FILE *f;
	unsigned long sent;
};

/* @f: where lines go; NULL = stderr. */
void tlog_init(struct tlog *t, FILE *f);
/* Fill @tr to register with alarm_set_transport(CONF_TRANSPORT_LOG). */
void tlog_transport(struct tlog *t, struct alarm_transport *tr);
/*
 * Allocate a log transport writing to @f (NULL = stderr) and register it
 * with @a for CONF_TRANSPORT_LOG. 0 or -errno. tlog_detach(NULL) is a no-op;
 * detach after alarm_close() (or before any further alarm_advance()).
 */
int tlog_attach(struct tlog **out, struct alarm *a, FILE *f);
void tlog_detach(struct tlog *t);
/* The send() of the transport. */
int tlog_send(void *ctx, const struct alarm_msg *m);

#endif /* TRANSPORT_LOG_H */
