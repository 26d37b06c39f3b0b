#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Synthetic pressure-pad waveforms for carehub_simadc (tests/fixtures).

Usage: waveforms.py SCENARIO [--rate HZ] [--seconds S] [--seed N] [options]
       waveforms.py --list

Writes the fixture's waveform text format to stdout: '#' header lines, then
one integer per line, sample i playing at i / rate seconds. Load it with
    cat FILE > /sys/kernel/debug/carehub-simadc/simadc0/ch0/waveform

Units: raw counts of the fixture's 24-bit ADC (-8388608..8388607; one count
is 5000 / 2^31 mV, an HX711 at gain 128 with 5 V excitation). Defaults:
empty bed 400000 counts, an adult lying still 2000000 (the load of the
person is the 1600000 counts between them), white noise sigma 1000, slow
drift up to 6000 peak to peak, ballistocardiogram J wave 8000, respiration
24000 peak to peak, heart rate 62 bpm, respiration 14 /min.

The header states the ground truth, times in seconds from the first sample:
    # truth: in_bed A B        weight on the bed (lying, turning, sitting up,
                               sitting on the edge), one line per interval
    # truth: lying A B         lying (turnovers included)
    # truth: edge A B          sitting on the edge of the bed
    # truth: hr_bpm N          mean heart rate while lying
    # truth: rr_per_min N      mean respiration rate while lying
    # truth: in_bed_total S    seconds in bed (0: nobody all along)
    # event: T NAME            enter, lie_down, turnover, sit_up, leave, ...
