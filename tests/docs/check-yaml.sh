#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: tests/docs/check-yaml.sh [SPEC]
#
# Checks docs/netlink/carehub.yaml (or SPEC):
#   - it validates against the kernel's genetlink schema,
#     Documentation/netlink/genetlink.yaml, taken from Debian's
#     linux-source-6.12 tarball (/usr/src/linux-source-6.12.tar.xz; the
#     extracted schema is cached) with python3-jsonschema (Draft 7), as the
#     kernel's own ynl tools do; $CAREHUB_GENETLINK_SCHEMA overrides the path;
#   - every CAREHUB_A_*, CAREHUB_CMD_*, CAREHUB_KIND_* value, every
#     CAREHUB_FAULT_* / CAREHUB_REASON_* flag and the *_MAX constants of
#     include/uapi/linux/carehub.h appear in the spec with the same value,
#     computed the way ynl does (attributes and operations count from 1,
#     enums from 0, flags are bit numbers), and the spec has nothing the
#     header lacks; the family name, version and group name agree;
#   - the type of every attribute matches the nla_put_*() kmod/ uses for it.
# Prints `ok N - ...` / `not ok N - ...`, ends with `N passed, N failed`;
# exits 1 if anything failed, 2 if it cannot run (python3-yaml or
# python3-jsonschema missing, no schema).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
spec=${1:-$top/docs/netlink/carehub.yaml}
header=$top/include/uapi/linux/carehub.h
kmod_nl=$top/kmod/carehub_netlink.c

python3 -c 'import yaml, jsonschema' 2>/dev/null || {
	echo "check-yaml: needs python3-yaml and python3-jsonschema (scripts/deps-debian.txt)" >&2
	exit 2
}

# The schema: explicit, an extracted source tree, or the cached extract.
schema=${CAREHUB_GENETLINK_SCHEMA:-}
if [ -z "$schema" ]; then
	for d in /tmp/src/6.12/linux-source-6.12 /usr/src/linux-source-6.12; do
		if [ -f "$d/Documentation/netlink/genetlink.yaml" ]; then
			schema=$d/Documentation/netlink/genetlink.yaml
			break
		fi
	done
fi
if [ -z "$schema" ]; then
	tarball=/usr/src/linux-source-6.12.tar.xz
	[ -f "$tarball" ] || { echo "check-yaml: no $tarball (apt-get install linux-source-6.12)" >&2; exit 2; }
	if [ -n "${CAREHUB_CACHE:-}" ]; then
		cache=$CAREHUB_CACHE
	elif [ -w /var/cache ] || [ -w /var/cache/carehub ]; then
		cache=/var/cache/carehub
	else
		cache=${XDG_CACHE_HOME:-$HOME/.cache}/carehub
	fi
	# Keyed on the tarball's identity: a new linux-source brings a new schema.
	key=$(stat -c '%s-%Y' "$tarball")
	dir=$cache/netlink-schema/$key
	schema=$dir/genetlink.yaml
	if [ ! -s "$schema" ]; then
		mkdir -p "$dir" || exit 2
		tmp=$(mktemp -d "$dir/.x.XXXXXX") || exit 2
		tar -xJf "$tarball" -C "$tmp" --wildcards --strip-components=3 \
			'linux-source-6.12/Documentation/netlink/genetlink.yaml' &&
			mv "$tmp/genetlink.yaml" "$schema"
		rm -rf "$tmp"
		[ -s "$schema" ] || { echo "check-yaml: cannot extract the schema from $tarball" >&2; exit 2; }
	fi
fi

exec python3 - "$spec" "$schema" "$header" "$kmod_nl" <<'PY'
import re
import sys

import jsonschema
import yaml

spec_path, schema_path, header_path, kmod_path = sys.argv[1:5]
n = passed = failed = 0


def result(ok, desc, detail=None):
    global n, passed, failed
    n += 1
    if ok:
        passed += 1
        print(f"ok {n} - {desc}")
    else:
        failed += 1
        print(f"not ok {n} - {desc}")
        if detail:
            for line in str(detail).splitlines()[:20]:
                print(f"#   {line}")


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def c_name(*parts):
    return "_".join(p for p in parts if p).upper().replace("-", "_")


