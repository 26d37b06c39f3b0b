#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over the kernel sources, with the copy pinned in
# scripts/vendor/checkpatch/ (Linux 6.12.118; README.md there says why and
# how to update it).
# Usage: scripts/checkpatch.sh [FILE...]   (default: every kernel source)
set -eu
cd "$(dirname "$0")/.."
cp=scripts/vendor/checkpatch/checkpatch.pl
command -v perl >/dev/null || { echo "checkpatch: perl not installed" >&2; exit 1; }
if [ $# -eq 0 ]; then
	set -- kmod/*.c kmod/*.h kmod/compat/*.c include/uapi/linux/*.h
	for f in tests/vm/*.c tests/fixtures/*.c; do
		[ -e "$f" ] && set -- "$@" "$f"
	done
fi
# compat.h is generated; probes are not kernel code paths.
status=0
for f in "$@"; do
	case $f in kmod/compat.h) continue ;; esac
	perl "$cp" --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$f" || status=1
done
exit $status
