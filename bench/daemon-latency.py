#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""carehubd's sensor event -> alarm decision latency (run by bench/daemon).

Presses an SOS sensor N times through its gpio-sim line and reads, side by
side, the kernel's event stream (`carehubctl --kernel --json monitor`) and
the daemon's (`carehubctl --json monitor`). Each line is stamped with
CLOCK_BOOTTIME as soon as its reader thread receives it; the kernel's
`settle_ns` (CLOCK_BOOTTIME, taken when the debounced state was decided) is
the common origin:
  daemon  = "raised" alarm event received - settle_ns
  kernel  = kernel "change" event received - settle_ns   (the baseline:
            netlink delivery + one reader, no daemon)
so daemon - kernel is roughly the daemon's own share (its netlink read,
rules, SQLite commit, control-socket broadcast) plus one more hop.

Per press: pull the line up (pressed), wait for both events, hold, pull it
down (released), acknowledge the alarm with `carehubctl ack ID` so that the
next press raises a new one, pause. A press whose alarm does not come is a
miss: the open sos alarms are then cancelled so the run can go on.
Prints a markdown table; exit 1 if any press was missed.
"""
import argparse
import json
import queue
import random
import subprocess
import sys
import threading
import time


def now_ns():
    return time.clock_gettime_ns(time.CLOCK_BOOTTIME)


def reader(proc, out, ready):
    """Stamp every line of proc's stdout on receipt and queue it."""
    for line in iter(proc.stdout.readline, b""):
        t = now_ns()
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if not isinstance(obj, dict):
            continue
        if obj.get("event") == "resync" and ready is not None:
            ready.set()
        out.put((t, obj))
    out.put((now_ns(), None))   # the monitor ended


def wait_for(q, pred, timeout):
    """First (stamp, object) from q that pred accepts, or None."""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None
        try:
            t, obj = q.get(timeout=left)
        except queue.Empty:
            return None
        if obj is None:
            raise SystemExit("daemon-latency: a monitor ended early")
        if pred(obj):
            return t, obj


def drain(q):
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return


def pct(v, p):
    """Nearest-rank percentile of a sorted list."""
    if not v:
        return float("nan")
    k = max(1, -(-len(v) * p // 100))
    return v[min(len(v), int(k)) - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ctl", required=True, help="carehubctl binary")
    ap.add_argument("--socket", required=True, help="carehubd's socket")
    ap.add_argument("--sensor", required=True, help="SOS sensor name")
    ap.add_argument("--pull", required=True,
                    help="the gpio-sim line's sysfs pull attribute")
    ap.add_argument("-n", "--presses", type=int, default=50)
    ap.add_argument("--hold", type=float, default=0.2,
                    help="seconds pressed after the alarm came")
    ap.add_argument("--gap", type=float, default=0.3,
                    help="seconds between presses (plus 0..0.1 random)")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    if not 1 <= a.presses <= 100000:
        ap.error("--presses out of range")

    ctl = [a.ctl, "--socket", a.socket]
    kq, dq = queue.Queue(), queue.Queue()
    kready = threading.Event()
    kmon = subprocess.Popen([a.ctl, "--kernel", "--json", "monitor",
                             "--state"], stdout=subprocess.PIPE)
    dmon = subprocess.Popen(ctl + ["--json", "monitor"],
                            stdout=subprocess.PIPE)
    for p, q, r in ((kmon, kq, kready), (dmon, dq, None)):
        threading.Thread(target=reader, args=(p, q, r), daemon=True).start()
    if not kready.wait(10):
        raise SystemExit("daemon-latency: no kernel monitor")
    time.sleep(1.0)     # let the daemon's monitor subscribe
    drain(kq)
    drain(dq)

    pull = open(a.pull, "w")

    def set_line(level):
        pull.write("pull-up" if level else "pull-down")
        pull.flush()

    def kchange(state):
        return lambda o: (o.get("event") == "change" and
                          o.get("name") == a.sensor and
                          o.get("state") == state)

    def raised(o):
        al = o.get("alarm") or {}
        return (o.get("event") == "alarm" and o.get("what") == "raised" and
                al.get("type") == "sos" and al.get("sensor") == a.sensor)

    def open_sos_ids():
        r = subprocess.run(ctl + ["--json", "alarms", "--open"],
                           capture_output=True, text=True)
        try:
            return [x["id"] for x in json.loads(r.stdout)
                    if x.get("type") == "sos" and x.get("sensor") == a.sensor]
        except (ValueError, KeyError, TypeError):
            return []

    set_line(0)
    time.sleep(0.5)
    drain(kq)
    d_lat, k_lat, extra = [], [], []
    missed, ack_fail = 0, 0
    for _ in range(a.presses):
        set_line(1)
        k = wait_for(kq, kchange(1), a.timeout)
        d = wait_for(dq, raised, a.timeout)
        if k is None or d is None:
            missed += 1
            for i in open_sos_ids():
                subprocess.run(ctl + ["cancel", str(i)],
                               capture_output=True)
        else:
            settle = k[1]["settle_ns"]
            k_lat.append(k[0] - settle)
            d_lat.append(d[0] - settle)
            extra.append(d[0] - k[0])
        time.sleep(a.hold)
        set_line(0)
        wait_for(kq, kchange(0), a.timeout)
        if d is not None:
            r = subprocess.run(ctl + ["--json", "ack", str(d[1]["alarm"]["id"])],
                               capture_output=True)
            ack_fail += r.returncode != 0
        time.sleep(a.gap + random.uniform(0, 0.1))
        drain(dq)
    pull.close()
    kmon.terminate()
    dmon.terminate()

    ms = 1e6
    print(f"#### daemon latency{a.title}: {a.presses} presses of "
          f"'{a.sensor}', {len(d_lat)} alarms, {missed} missed, "
          f"{ack_fail} acks refused")
    print()
    print("| from the kernel's settle stamp to ... (ms) | p50 | p95 | max |")
    print("|---|---:|---:|---:|")
    for name, v in (("carehubd's `raised` alarm event received", d_lat),
                    ("the kernel `change` event received (baseline)", k_lat),
                    ("difference, per press (daemon - baseline)", extra)):
        v = sorted(v)
        print(f"| {name} | {pct(v, 50) / ms:.2f} | {pct(v, 95) / ms:.2f} "
              f"| {(v[-1] if v else float('nan')) / ms:.2f} |")
    print()
    return 1 if missed or ack_fail else 0


if __name__ == "__main__":
    sys.exit(main())