with open(schema_path) as f:
    schema = yaml.safe_load(f)
try:
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
except (OSError, yaml.YAMLError) as e:
    result(False, f"{spec_path} parses as YAML", e)
    finish()
result(True, f"{spec_path} parses as YAML")

try:
    jsonschema.Draft7Validator(schema).validate(spec)
    result(True, f"validates against {schema_path}")
except jsonschema.ValidationError as e:
    path = "/".join(str(p) for p in e.absolute_path)
    result(False, f"validates against {schema_path}", f"at {path}: {e.message}")
result(spec.get("protocol", "genetlink") == "genetlink", "protocol is genetlink")

# --- the uAPI header: #defines and enums with C's implicit values ---------
with open(header_path) as f:
    text = f.read()
text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
text = re.sub(r"//[^\n]*", "", text)
hdr = {}


def c_eval(expr):
    expr = expr.strip()
    expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", expr)
    expr = re.sub(r"\b[A-Z_][A-Z0-9_]*\b", lambda m: str(hdr[m.group(0)]), expr)
    if not re.fullmatch(r"[0-9xa-fA-F\s()<>|+\-*]+", expr):
        raise ValueError(expr)
    return eval(expr, {"__builtins__": {}})


for m in re.finditer(r"^#define\s+(CAREHUB_\w+)\s+(.+?)\s*$", text, re.M):
    name, val = m.group(1), m.group(2)
    if val.startswith('"'):
        hdr[name] = val.strip('"')
    else:
        try:
            hdr[name] = c_eval(val)
        except (ValueError, KeyError, SyntaxError):
            pass
enums = {}
for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\}\s*;", text, re.S):
    nxt = 0
    members = []
    for item in m.group(2).split(","):
        item = item.strip()
        if not item:
            continue
        if "=" in item:
            name, val = (s.strip() for s in item.split("=", 1))
            nxt = c_eval(val)
        else:
            name = item
        hdr[name] = nxt
        members.append(name)
        nxt += 1
    enums[m.group(1)] = members
result({"carehub_kind", "carehub_attr", "carehub_cmd"} <= set(enums),
       "header has enum carehub_kind, carehub_attr, carehub_cmd",
       f"found {sorted(enums)}")

# --- the spec, valued the way ynl (tools/net/ynl/lib/nlspec.py) does ------
family = spec["name"]
yml = {}      # C name -> value
origin = {}   # C name -> where in the spec
for d in spec.get("definitions", []):
    if d["type"] == "const":
        yml[c_name(family, d["name"])] = d["value"]
        origin[c_name(family, d["name"])] = f"const {d['name']}"
        continue
    val = d.get("value-start", 0)
    last = None
    for e in d["entries"]:
        e = {"name": e} if isinstance(e, str) else e
        val = e.get("value", val)
        cn = c_name(family, d["name"], e["name"])
        yml[cn] = (1 << val) if d["type"] == "flags" else val
        origin[cn] = f"{d['type']} {d['name']}"
        last = val
        val += 1
    if d["type"] == "enum" and d.get("render-max") and last is not None:
        yml[c_name(family, d["name"], "max")] = last
        yml["__" + c_name(family, d["name"], "max")] = last + 1
        origin[c_name(family, d["name"], "max")] = f"render-max {d['name']}"
        origin["__" + c_name(family, d["name"], "max")] = f"render-max {d['name']}"

attr_types = {}
for aset in spec["attribute-sets"]:
    prefix = aset.get("name-prefix", f"{family}-{aset['name']}-a-")
    val = 1
    for a in aset["attributes"]:
        val = a.get("value", val)
        cn = c_name(prefix + a["name"])
        yml[cn] = val
        origin[cn] = f"attribute-set {aset['name']}"
        attr_types[cn] = a["type"]
        val += 1
    p = c_name(prefix).rstrip("_")
    yml[p + "_UNSPEC"] = 0          # genetlink reserves 0
    yml[p + "_MAX"] = val - 1
    yml["__" + p + "_MAX"] = val
    for k in ("_UNSPEC", "_MAX"):
        origin[p + k] = "implicit"
    origin["__" + p + "_MAX"] = "implicit"

