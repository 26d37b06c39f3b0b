#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# carehubctl's daemon commands against a fake carehubd (canned replies,
# tests/e2e/ctl-fake-carehubd.py) on a socket in a temporary directory.
# Runs on the host, no module, no daemon:
#
#   make -C daemon carehubctl && tests/e2e/ctl-client.sh
#
# Checks the requests carehubctl sends, --json output (the daemon's
# payload, semantically equal), the human tables, exit codes 0/1/2/3,
# --socket / $CAREHUB_SOCKET, monitor --count / --timeout / SIGTERM /
# overflow. Output: TAP lines, then "N passed, N failed"; exit 1 if any
# failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${CARECTL:-$top/daemon/carehubctl}
work=$(mktemp -d /tmp/ctl-client.XXXXXX)
sock=$work/carehubd.sock
log=$work/requests.log

n=0 pass=0 failed=0
result() { # result RC DESCRIPTION [FILE-TO-SHOW-ON-FAILURE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
		pass=$((pass + 1))
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		[ -n "${3:-}" ] && [ -f "$3" ] && sed 's/^/#   /' "$3"
	fi
}
finish() {
	echo "$pass passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}
bail() {
	echo "Bail out! $*"
	failed=$((failed + 1))
	finish
}
cleanup() {
	[ -n "${srv:-}" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
# The last request the fake daemon saw, as compact JSON.
lastreq() { tail -1 "$log" | jq -c .; }
# run ARGS...: stdout to $work/out, stderr to $work/err, exit code to $rc
run() { "$ctl" "$@" >"$work/out" 2>"$work/err"; rc=$?; }

command -v jq >/dev/null || bail "jq not installed"
command -v python3 >/dev/null || bail "python3 not installed"
[ -x "$ctl" ] || bail "$ctl not built (make -C daemon carehubctl)"
echo "TAP version 13"

python3 "$top/tests/e2e/ctl-fake-carehubd.py" "$sock" "$log" >"$work/srv.out" 2>&1 &
srv=$!
for _ in $(seq 50); do grep -q ready "$work/srv.out" 2>/dev/null && break; sleep 0.1; done
[ -S "$sock" ] || bail "fake carehubd did not start"
export CAREHUB_SOCKET=$sock

# ---- status ----
run --json status
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"status"}' ] &&
	jq -e '.hub == "test-hub" and .uptime_s == 93784 and .sensors.faulty == 1 and .online_30d == null' "$work/out" >/dev/null &&
	[ "$(wc -l <"$work/out")" = 1 ]
result $? "--json status: the status object on one line (exit $rc)" "$work/out"
run status
[ $rc = 0 ] && grep -qx 'hub:            test-hub' "$work/out" &&
	grep -qx 'uptime:         1d 02:03:04' "$work/out" &&
	grep -qx 'kernel module:  present' "$work/out" &&
	grep -qx 'sensors:        3 configured, 2 present, 1 faulty, 0 unconfigured' "$work/out" &&
	grep -qx 'alarms:         2 open, 1 unacked' "$work/out" &&
	grep -qx 'hub online:     50.0 % last 24 h, - % last 30 days' "$work/out"
result $? "human status" "$work/out"

# ---- sensors ----
run sensors --json
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"sensors"}' ] &&
	jq -e 'length == 2 and .[0].label == "Front door\u001b[31m 前门" and .[1].faults == ["missing"]' "$work/out" >/dev/null
result $? "sensors --json: the array, label intact (exit $rc)" "$work/out"
run sensors
[ $rc = 0 ] && grep -Eq '^NAME +KIND +STATE +FAULTS +SINCE +ZONE +RESIDENT +24H% +30D% +LABEL$' "$work/out" &&
	grep -Eq '^door1 +door +open +- +2026-03-29 01:02:03 +1 +anna +100.0 +25.0 +Front door\\x1b\[31m 前门$' "$work/out" &&
	grep -Eq '^bed1 +- +- +missing +- +2 +anna +- +- +Bed$' "$work/out" &&
	! grep -q $'\x1b' "$work/out"
result $? "human sensors table, ESC escaped, UTF-8 kept" "$work/out"

# ---- alarms ----
run alarms --open --limit 5 --json
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"alarms","open":true,"limit":5}' ] &&
	jq -e 'length == 2 and .[0].id == 12 and .[0].acked == null' "$work/out" >/dev/null
result $? "alarms --open --limit 5 asks for them and prints the array" "$work/out"
run alarms
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"alarms","limit":100}' ] &&
	grep -Eq '^ID +STATE +RAISED +RULE +SENSOR +CODE +ZONE +ACKED_BY +TEXT$' "$work/out" &&
	grep -Eq '^12 +raised +2026-03-29 02:34:00 +night-bed +bed1 +150 +2 +- +Bed exit at night: bed empty for 20 min \(since 02:14\)$' "$work/out" &&
	grep -Eq '^11 +closed ' "$work/out"
