#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# carehubctl against the real carehub.ko, inside a QEMU guest:
#
#   make modules && make -C daemon
#   tests/vm/run [--kernel 6.1|6.12|debug] -- tests/e2e/carehubctl.sh
#
# A door sensor on a gpio-sim line (found by its line name), toggled with
# the simulator's pull (carehubctl --kernel: straight from the module, no
# carehubd). Checks that `carehubctl --json monitor` sees the add
# and change events with the right states, that `carehubctl --json sensors`
# agrees with the last event, the human output, --count / --timeout /
# SIGINT / SIGTERM, that an overrun (tiny receive buffer, reader stopped)
# ends in a resync with the true state, that a caller without
# CAP_NET_ADMIN is told so, and that unloading the module ends a monitor
# with an error instead of silence.
# Output: TAP lines, then "N passed, N failed"; exit 1 if any failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${CARECTL:-$top/daemon/carehubctl}
kver=${CAREHUB_KVER:-$(uname -r)}
ko=$top/build/kmod/$kver/carehub.ko
work=$(mktemp -d /tmp/carehubctl-e2e.XXXXXX)
sim=/sys/kernel/config/gpio-sim/chctl
cfs=/sys/kernel/config/carehub
line=chctl-door

. "$top/tests/e2e/lib.sh"	# result, check, finish, bail

# Wait up to $2 seconds for file $1 to have at least $3 lines.
wait_lines() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$3" ] && return 0
		sleep 0.1
	done
	return 1
}
# The n-th (1-based) line of a file.
nth() { sed -n "${2}p" "$1"; }
# jq -e on one JSON line: jqline LINE FILTER
jqline() { printf '%s\n' "$1" | jq -e "$2" >/dev/null; }

pull() { echo "pull-$1" >"/sys/devices/platform/$simdev/$simchip/sim_gpio0/pull"; }
# Let the 20 ms debounce settle (TCG guests are slow; be generous).
settle() { sleep 0.3; }

