#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: tests/kselftest/compat-probes.sh [--guest] [LINE...]   (default 6.1 6.12)
#
# The compile probes (kmod/compat/) must answer what the kernel offers, not
# whether its headers happen to be warning-free under the flags of the day:
# for each kernel line, carehub.ko is built with `W=1 KCFLAGS=-Werror` (what
# the build suite uses) and with `W=2`, and the two generated compat.h must
# be identical. With --guest, the W=2 module is also loaded in a guest of
# that line and the privacy selftest runs against it (an unprivileged user
# can neither join the events group nor dump or get a sensor).
# TAP; ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
guest=0
if [ "${1:-}" = --guest ]; then
	guest=1
	shift
fi
lines=${*:-6.1 6.12}
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }

for k in $lines; do
	rel=$(tests/vm/kernel-release "$k") || { notok "kernel $k present"; continue; }
	kdir=$(tests/vm/kdir "$k")
	for v in werror w2; do
		case $v in
		werror) flags="W=1 KCFLAGS=-Werror" ;;
		w2) flags="W=2" ;;
		esac
		if make --no-print-directory module-in KREL="probe-$v-$rel" \
			KDIR="$kdir" KBUILD_FLAGS="$flags" >"build/probe-$v-$rel.log" 2>&1; then
			ok "$k: carehub.ko builds with $flags"
		else
			notok "$k: carehub.ko builds with $flags (build/probe-$v-$rel.log)"
		fi
	done
	a=build/kmod/probe-werror-$rel/kmod/compat.h
	b=build/kmod/probe-w2-$rel/kmod/compat.h
	if [ -f "$a" ] && diff -u "$a" "$b"; then
		ok "$k: W=2 gives the same compile probes as W=1 -Werror"
	else
		notok "$k: W=2 gives the same compile probes as W=1 -Werror"
	fi
	if [ "$guest" = 1 ]; then
		make --no-print-directory -C tests/kselftest >/dev/null || notok "selftests build"
		if tests/vm/run --kernel "$k" --timeout 600 \
			--env CAREHUB_KO="build/kmod/probe-w2-$rel/carehub.ko" \
			-- build/tests/carehub_test -t unprivileged_readers_refused 2>&1 |
			sed 's/^/# /' | tee "build/probe-guest-$rel.log" | grep -q '^# ok 1 '; then
			ok "$k: W=2 module refuses unprivileged readers"
		else
			notok "$k: W=2 module refuses unprivileged readers (build/probe-guest-$rel.log)"
		fi
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
