# SPDX-License-Identifier: GPL-2.0-only
# hvplan=script:bench: run kvm_bench on KVM if it owns this host, else on hvlite.
if [ -e /dev/kvm ]; then
	HVLITE_DEV=/dev/kvm /tests/kvm_bench "${BENCH_ITERS:-2000}" | sed 's/^bench /bench kvm /'
else
	insmod /lib/hvlite.ko
	HVLITE_DEV=/dev/hvlite /tests/kvm_bench "${BENCH_ITERS:-2000}" | sed 's/^bench /bench hvlite /'
	grep -E '^(hvlite|[a-z])' /proc/interrupts | grep hvlite-preempt
fi
