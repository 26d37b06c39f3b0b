#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# carehubctl's daemon commands against the real carehubd, on the host:
# no kernel module (carehubd waits for it and serves its control socket
# meanwhile), a real SQLite store and socket in a temporary directory.
#
#   make -C daemon && tests/e2e/ctl-client.sh
#   CAREHUBD=... CARECTL=... tests/e2e/ctl-client.sh   # other binaries
#
# Checks status / sensors / alarms / test, --json output and the human
# tables, exit codes 0/1/2/3, ack/cancel refusals (ENOENT, EALREADY, EPERM,
# EACCES), --socket / $CAREHUB_SOCKET, monitor --count / --timeout /
# SIGTERM, events of a test alarm raised by another process, and a monitor
# that never reads being dropped with "overflow" while the daemon keeps
# answering everyone else.
#
# Not here: ack/cancel that succeed. They need an open alarm that is not a
# test alarm (test alarms close as soon as they are delivered), i.e. a rule
# firing on a real sensor, i.e. the module: tests/e2e/carehubd.sh (guest)
# acknowledges real alarms, tests/e2e/crash.sh acks under SIGKILL.
#
# Output: TAP lines, then "N passed, N failed"; exit 1 if any failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
hubd=${CAREHUBD:-$top/daemon/carehubd}
ctl=${CARECTL:-$top/daemon/carehubctl}
work=$(mktemp -d /tmp/ctl-client.XXXXXX)
sock=$work/carehubd.sock
conf=$work/carehubd.conf
dlog=$work/carehubd.log
pid=
bg=
# TAP bookkeeping (result, check, finish, bail) and wait_for.
. "$top/tests/e2e/lib.sh"

cleanup() {
	local p
	for p in $bg; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
# run ARGS...: stdout to $work/out, stderr to $work/err, exit code to $rc
run() { "$ctl" "$@" >"$work/out" 2>"$work/err"; rc=$?; }
# jqok [jqok -ARGS...] FILTER FILE: FILE is not empty and FILTER holds on it
# (jq -e alone passes on empty input)
jqok() { [ -s "${!#}" ] && jq -e "$@" >/dev/null; }
# The sending queue of PID's carehubd connection as `ss` sees it from the
# client: "RECVQ PEER-INODE" (peer 0 once carehubd has closed its end).
client_sock() {
	ss -xHp 2>/dev/null | awk -v p="pid=$1," \
		'$1 == "u_seq" && index($0, p) { print $3, $8; exit }'
}

command -v jq >/dev/null || bail "jq not installed"
[ -x "$hubd" ] || bail "$hubd not built (make -C daemon)"
[ -x "$ctl" ] || bail "$ctl not built (make -C daemon)"
echo "TAP version 13"

cat >"$conf" <<CONF
[hub]
name = ctl-test
state_dir = $work
socket = $sock
[resident ada]
[sensor front-door]
kind = door
label = Front door 前门
[rule door]
type = door-night
window = always
[recipient first]
transport = log
ack_timeout = 10s
CONF
"$hubd" -c "$conf" >"$dlog" 2>&1 &
pid=$!
wait_for 10 test -S "$sock" || { result 1 "carehubd starts" "$dlog"; finish; }
export CAREHUB_SOCKET=$sock

# ---- status ----
run --json status
[ $rc = 0 ] && [ "$(wc -l <"$work/out")" = 1 ] &&
	jqok --arg c "$conf" '.hub == "ctl-test" and .config == $c and
		.kernel_module == false and (.uptime_s | type) == "number" and
		.sensors == {"configured":1,"present":0,"faulty":1,"unconfigured":0} and
		.alarms == {"open":0,"unacked":0} and .prealarm == false' \
		"$work/out" >/dev/null
result $? "--json status: one line, no module, 1 configured / 0 present / 1 faulty (exit $rc)" "$work/out"
run status
[ $rc = 0 ] && grep -qx 'hub:            ctl-test' "$work/out" &&
	grep -qx "config:         $conf" "$work/out" &&
	grep -qx 'kernel module:  NOT PRESENT' "$work/out" &&
	grep -qx 'sensors:        1 configured, 0 present, 1 faulty, 0 unconfigured' "$work/out" &&
	grep -qx 'alarms:         0 open, 0 unacked' "$work/out" &&
	grep -Eqx 'uptime:         0d 00:00:[0-9]{2}' "$work/out"
result $? "human status (exit $rc)" "$work/out"

# ---- sensors ----
run --json sensors
[ $rc = 0 ] &&
	jqok 'length == 1 and (.[0] | .name == "front-door" and .kind == "door" and
		.label == "Front door 前门" and .present == false and
		.configured == true and .faults == ["missing"] and .zone == 1 and
		.resident == "ada" and has("id") == false)' "$work/out" >/dev/null
