#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# carehubd end to end, inside a QEMU guest:
#
#   tests/vm/run [--kernel 6.1|6.12|debug] -- tests/e2e/carehubd.sh
#
# The real carehub.ko with a door, a pull cord and a bed switch on gpio-sim
# lines, the hub's own call and Cancel buttons, buzzer and LED on more
# lines, and carehubd with a temporary config, store and socket. Checks that
# alarms reach the store and `carehubctl alarms --json`: the pull cord
# (SOS), acknowledgement (and a second ack refused), the door at night and
# its restore, the hub's call button and a local Cancel, sensor events on
# `carehubctl monitor`, a forced netlink overrun healed by a resync (state
# right afterwards, the door alarm raised from the resynced state), the
# module unloaded and loaded again, SIGHUP with a bad and a good config, a
# caller without the groups refused, SIGTERM.
# Output: TAP lines, then "N passed, N failed"; exit 1 if any failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
d=${CAREHUBD:-$top/daemon/carehubd}
ctl=${CARECTL:-$top/daemon/carehubctl}
ko=$top/build/kmod/$(uname -r)/carehub.ko
work=$(mktemp -d /tmp/carehubd-e2e.XXXXXX)
sock=$work/sock
db=$work/carehubd.db
log=$work/log
pid=
mon=
. "$top/tests/e2e/lib.sh"

cleanup() {
	[ -n "$mon" ] && kill "$mon" 2>/dev/null
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	wait 2>/dev/null
	sensor_remove_all
	lsmod | grep -q '^carehub ' && rmmod carehub
	sim_chip_remove chd
	rm -rf "$work"
}
trap cleanup EXIT

[ -x "$d" ] || bail "$d not built (make -C daemon)"
[ -f "$ko" ] || bail "$ko not built (make modules)"
for c in jq sqlite3 setpriv; do command -v $c >/dev/null || bail "$c missing"; done
echo "TAP version 13"

# lines: 0 door, 1 pull cord, 2 bed, 3 hub call, 4 hub Cancel, 5 buzzer, 6 LED
sim_chip chd d-door d-sos d-bed HUB_SOS HUB_CANCEL HUB_BUZZER HUB_LED || bail "gpio-sim"
sim_pull chd 0 up		# door closed
sim_pull chd 1 down		# cord released
sim_pull chd 2 up		# bed occupied
sim_pull chd 3 up		# hub buttons pull the line low when pressed
sim_pull chd 4 up
insmod "$ko" || bail "insmod"
sensors_up() {
	sensor_add front-door door d-door 5 &&
		sensor_add pull-cord sos d-sos 5 &&
		sensor_add bed bed d-bed 5
}
sensors_up || bail "sensors"

conf() { # conf [EXTRA-LINE]
	cat <<CONF
[hub]
name = e2e
state_dir = $work
socket = $sock
[gpio]
sos_button = HUB_SOS
cancel_button = HUB_CANCEL
buzzer = HUB_BUZZER
led = HUB_LED
[resident ada]
account = 1234
[sensor front-door]
kind = door
label = Front door
[sensor pull-cord]
kind = sos
[sensor bed]
kind = bed
[rule sos]
type = sos
[rule door]
type = door-night
window = always
[rule faults]
type = sensor-fault
[recipient journal]
transport = log
ack_timeout = 1m
${1:-}
CONF
}
conf >"$work/carehubd.conf"

start() { # start [OPTIONS]
	"$d" -c "$work/carehubd.conf" "$@" >>"$log" 2>&1 &
	pid=$!
	wait_for 60 "$ctl" --socket "$sock" status >/dev/null 2>&1
}
C() { "$ctl" --socket "$sock" "$@"; }
# alarm_where FILTER: the ids of alarms matching a jq filter, newest first
alarm_where() { C --json alarms 2>/dev/null | jq -r ".[] | select($1) | .id"; }
has_alarm() { [ -n "$(alarm_where "$1")" ]; }

"$d" -c "$work/carehubd.conf" --check-config >"$work/dump" 2>&1
check "--check-config accepts the config" grep -q '^\[rule door\]' "$work/dump"
printf '[hub]\nname = x\n[rule r]\ntype = door-night\nwindow = 25:00-07:00\n' >"$work/bad.conf"
"$d" -c "$work/bad.conf" --check-config >/dev/null 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "bad.conf:5:" "$work/err"
result $? "--check-config refuses a bad window with file:line (exit $rc)" "$work/err"

start || { result 1 "carehubd starts" "$log"; finish; }
result 0 "carehubd starts and answers on its socket"
wait_for 20 sh -c "'$ctl' --socket '$sock' --json status | jq -e '.kernel_module and .sensors.present == 3' >/dev/null"
result $? "status: module present, 3 sensors present" "$log"
C --json sensors >"$work/s.json"
jq -e 'map(select(.name == "front-door"))[0] | .state == 1 and .state_name == "closed" and .zone == 1' "$work/s.json" >/dev/null
result $? "sensors: the door is closed, zone 1" "$work/s.json"

C --json monitor >"$work/mon.json" 2>/dev/null &
mon=$!
sleep 0.5

