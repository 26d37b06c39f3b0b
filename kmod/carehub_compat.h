/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, absorbed in one place. compat.h is generated at
 * build time by kmod/compat/probe.sh from the probes in kmod/compat/.
 */
#ifndef _CAREHUB_COMPAT_H
#define _CAREHUB_COMPAT_H

#include <linux/hrtimer.h>
#include <net/genetlink.h>

#include "compat.h"

#if CAREHUB_HAVE_IIO_EVENT_CONFIG_BOOL
#define CAREHUB_IIO_EVENT_STATE_T bool
#else
#define CAREHUB_IIO_EVENT_STATE_T int
#endif

static inline struct nlattr **
carehub_dumpit_attrs(struct netlink_callback *cb)
{
#if CAREHUB_HAVE_GENL_DUMPIT_INFO_INFO
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

static inline void
carehub_hrtimer_setup(struct hrtimer *t,
		      enum hrtimer_restart (*fn)(struct hrtimer *),
		      clockid_t clock, enum hrtimer_mode mode)
{
#if CAREHUB_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, clock, mode);
#else
	hrtimer_init(t, clock, mode);
	t->function = fn;
#endif
}

#endif /* _CAREHUB_COMPAT_H */
