#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: guest-counted instructions per exit, hvlite and KVM nVHE side by
# side in the same QEMU (-icount shift=0,sleep=off: exact and repeatable).
#   KERNEL=6.1|6.12 (default 6.12), CPU=cortex-a57|max (default cortex-a57)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${KERNEL:-6.12} cpu=${CPU:-cortex-a57}
logs=$HVLITE_BUILD/logs
mkdir -p "$logs"
make -s -C "$HVLITE_TOP" KERNEL="$kernel" all
"$HVLITE_TOP/scripts/mkinitramfs.sh" "$kernel" "$HVLITE_BUILD/initramfs-$kernel.cpio.gz"
for backend in hvlite kvm; do
	opts="icount"
	[ "$backend" = kvm ] && opts="icount kvm"
	say "bench on $backend: kernel $kernel, -cpu $cpu, -icount shift=0"
	SMP=1 "$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" script:bench \
		"$HVLITE_BUILD/initramfs-$kernel.cpio.gz" "$logs/bench-$backend.log" 600 $opts >/dev/null
done
grep -h '^bench [a-z]* ' "$logs"/bench-{hvlite,kvm}.log | tr -d '\r' | awk '
	{ v[$2, $3] = $4; if (!($3 in seen)) { seen[$3] = 1; order[n++] = $3 } }
	END {
		printf "%-22s %12s %12s %8s\n", "exit (instructions/op)", "hvlite", "KVM nVHE", "KVM/hvl"
		for (i = 0; i < n; i++) {
			o = order[i]; h = v["hvlite", o]; k = v["kvm", o]
			printf "%-22s %12s %12s %8s\n", o, h, k, (h > 0 && k > 0) ? sprintf("%.1f", k / h) : "-"
		}
	}'
