// SPDX-License-Identifier: GPL-2.0
/* hrtimer_setup() replaces hrtimer_init() + .function (6.13). */
#include <linux/hrtimer.h>

void carehub_probe(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *));
void carehub_probe(struct hrtimer *t, enum hrtimer_restart (*fn)(struct hrtimer *))
{
	hrtimer_setup(t, fn, CLOCK_BOOTTIME, HRTIMER_MODE_ABS);
}
