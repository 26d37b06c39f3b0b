# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers shared by the tests/vm scripts. Source it, do not run it:
#   . "$(dirname "$0")/lib.sh"
#
# Everything expensive lives in the content-addressed cache
#   ${CAREHUB_CACHE:-/var/cache/carehub}/<kind>/<sha256 of the inputs>/
# An entry is built in a sibling temp directory and renamed into place, so
# an interrupted build never leaves a half entry; builds of one entry are
# serialised with flock(1).

VM_DIR=$(cd "$(dirname "$0")" && pwd)

vm_die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

vm_log() {
	[ -n "${CAREHUB_VM_QUIET:-}" ] || echo "${0##*/}: $*" >&2
}

# Cache root; falls back to the user cache dir when /var/cache is not ours.
# Exported so that the helper scripts run by a script agree on it.
if [ -z "${CAREHUB_CACHE:-}" ]; then
	if [ -w /var/cache ] || [ -w /var/cache/carehub ]; then
		CAREHUB_CACHE=/var/cache/carehub
	else
		CAREHUB_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/carehub
	fi
fi
export CAREHUB_CACHE
[ -d "$CAREHUB_CACHE" ] || mkdir -p "$CAREHUB_CACHE" ||
	vm_die "cannot create cache dir $CAREHUB_CACHE"

# What fails a guest run when the kernel log has it (tests/vm/run and
# tests/arm64/run): warnings, oopses, sanitizer and lockdep reports. The
# taint notices of unsigned out-of-tree modules are not splats.
VM_SPLAT='BUG:|WARNING:|Oops|KASAN|UBSAN|kernel BUG at|Kernel panic|general protection fault'
VM_SPLAT="$VM_SPLAT|possible circular locking|inconsistent lock state|possible recursive locking"
VM_SPLAT="$VM_SPLAT|suspicious RCU usage|sleeping function called from invalid context|Call Trace"
VM_BENIGN='module verification failed|loading out-of-tree module taints kernel'
vm_has_splat() { # vm_has_splat FILE: exit 0 if FILE has a splat line
	grep -E "$VM_SPLAT" "$1" | grep -Ev "$VM_BENIGN" >/dev/null
}

vm_cache() {
	echo "$CAREHUB_CACHE"
}

vm_sha_str() {
	printf '%s' "$1" | sha256sum | cut -d' ' -f1
}

# sha256 of a file, memoised on (path, size, mtime, inode) since the kernel
# source tarballs are 150 MB and the keys are computed on every run.
vm_sha_file() {
	[ -f "$1" ] || vm_die "no such file: $1"
	memo="$CAREHUB_CACHE/filehash/$(vm_stamp "$1")"
	if [ -s "$memo" ]; then
		cat "$memo"
		return
	fi
	h=$(sha256sum <"$1" | cut -d' ' -f1)
	mkdir -p "${memo%/*}"
	printf '%s\n' "$h" >"$memo.$$" && mv -f "$memo.$$" "$memo"
	echo "$h"
}

# Cheap identity of a set of files: sha256 of their (path, size, mtime,
# inode). Used to skip recomputing content keys when nothing changed.
vm_stamp() {
	stat -L -c '%n %s %Y %i' -- "$@" | sha256sum | cut -d' ' -f1
}

# Stock Debian amd64 releases of a line, newest last.
vm_stock_releases() {
	line=$1
	for d in /lib/modules/*; do
		r=${d##*/}
		[ -e "$d/kernel" ] || continue
		[ -e "/boot/vmlinuz-$r" ] || continue
		echo "$r"
	done | grep -E "^$(echo "$line" | sed 's/\./\\./g')\.[0-9]+(-[0-9]+|\+deb[0-9]+)-amd64\$" | sort -V
}

vm_stock_release() {
	r=$(vm_stock_releases "$1" | tail -n 1)
	[ -n "$r" ] || vm_die "no installed stock $1 amd64 kernel in /lib/modules"
	echo "$r"
}

vm_check_line() {
	case $1 in
	6.1 | 6.12 | debug) ;;
	*) vm_die "unknown kernel line '$1' (want 6.1, 6.12 or debug)" ;;
	esac
}

# Source tarball of a line.
vm_source_tarball() {
	t=/usr/src/linux-source-$1.tar.xz
	[ -f "$t" ] || vm_die "$t missing: apt-get install linux-source-$1"
	echo "$t"
}

# Cache entry of the debug kernel (may not exist yet).
vm_debug_entry() {
	t=$(vm_source_tarball 6.12)
	k=$(vm_sha_str "debug-kernel
$(vm_sha_file "$t")
$(vm_sha_file "$VM_DIR/debug.config")
$(vm_sha_file "$VM_DIR/build-debug-kernel")")
	echo "$(vm_cache)/debug-kernel/$k"
}

# Run "$@" with an exclusive lock on $1.lock (first argument is the entry).
vm_locked() {
	lk=$1.lock
	shift
	mkdir -p "${lk%/*}"
	flock "$lk" "$@"
}
