#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over the kernel sources. checkpatch is not in any
# headers package: take it (with spelling.txt and const_structs.checkpatch)
# from Debian's linux-source-6.12 tarball, cached outside the work tree.
# Usage: scripts/checkpatch.sh [FILE...]   (default: every kernel source)
set -eu
cache=${CAREHUB_CACHE:-/var/cache/carehub}/checkpatch
tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "checkpatch: linux-source-6.12 not installed" >&2; exit 1; }
key=$(stat -c '%s-%Y' "$tarball")
if [ ! -x "$cache/$key/checkpatch.pl" ]; then
	tmp=$(mktemp -d)
	tar -xf "$tarball" -C "$tmp" --wildcards --strip-components=2 \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	mkdir -p "$cache"
	rm -rf "$cache/$key"
	mv "$tmp" "$cache/$key"
fi
cd "$(dirname "$0")/.."
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
	"$cache/$key/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$f" || status=1
done
exit $status