result $? "--json sensors: the configured door, missing, label intact (exit $rc)" "$work/out"
run sensors
[ $rc = 0 ] && grep -Eq '^NAME +KIND +STATE +FAULTS +SINCE +ZONE +RESIDENT +24H% +30D% +LABEL$' "$work/out" &&
	grep -Eq '^front-door +door +- +missing +- +1 +ada +[-0-9.]+ +[-0-9.]+ +Front door 前门$' "$work/out" &&
	[ "$(wc -l <"$work/out")" = 2 ]
result $? "human sensors table, UTF-8 label kept (exit $rc)" "$work/out"

# ---- test ----
run --json test
id1=$(jq -r 'select(.type == "test" and .code == 601 and .zone == 0 and
	(.state == "raised" or .state == "closed")) | .id' "$work/out" 2>/dev/null)
[ $rc = 0 ] && [ -n "$id1" ] && [ "$id1" -ge 1 ] 2>/dev/null
result $? "--json test: a test alarm, code 601, zone 0 (id ${id1:-none}, exit $rc)" "$work/out"
id1=${id1:-1}
run test
id2=$(sed -En 's/^test alarm ([0-9]+) raised: Manual test alarm \(by uid:root\) \(code 601, zone 0\)$/\1/p' "$work/out")
[ $rc = 0 ] && [ -n "$id2" ] && [ "$id2" -gt "$id1" ]
result $? "human test: 'test alarm ${id2:-?} raised', a new id after $id1 (exit $rc)" "$work/out"
id2=${id2:-2}
# The log transport writes to carehubd's stderr; delivered tests close.
wait_for 10 grep -q "alarm $id2 closed" "$dlog"
grep -Eq "TEST msg=[0-9]+ alarm=$id1 code=601 zone=0 .*to=\"first\" hub=\"ctl-test\"" "$dlog" &&
	grep -Eq "TEST msg=[0-9]+ alarm=$id2 code=601 " "$dlog" &&
	grep -q "alarm $id1 delivered" "$dlog" && grep -q "alarm $id1 closed" "$dlog" &&
	grep -q "alarm $id2 closed" "$dlog"
result $? "both test alarms delivered to the log recipient, then closed" "$dlog"

# ---- alarms ----
run --json alarms
[ $rc = 0 ] &&
	jqok --argjson a "$id1" --argjson b "$id2" 'length == 2 and .[0].id == $b and .[1].id == $a and
		all(.[]; .state == "closed" and .closed_reason == "delivered" and
		    .code == 601 and .type == "test" and .delivered == 1 and .pending == 0)' \
		"$work/out" >/dev/null
result $? "--json alarms: both test alarms, newest first, closed as delivered (exit $rc)" "$work/out"
run --json alarms --open
[ $rc = 0 ] && jqok '. == []' "$work/out" >/dev/null
result $? "alarms --open --json: [] (test alarms do not stay open; exit $rc)" "$work/out"
run alarms --limit 1 --json
[ $rc = 0 ] && jqok --argjson b "$id2" 'length == 1 and .[0].id == $b' "$work/out" >/dev/null
result $? "alarms --limit 1 --json: only the newest (exit $rc)" "$work/out"
run alarms
[ $rc = 0 ] && grep -Eq '^ID +STATE +RAISED +RULE +SENSOR +CODE +ZONE +ACKED_BY +TEXT$' "$work/out" &&
	grep -Eq "^$id2 +closed +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} +- +- +601 +0 +- +Manual test alarm \(by uid:root\)$" "$work/out" &&
	[ "$(wc -l <"$work/out")" = 3 ]
result $? "human alarms table (exit $rc)" "$work/out"
for bad in "--limit 0" "--limit 1001" "--limit x" "--count 3" "extra"; do
	# shellcheck disable=SC2086
	run alarms $bad
	[ $rc = 2 ] && grep -q "Try 'carehubctl --help'" "$work/err"
	result $? "alarms $bad: usage error, exit 2 (got $rc)" "$work/err"
done

# ---- ack / cancel refused ----
run ack 999999
[ $rc = 3 ] && [ ! -s "$work/out" ] && grep -qx 'carehubctl: carehubd: no alarm 999999 (ENOENT)' "$work/err"
result $? "ack of an unknown id: exit 3 (got $rc), ENOENT" "$work/err"
run cancel 999999
[ $rc = 3 ] && grep -q '(ENOENT)$' "$work/err"
result $? "cancel of an unknown id: exit 3 (got $rc), ENOENT" "$work/err"
run --json ack "$id1"
[ $rc = 3 ] && jqok '.ok == false and .errno == "EALREADY"' "$work/out" >/dev/null &&
	grep -q "alarm $id1 .*(EALREADY)$" "$work/err"