cleanup() {
	[ -d "$cfs/door1" ] && { echo 0 >"$cfs/door1/live"; rmdir "$cfs/door1"; }
	lsmod | grep -q '^carehub ' && rmmod carehub
	if [ -d "$sim" ]; then
		echo 0 >"$sim/live"
		rmdir "$sim/bank0/line0" "$sim/bank0" "$sim"
	fi 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

command -v jq >/dev/null || bail "jq not installed"
[ -x "$ctl" ] || bail "$ctl not built (make -C daemon)"
[ -f "$ko" ] || bail "$ko not built (make modules)"
[ "$(id -u)" = 0 ] || bail "must run as root (inside tests/vm/run)"
echo "TAP version 13"

# ---- before the module ----
"$ctl" --kernel sensors >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -qx "carehubctl: carehub module not loaded (genl family 'carehub' not found)" "$work/err"
result $? "sensors without the module: exit 1 (got $rc) and says so" "$work/err"

"$ctl" --frobnicate >/dev/null 2>&1
check "bad option: exit 2" test $? = 2
"$ctl" --kernel monitor --count x >/dev/null 2>&1
check "bad --count: exit 2" test $? = 2
"$ctl" --help | grep -q "^Exit status:"
check "--help has an exit status section" test $? = 0
"$ctl" --version | grep -q "^carehubctl "
check "--version" test $? = 0

# ---- setup: module, simulated chip, monitor ----
insmod "$ko" || bail "insmod $ko"
mkdir "$sim" "$sim/bank0" "$sim/bank0/line0" || bail "gpio-sim configfs"
echo 2 >"$sim/bank0/num_lines"
echo "$line" >"$sim/bank0/line0/name"
echo 1 >"$sim/live" || bail "gpio-sim live"
simdev=$(cat "$sim/dev_name")
simchip=$(cat "$sim/bank0/chip_name")
pull down

"$ctl" --kernel --json sensors >"$work/empty" 2>"$work/err"
rc=$?
[ $rc = 0 ] && [ "$(cat "$work/empty")" = "[]" ]
result $? "sensors with no sensor: [] (exit $rc)" "$work/err"
"$ctl" --kernel sensors >"$work/empty" 2>&1
check "human sensors with no sensor says so" grep -q "(no sensors)" "$work/empty"

mon=$work/mon.json
"$ctl" --kernel --json monitor --state --count 3 --timeout 60 >"$mon" 2>"$work/mon.err" &
monpid=$!
wait_lines "$mon" 30 1 || bail "monitor did not start"
first=$(nth "$mon" 1)
jqline "$first" '.event == "resync" and .cause == "start" and .lost == 0 and .sensors == 0'
result $? "--state starts with a resync line: $first"

mkdir "$cfs/door1" || bail "mkdir $cfs/door1"
echo door >"$cfs/door1/kind"
# The kernel refuses control characters in a label (an ESC would reach
# an operator's terminal): EINVAL. carehubctl's escaping of control bytes
# is tested on its own (tests/unit/test_jsonw.c).
! printf 'bad\x1b[31m' 2>/dev/null >"$cfs/door1/label"
result $? "a label with a control character (ESC) is refused by the kernel"
# One word (configfs wants that), with a quote, a backslash, UTF-8.
printf 'Front-door"main"\\\xe5\x89\x8d\xe9\x97\xa8' >"$cfs/door1/label" ||
	bail "label"
echo "$line" >"$cfs/door1/gpio_line"
echo 1 >"$cfs/door1/live" || bail "door1 live"
settle
pull up
settle
pull down
settle
wait "$monpid"
rc=$?
result $rc "monitor --count 3 exits 0 by itself (got $rc)" "$work/mon.err"
check "monitor printed 4 lines (start + 3 events)" test "$(wc -l <"$mon")" = 4
jq -e -s 'length == 4 and all(type == "object")' "$mon" >/dev/null
result $? "every monitor line is one JSON object" "$mon"

add=$(nth "$mon" 2) ch1=$(nth "$mon" 3) ch2=$(nth "$mon" 4)
jqline "$add" '.event == "add" and .name == "door1" and .kind == "door" and .state == 0 and .state_name == "open" and .faults == [] and (has("reason") | not) and .sensor_seq == 1 and .debounce_ms == 20'
result $? "add event, door open: $add"
jqline "$add" '.label == "Front-door\"main\"\\前门"'
result $? "label with quote, backslash and UTF-8 survives JSON"
grep -qF '\\前门' "$mon"
result $? "UTF-8 passes through unescaped"
jqline "$ch1" '.event == "change" and .name == "door1" and .state == 1 and .state_name == "closed" and .reason == ["state"] and .sensor_seq == 2 and .edges >= 1 and .settle_ns >= .first_edge_ns'
result $? "change event, door closed: $ch1"
jqline "$ch2" '.event == "change" and .state == 0 and .state_name == "open" and .sensor_seq == 3'
result $? "change event, door open again: $ch2"
s1=$(jq -r .seq <<<"$add") s2=$(jq -r .seq <<<"$ch1") s3=$(jq -r .seq <<<"$ch2")
check "family seq consecutive ($s1 $s2 $s3)" test $((s2 - s1)) = 1 -a $((s3 - s2)) = 1
id=$(jq -r .id <<<"$add")
check "sysfs sensor_id matches ($id)" grep -qx "$id" /sys/bus/platform/devices/"$(cat "$cfs/door1/dev_name")"/iio:device*/sensor_id

# ---- sensors agrees with the last event ----
"$ctl" --kernel --json sensors >"$work/sensors.json" 2>"$work/err"
rc=$?
result $rc "sensors --json exit 0" "$work/err"
jq -e --argjson last "$ch2" 'length == 1 and (.[0] | .id == $last.id and .name == "door1" and .kind == "door" and .state == 0 and .state_name == "open" and .sensor_seq == $last.sensor_seq and .seq == $last.seq and .edges == $last.edges and .settle_ns == $last.settle_ns and (has("event") | not))' "$work/sensors.json" >/dev/null
result $? "sensors --json matches the last event" "$work/sensors.json"
"$ctl" --kernel sensors >"$work/sensors.txt" 2>&1
# Labels reach the terminal with control bytes and backslashes escaped.
label_h='Front-door"main"\\前门'
grep -Eq "^ *ID +NAME +KIND +STATE +FAULTS +SINCE +LABEL$" "$work/sensors.txt" &&
	grep -Eq "^ *$id +door1 +door +open +- +[0-9.]+[smhd][0-9]* +" "$work/sensors.txt" &&
	grep -qF "  $label_h" "$work/sensors.txt" && ! grep -q $'\x1b' "$work/sensors.txt"
result $? "human sensors table" "$work/sensors.txt"
"$ctl" --kernel sensors --json | jq -e 'length == 1' >/dev/null
check "--json also accepted after the command" test $? = 0

# ---- human monitor, --count 1 ----
hum=$work/mon.txt
"$ctl" --kernel monitor --state --count 1 --timeout 60 >"$hum" 2>"$work/err" &
monpid=$!
wait_lines "$hum" 30 2 || bail "human monitor did not start"
pull up
wait "$monpid"
rc=$?
result $rc "human monitor --count 1 exit 0 (got $rc)" "$work/err"
grep -Eq "^[0-9:.]+ resync lost=0 \(start\) seq=$s3, state of 1 sensor follows$" "$hum" &&
	grep -Eq "^[0-9:.]+ state +#$id door1 door open " "$hum" &&
	grep -Eq "^[0-9:.]+ change +#$id door1 door closed reason=state seq=$((s3 + 1)) " "$hum" &&
	grep -qF " \"$label_h\"" "$hum" && ! grep -q $'\x1b' "$hum"
result $? "human monitor lines" "$hum"

# ---- --timeout, SIGINT, SIGTERM ----
start=$(date +%s%N)
"$ctl" --kernel --json monitor --timeout 1 >"$work/t.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc = 0 ] && [ ! -s "$work/t.out" ] && [ $ms -ge 1000 ] && [ $ms -lt 20000 ]
result $? "--timeout 1: exit 0, no output, ${ms} ms" "$work/t.out"
for sig in INT TERM; do
	"$ctl" --kernel --json monitor --state >"$work/s.out" 2>&1 &
	monpid=$!
	wait_lines "$work/s.out" 30 1
	kill -$sig $monpid
	wait $monpid
	rc=$?
	result $rc "SIG$sig ends monitor with exit 0 (got $rc)" "$work/s.out"
done

# ---- overrun: tiny buffer, reader stopped, resync with the true state ----
ovf=$work/ovf.json
"$ctl" --kernel --json monitor --state --rcvbuf 1 --timeout 120 >"$ovf" 2>"$work/ovf.err" &
monpid=$!
wait_lines "$ovf" 30 2 || bail "overrun monitor did not start"
kill -STOP $monpid
# door is closed (pulled up) now; an odd number of toggles ends open
for i in $(seq 21); do
	if [ $((i % 2)) = 1 ]; then pull down; else pull up; fi
	settle
done
kill -CONT $monpid
sleep 2
kill -INT $monpid
wait $monpid
rc=$?
result $rc "overrun monitor exit 0 (got $rc)" "$work/ovf.err"
rs=$(jq -c 'select(.event == "resync" and .cause != "start")' "$ovf" | head -1)
[ -n "$rs" ] && jqline "$rs" '(.cause == "overflow" and .lost == null) or (.cause == "gap" and .lost > 0)'
result $? "overrun reported as a resync: ${rs:-none}" "$ovf"
# After the last resync: its state lines, then maybe a few events; the
# last word about door1 must be the true level (open).
last=$(jq -c 'select(.name == "door1")' "$ovf" | tail -1)
jqline "$last" '.state == 0 and .state_name == "open"'
result $? "after the resync the door is open, as it is: $last" "$ovf"
jq -e -s '[.[] | select(.event == "resync" and .cause != "start")] as $r | ($r | length) >= 1' "$ovf" >/dev/null &&
	awk '/"event":"resync"/ && !/"start"/ { r = 1; next } r && /"event":"state"/ { s = 1 } END { exit !s }' "$ovf"
result $? "a resync is followed by state lines" "$ovf"
"$ctl" --kernel --json sensors | jq -e --argjson last "$last" '.[0].sensor_seq == $last.sensor_seq and .[0].state == 0' >/dev/null
result $? "sensors agrees with the resynced state"

# ---- without CAP_NET_ADMIN ----
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$ctl" --kernel sensors >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc = 1 ] && grep -q "^carehubctl: .*needs CAP_NET_ADMIN" "$work/err"
	result $? "sensors without CAP_NET_ADMIN: exit 1 (got $rc), says so" "$work/err"
	sed 's/^/# /' "$work/err"
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all "$ctl" --kernel monitor --timeout 5 >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc = 1 ] && grep -q "^carehubctl: .*needs CAP_NET_ADMIN" "$work/err"
	result $? "monitor without CAP_NET_ADMIN: exit 1 (got $rc), says so" "$work/err"
	sed 's/^/# /' "$work/err"
else
	echo "ok $((n += 1)) - # SKIP setpriv not installed"
	pass=$((pass + 1))
fi

# ---- removal and unload ----
gone=$work/gone.json
"$ctl" --kernel --json monitor --state --timeout 60 >"$gone" 2>"$work/gone.err" &
monpid=$!
wait_lines "$gone" 30 2 || bail "unload monitor did not start"
echo 0 >"$cfs/door1/live"
rmdir "$cfs/door1"
wait_lines "$gone" 10 3
rmmod carehub
wait $monpid
rc=$?
del=$(jq -c 'select(.event == "del")' "$gone")
jqline "$del" ".id == $id and .name == \"door1\""
result $? "del event on removal: $del" "$gone"
[ $rc = 1 ] && grep -q "^carehubctl: carehub module unloaded" "$work/gone.err"
result $? "rmmod ends monitor with exit 1 and a message (got $rc)" "$work/gone.err"
sed 's/^/# /' "$work/gone.err"

finish
