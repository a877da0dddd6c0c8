#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make run: boot the QEMU host, load hvlite and show it owning EL2.
#   KERNEL=6.1|6.12 (default 6.1), CPU=cortex-a57|max (default cortex-a57),
#   SMP=N (default 2)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${KERNEL:-6.1} cpu=${CPU:-cortex-a57}
say "building hvlite for Debian's $kernel kernel"
make -s -C "$HVLITE_TOP" KERNEL="$kernel" all
"$HVLITE_TOP/scripts/mkinitramfs.sh" "$kernel" "$HVLITE_BUILD/initramfs-$kernel.cpio.gz"
say "booting QEMU: -M virt,virtualization=on,gic-version=3 -cpu $cpu -smp ${SMP:-2}," \
	"host kernel $(kernel_kver "$kernel") (nVHE, KVM off)"
log=$HVLITE_BUILD/logs/run.log
mkdir -p "$(dirname "$log")"
"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" run \
	"$HVLITE_BUILD/initramfs-$kernel.cpio.gz" "$log" 120 |
	sed -u 's/\r$//' | sed -u -n '/^hvlite-tests-done/,$d; /^\[ *[0-9]/d; p'
grep -q '^hvlite-tests-done' "$log" || die "the QEMU host did not finish; see $log"
owned=$(grep -c 'EL2 owned by hvlite; ping answered' "$log" || true)
say "QEMU host powered off; EL2 was owned and answered on $owned CPU(s). Full console: $log"
[ "$owned" -ge 1 ]