Scenario-specific truth lines are described with each scenario (--list).
The output depends only on the arguments (and the seed): the same command
gives the same bytes with the same Python 3.
"""

import argparse
import array
import math
import random
import sys

RAW_MIN = -(1 << 23)
RAW_MAX = (1 << 23) - 1
MAX_SAMPLES = 1 << 23  # what the fixture accepts

EMPTY = 400_000
OCCUPIED = 2_000_000
NOISE = 1_000
DRIFT = 6_000
BCG = 8_000
RESP = 24_000
HR = 62.0
RR = 14.0

# Ballistocardiogram complex: (offset s, amplitude relative to J, width s)
# for the H, I, J, K, L, M, N waves, the offset from the H wave.
BCG_WAVES = (
    (0.000, 0.20, 0.022),
    (0.055, -0.45, 0.020),
    (0.115, 1.00, 0.026),
    (0.180, -0.65, 0.028),
    (0.250, 0.30, 0.035),
    (0.320, -0.18, 0.040),
    (0.400, 0.10, 0.045),
)


class Seg:
    """A piece of the timeline: the person's load goes from f0 to f1 (a
    fraction of the empty..occupied span) along a raised cosine."""

    def __init__(self, dur, f0, f1, motion=0.0, phys=0.0, kind='empty',
                 event=None):
        self.dur = dur
        self.f0 = f0
        self.f1 = f1
        self.motion = motion  # artefact std, fraction of the span
        self.phys = phys      # gain of heartbeat + respiration (0..1)
        self.kind = kind      # empty lying turnover edge moving
        self.event = event    # event name at the start of the segment
        self.t0 = 0.0


class Scenario:
    def __init__(self, args, rng):
        self.args = args
        self.rng = rng
        self.segs = []
        self.extra = []  # extra header lines

    def add(self, *a, **kw):
        self.segs.append(Seg(*a, **kw))

    def posture(self):
        """Load of a new lying posture: the pad sees a few % more or less."""
        return 1.0 + self.rng.uniform(-0.04, 0.04)

    # Composite movements. Each returns the load fraction it ends at.

    def lie(self, dur, f, event=None):
        self.add(dur, f, f, 0.0, self.rng.uniform(0.8, 1.2), 'lying', event)
        return f

    def turnover(self, f):
        """Rolling over: a few seconds of large artefacts, a brief partial
        unloading as the hips lift, then a new posture."""
        rng = self.rng
        f2 = self.posture()
        dip = rng.uniform(0.5, 0.65)
        self.add(rng.uniform(1.0, 2.0), f, f, 0.25, 0.3, 'turnover',
                 'turnover')
        self.add(rng.uniform(0.3, 0.6), f, dip, 0.12, 0.0, 'turnover')
        self.add(rng.uniform(0.3, 0.6), dip, f2, 0.12, 0.0, 'turnover')
        self.add(rng.uniform(1.0, 2.5), f2, f2, 0.2, 0.3, 'turnover')
        return f2

    def get_in(self, edge_s):
        """From empty: sit on the edge, then lie down."""
        rng = self.rng
        fe = self.args.edge
        self.add(rng.uniform(1.0, 2.0), 0.0, fe, 0.08, 0.0, 'edge', 'enter')
        self.add(edge_s, fe, fe, 0.04, 0.2, 'edge')
        f = self.posture()
        self.add(rng.uniform(2.0, 3.5), fe, f, 0.15, 0.0, 'moving',
                 'lie_down')
        return f

    def get_up(self, f, edge_s):
        """From lying: sit up, sit on the edge, stand up (the load drops to
        empty over 1-3 s)."""
        rng = self.rng
        fs = rng.uniform(0.8, 0.9)
        fe = self.args.edge
        self.add(rng.uniform(2.0, 4.0), f, fs, 0.15, 0.2, 'moving', 'sit_up')
        self.add(rng.uniform(1.0, 2.0), fs, fe, 0.1, 0.2, 'edge')
        if edge_s > 0:
            self.add(edge_s, fe, fe, 0.04, 0.2, 'edge')
        self.add(rng.uniform(1.0, 3.0), fe, 0.0, 0.1, 0.0, 'moving', 'stand')
        return 0.0

    def fill(self, kind_fn):
        """The remaining time, by kind_fn(seconds left)."""
        left = self.args.seconds - sum(s.dur for s in self.segs)
        if left < 1.0:
            sys.exit(f"waveforms.py: {self.args.scenario} needs more than "
                     f"{self.args.seconds - left + 1:.0f} seconds")
        kind_fn(left)


# Scenarios: name -> (description, default seconds, builder).

def sc_empty(sc):
    sc.add(sc.args.seconds, 0.0, 0.0)


def sc_lying(sc):
    sc.lie(sc.args.seconds, sc.posture())


def sc_turnover(sc):
    f = sc.lie(sc.args.seconds * 0.4, sc.posture())
    f = sc.turnover(f)
    sc.fill(lambda left: sc.lie(left, f))


def sc_edge(sc):
    rng = sc.rng
    fe = sc.args.edge
    lead = min(10.0, sc.args.seconds * 0.15)
    sc.add(lead, 0.0, 0.0)
    sc.add(rng.uniform(1.0, 2.0), 0.0, fe, 0.08, 0.0, 'edge', 'enter')
    stand = rng.uniform(1.0, 2.0)
    # sitting: more movement than lying, a weak heartbeat
    sc.add(sc.args.seconds - 2 * lead - sum(s.dur for s in sc.segs) - stand,
           fe, fe, 0.06, 0.3, 'edge')
    sc.add(stand, fe, 0.0, 0.1, 0.0, 'moving', 'stand')
    sc.fill(lambda left: sc.add(left, 0.0, 0.0))


def sc_getup(sc):
    f = sc.lie(sc.args.seconds * 0.5, sc.posture())
    sc.get_up(f, sc.rng.uniform(1.0, 3.0))
    sc.fill(lambda left: sc.add(left, 0.0, 0.0))


def sc_night(sc):
    """A night compressed into --seconds (default 600): the transitions
    take their real few seconds, the empty and lying phases are scaled."""
    rng = sc.rng
    total = sc.args.seconds
    sc.add(total * 0.05, 0.0, 0.0)
    f = sc.get_in(rng.uniform(4.0, 8.0))
    f = sc.lie(total * 0.15, f)
    f = sc.turnover(f)
    f = sc.lie(total * 0.15, f)
    f = sc.turnover(f)
    f = sc.lie(total * 0.10, f)
    sc.get_up(f, rng.uniform(2.0, 5.0))          # to the toilet
    sc.add(total * 0.10, 0.0, 0.0)
    f = sc.get_in(rng.uniform(2.0, 5.0))         # back
    f = sc.lie(total * 0.15, f)
    f = sc.turnover(f)
    tail = total * 0.06
    sc.fill(lambda left: (
        sc.lie(max(left - tail - 20.0, 1.0), f),
        sc.get_up(f, rng.uniform(3.0, 8.0)),     # morning
        sc.fill(lambda rest: sc.add(rest, 0.0, 0.0))))


def sc_flat(sc):
    sc.add(sc.args.seconds, 0.0, 0.0)
    sc.extra.append(f"# truth: stuck 0.00 {sc.args.seconds:.2f}")


def sc_noise_threshold(sc):
    sc.add(sc.args.seconds, 0.0, 0.0)


SCENARIOS = {
    'empty': ("empty bed: baseline, noise, slow drift", 60, sc_empty),
    'lying': ("a person lying still: occupied level, ballistocardiogram "
              "(J-wave complexes) at --hr, respiration at --rr, noise",
              120, sc_lying),
    'turnover': ("lying, a turnover at 40 % of the time (seconds of large "
                 "artefacts, a brief partial unloading), lying again",
                 90, sc_turnover),
    'edge': ("empty, somebody sits on the edge of the bed (--edge of the "
             "load, swaying), stands up, empty", 60, sc_edge),
    'getup': ("lying for half the time, sits up, sits on the edge, stands "
              "up (load to empty in 1-3 s), empty", 60, sc_getup),
    'lowweight': ("like lying, with --fraction (default 0.12) of the "
                  "empty..occupied span, heartbeat and breathing",
                  120, sc_lying),
    'night': ("a scripted night: empty, getting into bed, lying with "
              "turnovers, up to the toilet, back, up in the morning",
              600, sc_night),
    'flat': ("stuck sensor: one constant value (--level, default the "
             "occupied level); truth: stuck 0 END", 30, sc_flat),
    'noise-threshold': ("the level hovering at --threshold (default "
                        "--at 60 % of the span) with noise and a slow "
                        "wander; truth: threshold, max_deviation, crossings",
                        60, sc_noise_threshold),
}


def zeros(n):
    return array.array('d', bytes(8 * n))


def lowpass(rng, n, rate, fc):
    """Unit-variance noise low-passed twice at fc Hz."""
    a = math.exp(-2.0 * math.pi * fc / rate)
    y1 = y2 = 0.0
    out = zeros(n)
    for i in range(n):
        y1 = a * y1 + (1.0 - a) * rng.gauss(0.0, 1.0)
        y2 = a * y2 + (1.0 - a) * y1
        out[i] = y2
    sd = math.sqrt(sum(v * v for v in out) / n) or 1.0
    return array.array('d', (v / sd for v in out))


def smooth(track, rate, tau):
    """One-pole smoothing with time constant tau, run both ways."""
    a = math.exp(-1.0 / (rate * tau))
    for rng_ in (range(len(track)), range(len(track) - 1, -1, -1)):
        y = None
        for i in rng_:
            y = track[i] if y is None else a * y + (1.0 - a) * track[i]
            track[i] = y
    return track


def drift(rng, n, rate, amp):
    """A slow wander of about amp peak to peak (thermal, mattress creep)."""
    comps = [(rng.uniform(120.0, 900.0), rng.uniform(0, 2 * math.pi))
             for _ in range(3)]
    slope = rng.uniform(-0.5, 0.5)
    dur = max(n / rate, 1.0)
    out = zeros(n)
    for i in range(n):
        t = i / rate
        v = sum(math.sin(2 * math.pi * t / p + ph) for p, ph in comps) / 3.0
        out[i] = amp * 0.5 * (0.6 * v + 0.4 * slope * (2 * t / dur - 1))
    return out


def respiration(n, rate, rr, rng):
    """Breathing, inhalation 40 % of the cycle and faster than exhalation,
    centred on zero, peak to peak 1; also returns the phase track."""
    out, phases = zeros(n), zeros(n)
    ph = rng.random()
    wob = rng.uniform(0, 2 * math.pi)
    for i in range(n):
        t = i / rate
        # +-5 % slow rate variability, zero mean
        f = rr / 60.0 * (1.0 + 0.05 * math.sin(2 * math.pi * t / 47.0 + wob))
        ph = (ph + f / rate) % 1.0
        if ph < 0.4:
            y = 0.5 - 0.5 * math.cos(math.pi * ph / 0.4)
        else:
            y = 0.5 + 0.5 * math.cos(math.pi * (ph - 0.4) / 0.6)
        out[i] = y - 0.5
        phases[i] = ph
    return out, phases


def bcg(n, rate, hr, resp_phase, rng):
    """Ballistocardiogram: one H-N complex per beat, J amplitude 1, with
    respiratory sinus arrhythmia, beat-to-beat jitter and amplitude
    variation (all zero mean)."""
    out = zeros(n)
    dur = n / rate
    t = rng.uniform(0.0, 60.0 / hr)
    while t < dur:
        i = min(int(t * rate), n - 1)
        rph = resp_phase[i]
        amp = (1.0 + 0.12 * math.sin(2 * math.pi * rph)) * \
            rng.uniform(0.9, 1.1)
        for off, a, w in BCG_WAVES:
            c = t + off
            lo = max(int((c - 4 * w) * rate), 0)
            hi = min(int((c + 4 * w) * rate) + 1, n)
            for j in range(lo, hi):
                x = (j / rate - c) / w
                out[j] += amp * a * math.exp(-0.5 * x * x)
        interval = 60.0 / hr * (1.0 + 0.04 * math.sin(2 * math.pi * rph) +
                                rng.gauss(0.0, 0.015))
        t += interval
    return out


def intervals(segs, pred):
    out = []
    for s in segs:
        if not pred(s):
            continue
        if out and abs(out[-1][1] - s.t0) < 1e-9:
            out[-1][1] = s.t0 + s.dur
        else:
            out.append([s.t0, s.t0 + s.dur])
    return out


def render(args, sc):
    rate = args.rate
    n = int(round(args.seconds * rate))
    rng = sc.rng
    span = args.occupied - args.empty

    t = 0.0
    for s in sc.segs:
        s.t0 = t
        t += s.dur

    # Per-sample tracks from the timeline.
    frac = zeros(n)
    motion = zeros(n)
    phys = zeros(n)
    for s in sc.segs:
        lo = int(math.ceil(s.t0 * rate - 1e-9))
        hi = min(int(math.ceil((s.t0 + s.dur) * rate - 1e-9)), n)
        for i in range(lo, hi):
            u = (i / rate - s.t0) / s.dur if s.dur > 0 else 1.0
            w = 0.5 - 0.5 * math.cos(math.pi * min(max(u, 0.0), 1.0))
            frac[i] = s.f0 + (s.f1 - s.f0) * w
            motion[i] = s.motion
            phys[i] = s.phys
    smooth(motion, rate, 0.3)
    smooth(phys, rate, 0.5)

    slow = lowpass(rng, n, rate, 1.5)
    fast = lowpass(rng, n, rate, 6.0)
    dr = drift(rng, n, rate, args.drift)
    resp, rph = respiration(n, rate, args.rr, rng)
    beat = bcg(n, rate, args.hr, rph, rng)

    out = array.array('i', bytes(4 * n))
    for i in range(n):
        art = motion[i] * (0.85 * slow[i] + 0.5 * fast[i])
        # artefacts cannot unload more than the person weighs
        load = max(frac[i] + art * (frac[i] > 0.02), 0.0)
        v = (args.empty + dr[i] + span * args.fraction * load +
             phys[i] * args.fraction * (args.resp * resp[i] +
                                        args.bcg * beat[i]) +
             rng.gauss(0.0, args.noise))
        out[i] = clamp(v)
    return out


def hover(args, sc, n):
    """noise-threshold: the threshold plus a slow wander and the noise."""
    rng = sc.rng
    wander = lowpass(rng, n, args.rate, 0.05)
    return [args.threshold + 0.5 * args.noise * wander[i] +
            rng.gauss(0.0, args.noise) for i in range(n)]


def clamp(v):
    return min(max(int(round(v)), RAW_MIN), RAW_MAX)


def header(args, sc, values):
    rate = args.rate
    yield "# carehub-simadc waveform"
    yield f"# scenario: {args.scenario}"
    yield f"# rate: {rate}"
    yield f"# seconds: {args.seconds:g}"
    yield f"# samples: {len(values)}"
    yield f"# seed: {args.seed}"
    yield ("# units: raw counts of carehub_simadc, 24-bit signed, "
           "1 count = 5000/2^31 mV")
    yield (f"# params: empty={args.empty} occupied={args.occupied} "
           f"fraction={args.fraction:g} noise={args.noise:g} "
           f"drift={args.drift:g} bcg={args.bcg:g} resp={args.resp:g} "
           f"edge={args.edge:g}")
    if args.scenario == 'flat':
        yield f"# params: level={args.level}"
    if args.scenario == 'noise-threshold':
        yield f"# params: threshold={args.threshold}"
    yield f"# generator: waveforms.py {' '.join(args.argv)}"
    yield "# truth times: seconds from the first sample (sample i at i/rate)"
    segs = sc.segs
    in_bed = intervals(segs, lambda s: s.f0 > 0 or s.f1 > 0)
    lying = intervals(segs, lambda s: s.kind in ('lying', 'turnover'))
    edge = intervals(segs, lambda s: s.kind == 'edge' and
                     s.f0 > 0 and s.f1 > 0)
    if args.scenario in ('flat', 'noise-threshold'):
        in_bed = lying = edge = []
    for a, b in in_bed:
        yield f"# truth: in_bed {a:.2f} {b:.2f}"
    for a, b in lying:
        yield f"# truth: lying {a:.2f} {b:.2f}"
    for a, b in edge:
        yield f"# truth: edge {a:.2f} {b:.2f}"
    if lying:
        yield f"# truth: hr_bpm {args.hr:g}"
        yield f"# truth: rr_per_min {args.rr:g}"
    if args.scenario not in ('flat', 'noise-threshold'):
        total = sum(b - a for a, b in in_bed)
        yield f"# truth: in_bed_total {total:.2f}"
    for line in sc.extra:
        yield line
    if args.scenario == 'noise-threshold':
        dev = max(abs(v - args.threshold) for v in values)
        crossings = sum(1 for i in range(1, len(values))
                        if (values[i - 1] >= args.threshold) !=
                        (values[i] >= args.threshold))
        yield f"# truth: threshold {args.threshold}"
        yield f"# truth: max_deviation {dev}"
        yield f"# truth: crossings {crossings}"
    events = [(s.t0, s.event) for s in segs if s.event]
    events += [(b, 'leave') for _, b in in_bed if b < args.seconds - 1e-6]
    for t, name in sorted(events):
        yield f"# event: {t:.2f} {name}"


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog='waveforms.py',
        description="Synthetic pressure-pad waveforms for carehub_simadc, "
        "in raw counts of its 24-bit ADC. See tests/pad/README.md.")
    p.add_argument('scenario', nargs='?', choices=sorted(SCENARIOS),
                   metavar='SCENARIO')
    p.add_argument('--list', action='store_true',
                   help="list the scenarios and exit")
    p.add_argument('--rate', type=int, default=100,
                   help="samples per second, 1..10000 (default 100)")
    p.add_argument('--seconds', type=float,
                   help="duration (default: per scenario, see --list)")
    p.add_argument('--seed', type=int, default=1, help="default 1")
    p.add_argument('--empty', type=int, default=EMPTY,
                   help=f"empty-bed level, counts (default {EMPTY})")
    p.add_argument('--occupied', type=int, default=OCCUPIED,
                   help="level of an adult lying still, counts "
                   f"(default {OCCUPIED})")
    p.add_argument('--fraction', type=float,
                   help="share of the empty..occupied span (and of the "
                   "heartbeat and breathing) the person loads: 1, 0.12 "
                   "for lowweight")
    p.add_argument('--noise', type=float, default=NOISE,
                   help=f"white noise sigma, counts (default {NOISE})")
    p.add_argument('--drift', type=float, default=DRIFT,
                   help=f"slow drift, counts peak to peak (default {DRIFT})")
    p.add_argument('--hr', type=float, default=HR,
                   help=f"heart rate, 45..120 bpm (default {HR:g})")
    p.add_argument('--rr', type=float, default=RR,
                   help=f"respiration rate, 6..30 /min (default {RR:g})")
    p.add_argument('--bcg', type=float, default=BCG,
                   help=f"ballistocardiogram J-wave amplitude, counts "
                   f"(default {BCG})")
    p.add_argument('--resp', type=float, default=RESP,
                   help=f"respiration, counts peak to peak (default {RESP})")
    p.add_argument('--edge', type=float, default=0.4,
                   help="load sitting on the edge, fraction of the span "
                   "(default 0.4)")
    p.add_argument('--level', type=int,
                   help="flat: the stuck value (default --occupied)")
    p.add_argument('--threshold', type=int,
                   help="noise-threshold: level to hover at, counts")
    p.add_argument('--at', type=float, default=60.0,
                   help="noise-threshold: the level as percent of the span "
                   "when --threshold is not given (default 60, carehub's "
                   "default enter threshold)")
    args = p.parse_args(argv)
    args.argv = argv
    if args.list:
        for name in sorted(SCENARIOS):
            d, secs, _ = SCENARIOS[name]
            print(f"{name:16} {secs:4d} s  {d}")
        sys.exit(0)
    if not args.scenario:
        p.error("a SCENARIO is needed (see --list)")
    if args.seconds is None:
        args.seconds = float(SCENARIOS[args.scenario][1])
    if args.fraction is None:
        args.fraction = 0.12 if args.scenario == 'lowweight' else 1.0
    if args.level is None:
        args.level = args.occupied
    if args.threshold is None:
        args.threshold = int(round(args.empty + (args.occupied - args.empty)
                                   * args.at / 100.0))
    checks = (
        (1 <= args.rate <= 10000, "--rate must be 1..10000"),
        (args.seconds > 0, "--seconds must be positive"),
        (args.rate * args.seconds <= MAX_SAMPLES,
         f"more than {MAX_SAMPLES} samples: the fixture refuses them"),
        (45 <= args.hr <= 120, "--hr must be 45..120"),
        (6 <= args.rr <= 30, "--rr must be 6..30"),
        (0 < args.fraction <= 2, "--fraction must be in (0, 2]"),
        (0 < args.edge < 1, "--edge must be in (0, 1)"),
        (args.noise >= 0 and args.drift >= 0, "--noise, --drift >= 0"),
        (RAW_MIN <= args.empty <= RAW_MAX and
         RAW_MIN <= args.occupied <= RAW_MAX and
         RAW_MIN <= args.level <= RAW_MAX and
         RAW_MIN <= args.threshold <= RAW_MAX,
         "levels must be in the 24-bit range"),
    )
    for ok, msg in checks:
        if not ok:
            p.error(msg)
    return args


def main(argv):
    args = parse_args(argv)
    rng = random.Random(f"{args.scenario}/{args.seed}")
    sc = Scenario(args, rng)
    SCENARIOS[args.scenario][2](sc)
    n = int(round(args.seconds * args.rate))
    if args.scenario == 'flat':
        values = [args.level] * n
    elif args.scenario == 'noise-threshold':
        values = [clamp(v) for v in hover(args, sc, n)]
    else:
        values = render(args, sc)
    out = sys.stdout
    out.write('\n'.join(header(args, sc, values)) + '\n')
    for i in range(0, len(values), 65536):
        out.write('\n'.join(map(str, values[i:i + 65536])) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
