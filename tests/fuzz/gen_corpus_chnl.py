#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_chnl_parse: carehub messages laid out as
carehub.ko sends them (include/uapi/linux/carehub.h), one receive buffer
per file. Run from anywhere; rewrites corpus/fuzz_chnl_parse/."""
import os
import struct

FAMILY = 0x22
CMD_GET, CMD_ADD, CMD_DEL, CMD_CHANGE = 1, 2, 3, 4
(A_PAD, A_ID, A_NAME, A_LABEL, A_KIND, A_STATE, A_FAULTS, A_FIRST, A_SETTLE,
 A_SEQ, A_SSEQ, A_EDGES, A_GLITCHES, A_CHATTER, A_DEBOUNCE, A_HOLDOFF,
 A_REASON) = range(1, 18)
NLM_F_MULTI = 2


def attr(t, payload):
    a = struct.pack("=HH", 4 + len(payload), t) + payload
    return a + b"\0" * (-len(a) % 4)


def u8(t, v): return attr(t, struct.pack("=B", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def u64(t, v): return attr(A_PAD, b"") + attr(t, struct.pack("=Q", v))
def string(t, s): return attr(t, s.encode() + b"\0")


def msg(cmd, sid, name, label, kind, state, seq, sseq, faults=0, reason=0,
        flags=0, edges=3):
    body = (u32(A_ID, sid) + string(A_NAME, name) + string(A_LABEL, label) +
            u32(A_KIND, kind) + u8(A_STATE, state) + u32(A_FAULTS, faults) +
            u64(A_FIRST, 5000000000 + seq) + u64(A_SETTLE, 5020000000 + seq) +
            u64(A_SEQ, seq) + u64(A_SSEQ, sseq) + u64(A_EDGES, edges) +
            u64(A_GLITCHES, 1) + u64(A_CHATTER, 0) + u32(A_DEBOUNCE, 20) +
            u32(A_HOLDOFF, 2000))
    if cmd == CMD_CHANGE:
        body += u32(A_REASON, reason)
    genl = struct.pack("=BBH", cmd, 1, 0)
    return struct.pack("=IHHII", 16 + 4 + len(body), FAMILY, flags, 0, 0) + \
        genl + body


seeds = {
    "add-door": msg(CMD_ADD, 1, "door1", "Front-door", 1, 0, 1, 1),
    "change-sos": msg(CMD_CHANGE, 2, "sos", "Bedroom\u53f7", 2, 1, 7, 3,
                      reason=1),
    "change-fault": msg(CMD_CHANGE, 3, "bed", "bed", 3, 1, 8, 4, faults=1,
                        reason=3),
    "del-toilet": msg(CMD_DEL, 4, "toilet", "", 4, 0, 9, 9),
    "get-unknown-kind": msg(CMD_GET, 5, "x", "y", 99, 1, 9, 2),
    "dump-3": b"".join(msg(CMD_GET, i, "s%d" % i, "label%d" % i, i % 6,
                           i % 2, 40, i, flags=NLM_F_MULTI)
                       for i in (1, 2, 7)),
    "stream-gap": b"".join([msg(CMD_CHANGE, 1, "door1", "d", 1, 1, 10, 2, reason=1),
                            msg(CMD_CHANGE, 1, "door1", "d", 1, 0, 11, 3, reason=1),
                            msg(CMD_CHANGE, 1, "door1", "d", 1, 1, 14, 6, reason=1)]),
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus",
                   "fuzz_chnl_parse")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print("%d seeds in %s" % (len(seeds), out))
