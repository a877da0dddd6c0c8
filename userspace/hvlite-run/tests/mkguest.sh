#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Build what hvlite-run's boots need, in a work directory of their own: the
# QEMU host's initramfs (WORK/initrd.cpio.gz) with, under /tests, the Debian
# kernel (plain and gzip) as the nested guest's Image, the guest's busybox
# initramfs (guest-init and the virtio modules), bare-metal payloads and the
# scripts the plans run (hvrun.sh, bootbench.sh, stamp.awk).
# usage: mkguest.sh KERNEL WORK
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../../scripts/lib.sh"
kernel=$1 work=$2

make -s -C "$HVLITE_TOP" KERNEL="$kernel" module userspace >/dev/null
rm -rf "$work" && mkdir -p "$work/b/extra" "$work/groot/bin" "$work/logs"
for m in off reset crash spin chatter; do
	"${CROSS_COMPILE}gcc" -DMODE_$(echo $m | tr a-z A-Z) -nostdlib -static \
		-Wl,-N -Wl,-Ttext=0x80000000 -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o "$work/b/extra/bare-$m.elf" "$here/bare.S"
	"${CROSS_COMPILE}objcopy" -O binary "$work/b/extra/bare-$m.elf" "$work/b/extra/bare-$m.bin"
done
# The nested guest's initramfs: busybox and guest-init.
cp "$HVLITE_CACHE/busybox/bin/busybox" "$work/groot/bin/"
install -m 755 "$here/guest-init" "$work/groot/init"
mkdir -p "$work/groot/proc" "$work/groot/sys" "$work/groot/dev" "$work/groot/lib"
# virtio modules of the guest kernel (Debian builds them as modules), uncompressed;
# virtio_console is built in on 6.12.
mods=$(ls -d "$(kernel_root "$kernel")"/lib/modules/*/kernel/drivers)
for m in virtio/virtio_mmio char/hw_random/virtio-rng block/virtio_blk char/virtio_console; do
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
cp "$here/hvrun.sh" "$here/bootbench.sh" "$here/stamp.awk" "$work/b/extra/"
# A build directory of our own, so build/extra of other sessions is untouched.
ln -s "$HVLITE_BUILD/module-$kernel" "$work/b/module-$kernel"
ln -s "$HVLITE_BUILD/userspace" "$work/b/userspace"
HVLITE_BUILD=$work/b "$HVLITE_TOP/scripts/mkinitramfs.sh" "$kernel" "$work/initrd.cpio.gz"
