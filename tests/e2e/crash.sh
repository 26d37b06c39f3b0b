#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Crash test, inside a QEMU guest (tests/vm/run -- tests/e2e/crash.sh [KILLS]):
# a door on a gpio-sim line opens and closes all the time (a door-night rule
# raises an alarm on every opening), an operator acknowledges the open
# alarms and asks for test alarms, and carehubd is SIGKILLed at KILLS
# (default 100) random moments and restarted each time. Then:
#   - the store passes PRAGMA integrity_check;
#   - every test alarm whose creation was confirmed to the operator is in the
#     store exactly once; every acknowledgement confirmed is in the store;
#   - no more door alarms exist than the door was opened (a restart never
#     raises a second alarm for one opening), and once the door stays shut
#     none of them is still active (every one was restored or closed);
#   - no outbox message is stored twice for one (alarm, kind, recipient,
#     cycle, step), and every alarm that was raised reached a recipient.
# Real module, real daemon, real SQLite file, real socket, real SIGKILL.
# Output: TAP lines, then "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
d=${CAREHUBD:-$top/daemon/carehubd}
ctl=${CARECTL:-$top/daemon/carehubctl}
kver=$(uname -r)
ko=$top/build/kmod/$kver/carehub.ko
kills=${1:-100}
work=$(mktemp -d /tmp/carehubd-crash.XXXXXX)
sock=$work/sock
db=$work/carehubd.db
pid=
. "$top/tests/e2e/lib.sh"

cleanup() {
	[ -n "${bg:-}" ] && kill $bg 2>/dev/null
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	wait 2>/dev/null
	sensor_remove_all
	lsmod | grep -q '^carehub ' && rmmod carehub
	sim_chip_remove chcrash
	rm -rf "$work"
}
trap cleanup EXIT

[ -x "$d" ] || bail "$d not built"
[ -f "$ko" ] || bail "$ko not built"
command -v sqlite3 >/dev/null || bail "sqlite3 missing"
echo "TAP version 13"
insmod "$ko" || bail "insmod"
sim_chip chcrash crash-door || bail "gpio-sim"
sim_pull chcrash 0 up			# door closed
sensor_add front-door door crash-door 5 || bail "door sensor"

cat >"$work/carehubd.conf" <<CONF
[hub]
name = crash-test
state_dir = $work
socket = $sock
[resident ada]
[sensor front-door]
kind = door
[rule door]
type = door-night
window = always
[recipient first]
transport = log
ack_timeout = 10s
[recipient second]
transport = log
ack_timeout = 10s
[escalation]
chain = first, second
repeat = 1m
CONF

start() {
	"$d" -c "$work/carehubd.conf" >>"$work/log" 2>&1 &
	pid=$!
	wait_for 30 "$ctl" --socket "$sock" status >/dev/null 2>&1
}

: >"$work/confirmed"; : >"$work/acked"; : >"$work/opened"
door() { # the door opens and shuts
	while :; do
		sim_pull chcrash 0 down; echo x >>"$work/opened"
		sleep "0.$((RANDOM % 3 + 1))"
		sim_pull chcrash 0 up
		sleep "0.$((RANDOM % 3 + 1))"
	done
}
operator() { # acknowledges what is raised, asks for a test now and then
	local out id i=0
	while :; do
		i=$((i + 1))
		if [ $((i % 4)) = 0 ] &&
		   out=$("$ctl" --socket "$sock" --json test 2>/dev/null); then
			id=$(printf '%s' "$out" | jq -r '.id // empty')
			[ -n "$id" ] && echo "$id" >>"$work/confirmed"
		fi
		out=$("$ctl" --socket "$sock" --json alarms --open 2>/dev/null) || { sleep 0.05; continue; }
		for id in $(printf '%s' "$out" | jq -r '.[] | select(.state == "raised" or .state == "restored") | .id'); do
			"$ctl" --socket "$sock" --json ack "$id" >/dev/null 2>&1 &&
				echo "$id" >>"$work/acked"
		done
	done
}

start || { result 1 "carehubd starts" "$work/log"; finish; }
door & bg=$!
operator & bg="$bg $!"
bad=0
for i in $(seq "$kills"); do
	sleep "0.$(printf '%03d' $((RANDOM % 400)))"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	pid=
	start || { bad=1; break; }
done
kill $bg 2>/dev/null
wait $bg 2>/dev/null
bg=
result $bad "$kills SIGKILLs, the daemon came back every time (restart $i)" "$work/log"
sim_pull chcrash 0 up			# the door stays shut now
sleep 1
q() { sqlite3 -batch -noheader "$db" "$1"; }
wait_for 20 sh -c "[ \"\$(sqlite3 '$db' \"SELECT count(*) FROM alarms WHERE rule='door' AND state IN ('raised','acked','prealarm');\")\" = 0 ]"
result $? "door shut: no door alarm is still active (all restored or closed)" "$work/log"
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=

ic=$(q 'PRAGMA integrity_check;')
check "store integrity_check: $ic" test "$ic" = ok
nconf=$(sort -u "$work/confirmed" | wc -l)
missing=0
for id in $(sort -u "$work/confirmed"); do
	[ "$(q "SELECT count(*) FROM alarms WHERE id = $id AND test = 1;")" = 1 ] || missing=$((missing + 1))
done
check "all $nconf confirmed test alarms are in the store ($missing missing)" test "$missing" = 0
check "no alarm id was confirmed twice" test -z "$(sort "$work/confirmed" | uniq -d)"
nack=$(sort -u "$work/acked" | wc -l)
lost=0
for id in $(sort -u "$work/acked"); do
	[ "$(q "SELECT count(*) FROM alarms WHERE id = $id AND acked_wall > 0;")" = 1 ] || lost=$((lost + 1))
done
check "all $nack confirmed acknowledgements are in the store ($lost lost)" test "$lost" = 0
nopen=$(wc -l <"$work/opened")
ndoor=$(q "SELECT count(*) FROM alarms WHERE rule = 'door';")
# Acknowledged and restored alarms close, so later openings raise anew.
check "door alarms ($ndoor) <= door openings ($nopen), and several were raised" \
	test "$ndoor" -le "$nopen" -a "$ndoor" -ge 2
dupm=$(q 'SELECT count(*) FROM (SELECT count(*) c FROM msgs GROUP BY alarm, kind, recipient, cycle, step HAVING c > 1);')
check "no outbox message stored twice (${dupm:-query failed})" test "${dupm:-1}" = 0
unsent=$(q "SELECT count(*) FROM alarms a WHERE raised_wall > 0 AND NOT EXISTS (SELECT 1 FROM msgs m WHERE m.alarm = a.id AND m.state = 'delivered');")
check "every raised alarm was delivered to a recipient (${unsent:-?} not)" test "${unsent:-1}" = 0
echo "# $kills kills: door opened $nopen times, $ndoor door alarms, $nconf test alarms and $nack acks confirmed, $(q 'SELECT count(*) FROM alarms;') alarms stored"
finish
