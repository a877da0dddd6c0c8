#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the QEMU host's initramfs: busybox, /init, hvlite.ko, hvlite-info
# and the selftests.   usage: mkinitramfs.sh KERNEL OUT.cpio.gz [kvmself|net]
# kvmself (6.12 only): add KVM's own selftests for the plan of that name.
# net: add the host kernel's virtio-net modules (/lib/net), which /init loads
# when the kernel command line says hvnet=1 (qemu-host.sh option net=...).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=$1 out=$2 with=${3:-}
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
# KVM's own selftests (plan kvmself; built from 6.12's source, so for 6.12):
# the expectations file and, stripped, only the binaries it runs. A separate
# initramfs keeps the other boots small.
kself=$HVLITE_CACHE/linux-source-full/tools/testing/selftests/kvm
expect=${KVMSELF_EXPECT:-$HVLITE_TOP/selftests/kvm-selftests.expect}
if [ "$with" = kvmself ]; then
	[ "$kernel" = 6.12 ] || die "mkinitramfs: the KVM selftests are built for 6.12"
	[ -d "$kself" ] || die "mkinitramfs: no KVM selftests in $kself (make setup)"
	mkdir -p "$root/kvmself"
	cp "$expect" "$root/kvmself/expect"
	grep -v '^[[:space:]]*#' "$expect" | awk -F'|' 'NF >= 4 {
		gsub(/[ \t]/, "", $1); gsub(/[ \t]/, "", $2); gsub(/[ \t]/, "", $3)
		if ($2 != "notrun" || $3 != "notrun") print $1 }' |
	while read -r t; do
		b=$kself/aarch64/$t
		[ -x "$b" ] || b=$kself/$t
		[ -x "$b" ] || die "mkinitramfs: no KVM selftest $t in $kself (make setup)"
		"${CROSS_COMPILE}strip" -o "$root/kvmself/$t" "$b"
	done
fi
# virtio-net and what it needs, in load order (Debian builds them as modules).
if [ "$with" = net ]; then
	mkdir -p "$root/lib/net"
	mods=$(ls -d "$(kernel_root "$kernel")"/lib/modules/*/kernel)
	for m in net/core/failover drivers/net/net_failover drivers/virtio/virtio_mmio \
		drivers/net/virtio_net; do
		if [ -f "$mods/$m.ko" ]; then
			cp "$mods/$m.ko" "$root/lib/net/"
		elif [ -f "$mods/$m.ko.xz" ]; then
			xz -dc "$mods/$m.ko.xz" >"$root/lib/net/$(basename "$m").ko"
		else
			die "mkinitramfs: no $m module in $mods"
		fi
	done
fi
# Ad-hoc files for a debugging session (never committed): build/extra/*.
cp -r "$HVLITE_BUILD/extra/." "$root/tests/" 2>/dev/null || true
# No device nodes: /init mounts devtmpfs and reopens /dev/console itself.
(cd "$root" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort |
	cpio -o -H newc --owner=0:0 --quiet) | gzip -1 >"$out"
