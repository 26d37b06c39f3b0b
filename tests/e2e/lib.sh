# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the end-to-end scripts that run inside a QEMU guest
# (tests/vm/run): TAP bookkeeping, a gpio-sim chip with named lines, and
# carehub sensors declared through configfs. Source it; it needs $work.

n=0 pass=0 failed=0
result() { # result RC DESCRIPTION [FILE-TO-SHOW-ON-FAILURE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
		pass=$((pass + 1))
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 30 "$3" | sed 's/^/#   /'
	fi
}
check() { # check DESCRIPTION CMD...
	local d=$1
	shift
	"$@"
	result $? "$d"
}
finish() {
	echo "$pass passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}
bail() { # a "not ok" line too, so that a count of TAP lines sees it
	n=$((n + 1))
	echo "not ok $n - Bail out! $*"
	failed=$((failed + 1))
	finish
}
# wait_for SECONDS CMD...: until CMD succeeds
wait_for() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

sim_cfs=/sys/kernel/config/gpio-sim
carehub_cfs=/sys/kernel/config/carehub

# sim_chip NAME LINE-NAME...: a simulated chip whose lines are named
sim_chip() {
	local chip=$1 i=0 l
	shift
	mkdir "$sim_cfs/$chip" "$sim_cfs/$chip/bank0" || return 1
	echo $# >"$sim_cfs/$chip/bank0/num_lines"
	for l in "$@"; do
		mkdir "$sim_cfs/$chip/bank0/line$i" &&
			echo "$l" >"$sim_cfs/$chip/bank0/line$i/name" || return 1
		i=$((i + 1))
	done
	echo 1 >"$sim_cfs/$chip/live"
}
sim_chip_remove() {
	local chip=$1 d
	[ -d "$sim_cfs/$chip" ] || return 0
	echo 0 >"$sim_cfs/$chip/live"
	for d in "$sim_cfs/$chip"/bank0/line*; do rmdir "$d"; done
	rmdir "$sim_cfs/$chip/bank0" "$sim_cfs/$chip"
} 2>/dev/null
# sim_line CHIP OFFSET: the sysfs directory of one simulated line
sim_line() {
	echo "/sys/devices/platform/$(cat "$sim_cfs/$1/dev_name")/$(cat "$sim_cfs/$1/bank0/chip_name")/sim_gpio$2"
}
# sim_pull CHIP OFFSET up|down
sim_pull() { echo "pull-$3" >"$(sim_line "$1" "$2")/pull"; }
# sim_value CHIP OFFSET: what the line is driven to (outputs)
sim_value() { cat "$(sim_line "$1" "$2")/value"; }

# sensor_add NAME KIND LINE-NAME [DEBOUNCE-MS]
sensor_add() {
	mkdir "$carehub_cfs/$1" &&
		echo "$2" >"$carehub_cfs/$1/kind" &&
		echo "$3" >"$carehub_cfs/$1/gpio_line" &&
		{ [ -z "${4:-}" ] || echo "$4" >"$carehub_cfs/$1/debounce_ms"; } &&
		echo 1 >"$carehub_cfs/$1/live"
}
sensor_remove_all() {
	local s
	for s in "$carehub_cfs"/*/; do
		[ -d "$s" ] || continue
		echo 0 >"$s/live"
		rmdir "$s"
	done
} 2>/dev/null
