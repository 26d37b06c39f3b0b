#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage (build on the host first: the guest sees the host root read-only):
#   tests/fixtures/build.sh 6.12
#   tests/vm/run --kernel 6.12 -- tests/pad/fixture-selftest.sh
#
# Self-test of the simulated ADC carehub_simadc.ko (tests/fixtures), run as
# root in a guest where nothing else uses it. The module comes from
# $CAREHUB_SIMADC_KO, else build/fixtures/$CAREHUB_KVER/carehub_simadc.ko.
# Checks the IIO device (name, label, channels, scale), the debugfs files
# and their defaults, real-time playback (loop and one-shot, reads at
# measured CLOCK_BOOTTIME moments within one sample of the expected index),
# value, errors (EIO exactly N times, -1), disconnect (ENODEV), iio_attr,
# refusal of invalid writes with EINVAL and one log line each, a 1,000,000
# sample load, concurrent reads and writes, unbinding with a waveform file
# open, module parameters, and rmmod while reading. The harness fails the
# run on any kernel splat. Prints TAP lines, timings as '# ' comments, and
# ends with `N passed, N failed`; exits 1 if anything failed.
# shellcheck disable=SC2317 # the test functions are called through check()
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ko=${CAREHUB_SIMADC_KO:-$top/build/fixtures/${CAREHUB_KVER:-$(uname -r)}/carehub_simadc.ko}
dbg=/sys/kernel/debug/carehub-simadc
drv=/sys/bus/platform/drivers/carehub-simadc
work=$(mktemp -d /tmp/simadc-selftest.XXXXXX)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

n=0
passed=0
failed=0
result() { # result STATUS(0=ok) DESCRIPTION [DETAILS-FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/#   /' "$3" | tail -n 20
	fi
}
check() { # check DESCRIPTION COMMAND... (its output is shown on failure)
	local desc=$1
	shift
	"$@" >"$work/out" 2>&1
	result $? "$desc" "$work/out"
}
finish() {
	echo "1..$n"
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}
ms() { echo $(($(date +%s%N) / 1000000)); }

# The IIO device directory of label $1.
iio_dir() {
	local d
	for d in /sys/bus/iio/devices/iio:device*; do
		[ "$(cat "$d/label" 2>/dev/null)" = "$1" ] && { echo "$d"; return 0; }
	done
	return 1
}

# wr FILE TEXT: write TEXT (no newline added); prints the error text, if
# any ("Invalid argument" ...), and fails with the write's status.
wr() {
	local err
	err=$( { printf '%s' "$2" >"$1"; } 2>&1)
	local rc=$?
	[ -n "$err" ] && echo "${err##*: }"
	return "$rc"
}

# expect_err ERRTEXT COMMAND...: COMMAND fails and says ERRTEXT.
expect_err() {
	local want=$1 out
	shift
	out=$("$@" 2>&1) && { echo "succeeded: $out"; return 1; }
	case $out in *"$want"*) return 0 ;; esac
	echo "failed, but with: $out"
	return 1
}

eq() { # eq WANT GOT
	[ "$1" = "$2" ] && return 0
	echo "expected '$1', got '$2'"
	return 1
}

raw() { cat "$iio/in_voltage$1_raw"; }

# ---------------------------------------------------------------------------
echo "TAP version 13"
echo "# module: $ko"
[ -r "$ko" ] || { result 1 "module $ko exists (build it first: tests/fixtures/build.sh)"; finish; }
rmmod carehub_simadc 2>/dev/null
check "insmod carehub_simadc (defaults)" insmod "$ko"
iio=$(iio_dir simadc0) || { result 1 "IIO device labelled simadc0"; finish; }
ch0=$dbg/simadc0/ch0
ch1=$dbg/simadc0/ch1

check "IIO device: name carehub-simadc, label simadc0" \
	eq "carehub-simadc simadc0" "$(cat "$iio/name") $(cat "$iio/label")"
