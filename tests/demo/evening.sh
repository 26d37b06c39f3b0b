#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (see tests/demo/run): declares the sensors and
# plays the evening. Reed contacts, bed and pull-cord switches are wired
# to ground with a pull-up, so "closed/occupied/pressed" is a low line:
# active_low=1.
set -eu
ctl=daemon/carehubctl
sim=/sys/kernel/config/gpio-sim/hub
say() { printf '\n\033[1m%s\033[0m\n' "$*"; sleep 0.3; }

insmod "$CAREHUB_KO"

# The hub's terminal block: three simulated lines with names.
mkdir -p $sim/bank0
echo 3 > $sim/bank0/num_lines
for l in 0:door 1:bed 2:cord; do
	mkdir $sim/bank0/line${l%%:*}
	echo "hub-${l#*:}" > $sim/bank0/line${l%%:*}/name
done
echo 1 > $sim/live
dev=$(cat $sim/dev_name)
chip=$(cat $sim/bank0/chip_name)
pull() { echo "pull-$2" > /sys/devices/platform/$dev/$chip/sim_gpio$1/pull; }
# Contact bounce: n fast toggles ending at the final level.
bounce() {
	line=$1 final=$2 n=$3 other=up
	[ "$final" = up ] && other=down
	i=0
	while [ $i -lt "$n" ]; do
		pull "$line" $other; pull "$line" "$final"; i=$((i + 1))
	done
}

pull 0 down	# door closed
pull 1 up	# bed empty
pull 2 up	# cord not pulled

declare() {
	d=/sys/kernel/config/carehub/$1
	mkdir "$d"
	echo "$2" > "$d/kind"; echo "$3" > "$d/label"; echo "$4" > "$d/gpio_line"
	echo 1 > "$d/active_low"; echo "$5" > "$d/debounce_ms"
	echo 1 > "$d/live"
}

say "The hub starts: carehubctl monitor listens to the kernel's event stream."
$ctl monitor &
mon=$!
sleep 1

say "Three sensors are declared through configfs (on a Pi: device tree):"
declare door0 door front-door hub-door 20
declare bed0 bed bedroom-bed hub-bed 100
declare sos0 sos bathroom-cord hub-cord 10
sleep 1

say "19:30  Mrs Li comes home. The reed contact bounces 6 times as the door opens..."
bounce 0 up 6
sleep 1
say "19:31  ...and again as it closes. Still one event each way:"
bounce 0 down 5
sleep 1

say "21:45  She goes to bed (the bed switch closes, with a little chatter):"
bounce 1 down 3
sleep 1
say "23:10  She turns over: the switch opens for a moment. A glitch, not a bed exit:"
pull 1 up; pull 1 down
sleep 1

say "02:20  She gets up and pulls the bathroom cord for help:"
bounce 1 up 2
sleep 0.5
bounce 2 down 4
sleep 1
say "02:21  The carer arrives and resets the cord:"
bounce 2 up 2
sleep 1

say "The bedroom also has a pressure pad under the mattress, read through an ADC."
insmod "$CAREHUB_SIMADC_KO"
adc=/sys/kernel/debug/carehub-simadc/simadc0/ch0
echo oneshot > $adc/mode
echo 400000 > $adc/value	# the empty bed
d=/sys/kernel/config/carehub/pad0
mkdir $d
echo pad > $d/kind; echo bedroom-pad > $d/label
echo simadc0 > $d/adc_device; echo ch0 > $d/adc_channel
echo 400000 > $d/empty_level; echo 2000000 > $d/occupied_level
echo 2000 > $d/enter_ms; echo 2000 > $d/leave_ms	# short, for the demo
echo 1 > $d/live
sleep 1

say "22:30  She lies down (heartbeat and breathing ride on the load):"
cat "$CAREHUB_WAVES/lying.txt" > $adc/waveform
sleep 5
say "01:00  She turns over: seconds of movement, part of the load gone. Not a bed exit:"
cat "$CAREHUB_WAVES/turnover.txt" > $adc/waveform
sleep 12
say "06:30  She sits up, sits on the edge, stands up:"
cat "$CAREHUB_WAVES/getup.txt" > $adc/waveform
sleep 21

kill $mon 2>/dev/null || true
wait $mon 2>/dev/null || true

say "The state of every sensor (carehubctl sensors):"
$ctl sensors
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
echo
