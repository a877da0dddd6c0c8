#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the QEMU host's initramfs: busybox, /init, hvlite.ko, hvlite-info
# and the selftests.   usage: mkinitramfs.sh KERNEL OUT.cpio.gz
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=$1 out=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib,tests}
cp "$HVLITE_CACHE/busybox/bin/busybox" "$root/bin/"
install -m 755 "$HVLITE_TOP/scripts/initramfs-init" "$root/init"
cp "$HVLITE_BUILD/module-$kernel/hvlite.ko" "$root/lib/"
cp "$HVLITE_BUILD/userspace/"* "$root/bin/"
cp "$HVLITE_TOP/selftests/list" "$HVLITE_TOP/selftests/kvm-list" \
	"$HVLITE_TOP/selftests/kvm-list-pending" "$root/tests/"
cp "$HVLITE_TOP"/selftests/*.sh "$root/tests/" 2>/dev/null || true
cp "$HVLITE_BUILD/selftests/"* "$root/tests/" 2>/dev/null || true
# Ad-hoc files for a debugging session (never committed): build/extra/*.
cp -r "$HVLITE_BUILD/extra/." "$root/tests/" 2>/dev/null || true
# No device nodes: /init mounts devtmpfs and reopens /dev/console itself.
(cd "$root" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort |
	cpio -o -H newc --owner=0:0 --quiet) | gzip -1 >"$out"
