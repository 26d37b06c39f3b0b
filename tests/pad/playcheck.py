#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that a carehub_simadc channel plays a waveform in real time.

Usage: playcheck.py RAW CHDIR WAVEFILE [--rate HZ] [--mode loop|oneshot]
                    [--reads N] [--max-sleep S] [--seed N] [--no-load]

RAW is the channel's sysfs in_voltageM_raw, CHDIR its debugfs directory
(/sys/kernel/debug/carehub-simadc/simadcN/chM), WAVEFILE a waveform in the
fixture's text format (tests/pad/waveforms.py output). The script sets rate
and mode, loads WAVEFILE (unless --no-load: then it must be loaded), and
restarts playback between two CLOCK_BOOTTIME stamps. Then, N times at random
moments, it reads RAW and CHDIR/position between two more stamps: the read
value must be a sample whose index lies in the window those stamps allow,
widened by one sample on each side; the position likewise.
Prints '# ' diagnostics; exits 0 when every read matched, 1 otherwise.
"""

import argparse
import os
import random
import sys
import time


def now():
    return time.clock_gettime_ns(time.CLOCK_BOOTTIME)


def load_samples(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                out.append(int(line))
    return out


def wr(path, text):
    with open(path, 'w') as f:
        f.write(text)


def rd(path):
    with open(path) as f:
        return f.read().strip()


def window(lo_ns, hi_ns, rate, n, oneshot):
    """Indices a read between lo_ns and hi_ns after the start may return,
    one sample of slack each side."""
    lo = max(lo_ns * rate // 1_000_000_000 - 1, 0)
    hi = hi_ns * rate // 1_000_000_000 + 1
    if oneshot:
        return {min(k, n - 1) for k in range(lo, hi + 1)}, hi - lo
    return {k % n for k in range(lo, hi + 1)}, hi - lo


def main(argv):
    p = argparse.ArgumentParser(prog='playcheck.py')
    p.add_argument('raw')
    p.add_argument('chdir')
    p.add_argument('wavefile')
    p.add_argument('--rate', type=int, default=100)
    p.add_argument('--mode', choices=('loop', 'oneshot'), default='loop')
    p.add_argument('--reads', type=int, default=30)
    p.add_argument('--max-sleep', type=float, default=0.15)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--no-load', action='store_true')
    a = p.parse_args(argv)
    rng = random.Random(a.seed)
    samples = load_samples(a.wavefile)
    n = len(samples)
    oneshot = a.mode == 'oneshot'

    wr(f"{a.chdir}/rate", f"{a.rate}\n")
    wr(f"{a.chdir}/mode", f"{a.mode}\n")
    if not a.no_load:
        with open(a.wavefile, 'rb') as src, \
                open(f"{a.chdir}/waveform", 'wb') as dst:
            dst.write(src.read())
    got_len = int(rd(f"{a.chdir}/length"))
    if got_len != n:
        print(f"# length {got_len}, expected {n}")
        return 1

    t0a = now()
    wr(f"{a.chdir}/restart", "1\n")
    t0b = now()

    bad = 0
    widest = 0
    lat = []
    for i in range(a.reads):
        time.sleep(rng.uniform(0.0, a.max_sleep))
        ta = now()
        v = int(rd(a.raw))
        tb = now()
        pos = int(rd(f"{a.chdir}/position"))
        tc = now()
        lat.append(tb - ta)
        idx, width = window(ta - t0b, tb - t0a, a.rate, n, oneshot)
        widest = max(widest, width)
        if not any(samples[k] == v for k in idx):
            bad += 1
            print(f"# read {i}: raw {v} at {(ta - t0a) / 1e9:.4f}.."
                  f"{(tb - t0a) / 1e9:.4f} s, no sample of index "
                  f"{min(idx)}..{max(idx)} has it")
        pidx, _ = window(tb - t0b, tc - t0a, a.rate, n, oneshot)
        if pos not in pidx:
            bad += 1
            print(f"# read {i}: position {pos} outside {min(pidx)}.."
                  f"{max(pidx)}")
    lat.sort()
    print(f"# {a.reads} reads, {a.mode}, {a.rate} Hz, {n} samples: "
          f"{bad} mismatches; widest window {widest} samples; "
          f"raw read median {lat[len(lat) // 2] / 1000:.0f} us, "
          f"max {lat[-1] / 1000:.0f} us")
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
