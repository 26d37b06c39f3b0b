#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package that building, testing and demoing carehub
# needs. Idempotent and quiet when everything is present: `make demo` and
# `make check` call it first so a fresh Debian 12 machine works as is.
#
# It also adds arm64 as a foreign architecture, so that the arm64 tier can
# `apt-get download` Debian's arm64 kernel, headers and a few static
# libraries (tests/arm64/fetch). Nothing of arm64 is installed: installing
# arm64 headers would pull the arm64 gcc-12 over the native one
# (shared/reference/arm64.md); the cross compiler is a native package.
set -eu
here=$(dirname "$0")
pkgs=$(grep -v '^#' "$here/deps-debian.txt" | tr -s ' \n' ' ')
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
need_arch=
dpkg --print-foreign-architectures | grep -qx arm64 || need_arch=1
[ -z "$missing" ] && [ -z "$need_arch" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing${need_arch:+ (and the arm64 architecture)} (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$need_arch" ]; then
	echo "install-deps: adding the arm64 architecture (downloads only)"
	dpkg --add-architecture arm64
fi
apt-get update -q >/dev/null
if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