check "IIO device: two voltage channels with raw, labels ch0/ch1" \
	eq "in_voltage0_label in_voltage0_raw in_voltage0_sampling_frequency in_voltage1_label in_voltage1_raw in_voltage1_sampling_frequency in_voltage_scale" \
	"$(cd "$iio" && echo in_*)"
check "channel labels are the datasheet names" \
	eq "ch0 ch1" "$(cat "$iio/in_voltage0_label" "$iio/in_voltage1_label" | xargs)"
check "scale: 5000/2^31 mV per count" eq 0.000002328 "$(cat "$iio/in_voltage_scale")"
check "platform device carehub-simadc.0 bound" test -e "$drv/carehub-simadc.0"

defaults() {
	local f out=
	for f in rate mode position value length errors disconnect reads delay_us; do
		out="$out $f=$(cat "$ch0/$f")"
	done
	eq " rate=100 mode=loop position=0 value=0 length=1 errors=0 disconnect=0 reads=0 delay_us=0" "$out"
}
check "debugfs: simadc0/ch0 defaults" defaults
check "debugfs: waveform and restart are write-only" \
	eq "--w------- --w-------" "$(stat -c %A "$ch0/waveform" "$ch0/restart" | xargs)"
check "raw read of the default waveform is 0" eq 0 "$(raw 0)"

# --- value ------------------------------------------------------------------
wr "$ch0/value" "123456"
check "value 123456: raw reads 123456" eq 123456 "$(raw 0)"
wr "$ch0/value" "-8388608"
check "value -8388608 (24-bit minimum)" eq -8388608 "$(raw 0)"
wr "$ch0/value" "8388607"
check "value 8388607 (24-bit maximum), length 1" \
	eq "8388607 1" "$(raw 0) $(cat "$ch0/length")"
check "channel 1 unaffected by channel 0" eq 0 "$(raw 1)"
check "reads counts raw reads of ch0 (4 so far)" eq 4 "$(cat "$ch0/reads")"
check "iio_attr -c carehub-simadc voltage0 raw" \
	eq 8388607 "$(iio_attr -c carehub-simadc voltage0 raw 2>&1)"

# --- real-time playback -------------------------------------------------------
seq 0 99 | sed 's/$/000/' >"$work/ramp100"	# 100 distinct samples
check "loop at 100 Hz: reads follow the clock (+-1 sample)" \
	python3 "$here/playcheck.py" "$iio/in_voltage0_raw" "$ch0" "$work/ramp100" \
	--rate 100 --mode loop --reads 40 --max-sleep 0.3
sed -n 's/^# \(.*reads.*\)/# loop 100 Hz: \1/p' "$work/out"
check "one-shot at 100 Hz: reads follow the clock, then hold the last sample" \
	python3 "$here/playcheck.py" "$iio/in_voltage0_raw" "$ch0" "$work/ramp100" \
	--rate 100 --mode oneshot --reads 25 --max-sleep 0.12
sed -n 's/^# \(.*reads.*\)/# oneshot 100 Hz: \1/p' "$work/out"
sleep 1.1
check "one-shot after the end: raw and position hold the last sample" \
	eq "99000 99" "$(raw 0) $(cat "$ch0/position")"
seq 0 4999 >"$work/ramp5000"
check "loop at 1000 Hz over 5000 samples (+-1 sample)" \
	python3 "$here/playcheck.py" "$iio/in_voltage0_raw" "$ch0" "$work/ramp5000" \
	--rate 1000 --mode loop --reads 40 --max-sleep 0.2
sed -n 's/^# \(.*reads.*\)/# loop 1000 Hz: \1/p' "$work/out"
python3 "$here/waveforms.py" lying --seconds 20 --seed 7 >"$work/lying"
check "generated 'lying' waveform plays in real time on ch1" \
	python3 "$here/playcheck.py" "$iio/in_voltage1_raw" "$ch1" "$work/lying" \
	--rate 100 --mode loop --reads 30 --max-sleep 0.3