result $? "--json ack of a closed alarm: exit 3 (got $rc), reply on stdout" "$work/out"
run cancel "$id1"
[ $rc = 3 ] && grep -qx "carehubctl: carehubd: alarm $id1 is already closed (EALREADY)" "$work/err"
result $? "cancel of a closed alarm: exit 3 (got $rc), EALREADY" "$work/err"
for bad in "" "0" "-1" "1x" "9007199254740993" "12 13"; do
	# shellcheck disable=SC2086
	run ack $bad
	[ $rc = 2 ] && [ ! -s "$work/out" ]
	result $? "ack '$bad': usage error, exit 2 (got $rc)" "$work/err"
done

# ---- socket selection, usage ----
run --socket "$work/nope.sock" status
[ $rc = 1 ] && grep -q "carehubd is not running" "$work/err"
result $? "--socket to nothing: exit 1 (got $rc), says carehubd is not running" "$work/err"
CAREHUB_SOCKET=$work/nope.sock "$ctl" --socket "$sock" status >"$work/out" 2>&1
rc=$?
[ $rc = 0 ] && grep -qx 'hub:            ctl-test' "$work/out"
result $? "--socket wins over \$CAREHUB_SOCKET (exit $rc)" "$work/out"
CAREHUB_SOCKET=$work/nope.sock "$ctl" status >"$work/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "nope.sock" "$work/out"
result $? "\$CAREHUB_SOCKET is used without --socket (exit $rc)" "$work/out"
run --kernel status
[ $rc = 2 ] && grep -q "drop --kernel" "$work/err"
result $? "--kernel status: usage error (got $rc)" "$work/err"
run frobnicate
[ $rc = 2 ] && grep -q "Try 'carehubctl --help'" "$work/err"
result $? "unknown command: exit 2 (got $rc)" "$work/err"
"$ctl" --help 2>&1 | grep -q "^  3  refused"
result $? "--help documents exit status 3"

# ---- permissions ----
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$ctl" "$@" >"$work/out" 2>"$work/err"; rc=$?; }
	chmod 0711 "$work"	# nobody may reach the socket, not list the dir
	# The socket is 0666: carehubd refuses a caller in neither group as
	# soon as it connects (SO_PEERCRED), whatever it asks.
	deny='permission denied: needs uid 0 or group carehub (to read) or carehub-operators (to read and act) (EPERM)'
	[ "$(stat -c %a "$sock")" = 666 ]
	result $? "the socket is 0666: carehubd checks every caller itself" "$work/err"
	nobody status
	[ $rc = 3 ] && grep -qx "carehubctl: carehubd: $deny" "$work/err"
	result $? "status as nobody: refused at connect, exit 3 (got $rc), EPERM" "$work/err"
	nobody test
	[ $rc = 3 ] && grep -qx "carehubctl: carehubd: $deny" "$work/err" &&
		"$ctl" --json alarms --limit 1 >"$work/out2" &&
		jqok --argjson b "$id2" '.[0].id == $b' "$work/out2"
	result $? "test as nobody: exit 3 (got $rc), EPERM, no alarm raised" "$work/err"
	nobody --json ack "$id1"
	[ $rc = 3 ] && jqok '.ok == false and .errno == "EPERM"' "$work/out" >/dev/null
	result $? "ack as nobody: EPERM before the alarm is looked up, exit 3 (got $rc)" "$work/out"
	# docs/control-protocol.md: refused callers are logged.
	grep -Eq "ctl: uid:(nobody|65534) \(pid [0-9]+\) refused: not in group carehub or carehub-operators" "$dlog"
	result $? "carehubd logs the refused callers" "$dlog"
	# A read-only store: the error names the file and says what to fix.
	mkdir "$work/ro" && cp "$conf" "$work/ro/c.conf" && chown -R 65534:65534 "$work/ro" &&
		setpriv --reuid=65534 --regid=65534 --clear-groups "$hubd" -c "$work/ro/c.conf" \
			--state-dir "$work/ro" --socket "$work/ro/sock" --check-config >/dev/null &&
		chmod 0555 "$work/ro"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$hubd" -c "$work/ro/c.conf" \
		--state-dir "$work/ro" --socket "$work/ro.sock" >"$work/out" 2>&1
	rc=$?
	[ $rc != 0 ] && grep -q "carehubd: $work/ro/carehubd.db[.a-z]*: .*must be writable by the daemon's user" "$work/out"
	result $? "a read-only store: exit $rc, names the file, says it must be writable" "$work/out"
	chmod 0755 "$work/ro"
	chmod 0700 "$work"
