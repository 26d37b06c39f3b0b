// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * carehubctl: the operator's view of carehub.
 *
 * Most commands ask carehubd over its control socket (carehubctl_daemon.c).
 * With --kernel, `sensors` and `monitor` talk to the kernel module directly
 * over generic netlink (carehubctl_kernel.c): that works without the
 * daemon, e.g. while wiring sensors, and shows the kernel's raw counters.
 * This file: the command line and the helpers the others share.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* signalfd, localtime_r, wcwidth */
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "carehubctl.h"
#include "chnl.h"
#include "jsonw.h"
#include "utf8.h"

#ifndef CAREHUB_VERSION
#define CAREHUB_VERSION "0"
#endif

/* ---- small helpers ---- */

void carehubctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("carehubctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int carehubctl_usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("carehubctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'carehubctl --help'.\n", stderr);
	return EXIT_USAGE;
}

int carehubctl_safe(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0, len;
	int width = 0;

	while (i < n) {
		len = utf8_char_len(s + i, n - i);
		if (len == 1 && s[i] >= 0x20 && s[i] != 0x7f && s[i] != '\\') {
			if (f)
				fputc(s[i], f);
			width++;
		} else if (len > 1 && !(len == 2 && s[i] == 0xc2 &&
					s[i + 1] < 0xa0)) {
			uint32_t cp = s[i] & (0xff >> (len + 1));
			size_t k;
			int w;

			for (k = 1; k < len; k++)
				cp = (cp << 6) | (s[i + k] & 0x3f);
			w = wcwidth((wchar_t)cp);
			if (f)
				fwrite(s + i, 1, len, f);
			width += w < 0 ? 1 : w;
		} else {
			if (!len)
				len = 1;
			for (size_t k = 0; k < len; k++) {
				if (f) {
					if (s[i + k] == '\\')
						fputs("\\\\", f);
					else
						fprintf(f, "\\x%02x", s[i + k]);
				}
				width += s[i + k] == '\\' ? 2 : 4;
			}
		}
		i += len;
	}
	return width;
}

void carehubctl_pad(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* wcwidth() needs a UTF-8 LC_CTYPE; output bytes are not affected. */
static void carehubctl_locale(void)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	if (!cs || strcmp(cs, "UTF-8"))
		setlocale(LC_CTYPE, "C.UTF-8");
}

int carehubctl_parse_secs(const char *s, double *secs)
{
	char *end;

	errno = 0;
	*secs = strtod(s, &end);
	return errno || end == s || *end || !isfinite(*secs) || *secs <= 0 ||
	       *secs > 1e7 ? -1 : 0;
}

int carehubctl_parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/* ---- main ---- */

const char *carehubctl_socket = CAREHUBCTL_SOCKET;

struct carehubctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv, bool json);
};

/* carehubctl --kernel COMMAND: straight to carehub.ko. */
static const struct carehubctl_cmd carehubctl_kernel_cmds[] = {
	{ "sensors", carehubctl_k_sensors },
	{ "monitor", carehubctl_k_monitor },
};

/* carehubctl COMMAND: asked of carehubd over its control socket. */
static const struct carehubctl_cmd carehubctl_cmds[] = {
	{ "status", carehubctl_d_status },
	{ "sensors", carehubctl_d_sensors },
	{ "alarms", carehubctl_d_alarms },
	{ "ack", carehubctl_d_ack },
	{ "cancel", carehubctl_d_cancel },
	{ "test", carehubctl_d_test },
	{ "monitor", carehubctl_d_monitor },
};

static const struct carehubctl_cmd *
carehubctl_find(const struct carehubctl_cmd *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, t[i].name))
			return &t[i];
	return NULL;
}

#define CAREHUBCTL_N(a)	(sizeof(a) / sizeof((a)[0]))

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "kernel", no_argument, NULL, 'k' },
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const struct carehubctl_cmd *cmd;
	const char *env = getenv("CAREHUB_SOCKET");
	bool json = false, kernel = false;
	int c;

	carehubctl_locale();
	if (env && *env)
		carehubctl_socket = env;
	while ((c = getopt_long(argc, argv, "+jkS:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'k':
			kernel = true;
			break;
		case 'S':
			if (!*optarg)
				return carehubctl_usage_err("--socket: empty path");
			carehubctl_socket = optarg;
			break;
		case 'h':
			fputs(carehubctl_usage, stdout);
			return fflush(stdout) ? 1 : 0;
		case 'V':
			printf("carehubctl %s (carehub genl ABI v%d)\n",
			       CAREHUB_VERSION, CAREHUB_GENL_VERSION);
			return fflush(stdout) ? 1 : 0;
		default:
			return carehubctl_usage_err("bad option");
		}
	}
	if (optind >= argc)
		return carehubctl_usage_err("no command given");

	if (kernel) {
		cmd = carehubctl_find(carehubctl_kernel_cmds,
				      CAREHUBCTL_N(carehubctl_kernel_cmds),
				      argv[optind]);
		if (!cmd && carehubctl_find(carehubctl_cmds,
					    CAREHUBCTL_N(carehubctl_cmds),
					    argv[optind]))
			return carehubctl_usage_err(
				"'%s' is answered by carehubd: drop --kernel",
				argv[optind]);
	} else {
		cmd = carehubctl_find(carehubctl_cmds,
				      CAREHUBCTL_N(carehubctl_cmds), argv[optind]);
	}
	if (!cmd)
		return carehubctl_usage_err("unknown command '%s'",
					    argv[optind]);
	/* The command parses its own options from here. */
	argc -= optind;
	argv += optind;
	optind = 0;
	return cmd->run(argc, argv, json);
}