check "mode and rate read back" eq "loop 100" "$(cat "$ch1/mode" "$ch1/rate" | xargs)"
# (playcheck.py above timed restart precisely; this is the plain file
# interface, with bounds loose enough for a slow debug kernel)
restart() {
	local p1 p2 p3 v
	wr "$ch0/rate" 100
	seq 0 9999 >"$ch0/waveform"	# sample i = i
	sleep 3
	p1=$(cat "$ch0/position")
	wr "$ch0/restart" 1 || return 1
	p2=$(cat "$ch0/position")
	v=$(cat "$ch0/value")
	p3=$(cat "$ch0/position")
	echo "position $p1 before, $p2 after restart; value $v; position $p3"
	[ "$p1" -ge 280 ] && [ "$p2" -lt "$p1" ] &&
		[ "$v" -ge "$p2" ] && [ "$v" -le "$p3" ]
}
check "restart: playback from sample 0; value reads the sample playing now" restart

# --- waveform format ----------------------------------------------------------
printf '# header\n\n  1\n-2 # two\n\t+3\r\n007\n# end' >"$work/format"
check "waveform: comments, blank lines, signs, CRLF, leading zeros" \
	python3 "$here/playcheck.py" "$iio/in_voltage0_raw" "$ch0" "$work/format" \
	--rate 4 --mode oneshot --reads 8
printf '10\n20\n30' >"$ch0/waveform"
check "waveform: last line without newline" eq 3 "$(cat "$ch0/length")"
split_write() {
	# one open(), many write()s; numbers cut across writes
	python3 - "$ch0/waveform" <<'EOF'
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
for chunk in (b"1", b"11\n2", b"22\n-", b"333\n44", b"4"):
    os.write(fd, chunk)
os.close(fd)
EOF
	eq 4 "$(cat "$ch0/length")" || return 1
	wr "$ch0/rate" 10000
	wr "$ch0/mode" oneshot
	sleep 0.01
	eq 444 "$(raw 0)"
}
check "waveform: values split across write()s, committed at close" split_write
wr "$ch0/rate" 100
wr "$ch0/mode" loop

# --- errors, disconnect -------------------------------------------------------
wr "$ch0/value" 777
errors_n() {
	local i r0 r1
	r0=$(cat "$ch0/reads")
	wr "$ch0/errors" 3
	for i in 1 2 3; do
		expect_err "Input/output error" cat "$iio/in_voltage0_raw" || return 1
	done
	eq 777 "$(raw 0)" || return 1
	eq 0 "$(cat "$ch0/errors")" || return 1
	r1=$(cat "$ch0/reads")
	eq 4 $((r1 - r0))
}
check "errors 3: exactly 3 reads fail with EIO, then reads work" errors_n
errors_all() {
	local i
	wr "$ch0/errors" -1
	for i in 1 2 3 4 5; do
		expect_err "Input/output error" cat "$iio/in_voltage0_raw" || return 1
	done
	eq -1 "$(cat "$ch0/errors")" || return 1
	raw 1 >/dev/null || return 1
	wr "$ch0/errors" 0
	eq 777 "$(raw 0)"
}
check "errors -1: every read fails until 0; other channel unaffected" errors_all
disconnect() {
	wr "$ch0/disconnect" 1
	expect_err "No such device" cat "$iio/in_voltage0_raw" || return 1
	wr "$ch0/errors" 2
	expect_err "No such device" cat "$iio/in_voltage0_raw" || return 1
	eq "1 2" "$(cat "$ch0/disconnect" "$ch0/errors" | xargs)" || return 1
	wr "$ch0/disconnect" 0
	expect_err "Input/output error" cat "$iio/in_voltage0_raw" || return 1
	expect_err "Input/output error" cat "$iio/in_voltage0_raw" || return 1
	eq 777 "$(raw 0)"
}
check "disconnect: ENODEV until 0, pending errors kept for after" disconnect
check "iio_attr reports the failure of a disconnected channel" \
	bash -c "printf 1 >'$ch0/disconnect'; ! iio_attr -c carehub-simadc voltage0 raw; r=\$?; printf 0 >'$ch0/disconnect'; exit \$r"

