#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A stand-in for carehubd's control socket, for tests/e2e/ctl-client.sh:
# canned replies, every request logged (one JSON line each) to LOG.
#   ctl-fake-carehubd.py SOCKET LOG
# Monitor connections, in order: 1st gets three events and stays open;
# 2nd gets one event and {"event":"overflow"}, then is closed; later ones
# stay open and silent.
import json, os, socket, sys, threading

path, log = sys.argv[1], sys.argv[2]
lock = threading.Lock()
monitors = [0]

def dump(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False).encode()

ALARM = {"id": 12, "rule": "night-bed", "type": "bed-exit", "sensor": "bed1",
         "resident": "anna", "code": 150, "zone": 2,
         "text": "Bed exit at night: bed empty for 20 min (since 02:14)",
         "state": "raised", "raised": "2026-03-29T02:34:00+02:00",
         "acked": None, "closed": None, "acked_by": None,
         "closed_reason": None, "repeats": 0, "recipient": "family",
         "delivered": 1, "pending": 0}
STATUS = {"hub": "test-hub", "version": "0.1", "uptime_s": 93784,
          "config": "/etc/carehub/carehubd.conf", "kernel_module": True,
          "sensors": {"configured": 3, "present": 2, "faulty": 1,
                      "unconfigured": 0},
          "alarms": {"open": 2, "unacked": 1}, "prealarm": False,
          "online_24h": 0.5, "online_30d": None}
SENSORS = [
    {"name": "door1", "label": "Front door\u001b[31m \u524d\u95e8", "kind": "door",
     "present": True, "configured": True, "id": 1, "state": 0,
     "state_name": "open", "faults": [], "since": "2026-03-29T01:02:03+02:00",
     "zone": 1, "resident": "anna", "online_24h": 1.0, "online_30d": 0.25},
    {"name": "bed1", "label": "Bed", "kind": None, "present": False,
     "configured": True, "faults": ["missing"], "zone": 2,
     "resident": "anna", "online_24h": None, "online_30d": None},
]

def reply(req):
    cmd = req.get("cmd")
    if cmd == "status":
        return {"ok": True, "status": STATUS}
    if cmd == "sensors":
        return {"ok": True, "sensors": SENSORS}
    if cmd == "alarms":
        return {"ok": True, "alarms": [ALARM, dict(ALARM, id=11, state="closed")]}
    if cmd in ("ack", "cancel"):
        i = req.get("id")
        if i == 404:
            return {"ok": False, "error": "no alarm 404", "errno": "ENOENT"}
        if i == 13:
            return {"ok": False, "error": "alarm 13 is already acknowledged or closed",
                    "errno": "EALREADY"}
        if i == 99:
            return {"ok": False, "error": "permission denied: ack needs uid 0 or group carehub-operators",
                    "errno": "EPERM"}
        st = "acked" if cmd == "ack" else "cancelled"
        return {"ok": True, "alarm": dict(ALARM, id=i, state=st, acked_by="uid:root")}
    if cmd == "test":
        return {"ok": True, "alarm": dict(ALARM, id=14, rule="test", type="periodic-test",
                                          code=602, sensor=None, zone=0,
                                          text="Test report")}
    if cmd == "monitor":
        return {"ok": True}
    return {"ok": False, "error": "unknown command", "errno": "EOPNOTSUPP"}

def serve(c):
    try:
        data = c.recv(8192)
        if not data:
            return
        req = json.loads(data)
        with lock:
            with open(log, "a") as f:
                f.write(data.decode() + "\n")
        c.send(dump(reply(req)))
        if req.get("cmd") != "monitor":
            c.recv(1)  # until the client closes
            return
        with lock:
            monitors[0] += 1
            n = monitors[0]
        if n == 1:
            c.send(dump({"event": "alarm", "what": "raised",
                         "time": "2026-03-29T02:34:00+02:00", "alarm": ALARM}))
            c.send(dump({"event": "sensor", "present": True,
                         "time": "2026-03-29T02:35:01+02:00", "sensor": SENSORS[0]}))
            c.send(dump({"event": "sensor", "present": False,
                         "time": "2026-03-29T02:35:02+02:00",
                         "sensor": {"name": "door1", "id": 1}}))
        elif n == 2:
            c.send(dump({"event": "sensor", "present": True,
                         "time": "2026-03-29T02:35:01+02:00", "sensor": SENSORS[0]}))
            c.send(dump({"event": "overflow"}))
            return
        while c.recv(4096):
            pass
    except OSError:
        pass
    finally:
        c.close()

s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.bind(path)
os.chmod(path, 0o600)
s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
