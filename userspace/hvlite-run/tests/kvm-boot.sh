#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# hvlite-run end to end: boot the QEMU host with KVM owning EL2 and run hvrun.sh
# there (bad input, DTB, bare payloads, crash, signals, reset, Linux with 1 and
# 2 vCPUs and with a virtio console), then the same with hvlite loaded.
# TAP on stdout.   usage: kvm-boot.sh [KERNEL [CPU]]   (defaults 6.1 max)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../../scripts/lib.sh"
kernel=${1:-6.1} cpu=${2:-max}
work=$HVLITE_BUILD/hvlite-run/e2e-$kernel
tmo=${HVRUN_TIMEOUT:-900}

"$here/mkguest.sh" "$kernel" "$work"
# One QEMU at a time: KVM owning EL2, then hvlite (HVRUN_BACKENDS picks).
r=0
for be in ${HVRUN_BACKENDS:-kvm hvlite}; do
	t0=$SECONDS
	"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" script:hvrun "$work/initrd.cpio.gz" \
		"$work/logs/$be.log" "$tmo" $([ "$be" = kvm ] && echo kvm) >/dev/null || true
	echo "# $be: QEMU host ($kernel, -cpu $cpu) ran the cases in $((SECONDS - t0)) s"
	"$here/check-log.sh" "$be" "$work/logs/$be.log" "$work" || r=1
done
exit $r
