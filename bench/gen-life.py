#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a carehubd --replay scenario: N days of plausible life.

The sensors are those of etc/carehubd.conf (bedroom-pad, front-door,
toilet, pull-cord). Each day: up in the morning, toilet use and door
openings by day (sometimes a long outing), to bed in the evening with
0-3 toilet visits at night (rarely one that lasts long enough for the
bed-exit alarm), vital-sign estimates while in bed, a rare SOS pull or
hub-button press, and a few operator acknowledgements. Times are local
(the config's zone) and never go backwards; the grammar is daemon/replay.h.
The example config's zone has no DST; for one that has, give --tz ZONE and
every line carries its UTC offset (a time in the spring gap moves past it,
an autumn time means its first occurrence).

    bench/gen-life.py --days 30 --seed 1 > /tmp/life.scn
    daemon/carehubd -c etc/carehubd.conf --replay /tmp/life.scn --stats

The same --seed and arguments always give the same file.

    bench/gen-life.py --reraise 2000 > /tmp/reraise.scn

instead writes the worst case for the store: the front door left open 11
minutes (door-left-open raises), shut for a minute (restored), CYCLES
times, nobody ever acknowledging - one alarm that stays open and is
raised again every cycle, its history growing. Its cost per transition
must not grow with that history.
"""
import argparse
import datetime as dt
import random
import sys
import zoneinfo


class Life:
    def __init__(self, rng, out, tz=None):
        self.rng = rng
        self.out = out
        self.tz = tz
        self.t = None           # local time of the last line written
        self.utc = None         # and as an instant (--tz)

    def at(self, t, cmd):
        # Keep the stream monotonic even if a plan overlaps slightly.
        if self.t is not None and t < self.t:
            t = self.t
        if not self.tz:
            self.t = t
            self.out.write(f"{t:%Y-%m-%dT%H:%M:%S} {cmd}\n")
            return
        utc = t.replace(tzinfo=self.tz).astimezone(dt.timezone.utc)
        if self.utc is not None and utc < self.utc:
            utc = self.utc
        self.utc = utc
        loc = utc.astimezone(self.tz)
        self.t = max(t, loc.replace(tzinfo=None))
        off = int(loc.utcoffset().total_seconds()) // 60
        sign = "-" if off < 0 else "+"
        self.out.write(f"{loc:%Y-%m-%dT%H:%M:%S}{sign}{abs(off) // 60:02d}:"
                       f"{abs(off) % 60:02d} {cmd}\n")

    def mins(self, lo, hi):
        return dt.timedelta(seconds=self.rng.randint(int(lo * 60),
                                                     int(hi * 60)))

    def secs(self, lo, hi):
        return dt.timedelta(seconds=self.rng.randint(lo, hi))

    def toilet(self, t, lo=2, hi=9):
        """Sit down at t, get up lo..hi minutes later; return the end."""
        self.at(t, "sensor toilet occupied")
        t += self.mins(lo, hi)
        self.at(t, "sensor toilet free")
        return t

    def door(self, t):
        self.at(t, "sensor front-door open")
        t += self.secs(4, 60)
        self.at(t, "sensor front-door closed")
        return t

    def sos(self, t):
        # "ack last" must find this alarm, not the 09:00 daily test's.
        if t.hour == 8 and t.minute >= 50:
            t = t.replace(hour=9, minute=5)
        if self.rng.random() < 0.6:
            self.at(t, "sensor pull-cord pressed")
            self.at(t + self.secs(1, 3), "sensor pull-cord released")
        else:
            self.at(t, "button sos")
        t += self.mins(1, 4)
        self.at(t, "ack last nurse")
        return t

    def night(self, bed, up):
        """In bed from @bed to @up with toilet visits; vitals hourly."""
        rng = self.rng
        self.at(bed, "sensor bedroom-pad occupied")
        span = (up - bed).total_seconds()
        visits = sorted(rng.uniform(0.15, 0.9) * span
                        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))))
        marks = [bed + dt.timedelta(seconds=s) for s in visits]
        # Not up around 23:30, when not-in-bed-by looks (nobody would
        # acknowledge that alarm: it would repeat all night).
        marks = [m for m in marks
                 if not dt.time(23, 0) <= m.time() <= dt.time(23, 50)]
        t = bed
        for m in marks:
            t = self.vitals(t, m)
            if m <= t:
                continue
            self.at(m, "sensor bedroom-pad empty")
            t = m + self.secs(30, 120)
            if rng.random() < 0.04:
                # One visit in ~25 nights is long: toilet-night raises
                # after 15 min on the seat, bed-exit after 20 + 2 min out
                # of bed; the night nurse acknowledges each, the resident
                # comes back.
                self.at(t, "sensor toilet occupied")
                self.at(m + self.mins(18, 19), "ack last nurse")
                t = m + self.mins(23, 26)
                self.at(t, "ack last nurse")
                t += self.mins(2, 8)
                self.at(t, "sensor toilet free")
            else:
                t = self.toilet(t)
            t += self.secs(30, 120)
            self.at(t, "sensor bedroom-pad occupied")
        self.vitals(t, up)
        self.at(up, "sensor bedroom-pad empty")

    def vitals(self, t, until):
        """Estimates every ~hour after t while before @until; return the
        time of the last line written (t if none)."""
        rng = self.rng
        last = t
        t += self.mins(40, 80)
        while t < until:
            hr = rng.randint(52, 80)
            rr = rng.randint(11, 18)
            self.at(t, f"vitals bedroom-pad {hr} {rr}")
            if rng.random() < 0.01 and t + self.mins(12, 12) < until:
                # A short bradycardia episode: the vitals alarm comes
                # after 5 min, a nurse acknowledges, the next estimate
                # is normal again.
                self.at(t + self.mins(1, 2),
                        f"vitals bedroom-pad {rng.randint(34, 39)} {rr}")
                t += self.mins(9, 11)
                self.at(t, "ack last nurse")
            last = t
            t += self.mins(40, 80)
        return last

    def day(self, up, bed):
        """Awake from @up to @bed: toilet, doors, outings, SOS, acks."""
        rng = self.rng
        plans = []
        awake = (bed - up).seconds / 60       # minutes
        for _ in range(rng.randint(2, 6)):
            plans.append(("toilet", up + self.mins(5, awake - 20)))
        # The door every morning and afternoon (the post, a neighbour):
        # sensor-silent alarms after 24 h without a change.
        plans.append(("door", up + self.mins(20, 90)))
        plans.append(("door", up + self.mins(420, 540)))
        for _ in range(rng.randint(0, 4)):
            plans.append(("door", up + self.mins(60, awake - 60)))
        if rng.random() < 0.3:
            plans.append(("outing", up + self.mins(120, 480)))
        if rng.random() < 0.08:
            plans.append(("sos", up + self.mins(30, awake - 30)))
        # The toilet soon after getting up and before bed, whatever else
        # happens (sensor-silent watches it too).
        plans.append(("toilet", up + self.mins(5, 30)))
        plans.append(("toilet", bed - self.mins(25, 40)))
        plans.sort(key=lambda p: p[1])
        t = up
        for what, when in plans:
            t = max(t + self.secs(30, 90), when)
            if t >= bed - dt.timedelta(minutes=10):
                break
            if what == "toilet":
                t = self.toilet(t)
            elif what == "door":
                t = self.door(t)
            elif what == "outing":
                t = self.door(t) + self.mins(45, 200)
                t = self.door(t)
            else:
                t = self.sos(t)
        return t


def reraise(cycles, start):
    t = dt.datetime.strptime(start, "%Y-%m-%d") + dt.timedelta(hours=12)
    fmt = "%Y-%m-%dT%H:%M"
    print(f"# carehub re-raise worst case: {cycles} cycles from {start}")
    print("# generated by bench/gen-life.py --reraise for etc/carehubd.conf")
    print(t.strftime(fmt), "sensor front-door closed")
    for _ in range(cycles):
        t += dt.timedelta(minutes=1)
        print(t.strftime(fmt), "sensor front-door open")
        t += dt.timedelta(minutes=11)
        print(t.strftime(fmt), "sensor front-door closed")
    t += dt.timedelta(minutes=1)
    print(t.strftime(fmt), "end")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2026-03-01",
                    help="first local date (YYYY-MM-DD), default %(default)s")
    ap.add_argument("--tz", help="the config's zone if it has DST "
                    "(e.g. Europe/London): lines carry UTC offsets")
    ap.add_argument("--reraise", type=int, metavar="CYCLES",
                    help="the re-raise worst case instead of life")
    a = ap.parse_args()
    if a.reraise is not None:
        reraise(a.reraise, a.start)
        return
    if not 1 <= a.days <= 36500:
        ap.error("--days is 1..36500")
    rng = random.Random(a.seed)
    try:
        tz = zoneinfo.ZoneInfo(a.tz) if a.tz else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as e:
        ap.error(f"--tz: {e}")
    life = Life(rng, sys.stdout, tz)
    d0 = dt.datetime.strptime(a.start, "%Y-%m-%d")
    print(f"# carehub life: {a.days} days from {a.start}, seed {a.seed}")
    print("# generated by bench/gen-life.py for etc/carehubd.conf")
    life.at(d0 + dt.timedelta(hours=20), "sensor bedroom-pad empty")
    for i in range(a.days):
        day = d0 + dt.timedelta(days=i)
        # In bed before the bed-exit window opens at 22:00.
        bed = day + dt.timedelta(hours=20, minutes=45) + life.mins(0, 70)
        # Up after the window closes at 07:00, well before not-up-by.
        up = day + dt.timedelta(days=1, hours=7, minutes=2) + life.mins(0, 90)
        life.night(max(bed, life.t + dt.timedelta(minutes=1)), up)
        # The daily test alarm at 09:00: usually acknowledged.
        life.day(up, day + dt.timedelta(days=1, hours=20, minutes=40))
    life.at(life.t + dt.timedelta(hours=1), "end")


if __name__ == "__main__":
    main()