# ---- SOS from the pull cord, acknowledged ----
sim_pull chd 1 up
wait_for 20 has_alarm '.rule == "sos" and .sensor == "pull-cord" and .code == 101'
result $? "pull cord -> SOS alarm 101 in carehubctl alarms" "$log"
sim_pull chd 1 down
id=$(alarm_where '.rule == "sos" and .sensor == "pull-cord"' | head -n1)
[ "$(sqlite3 "$db" "SELECT rule || '/' || code FROM alarms WHERE id = ${id:-0};")" = "sos/101" ]
result $? "the SOS alarm is in the SQLite store"
wait_for 20 sh -c "sqlite3 '$db' \"SELECT count(*) FROM msgs WHERE alarm = ${id:-0} AND state = 'delivered';\" | grep -qv '^0$'"
result $? "the SOS alarm was delivered to the journal recipient"
grep -q "ALARM .*alarm=${id:-0} .*code=101" "$log"
result $? "the log transport wrote it" "$log"
C --json ack "${id:-0}" >"$work/ack.json"
rc=$?
[ $rc = 0 ] && jq -e '.state == "closed" and .closed_reason == "acked" and (.acked_by | startswith("uid:"))' "$work/ack.json" >/dev/null
result $? "ack $id: an SOS call acknowledged is closed, by the caller (exit $rc)" "$work/ack.json"
C ack "${id:-0}" >/dev/null 2>"$work/err"
rc=$?
[ $rc = 3 ] && grep -q EALREADY "$work/err"
result $? "a second ack is refused with EALREADY, exit 3 (got $rc)" "$work/err"
C ack 999999 >/dev/null 2>"$work/err"
check "ack of an unknown id: exit 3" test $? = 3

# ---- the door at night, restored ----
sim_pull chd 0 down
wait_for 20 has_alarm '.rule == "door" and .code == 150 and .state == "raised"'
result $? "door opened at night -> alarm 150" "$log"
sim_pull chd 0 up
wait_for 20 has_alarm '.rule == "door" and .state == "restored"'
result $? "door shut -> the alarm is restored (still unacknowledged)" "$log"
did=$(alarm_where '.rule == "door"' | head -n1)
C ack "${did:-0}" >/dev/null
wait_for 10 has_alarm ".id == ${did:-0} and .state == \"closed\""
result $? "restored + acked -> closed"

# ---- hub call button, local Cancel ----
sim_pull chd 3 down; sleep 0.2; sim_pull chd 3 up
wait_for 20 has_alarm '.rule == "sos" and .sensor == null and .state == "raised"'
result $? "hub call button -> SOS alarm without a sensor" "$log"
sim_pull chd 4 down; sleep 0.2; sim_pull chd 4 up
wait_for 20 has_alarm '.rule == "sos" and .sensor == null and .state == "cancelled"'
result $? "hub Cancel -> the hub's SOS alarm is cancelled locally" "$log"

# ---- monitor ----
kill "$mon"; wait "$mon" 2>/dev/null; mon=
jq -e -s 'any(.[]; .event == "sensor" and .sensor.name == "front-door" and .sensor.state == 0)
	and any(.[]; .event == "alarm" and .what == "raised" and .alarm.rule == "sos")' "$work/mon.json" >/dev/null
result $? "monitor saw the door's sensor events and the raised alarms" "$work/mon.json"

# ---- forced overrun: tiny receive buffer, daemon stopped ----
kill -TERM "$pid"; wait "$pid"
check "SIGTERM: clean exit 0" test $? = 0
pid=
start --netlink-rcvbuf 1024 || bail "restart with a tiny buffer"
kill -STOP "$pid"
for i in $(seq 20); do sim_pull chd 0 down; sleep 0.03; sim_pull chd 0 up; sleep 0.03; done
sim_pull chd 0 down			# ends open
sleep 0.5
kill -CONT "$pid"
wait_for 30 grep -q "kernel events lost" "$log"
result $? "the overrun is noticed and healed with a resync" "$log"
wait_for 20 sh -c "'$ctl' --socket '$sock' --json sensors | jq -e 'map(select(.name == \"front-door\"))[0].state == 0' >/dev/null"
result $? "after the resync the door is open, as the line says"
wait_for 20 has_alarm '.rule == "door" and .state == "raised"'
result $? "the door alarm is raised from the resynced state" "$log"
sim_pull chd 0 up

# ---- module unloaded and loaded again ----
sensor_remove_all
rmmod carehub
wait_for 20 sh -c "'$ctl' --socket '$sock' --json status | jq -e '.kernel_module == false' >/dev/null"
result $? "module unloaded: status says so" "$log"
insmod "$ko" && sensors_up
wait_for 30 sh -c "'$ctl' --socket '$sock' --json status | jq -e '.kernel_module and .sensors.present == 3' >/dev/null"
result $? "module back: the daemon reconnects by itself, 3 sensors" "$log"

# ---- reload ----
cp "$work/carehubd.conf" "$work/good.conf"
printf '[rule oops]\ntype = nonsense\n' >>"$work/carehubd.conf"
kill -HUP "$pid"
wait_for 10 grep -q "reload refused" "$log"
result $? "SIGHUP with a bad config: refused, the running one stays" "$log"
C status >/dev/null
check "still answering after the refused reload" test $? = 0
conf '[rule quiet]
type = sensor-silent
max = 24h' >"$work/carehubd.conf"
kill -HUP "$pid"
wait_for 10 grep -q "configuration reloaded" "$log"
result $? "SIGHUP with a good config: reloaded" "$log"

# ---- permissions ----
setpriv --reuid 65534 --regid 65534 --clear-groups "$ctl" --socket "$sock" status >/dev/null 2>"$work/err"
rc=$?
check "a caller outside the carehub groups is refused (exit $rc)" test $rc = 3

kill -TERM "$pid"; wait "$pid"
check "SIGTERM: clean exit 0" test $? = 0
pid=
finish
