#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (see tests/demo/run): declares the sensors, starts
# carehubd with a demo configuration and plays an evening and two nights.
# Reed contacts, bed and pull-cord switches are wired to ground with a
# pull-up, so "closed/occupied/pressed" is a low line: active_low=1. The
# hub's own Cancel button pulls its line low too; its buzzer is an output
# line whose level gpio-sim shows in sysfs.
#
# The guest's clock is set to the story's time (the guest is thrown away
# afterwards), so the night windows in the configuration are the real ones
# and every time carehubctl prints matches the narration. carehubd notices
# each step of the wall clock and re-evaluates its windows.
#
# Ends with the expected outcomes checked (alarms raised, escalated,
# acknowledged, a pre-alarm cancelled, no alarm outside the window); exit 1
# if one is missing, so `make demo` fails.
set -u
ctl=daemon/carehubctl
hubd=daemon/carehubd
export TZ=Asia/Shanghai
work=$(mktemp -d /tmp/carehub-demo.XXXXXX)
conf=$work/carehubd.conf
sock=$work/carehubd.sock
log=$work/carehubd.log
. tests/e2e/lib.sh	# sim_chip, sim_line
hubpid= mon=

say() { printf '\n\033[1m%s\033[0m\n' "$*"; sleep 0.3; }
# tell TEXT: narration stamped with the guest's (the story's) clock
tell() { say "$(date +%H:%M)  $*"; }
clock() { date -s "$1" >/dev/null; }
note() { printf '  %s\n' "$*"; }
bail() {
	printf '\ndemo: FAILED: %s\n' "$*"
	[ -f "$log" ] && tail -n 20 "$log" | sed 's/^/  carehubd: /'
	exit 1
}
cleanup() {
	[ -n "$mon" ] && kill "$mon" 2>/dev/null
	[ -n "$hubpid" ] && kill -9 "$hubpid" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT

# Expected outcomes, checked as the story goes and summed up at the end.
outcomes=() missing=0
expect() { # expect DESCRIPTION CMD...
	local d=$1
	shift
	if "$@"; then
		outcomes+=("ok      $d")
	else
		outcomes+=("MISSING $d")
		missing=$((missing + 1))
		note "(expected, but did not happen: $d)"
	fi
}

C() { "$ctl" --socket "$sock" "$@"; }
# within SECONDS CMD...: until CMD succeeds, on the boot clock (the wall
# clock jumps with the story); false after SECONDS
within() {
	local up end
	read -r up _ </proc/uptime
	end=$((${up%.*} + $1))
	shift
	while ! "$@"; do
		read -r up _ </proc/uptime
		[ "${up%.*}" -ge "$end" ] && return 1
		sleep 0.1
	done
}
# alarm_ids JQ-FILTER: ids of the alarms that match, newest first
alarm_ids() { C --json alarms 2>/dev/null | jq -r ".[] | select($1) | .id"; }
has_alarm() { [ -n "$(alarm_ids "$1")" ]; }
# What the care network received: the log transport's lines in carehubd's
# journal output, from line $jline on, one readable line each.
jline=0
journal() {
	local n
	n=$(wc -l <"$log")
	sed -n "$((jline + 1)),${n}p" "$log" |
		sed -n 's/^<[0-9]>\([A-Z]*\) msg=[0-9]* alarm=\([0-9]*\) code=\([0-9]*\) zone=\([0-9]*\) .* to="\([^"]*\)".* text="\(.*\)"$/  journal: \1 #\2 -> \5: code \3 zone \4 "\6"/p'
	jline=$n
}
delivered_to() { # delivered_to ALARM-ID RECIPIENT
	grep -q "^<[0-9]>ALARM msg=[0-9]* alarm=$1 .*to=\"$2\"" "$log"
}

# The hub's terminal block: sensors on three simulated lines, the hub's
# own call and Cancel buttons, buzzer and LED on four more.
# lines: 0 door, 1 bed, 2 cord, 3 HUB_SOS, 4 HUB_CANCEL, 5 HUB_BUZZER, 6 HUB_LED
sim_chip hub hub-door hub-bed hub-cord HUB_SOS HUB_CANCEL HUB_BUZZER HUB_LED ||
	bail "gpio-sim chip"
# Paths looked up once: a bounce must be faster than the debounce time.
for i in 0 1 2 3 4 5 6; do simdir[i]=$(sim_line hub $i); done
pull() { echo "pull-$2" >"${simdir[$1]}/pull"; }
value() { local v; read -r v <"${simdir[$1]}/value"; echo "$v"; }
# Contact bounce: n fast toggles ending at the final level.
bounce() {
	local line=$1 final=$2 n=$3 other=up i=0
	[ "$final" = up ] && other=down
	while [ $i -lt "$n" ]; do
		pull "$line" $other; pull "$line" "$final"; i=$((i + 1))
	done
}
# A press of a hub button: the line is low while pressed.
press() { pull "$1" down; sleep 0.3; pull "$1" up; }
buzzer_is() { [ "$(value 5)" = "$1" ]; }

pull 0 down	# door closed
pull 1 up	# bed empty
pull 2 up	# cord not pulled
pull 3 up	# hub buttons released
pull 4 up

insmod "$CAREHUB_KO" || bail "insmod carehub.ko"
sensor() {
	local d=/sys/kernel/config/carehub/$1
	mkdir "$d" &&
		echo "$2" >"$d/kind" && echo "$3" >"$d/label" &&
		echo "$4" >"$d/gpio_line" && echo 1 >"$d/active_low" &&
		echo "$5" >"$d/debounce_ms" && echo 1 >"$d/live"
}

# The demo's configuration: carehubd.conf(5). Durations are the smallest
# the configuration accepts where the real ones would take minutes.
cat >"$conf" <<CONF
[hub]
name = flat-12-hub
state_dir = $work
socket = $sock
timezone = $TZ

[gpio]
sos_button = HUB_SOS
cancel_button = HUB_CANCEL
buzzer = HUB_BUZZER
led = HUB_LED

[resident li]
account = 1234

[sensor front-door]
kind = door
label = Front door

[sensor bed]
kind = bed
label = Bed switch

[sensor pull-cord]
kind = sos
label = Bathroom pull cord

[sensor pad]
kind = pad
label = Mattress pad

[rule sos]
type = sos

[rule door-night]
type = door-night
window = 23:00-06:00

[rule door-left-open]
type = door-open
window = 23:00-06:00
max = 15s
prealarm = 10s

[rule night-exit]
type = bed-exit
window = 22:00-07:00
max = 1m
prealarm = 10s

[recipient family]
transport = log
ack_timeout = 10s

[recipient worker]
transport = log
ack_timeout = 10s

[escalation]
chain = family, worker
repeat = 0
CONF

clock "2025-03-14 19:20:00"
say "The hub starts: carehubd, the alarm daemon, with this configuration (rules and recipients):"
"$hubd" -c "$conf" --check-config >"$work/check" 2>&1 || { cat "$work/check"; bail "the demo configuration is refused"; }
awk '/^\[/ { if (s) print s; s = "  " $0; next }
     /=/  { sub(/ *= */, "="); s = s " " $0 }
     END  { print s }' "$conf" | grep -E '^  \[(gpio|rule|recipient|escalation)'
"$hubd" -c "$conf" >"$log" 2>&1 &
hubpid=$!
within 60 C status >/dev/null 2>&1 || bail "carehubd does not answer on $sock"
note "(its journal lines go to $log; the log transport writes what the care network receives there)"

say "carehubctl monitor follows what carehubd sees: sensor changes and alarms."
# Shorter lines for the alarm's later steps (the text is on its first
# line); the per-recipient "queued" steps left out (the journal shows them).
# Through a FIFO (the guest has no /dev/fd for a process substitution),
# line-buffered and read unbuffered (sed -u; mawk would wait for a full
# block) so that events show as they happen; $! is carehubctl itself.
mkfifo "$work/monitor"
sed -u -e '/ alarm  #[0-9]* what=queued /d' \
	-e '/ alarm  #[0-9]* what=\(raised\|prealarm\) /!s/\( alarm  #[0-9]* what=.*\) code=.*/\1/' \
	<"$work/monitor" &
stdbuf -oL "$ctl" --socket "$sock" monitor >"$work/monitor" &
mon=$!
sleep 1

say "Three sensors are declared through configfs (on a Pi: device tree):"
sensor front-door door front-door hub-door 20 || bail "declare front-door"
sensor bed bed bedroom-bed hub-bed 100 || bail "declare bed"
sensor pull-cord sos bathroom-cord hub-cord 10 || bail "declare pull-cord"
sleep 1.5

clock "2025-03-14 19:30:00"
tell "Mrs Li comes home. The reed contact bounces 6 times as the door opens..."
bounce 0 up 6
sleep 1
clock "2025-03-14 19:31:00"
tell "...and again as it closes. Still one event each way, and no alarm: the night window is 23:00-06:00."
bounce 0 down 5
sleep 1

clock "2025-03-14 21:45:00"
tell "She goes to bed (the bed switch closes, with a little chatter):"
bounce 1 down 3
sleep 1
clock "2025-03-14 23:10:00"
tell "She turns over: the switch opens for a moment. A glitch, not a bed exit:"
pull 1 up; pull 1 down
sleep 1

clock "2025-03-15 02:20:00"
tell "She gets up (carehubd starts counting her time out of bed)..."
bounce 1 up 2
sleep 0.5
tell "...and opens the front door in the middle of the night:"
bounce 0 up 6
within 20 has_alarm '.rule == "door-night" and .raised != null'
expect "02:20 door opened at night -> door-night alarm (code 150) at once" test $? = 0
did=$(alarm_ids '.rule == "door-night"' | head -n1)
sleep 0.5
journal
say "Nobody in the family answers within their ack_timeout (10 s): carehubd escalates to the community worker."
within 30 delivered_to "${did:-0}" worker
expect "the door alarm escalated from family to worker" test $? = 0
sleep 0.3
journal

say "The door stays open. After 15 s the hub beeps: a 'door left open' pre-alarm, local only:"
within 30 buzzer_is 1
b1=$?
note "gpio-sim: HUB_BUZZER value = $(value 5), HUB_LED value = $(value 6)"
tell "She presses Cancel on the hub (\"I'm OK\") and shuts the door:"
press 4
within 10 buzzer_is 0
b0=$?
note "gpio-sim: HUB_BUZZER value = $(value 5): the pre-alarm is cancelled, no 'door left open' alarm goes out"
expect "Cancel during the pre-alarm: buzzer 1 then 0" test $b1 = 0 -a $b0 = 0
bounce 0 down 5
sleep 1
within 10 has_alarm '.rule == "door-left-open" and .state == "cancelled"'
c=$?
has_alarm '.rule == "door-left-open" and .raised != null'
expect "the 'door left open' pre-alarm ended cancelled, never raised" test $c = 0 -a $? != 0

tell "The worker phones her and takes charge of the door alarm:"
note "\$ carehubctl ack $did"
C ack "${did:-0}"
within 10 has_alarm ".id == ${did:-0} and .state == \"closed\""
expect "the door alarm, door shut and acknowledged, is closed" test $? = 0
sleep 0.5
journal

tell "On her way back she feels dizzy in the bathroom and pulls the cord:"
bounce 2 down 4
within 20 has_alarm '.rule == "sos" and .sensor == "pull-cord" and .state == "raised"'
expect "pull cord -> SOS alarm (code 101) at once" test $? = 0
sid=$(alarm_ids '.rule == "sos" and .sensor == "pull-cord"' | head -n1)
sleep 0.5
journal
tell "The worker answers the call at once:"
note "\$ carehubctl ack $sid"
C ack "${sid:-0}"
expect "the SOS alarm is acknowledged by the worker's account" \
	has_alarm ".id == ${sid:-0} and .acked_by != null"
sleep 0.5
tell "A neighbour comes in, resets the cord and helps her back to bed:"
bounce 2 up 2
bounce 1 down 2
sleep 1.5

say "The bedroom also has a pressure pad under the mattress, read through an ADC."
clock "2025-03-15 22:25:00"
insmod "$CAREHUB_SIMADC_KO" || bail "insmod carehub_simadc.ko"
adc=/sys/kernel/debug/carehub-simadc/simadc0/ch0
echo oneshot > $adc/mode
echo 400000 > $adc/value	# the empty bed
d=/sys/kernel/config/carehub/pad
mkdir $d
echo pad > $d/kind; echo bedroom-pad > $d/label
echo simadc0 > $d/adc_device; echo ch0 > $d/adc_channel
echo 400000 > $d/empty_level; echo 2000000 > $d/occupied_level
echo 2000 > $d/enter_ms; echo 2000 > $d/leave_ms	# short, for the demo
echo 1 > $d/live || bail "declare pad"
sleep 1

clock "2025-03-15 22:30:00"
tell "The next night she lies down (heartbeat and breathing ride on the load):"
cat "$CAREHUB_WAVES/lying.txt" > $adc/waveform
sleep 5
clock "2025-03-16 01:00:00"
tell "She turns over: seconds of movement, part of the load gone. Not a bed exit:"
cat "$CAREHUB_WAVES/turnover.txt" > $adc/waveform
sleep 12
clock "2025-03-16 03:30:00"
tell "She sits up, sits on the edge, stands up and leaves the bedroom:"
cat "$CAREHUB_WAVES/getup.txt" > $adc/waveform
sleep 21
say "She does not come back. night-exit counts 1 minute here (the smallest max; 20 minutes is common), then pre-alarms for 10 s."
within 90 buzzer_is 1
b1=$?
tell "The hub beeps (HUB_BUZZER value = $(value 5)). Nobody presses Cancel; carehubctl status meanwhile:"
C status
within 30 has_alarm '.rule == "night-exit" and .sensor == "pad" and .state == "raised"'
expect "03:31 bed exit at night, not back: pre-alarm (buzzer 1), then the alarm (code 150)" \
	test $? = 0 -a $b1 = 0
bid=$(alarm_ids '.rule == "night-exit" and .sensor == "pad"' | head -n1)
within 5 buzzer_is 0
note "gpio-sim: HUB_BUZZER value = $(value 5): the pre-alarm ended, the alarm is out"
sleep 0.5
journal
tell "The worker is on the way and takes charge:"
note "\$ carehubctl ack $bid"
C ack "${bid:-0}"
sleep 1

kill $mon 2>/dev/null
wait $mon 2>/dev/null
mon=

say "The hub at a glance (carehubctl status):"
C status
say "Every alarm of the two nights (carehubctl alarms):"
C alarms
say "What the care network received (the log transport's lines in carehubd's journal):"
jline=0
journal
say "The state of every sensor (carehubctl sensors; SINCE and the online rates count the seconds the guest really ran, not the hours its clock jumped):"
C sensors
say "Counters on the IIO side (glitches were seen and dropped):"
for d in /sys/bus/platform/devices/carehub-contact.*/iio:device*; do
	printf '  %-14s %-13s raw=%s edges=%-3s glitches=%s\n' "$(cat "$d/name")" \
		"$(cat "$d/label")" "$(cat "$d/in_proximity_raw")" \
		"$(cat "$d/edge_count")" "$(cat "$d/glitch_count")"
done
p=$(ls -d /sys/bus/platform/devices/carehub-pad.*/iio:device*)
printf '  %-14s %-13s occupied=%s samples=%s at %s Hz, crossings=%s, cancelled=%s\n' \
	"$(cat "$p/name")" "$(cat "$p/label")" "$(cat "$p/in_proximity_raw")" \
	"$(cat "$p/sample_count")" "$(cat "$p/sampling_frequency")" \
	"$(cat "$p/crossing_count")" "$(cat "$p/glitch_count")"

# The checks that need the whole story.
n=$(C --json alarms | jq '[.[] | select(.rule == "door-night")] | length')
expect "exactly one door-night alarm: none at 19:30, outside the window (saw ${n:-?})" test "${n:-0}" = 1
n=$(C --json alarms | jq '[.[] | select(.rule == "night-exit" and .sensor == "bed" and .raised != null)] | length')
expect "no bed-exit alarm for the night she went back to bed (saw ${n:-?})" test "${n:-1}" = 0
kill -TERM "$hubpid"
wait "$hubpid"
rc=$?
hubpid=
expect "carehubd stops cleanly on SIGTERM (exit $rc)" test $rc = 0

say "Expected outcomes:"
for o in "${outcomes[@]}"; do note "$o"; done
if [ "$missing" != 0 ]; then
	printf '\ndemo: FAILED: %d of %d expected outcomes missing\n' "$missing" "${#outcomes[@]}"
	exit 1
fi
printf '\ndemo: all %d expected outcomes seen\n' "${#outcomes[@]}"
