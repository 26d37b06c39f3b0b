// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transport_log: alarm messages as journal lines. See transport_log.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport_log.h"

void tlog_init(struct tlog *t, FILE *f)
{
	t->f = f;
	t->sent = 0;
}

void tlog_transport(struct tlog *t, struct alarm_transport *tr)
{
	tr->name = "log";
	tr->send = tlog_send;
	tr->ctx = t;
}

int tlog_attach(struct tlog **out, struct alarm *a, FILE *f)
{
	struct alarm_transport tr;
	struct tlog *t;
	int rc;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	tlog_init(t, f);
	tlog_transport(t, &tr);
	rc = alarm_set_transport(a, CONF_TRANSPORT_LOG, &tr);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void tlog_detach(struct tlog *t)
{
	free(t);
}

static int tlog_prio(enum alarm_msg_kind k)
{
	switch (k) {
	case ALARM_MSG_ALARM:
		return 2;
	case ALARM_MSG_RESTORE:
	case ALARM_MSG_CANCEL:
		return 5;
	case ALARM_MSG_TEST:
		return 6;
	}
	return 4;
}

/*
 * key="value" with '"' and '\\' escaped and control bytes (newlines would
 * forge a second journal entry) as \xNN. Bytes >= 0x80 pass: UTF-8 names.
 */
static void tlog_str(FILE *f, const char *key, const char *s)
{
	fprintf(f, " %s=\"", key);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

int tlog_send(void *ctx, const struct alarm_msg *m)
{
	struct tlog *t = ctx;
	FILE *f = t->f ? t->f : stderr;
	char kind[16];
	int i;

	snprintf(kind, sizeof(kind), "%s", alarm_msg_kind_name(m->kind));
	for (i = 0; kind[i]; i++)
		kind[i] = (char)(kind[i] >= 'a' && kind[i] <= 'z' ?
				 kind[i] - 'a' + 'A' : kind[i]);
	clearerr(f);
	fprintf(f, "<%d>%s msg=%llu alarm=%llu code=%u zone=%u repeats=%u"
		" raised=%lld", tlog_prio(m->kind), kind,
		(unsigned long long)m->id, (unsigned long long)m->alarm,
		m->code, m->zone, m->repeats, (long long)m->raised_wall);
	tlog_str(f, "to", m->recipient);
	tlog_str(f, "hub", m->hub);
	tlog_str(f, "resident", m->resident);
	tlog_str(f, "account", m->account);
	tlog_str(f, "rule", m->rule);
	tlog_str(f, "type", m->type);
	tlog_str(f, "sensor", m->sensor);
	tlog_str(f, "label", m->sensor_label);
	tlog_str(f, "text", m->text);
	fputc('\n', f);
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	t->sent++;
	return 1;
}
