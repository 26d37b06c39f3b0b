/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * carehubctl: what its files share (prefix carehubctl_).
 *
 *   carehubctl.c         main, option parsing, the kernel-direct commands
 *                        (--kernel sensors / monitor over generic netlink)
 *   carehubctl_daemon.c  the commands answered by carehubd over its
 *                        control socket (ctlclient.c does the I/O)
 *   carehubctl_help.c    the --help text
 */
#ifndef CAREHUBCTL_H
#define CAREHUBCTL_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#define EXIT_USAGE	2
#define EXIT_REFUSED	3	/* the daemon said no (or the socket did) */

#define CAREHUBCTL_SOCKET	"/run/carehub/carehubd.sock"

extern const char carehubctl_usage[];

/* --socket, else $CAREHUB_SOCKET, else CAREHUBCTL_SOCKET. */
extern const char *carehubctl_socket;

__attribute__((format(printf, 1, 2)))
void carehubctl_err(const char *fmt, ...);
/* Prints the message and a hint; returns EXIT_USAGE. */
__attribute__((format(printf, 1, 2)))
int carehubctl_usage_err(const char *fmt, ...);
/*
 * Untrusted text to a terminal: control characters and invalid UTF-8 as
 * \xNN. Returns the display width; prints only when @f is not NULL.
 */
int carehubctl_safe(FILE *f, const char *str);
void carehubctl_pad(FILE *f, int n);
/* A decimal number without sign; 0 or -1. */
int carehubctl_parse_ulong(const char *s, unsigned long *v);
/* Seconds for --timeout, (0, 1e7]; 0 or -1. */
int carehubctl_parse_secs(const char *s, double *secs);

/* ---- carehubctl_daemon.c: shared by the daemon commands ---- */
struct ctlp_req;

/* Options of the daemon commands; which ones a command takes: _O_ bits. */
struct carehubctl_opts {
	bool json, open;
	unsigned long limit, count;
	double timeout;
};
#define CAREHUBCTL_O_OPEN	0x1
#define CAREHUBCTL_O_LIMIT	0x2
#define CAREHUBCTL_O_COUNT	0x4
#define CAREHUBCTL_O_TIMEOUT	0x8

/* --json, --help and the allowed options: -1 to go on, else exit status. */
int carehubctl_getopt(int argc, char **argv, const char *cmd,
		      unsigned int allow, struct carehubctl_opts *o);
/*
 * Ask @req; on success *@reply is the daemon's {"ok":true,...} and, when
 * @fdp is not NULL, the connection stays open in *@fdp. Otherwise the
 * reason is printed and the exit status returned (1, or EXIT_REFUSED).
 */
int carehubctl_call(const struct ctlp_req *req, bool json, json_t **reply,
		    int *fdp);
/* A JSON value as text for people (malloc'ed); null, missing, [] -> "-". */
char *carehubctl_cell(const json_t *v);
/* An ISO 8601 time as "YYYY-MM-DD HH:MM:SS" (malloc'ed). */
char *carehubctl_when(const json_t *v);
/* fflush(stdout); 0, or 1 with a message. */
int carehubctl_flush(void);

/* --kernel commands, straight from the module (carehubctl_kernel.c). */
int carehubctl_k_sensors(int argc, char **argv, bool json);
int carehubctl_k_monitor(int argc, char **argv, bool json);

/* Commands answered by carehubd (argv[0] is the command name). */
int carehubctl_d_status(int argc, char **argv, bool json);
int carehubctl_d_sensors(int argc, char **argv, bool json);
int carehubctl_d_alarms(int argc, char **argv, bool json);
int carehubctl_d_ack(int argc, char **argv, bool json);
int carehubctl_d_cancel(int argc, char **argv, bool json);
int carehubctl_d_test(int argc, char **argv, bool json);
int carehubctl_d_monitor(int argc, char **argv, bool json);

#endif /* CAREHUBCTL_H */