ops = spec["operations"]
prefix = ops.get("name-prefix", f"{family}-cmd-")
val = 1
for op in ops["list"]:
    val = op.get("value", val)
    cn = c_name(prefix + op["name"])
    yml[cn] = val
    origin[cn] = "operations"
    val += 1
p = c_name(prefix).rstrip("_")
yml[p + "_UNSPEC"] = 0
yml[p + "_MAX"] = val - 1
yml["__" + p + "_MAX"] = val
for k in ("_UNSPEC", "_MAX"):
    origin[p + k] = "implicit"
origin["__" + p + "_MAX"] = "implicit"

# --- compare --------------------------------------------------------------
checked = set()
for name in enums["carehub_kind"] + enums["carehub_attr"] + enums["carehub_cmd"]:
    checked.add(name)
    ok = name in yml and yml[name] == hdr[name]
    result(ok, f"{name} = {hdr[name]} in the spec",
           f"spec: {yml.get(name, 'missing')}")
for name in sorted(k for k in hdr if re.match(r"CAREHUB_(FAULT|REASON)_|CAREHUB_\w+_MAX$", k)):
    if name in checked:
        continue
    checked.add(name)
    ok = name in yml and yml[name] == hdr[name]
    result(ok, f"{name} = {hdr[name]:#x} in the spec" if "FAULT_" in name or "REASON_" in name
           else f"{name} = {hdr[name]} in the spec", f"spec: {yml.get(name, 'missing')}")
extra = sorted(k for k in yml if k not in checked)
result(not extra, "the spec defines nothing the header lacks",
       "\n".join(f"{k} ({origin.get(k)})" for k in extra))

result(hdr.get("CAREHUB_GENL_NAME") == family,
       f"family name '{family}' = CAREHUB_GENL_NAME", hdr.get("CAREHUB_GENL_NAME"))
result(hdr.get("CAREHUB_GENL_VERSION") == 1,
       "CAREHUB_GENL_VERSION is 1 (genetlink specs have no version key: 1 is implied)",
       hdr.get("CAREHUB_GENL_VERSION"))
groups = [g["name"] for g in spec.get("mcast-groups", {}).get("list", [])]
result(groups == [hdr.get("CAREHUB_GENL_MCGRP_EVENTS")],
       f"multicast groups {groups} = [CAREHUB_GENL_MCGRP_EVENTS]")
ntf_groups = {op.get("mcgrp") for op in ops["list"] if "mcgrp" in op}
result(ntf_groups <= set(groups), "notifications name a declared group", ntf_groups)

# --- attribute types against what the module puts -------------------------
put_type = {"u8": "u8", "u16": "u16", "u32": "u32", "u64_64bit": "u64",
            "u64": "u64", "string": "string", "flag": "flag", "s32": "s32",
            "s64": "s64"}
with open(kmod_path) as f:
    ksrc = f.read()
puts = {}
for m in re.finditer(r"nla_put_(\w+)\(\s*\w+\s*,\s*(CAREHUB_A_\w+)", ksrc):
    puts.setdefault(m.group(2), set()).add(put_type.get(m.group(1), m.group(1)))
for m in re.finditer(r"\w+,\s*(CAREHUB_A_PAD)\)", ksrc):
    puts.setdefault("CAREHUB_A_PAD", set()).add("pad")
for name in enums["carehub_attr"]:
    if name.startswith("__") or name.endswith(("_UNSPEC", "_MAX")):
        continue
    want = attr_types.get(name)
    got = puts.get(name)
    result(got == {want}, f"{name}: spec type {want}, kmod puts {sorted(got) if got else 'nothing'}")

finish()
PY