else
	for _ in 1 2 3 4 5 6; do
		echo "ok $((n += 1)) - # SKIP needs root and setpriv"
		pass=$((pass + 1))
	done
fi

# ---- monitor ----
# connected PID: PID has its connection to carehubd (and sent monitor)
connected() { [ -n "$(client_sock "$1")" ] && sleep 0.2; }
"$ctl" --json monitor --count 4 --timeout 10 >"$work/mon.out" 2>"$work/mon.err" &
mon=$!
wait_for 5 connected $mon
"$ctl" --json test >"$work/test.out" 2>&1
tid=$(jq -r .id "$work/test.out" 2>/dev/null)
wait $mon
rc=$?
[ $rc = 0 ] && [ "$(wc -l <"$work/mon.out")" = 4 ] &&
	jqok -s --argjson t "${tid:-0}" 'all(.[]; .event == "alarm" and .alarm.id == $t and .alarm.code == 601 and (.time | type) == "string") and
		.[0].what == "raised" and .[0].alarm.state == "raised" and
		any(.[]; .what == "closed" and .alarm.state == "closed")' "$work/mon.out" >/dev/null
result $? "--json monitor --count 4: the events of a test alarm raised elsewhere (exit $rc)" "$work/mon.out"
"$ctl" monitor --count 1 --timeout 10 >"$work/mon.out" 2>"$work/mon.err" &
mon=$!
wait_for 5 connected $mon
"$ctl" --json test >"$work/test.out" 2>&1
tid=$(jq -r .id "$work/test.out" 2>/dev/null)
wait $mon
rc=$?
[ $rc = 0 ] && [ "$(wc -l <"$work/mon.out")" = 1 ] &&
	grep -Eqx "[0-9]{2}:[0-9]{2}:[0-9]{2} alarm +#$tid what=raised state=raised rule=- code=601 zone=0 \"Manual test alarm \(by uid:root\)\"" "$work/mon.out"
result $? "human monitor --count 1: one line for the raised test alarm (exit $rc)" "$work/mon.out"
t0=$EPOCHREALTIME
run monitor --timeout 0.5
ms=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))
[ $rc = 0 ] && [ ! -s "$work/out" ] && [ $ms -ge 500 ] && [ $ms -lt 5000 ]
result $? "monitor --timeout 0.5, nothing happens: exit 0 (got $rc), nothing printed, ${ms} ms" "$work/err"
"$ctl" monitor >"$work/out" 2>"$work/err" &
mon=$!
wait_for 5 connected $mon
kill -0 $mon 2>/dev/null
alive=$?
kill -TERM $mon 2>/dev/null
wait $mon
rc=$?
[ $alive = 0 ] && [ $rc = 0 ]
result $? "monitor waits for events; SIGTERM ends it with exit 0 (got $rc)" "$work/err"

# A monitor that never reads (stopped) while test alarms pile up events:
# carehubd must not wait for it. It gets {"event":"overflow"} and is closed
# once its queue nears the 2 MiB send buffer (a test alarm makes 4 events
# of ~350 bytes: some 800 tests here, ~10 s); a reading monitor and
# request clients are served all along. The cap (2500) stops the loop if
# carehubd never drops it.
"$ctl" --json monitor >"$work/stuck.out" 2>"$work/stuck.err" &
stuck=$!
"$ctl" --json monitor >"$work/live.out" 2>"$work/live.err" &
live=$!
bg="$stuck $live"
wait_for 5 connected $stuck
wait_for 5 connected $live
kill -STOP $stuck 2>/dev/null
queue='' peer='' tests=0 slow=0 worst=0 dropped=0 testfail=0
while [ $tests -lt 2500 ]; do
	for _ in $(seq 50); do
		"$ctl" test >/dev/null 2>&1 || testfail=$((testfail + 1))
	done
	tests=$((tests + 50))
	t0=$EPOCHREALTIME
	"$ctl" --json status >"$work/out" 2>&1
	ms=$(((${EPOCHREALTIME/./} - ${t0/./}) / 1000))
	[ "$ms" -gt "$worst" ] && worst=$ms
	jqok '.hub == "ctl-test"' "$work/out" && [ "$ms" -lt 1000 ] ||
		slow=$((slow + 1))
	read -r queue peer < <(client_sock $stuck)
	[ "${peer:-}" = 0 ] && { dropped=1; break; }
