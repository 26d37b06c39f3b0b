/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nlwatch: notice generic netlink families coming and going (prefix nlw_).
 *
 * carehubd must follow the carehub module being loaded, unloaded and
 * reloaded without polling: the generic netlink controller ("nlctrl")
 * multicasts CTRL_CMD_NEWFAMILY / CTRL_CMD_DELFAMILY to its "notify"
 * group, which anyone may join. nlwatch joins it and reports the families
 * named by the caller.
 */
#ifndef NLWATCH_H
#define NLWATCH_H

#include <stdbool.h>
#include <stddef.h>

struct nlw;

/* @added: true for a new family, false for one removed. */
typedef void (*nlw_cb)(void *arg, const char *family, bool added);

/* Return 0 or -errno with a message in @err. */
int nlw_open(struct nlw **out, nlw_cb cb, void *arg, char *err,
	     size_t errlen);
void nlw_close(struct nlw *w);
/* Non-blocking socket for poll (POLLIN). */
int nlw_fd(const struct nlw *w);
/* Handle what is queued; 0 or -errno. An overrun is reported as -ENOBUFS:
 * the caller should then check the family itself. */
int nlw_read(struct nlw *w);

#endif /* NLWATCH_H */
