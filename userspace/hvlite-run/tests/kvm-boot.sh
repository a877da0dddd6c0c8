#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# hvlite-run end to end: boot the QEMU host with KVM owning EL2 and run hvrun.sh
# there (bad input, DTB, bare payloads, crash, signals, reset, Linux with 1 and
# 2 vCPUs), then a host without KVM where hvlite must refuse for lack of a vGIC.
# TAP on stdout.   usage: kvm-boot.sh [KERNEL [CPU]]   (defaults 6.1 max)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../../scripts/lib.sh"
kernel=${1:-6.1} cpu=${2:-max}
work=$HVLITE_BUILD/hvlite-run/e2e-$kernel
tmo=${HVRUN_TIMEOUT:-600}

make -s -C "$HVLITE_TOP" KERNEL="$kernel" module userspace >/dev/null
rm -rf "$work" && mkdir -p "$work/b/extra" "$work/groot/bin" "$work/logs"
for m in off reset crash spin; do
	"${CROSS_COMPILE}gcc" -DMODE_$(echo $m | tr a-z A-Z) -nostdlib -static \
		-Wl,-N -Wl,-Ttext=0x80000000 -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o "$work/b/extra/bare-$m.elf" "$here/bare.S"
	"${CROSS_COMPILE}objcopy" -O binary "$work/b/extra/bare-$m.elf" "$work/b/extra/bare-$m.bin"
done
# The nested guest's initramfs: busybox and guest-init.
cp "$HVLITE_CACHE/busybox/bin/busybox" "$work/groot/bin/"
install -m 755 "$here/guest-init" "$work/groot/init"
mkdir -p "$work/groot/proc" "$work/groot/sys" "$work/groot/dev" "$work/groot/lib"
# virtio modules of the guest kernel (Debian builds them as modules), uncompressed.
mods=$(ls -d "$(kernel_root "$kernel")"/lib/modules/*/kernel/drivers)
for m in virtio/virtio_mmio char/hw_random/virtio-rng block/virtio_blk; do
	if [ -f "$mods/$m.ko" ]; then
		cp "$mods/$m.ko" "$work/groot/lib/"
	elif [ -f "$mods/$m.ko.xz" ]; then
		xz -dc "$mods/$m.ko.xz" >"$work/groot/lib/$(basename "$m").ko"
	fi
done
(cd "$work/groot" && find . | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --quiet) |
	gzip -1 >"$work/b/extra/guest.cpio.gz"
cp "$(kernel_image "$kernel")" "$work/b/extra/Image"
gzip -1 -n -c "$work/b/extra/Image" >"$work/b/extra/Image.gz"
cp "$here/hvrun.sh" "$work/b/extra/"
# A build directory of our own, so build/extra of other sessions is untouched.
ln -s "$HVLITE_BUILD/module-$kernel" "$work/b/module-$kernel"
ln -s "$HVLITE_BUILD/userspace" "$work/b/userspace"
HVLITE_BUILD=$work/b "$HVLITE_TOP/scripts/mkinitramfs.sh" "$kernel" "$work/initrd.cpio.gz"

# One QEMU at a time: KVM owning EL2, then hvlite (HVRUN_BACKENDS picks).
r=0
for be in ${HVRUN_BACKENDS:-kvm hvlite}; do
	"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" script:hvrun "$work/initrd.cpio.gz" \
		"$work/logs/$be.log" "$tmo" $([ "$be" = kvm ] && echo kvm) >/dev/null || true
	"$here/check-log.sh" "$be" "$work/logs/$be.log" "$work" || r=1
done
exit $r