# --- invalid writes -----------------------------------------------------------
invalid() { # invalid FILE TEXT
	local before after out
	before=$(dmesg | grep -c 'carehub-simadc.0: ch0:')
	out=$(wr "$ch0/$1" "$2") && { echo "accepted"; return 1; }
	eq "Invalid argument" "$out" || return 1
	after=$(dmesg | grep -c 'carehub-simadc.0: ch0:')
	eq 1 $((after - before))
}
while read -r file text; do
	text=${text//\\n/$'\n'}
	check "invalid write refused: $file '${text//$'\n'/\\n}'" invalid "$file" "$text"
done <<'EOF'
rate 0
rate 10001
rate 12abc
rate -5
mode repeat
restart 0
restart 2
value 8388608
value -8388609
value 1.5
errors -2
errors many
disconnect 2
delay_us 200001
position 5
length 1
reads 0
waveform 1\nx\n
waveform 1\n8388608\n
waveform -8388609\n
waveform 1 2\n
waveform 99999999999999999999\n
waveform --1\n
EOF
check "after the refused writes the state is unchanged" \
	eq "100 loop 1 777 0 0 0" \
	"$(cat "$ch0/rate" "$ch0/mode" "$ch0/length" "$ch0/value" "$ch0/errors" "$ch0/disconnect" "$ch0/delay_us" | xargs)"
close_time_error() { # a dangling sign / no samples only show at close()
	local before after
	before=$(dmesg | grep -c 'carehub-simadc.0: ch0: waveform')
	printf '5\n-' >"$ch0/waveform"
	printf '# only a comment\n' >"$ch0/waveform"
	after=$(dmesg | grep -c 'carehub-simadc.0: ch0: waveform')
	eq 2 $((after - before)) || return 1
	eq "1 777" "$(cat "$ch0/length" "$ch0/value" | xargs)"
}
check "errors found at close() are logged, the waveform kept" close_time_error
check "opening and closing the waveform file without writing changes nothing" \
	bash -c ": >'$ch0/waveform' && [ \"\$(cat '$ch0/length')\" = 1 ]"

# --- delay_us, read cost --------------------------------------------------------
read_cost() {
	python3 - "$iio/in_voltage0_raw" "$1" <<'EOF'
import os, sys, time
path, count = sys.argv[1], int(sys.argv[2])
t = time.monotonic()
for _ in range(count):
    with open(path) as f:
        f.read()
t1 = time.monotonic()
fd = os.open(path, os.O_RDONLY)
for _ in range(count):
    os.pread(fd, 32, 0)
t2 = time.monotonic()
os.close(fd)
print(f"{(t1 - t) / count * 1e6:.0f} {(t2 - t1) / count * 1e6:.0f}")
EOF
}
read -r c_open c_pread <<<"$(read_cost 2000)"
echo "# read cost (TCG): ${c_open} us open+read+close, ${c_pread} us pread on an open fd"
delay() { # 20 preads on one fd, without and with a 20 ms conversion
	python3 - "$iio/in_voltage0_raw" "$ch0/delay_us" <<'EOF'
import os, sys, time
raw, knob = sys.argv[1], sys.argv[2]
fd = os.open(raw, os.O_RDONLY)
per = []
for us in (0, 20000):
    with open(knob, "w") as f:
        f.write(str(us))
    t = time.monotonic()
    for _ in range(20):
        os.pread(fd, 32, 0)
    per.append((time.monotonic() - t) / 20 * 1000)
with open(knob, "w") as f:
    f.write("0")
os.close(fd)
print(f"read: {per[0]:.2f} ms with delay_us 0, {per[1]:.2f} ms with 20000")
sys.exit(0 if 20 <= per[1] - per[0] <= 30 else 1)
EOF
}
check "delay_us 20000: each read takes 20 ms more" delay
sed 's/^/# /' "$work/out"
pos_pread() { # pread at offset 0 on one open fd sees the clock move
	python3 - "$iio/in_voltage0_raw" "$ch0" <<'EOF'
import os, sys, time
raw, ch = sys.argv[1], sys.argv[2]
with open(f"{ch}/waveform", "w") as f:
    f.write("\n".join(str(i) for i in range(1000)) + "\n")
fd = os.open(raw, os.O_RDONLY)
a = int(os.pread(fd, 32, 0))
time.sleep(0.2)
b = int(os.pread(fd, 32, 0))
os.close(fd)
print(a, b)
sys.exit(0 if 15 <= b - a <= 40 else 1)
EOF
}
check "pread(fd, 0) on a held sysfs fd reads a fresh sample" pos_pread

# --- a 1,000,000-sample waveform --------------------------------------------------
seq 0 999999 >"$work/big"
big() {
	local t0 t1 t2
	t0=$(ms)
	cat "$work/big" >"$ch0/waveform" || return 1
	t1=$(ms)
	eq 1000000 "$(cat "$ch0/length")" || return 1
	echo "1M samples ($(stat -c %s "$work/big") bytes) with cat: $((t1 - t0)) ms"
	dd if="$work/big" of="$ch0/waveform" bs=4096 status=none || return 1
	t2=$(ms)
	eq 1000000 "$(cat "$ch0/length")" || return 1
	echo "1M samples in 4096-byte writes (dd): $((t2 - t1)) ms"
}
check "a 1,000,000-sample waveform loads (cat, and 4 KiB writes)" big
sed 's/^/# /' "$work/out"
check "1M waveform at 10 kHz: reads follow the clock (+-1 sample)" \
	python3 "$here/playcheck.py" "$iio/in_voltage0_raw" "$ch0" "$work/big" \
	--rate 10000 --mode loop --reads 20 --max-sleep 0.2 --no-load
sed -n 's/^# \(.*reads.*\)/# 1M at 10 kHz: \1/p' "$work/out"
too_big() {
	# 8388609 one-digit lines: one more than the fixture takes
	python3 - "$ch1/waveform" <<'EOF'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
chunk = b"0\n" * 65536
try:
    for _ in range(8388609 // 65536 + 1):
        os.write(fd, chunk)
except OSError as e:
    os.close(fd)
    sys.exit(0 if e.errno == errno.EFBIG else 1)
os.close(fd)
sys.exit(1)
EOF
}
check "more than 8388608 samples: EFBIG, waveform kept" too_big
check "channel 1 still has its waveform" eq 2000 "$(cat "$ch1/length")"
wr "$ch0/value" 0

# --- concurrency ----------------------------------------------------------------
concurrent() {
	local t_end r
	t_end=$(($(date +%s) + 4))
	(while [ "$(date +%s)" -lt "$t_end" ]; do cat "$iio/in_voltage0_raw" "$iio/in_voltage1_raw"; done >/dev/null 2>&1) &
	(while [ "$(date +%s)" -lt "$t_end" ]; do
		cat "$work/lying" >"$ch0/waveform"
		printf 50 >"$ch0/rate"; printf oneshot >"$ch0/mode"
		printf 2 >"$ch0/errors"; printf 1 >"$ch0/restart"
		printf 100 >"$ch0/rate"; printf loop >"$ch0/mode"
		printf 1 >"$ch1/disconnect"; printf 0 >"$ch1/disconnect"
		printf 1000 >"$ch0/delay_us"; printf 0 >"$ch0/delay_us"
	done) &
	(while [ "$(date +%s)" -lt "$t_end" ]; do
		cat "$ch0/position" "$ch0/value" "$ch0/reads" "$ch1/value"
	done >/dev/null) &
	wait
	printf 0 >"$ch0/errors"
	r=$(cat "$ch0/reads")
	echo "reads served: $r on ch0"
	[ "$r" -gt 100 ]
}
check "4 s of concurrent sysfs reads and debugfs writes" concurrent
sed 's/^/# /' "$work/out"

# --- unbind with a waveform file open -------------------------------------------
unbind_open() {
	exec 3>"$ch0/waveform" || return 1
	printf '1\n2\n' >&3
	echo carehub-simadc.0 >"$drv/unbind" || return 1
	[ ! -e "$dbg/simadc0" ] || { echo "debugfs dir still there"; return 1; }
	printf '3\n' >&3 2>/dev/null && { echo "write after unbind succeeded"; return 1; }
	exec 3>&-
	echo carehub-simadc.0 >"$drv/bind" || return 1
	iio=$(iio_dir simadc0) || return 1
	eq "1 0" "$(cat "$ch0/length") $(raw 0)"
}
check "unbind while a waveform file is open, close after, rebind: fresh state" unbind_open

# --- module parameters ----------------------------------------------------------
check "rmmod" rmmod carehub_simadc
check "insmod devices=5 refused" expect_err "Invalid" insmod "$ko" devices=5
check "insmod channels=0 refused" expect_err "Invalid" insmod "$ko" channels=0
params() {
	insmod "$ko" devices=2 channels=4 || return 1
	local d1
	d1=$(iio_dir simadc1) || { echo "no simadc1"; return 1; }
	iio=$(iio_dir simadc0) || return 1
	local r0=("$iio"/in_voltage*_raw) r1=("$d1"/in_voltage*_raw)
	eq "carehub-simadc 4 4" "$(cat "$d1/name") ${#r1[@]} ${#r0[@]}" || return 1
	[ -d "$dbg/simadc1/ch3" ] || { echo "no debugfs simadc1/ch3"; return 1; }
	printf 42 >"$dbg/simadc1/ch3/value"
	eq "42 0" "$(cat "$d1/in_voltage3_raw" "$iio/in_voltage3_raw" | xargs)" || return 1
	eq "2 4" "$(cat /sys/module/carehub_simadc/parameters/devices /sys/module/carehub_simadc/parameters/channels | xargs)"
}
check "devices=2 channels=4: two ADCs of four channels, independent" params
check "iio_attr -c carehub-simadc lists both devices" \
	bash -c "[ \$(iio_attr -c carehub-simadc voltage3 raw | grep -c .) -ge 2 ]"

# --- rmmod while reading -----------------------------------------------------------
rmmod_reading() {
	local i r rc=0
	iio=$(iio_dir simadc0) || return 1
	printf 50000 >"$dbg/simadc0/ch0/delay_us"
	for i in 1 2 3; do
		(while cat "$iio/in_voltage0_raw"; do :; done >/dev/null 2>&1) &
		pids+=($!)
	done
	rm -f "$work/ready"
	python3 - "$iio/in_voltage1_raw" "$work/ready" >"$work/held" 2>&1 <<'EOF' &
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.pread(fd, 32, 0)
open(sys.argv[2], "w").close()
n = 1
while True:
    try:
        os.pread(fd, 32, 0)
        n += 1
    except OSError as e:
        print(f"held fd: {n} reads, then {os.strerror(e.errno)}")
        break
EOF
	pids+=($!)
	for i in $(seq 300); do [ -e "$work/ready" ] && break; sleep 0.1; done
	[ -e "$work/ready" ] || { echo "the held-fd reader did not start"; cat "$work/held"; return 1; }
	sleep 0.5
	for i in 1 2 3 4 5; do
		rmmod carehub_simadc && break
		rc=1
		sleep 0.2
	done
	lsmod | grep -q '^carehub_simadc ' && { echo "still loaded"; return 1; }
	[ "$rc" = 0 ] || echo "rmmod needed retries"
	sleep 0.5
	for i in "${pids[@]}"; do kill "$i" 2>/dev/null; done
	wait 2>/dev/null
	pids=()
	cat "$work/held"
	[ ! -e "$dbg" ] || { echo "debugfs root left behind"; return 1; }
	grep -q "then No such device\|then No such file" "$work/held"
}
check "rmmod while 4 readers (one in a 50 ms conversion) are reading" rmmod_reading
sed 's/^/# /' "$work/out"
check "insmod again after that" insmod "$ko"
busy() { # an open debugfs file holds a module reference
	exec 4<"$dbg/simadc0/ch0/rate"
	expect_err "in use" rmmod carehub_simadc
	local rc=$?
	exec 4<&-
	return "$rc"
}
check "rmmod refused while a debugfs file is open" busy
check "rmmod" rmmod carehub_simadc

finish
