#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The man pages in man/: each renders without a groff warning, names
# itself in .TH and NAME, and every command-line option the program's
# --help lists is documented in its page.
# Output: TAP, then "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0 pass=0 failed=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; pass=$((pass + 1))
	else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
command -v groff >/dev/null || { echo "Bail out! groff missing"; echo "0 passed, 1 failed"; exit 1; }
for page in "$top"/man/*.[0-9]; do
	name=$(basename "$page")
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	result "$([ -z "$warn" ] && echo 0 || echo 1)" "$name renders without warnings${warn:+: $warn}"
	title=${name%.*}
	grep -qi "^\.TH ${title//./\\.} " "$page"
	result $? "$name: .TH names $title"
done
# Every long option in --help appears in the man page (groff escapes '-').
for prog in carehubd:8 carehubctl:1; do
	bin=${prog%:*} sec=${prog#*:}
	[ -x "$top/daemon/$bin" ] || { result 1 "$bin built for the option check"; continue; }
	text=$(groff -man -Tutf8 "$top/man/$bin.$sec" 2>/dev/null | sed 's/.\x08//g')
	missing=
	for opt in $("$top/daemon/$bin" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		grep -q -- "$opt" <<<"$text" || missing="$missing $opt"
	done
	result "$([ -z "$missing" ] && echo 0 || echo 1)" "$bin(${sec}) documents every --help option${missing:+; missing:$missing}"
done
echo "$pass passed, $failed failed"
[ "$failed" = 0 ]
