#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the arm64 guest (tests/arm64/run, QEMU's own device tree: no sensor is
# declared in it), busybox sh: the configfs kselftests (carehub_test,
# linked statically) on Debian's arm64 kernel. Kept out of the DT boot:
# they count every sensor the kernel has, and DT-declared ones are not
# theirs.
set -u
insmod /m/configfs.ko && mount -t configfs none /sys/kernel/config &&
	insmod /m/industrialio.ko && insmod /m/kfifo_buf.ko && insmod /m/gpio-sim.ko || {
	echo "not ok 1 - Bail out! loading configfs, industrialio, kfifo_buf, gpio-sim"
	exit 1
}
CAREHUB_KO=/m/carehub.ko ./carehub_test