result $? "human alarms table, default limit 100" "$work/out"
for bad in "--limit 0" "--limit 1001" "--limit x" "--count 3" "extra"; do
	# shellcheck disable=SC2086
	run alarms $bad
	[ $rc = 2 ] && grep -q "Try 'carehubctl --help'" "$work/err"
	result $? "alarms $bad: usage error, exit 2 (got $rc)" "$work/err"
done

# ---- ack / cancel / test ----
run ack 12
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"ack","id":12}' ] &&
	grep -qx 'alarm 12 acked: Bed exit at night: bed empty for 20 min (since 02:14) (rule night-bed, code 150, zone 2, by uid:root)' "$work/out"
result $? "ack 12 (exit $rc)" "$work/out"
run --json cancel 12
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"cancel","id":12}' ] &&
	jq -e '.id == 12 and .state == "cancelled"' "$work/out" >/dev/null
result $? "--json cancel 12: the alarm object" "$work/out"
run test
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"test"}' ] && grep -q '^test alarm 14 raised: Test report (rule test, code 602, zone 0' "$work/out"
result $? "test" "$work/out"
run ack 404
[ $rc = 3 ] && [ ! -s "$work/out" ] && grep -qx 'carehubctl: carehubd: no alarm 404 (ENOENT)' "$work/err"
result $? "ack of an unknown id: exit 3 (got $rc), daemon's message" "$work/err"
run --json ack 13
[ $rc = 3 ] && jq -e '.ok == false and .errno == "EALREADY"' "$work/out" >/dev/null &&
	grep -q '(EALREADY)$' "$work/err"
result $? "--json ack of an acked alarm: exit 3 (got $rc), reply on stdout" "$work/out"
run ack 99
[ $rc = 3 ] && grep -q 'permission denied.*(EPERM)$' "$work/err"
result $? "EPERM from the daemon: exit 3 (got $rc)" "$work/err"
for bad in "" "0" "-1" "1x" "9007199254740993" "12 13"; do
	# shellcheck disable=SC2086
	run ack $bad
	[ $rc = 2 ]
	result $? "ack '$bad': usage error, exit 2 (got $rc)" "$work/err"
done

# ---- socket selection, daemon not running ----
run --socket "$work/nope.sock" status
[ $rc = 1 ] && grep -q "carehubd is not running" "$work/err"
result $? "--socket to nothing: exit 1 (got $rc), says carehubd is not running" "$work/err"
CAREHUB_SOCKET=$work/nope.sock "$ctl" --socket "$sock" status >/dev/null 2>&1
result $? "--socket wins over \$CAREHUB_SOCKET"
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	chmod 0711 "$work"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$ctl" status >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc = 3 ] && grep -q "permission denied: $sock" "$work/err"
	result $? "socket file not accessible: exit 3 (got $rc)" "$work/err"
else
	echo "ok $((n += 1)) - # SKIP needs root and setpriv"
	pass=$((pass + 1))
fi
run --kernel status
[ $rc = 2 ] && grep -q "drop --kernel" "$work/err"
result $? "--kernel status: usage error (got $rc)" "$work/err"
run frobnicate
[ $rc = 2 ]
result $? "unknown command: exit 2 (got $rc)"
"$ctl" --help | grep -q "^  3  refused"
result $? "--help documents exit status 3"

# ---- monitor ----
run --json monitor --count 3 --timeout 10
[ $rc = 0 ] && [ "$(lastreq)" = '{"cmd":"monitor"}' ] && [ "$(wc -l <"$work/out")" = 3 ] &&
	jq -e -s '.[0].event == "alarm" and .[0].what == "raised" and .[0].alarm.id == 12 and .[1].event == "sensor" and .[2].present == false' "$work/out" >/dev/null
result $? "--json monitor --count 3: three event lines (exit $rc)" "$work/out"
run monitor --timeout 10
[ $rc = 1 ] && grep -Eq '^02:35:01 sensor door1 kind=door state=open "Front door\\x1b\[31m 前门"$' "$work/out" &&
	grep -q "carehubd dropped this monitor" "$work/err"
result $? "monitor overflow: event shown, exit 1 (got $rc), says why" "$work/out"
start=$(date +%s%N)
run monitor --timeout 0.5
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc = 0 ] && [ ! -s "$work/out" ] && [ $ms -ge 500 ] && [ $ms -lt 5000 ]
result $? "monitor --timeout 0.5: exit 0, nothing printed, ${ms} ms" "$work/err"
"$ctl" monitor >"$work/out" 2>"$work/err" &
mon=$!
sleep 0.5
kill -TERM $mon
wait $mon
rc=$?
result $rc "SIGTERM ends monitor with exit 0 (got $rc)" "$work/err"

finish
