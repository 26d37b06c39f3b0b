#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the arm64 guest (tests/arm64/run --dtb <tests/arm64/pi-dtb> -- ...),
# busybox sh: the Pi overlay's sensors probed from device tree.
#   1. carehub loaded before its GPIO provider: every sensor's probe is
#      deferred (waiting for the gpio-sim bank), none is half-bound (no IIO
#      device, nothing on netlink);
#   2. gpio-sim loaded: all three bind, nothing stays deferred; a node
#      outside the binding fails its probe with -EINVAL, named, and leaves
#      nothing behind;
#   3. carehub_dt_test (static): bound from their nodes, bounce train,
#      glitch, chatter, dump, unload/reload through these sensors.
# TAP lines; the C test prints its own.
set -u
n=0 failed=0
result() { # result STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
deferred() { grep -c carehub /sys/kernel/debug/devices_deferred 2>/dev/null || :; }
bound() { ls -d /sys/bus/platform/drivers/carehub-contact/carehub-* 2>/dev/null | wc -l; }
wait_for() { # wait_for SECONDS CMD...
	t=$(($1 * 10)); shift
	while [ $t -gt 0 ]; do "$@" && return 0; sleep 0.1; t=$((t - 1)); done
	return 1
}

insmod /m/configfs.ko && mount -t configfs none /sys/kernel/config &&
	insmod /m/industrialio.ko && insmod /m/kfifo_buf.ko
result $? "stock modules load (configfs, industrialio, kfifo_buf)"
insmod /m/carehub.ko
result $? "carehub.ko loads before its GPIO provider"
# Four: fw_devlink defers the node outside the binding too, before its
# probe can refuse it.
wait_for 10 sh -c '[ "$(grep -c carehub /sys/kernel/debug/devices_deferred)" = 4 ]'
result $? "all sensors deferred: $(grep carehub /sys/kernel/debug/devices_deferred | cut -f1 | tr '\n' ' ')"
[ "$(bound)" = 0 ] && ! grep -qs carehub /sys/bus/iio/devices/*/name
result $? "none half-bound while deferred (no driver binding, no IIO device)"
insmod /m/gpio-sim.ko
result $? "gpio-sim loads (its bank is the overlay's &gpio)"
wait_for 10 sh -c '[ "$(ls -d /sys/bus/platform/drivers/carehub-contact/carehub-* 2>/dev/null | wc -l)" = 3 ]'
result $? "all three sensors bind once the provider is there ($(bound) bound)"
[ "$(deferred)" = 0 ]
result $? "nothing of carehub stays deferred"
# The node outside the binding: refused at probe with -EINVAL and a message
# naming it; not bound, not deferred, no IIO device.
line=$(dmesg | grep "carehub-bad-debounce" | grep -e "-EINVAL" -e "error -22" | head -n 1)
[ -n "$line" ]
result $? "a node outside the binding fails its probe with -EINVAL, named: ${line#*] }"
[ ! -e /sys/bus/platform/drivers/carehub-contact/carehub-bad-debounce ] &&
	! grep -qs bad-debounce /sys/bus/iio/devices/*/label
result $? "nothing of the refused node is bound or visible in IIO"

echo "$((n - failed)) passed, $failed failed"
# Its TAP lines are counted by tests/run-all like these; a crash without
# a "not ok" line shows in the exit status.
CAREHUB_KO=/m/carehub.ko ./carehub_dt_test
rc=$?
[ "$failed" = 0 ] && exit $rc
exit 1
