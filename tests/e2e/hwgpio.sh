#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# carehubd's hub controls (daemon/hwgpio.c over libgpiod 1.6) on a real
# GPIO character device, inside a QEMU guest:
#
#   tests/e2e/hwgpio.sh --build        # on the host: build/e2e/hwgpio_probe
#   tests/vm/run --kernel 6.12 -- tests/e2e/hwgpio.sh
#
# Makes a gpio-sim chip with four named lines (HUB_SOS, HUB_CANCEL,
# HUB_BUZZER, HUB_LED; names only, never numbers, as carehubd finds them)
# and runs tests/e2e/hwgpio_probe.c on it: lines found by name, a bouncing
# press reported exactly once, hold / release / glitch not reported, the
# buzzer and LED visible in gpio-sim's `value`, busy lines and an unknown
# name refused with a message naming the line, outputs off and lines
# released on close. If the probe is missing or older than its sources it
# is built first (in the guest that costs ~20 s under TCG).
# Output: TAP lines, then "N passed, N failed"; exit 1 if any failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
probe=${HWGPIO_PROBE:-$top/build/e2e/hwgpio_probe}
srcs=("$top/tests/e2e/hwgpio_probe.c" "$top/daemon/hwgpio.c" "$top/daemon/hwgpio_v1.c")
hdrs=("$top/daemon/hwgpio.h" "$top/daemon/hwgpio_backend.h" "$top/daemon/conf.h")
sim=/sys/kernel/config/gpio-sim/chhwgpio

build() {
	mkdir -p "$(dirname "$probe")" &&
		cc -std=c11 -Wall -Wextra -Werror -O1 -g -o "$probe" "${srcs[@]}" \
			$(pkg-config --cflags --libs libgpiod)
}
stale() {
	local f
	[ -x "$probe" ] || return 0
	for f in "${srcs[@]}" "${hdrs[@]}"; do
		[ "$f" -nt "$probe" ] && return 0
	done
	return 1
}
bail() { # "not ok" too: the suite counts TAP lines
	echo "not ok - Bail out! $*"
	echo "0 passed, 1 failed"
	exit 1
}

if [ "${1:-}" = --build ]; then
	build
	exit
fi
if stale; then
	echo "# building $probe"
	build || bail "cannot build $probe"
fi
[ "$(id -u)" = 0 ] || bail "must run as root (inside tests/vm/run)"
[ -d /sys/kernel/config/gpio-sim ] || bail "no gpio-sim (configfs) in this kernel"

cleanup() {
	if [ -d "$sim" ]; then
		echo 0 >"$sim/live"
		rmdir "$sim"/bank0/line* "$sim/bank0" "$sim"
	fi 2>/dev/null
}
trap cleanup EXIT

mkdir "$sim" "$sim/bank0" || bail "gpio-sim configfs"
echo 4 >"$sim/bank0/num_lines"
i=0
for name in HUB_SOS HUB_CANCEL HUB_BUZZER HUB_LED; do
	mkdir "$sim/bank0/line$i" && echo "$name" >"$sim/bank0/line$i/name" ||
		bail "gpio-sim line $i"
	i=$((i + 1))
done
echo 1 >"$sim/live" || bail "gpio-sim live"
# Labels differ between kernels (gpio-sim.0-node0 / gpio-sim.0:node0):
# read them from configfs.
simdir=/sys/devices/platform/$(cat "$sim/dev_name")/$(cat "$sim/bank0/chip_name")
[ -d "$simdir/sim_gpio0" ] || bail "no $simdir/sim_gpio0"
echo "# kernel $(uname -r), chip $(cat "$sim/bank0/chip_name") ($simdir)"

"$probe" "$simdir"
