#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package that building, testing and demoing carehub
# needs. Idempotent and quiet when everything is present: `make demo` and
# `make check` call it first so a fresh Debian 12 machine works as is.
set -eu
here=$(dirname "$0")
pkgs=$(grep -v '^#' "$here/deps-debian.txt" | tr -s ' \n' ' ')
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