done
echo "# $tests test alarms; stuck monitor dropped: $dropped (queue ${queue:-?} bytes); slowest status ${worst} ms"
[ $dropped = 1 ] && [ $testfail = 0 ]
result $? "a monitor that never reads is dropped by carehubd after $tests test alarms ($testfail test requests failed)" "$dlog"
[ $slow = 0 ]
result $? "status answered within 1 s throughout ($slow not; slowest ${worst} ms)"
kill -CONT $stuck 2>/dev/null
wait_for 10 sh -c "! kill -0 $stuck 2>/dev/null"
wait $stuck
rc=$?
[ $rc = 1 ] && [ "$(tail -1 "$work/stuck.out")" = '{"event":"overflow"}' ] &&
	grep -q "carehubd dropped this monitor" "$work/stuck.err"
result $? "the stuck monitor reads its backlog, then overflow: exit 1 (got $rc), says why" "$work/stuck.err"
last=$("$ctl" --json test | jq -r .id)
wait_for 10 sh -c "grep -q '\"what\":\"closed\".*\"id\":${last:-x},' '$work/live.out'"
kill -0 $live 2>/dev/null && ! grep -q overflow "$work/live.out" &&
	[ "$(grep -c '"what":"raised"' "$work/live.out")" -ge $((tests + 1)) ]
result $? "the reading monitor stayed connected and got every raised event ($(grep -c '"what":"raised"' "$work/live.out") of $((tests + 1)))" "$work/live.err"
kill $live 2>/dev/null
wait $live 2>/dev/null
bg=
# docs/control-protocol.md (ctl_ops.log): dropped clients are logged.
grep -q "ctl: monitor uid:root (pid $stuck) does not keep up, dropped" "$dlog"
result $? "carehubd logs the dropped monitor" "$dlog"

# ---- daemon gone ----
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ $rc = 0 ] && [ ! -e "$sock" ]
result $? "carehubd ends on SIGTERM (exit $rc) and removes its socket" "$dlog"
run status
[ $rc = 1 ] && [ ! -s "$work/out" ] && grep -q "carehubd is not running ($sock" "$work/err"
result $? "daemon stopped: status exits 1 (got $rc), says carehubd is not running" "$work/err"


# ---- issue 9: start anyway without a hub control; clear start errors ----
sed 's/^\[resident ada\]$/[gpio]\nbuzzer = NO_SUCH_LINE\n&/' "$conf" >"$work/gpio.conf"
"$hubd" -c "$work/gpio.conf" >"$work/gpio.log" 2>&1 &
pid=$!
wait_for 10 test -S "$sock"
run status
[ $rc = 0 ] && grep -q "^hub controls: *FAULTY, running without: .*NO_SUCH_LINE" "$work/out" &&
	grep -q "<2>carehubd: hub control buzzer unavailable" "$work/gpio.log"
result $? "a missing buzzer line: carehubd runs, status says the hub control is faulty (exit $rc)" "$work/out"
run --json alarms --open
[ $rc = 0 ] && jqok '[.[] | select(.type == "hub-fault" and .code == 300 and .sensor == "gpio")] | length == 1' "$work/out" >/dev/null
result $? "... and raises one hub fault (code 300) to the chain (exit $rc)" "$work/out"
kill -TERM "$pid"
wait "$pid"
pid=
long=$work/$(printf 'd%.0s' $(seq 300))
"$hubd" -c "$conf" --state-dir "$long" >"$work/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "state directory path too long" "$work/out"
result $? "a --state-dir too long: exit 1, says so (got $rc)" "$work/out"
printf '[hub]\nname = x\nbogus = 1\n' >"$work/broken.conf"
"$hubd" -c "$work/broken.conf" --state-dir "$work" --socket "$work/broken.sock" >/dev/null 2>"$work/err"
rc=$?
[ $rc = 78 ] && grep -q "broken.conf:3:" "$work/err"
result $? "a configuration that does not load: the daemon exits 78 (EX_CONFIG, no restart loop), names FILE:LINE (got $rc)" "$work/err"
"$hubd" -c "$work/broken.conf" --check-config >/dev/null 2>"$work/err"
rc=$?
[ $rc = 1 ]
result $? "... --check-config on it exits 1 (got $rc)" "$work/err"
"$hubd" -c "$conf" --state-dir "$work/nonexistent" --check-config >/dev/null 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "state_dir $work/nonexistent: No such file or directory" "$work/err"
result $? "--check-config refuses a state_dir that does not exist (got $rc)" "$work/err"

finish
