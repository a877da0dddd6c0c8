#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make run: boot the QEMU host, load hvlite, show it owning EL2, then boot
# Debian's arm64 kernel as a nested guest with hvlite-run (2 vCPUs, a small
# busybox initramfs that reports and powers off).
#   KERNEL=6.1|6.12 (default 6.1), CPU=cortex-a57|max (default cortex-a57)
#   CONSOLE=serial|virtio (default serial): the guest's console, ttyAMA0 or hvc0
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${KERNEL:-6.1} cpu=${CPU:-cortex-a57} console=${CONSOLE:-serial}
case $console in serial|virtio) ;; *) die "CONSOLE=$console: serial or virtio" ;; esac
say "building hvlite and hvlite-run for Debian's $kernel kernel"
make -s -C "$HVLITE_TOP" KERNEL="$kernel" all
work=$HVLITE_BUILD/run-$kernel
rm -rf "$work" && mkdir -p "$work/b/extra" "$work/groot"/{bin,proc,sys,dev,lib}
# The nested guest: the same Debian kernel, and busybox with guest-init.
cp "$HVLITE_CACHE/busybox/bin/busybox" "$work/groot/bin/"
install -m 755 "$HVLITE_TOP/userspace/hvlite-run/tests/guest-init" "$work/groot/init"
guest_modules "$kernel" "$work/groot/lib"
(cd "$work/groot" && find . | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --quiet) |
	gzip -1 >"$work/b/extra/guest.cpio.gz"
cp "$(kernel_image "$kernel")" "$work/b/extra/Image"
cat >"$work/b/extra/run-guest.sh" <<GUEST
echo "hvlite-init: booting the nested guest: hvlite-run -k Image -i guest.cpio.gz -c 2 -m 256 --console $console"
/bin/hvlite-run -k /tests/Image -i /tests/guest.cpio.gz -c 2 -m 256 --console $console -p "panic=-1"
echo "hvlite-init: hvlite-run exited with status \$?"
GUEST
cat >"$work/b/extra/run.sh" <<'HOST'
echo "hvlite-init: host kernel $(uname -r), $(nproc) CPUs; loading hvlite.ko"
insmod /lib/hvlite.ko && dmesg | grep 'hvlite: EL2' | sed 's/^/  dmesg: /'
/bin/hvlite-info
sh /tests/run-guest.sh
HOST
ln -s "$HVLITE_BUILD/module-$kernel" "$work/b/module-$kernel"
ln -s "$HVLITE_BUILD/userspace" "$work/b/userspace"
HVLITE_BUILD=$work/b "$HVLITE_TOP/scripts/mkinitramfs.sh" "$kernel" "$work/initrd.cpio.gz"
say "booting QEMU: -M virt,virtualization=on,gic-version=3 -cpu $cpu -smp ${SMP:-2}," \
	"host kernel $(kernel_kver "$kernel") (nVHE, KVM off)"
log=$HVLITE_BUILD/logs/run.log
mkdir -p "$(dirname "$log")"
"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" script:run "$work/initrd.cpio.gz" "$log" 600 |
	sed -u 's/\r$//' | sed -u -n '/^hvlite-tests-done/,$d; /^\[ *[0-9]/d; p'
grep -q '^hvlite-tests-done' "$log" || die "the QEMU host did not finish; see $log"
owned=$(grep -c 'EL2 owned by hvlite; ping answered' "$log" || true)
say "QEMU host powered off. EL2 was owned on $owned CPU(s); the nested guest:" \
	"$(grep -o 'hvlite-run exited with status [0-9]*' "$log" || echo 'did not finish')." \
	"Full console: $log"
grep -q 'hvlite-run exited with status 0' "$log"
