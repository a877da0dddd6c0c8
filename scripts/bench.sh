#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: guest-counted instructions per exit, hvlite and KVM nVHE side by
# side in the same QEMU (-icount shift=0,sleep=off: exact and repeatable); then
# the time hvlite-run takes to boot the Linux guest to its /init, with 1 and 2
# vCPUs, on both (wall clock of the QEMU host: noisy, not pass/fail).
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

# Boot to /init: no -icount (a guest's timers need a running clock), -smp 2.
work=$HVLITE_BUILD/hvlite-run/bench-$kernel
"$HVLITE_TOP/userspace/hvlite-run/tests/mkguest.sh" "$kernel" "$work"
for backend in hvlite kvm; do
	say "boot-to-init bench on $backend: kernel $kernel, -cpu $cpu, 3 boots per vCPU count"
	"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" script:bootbench "$work/initrd.cpio.gz" \
		"$logs/bootbench-$backend.log" 1200 $([ "$backend" = kvm ] && echo kvm) >/dev/null
done
echo
grep -h '^bootbench [a-z]* ' "$logs"/bootbench-{hvlite,kvm}.log | tr -d '\r' | awk '
	function median(key,    n, i, j, t, v) {
		n = split(all[key], v, " ")
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
		return n ? sprintf("%d (%d-%d)", v[int((n + 1) / 2)], v[1], v[n]) : "-"
	}
	{ all[$2, $3] = all[$2, $3] " " $4 }
	END {
		printf "%-30s %18s %18s\n", "boot to /init, ms: median (range)", "hvlite", "KVM nVHE"
		for (c = 1; c <= 2; c++)
			printf "%-30s %18s %18s\n", c " vCPU" (c > 1 ? "s" : ""), median("hvlite" SUBSEP c),
			       median("kvm" SUBSEP c)
	}'
