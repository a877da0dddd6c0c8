#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot the QEMU host (Debian's arm64 kernel at EL2) on an initramfs and run
# one plan in it; the console goes to stdout and to LOG.
# usage: qemu-host.sh KERNEL CPU PLAN INITRD LOG [TIMEOUT] [options]
#   options: kvm      let KVM initialise (no kvm-arm.mode=none)
#            vhe      leave the kernel free to run at EL2 (VHE)
#            el1      no EL2 at all (virtualization=off)
#            gicv2    a GICv2 instead of a GICv3
#            icount   -icount shift=0,sleep=off: guest time counts instructions
#            net=HOSTPORT:PORT  user-mode networking (a virtio-net on
#                     virtio-mmio; the host is 10.0.2.15) with build-machine
#                     127.0.0.1:HOSTPORT forwarded to the host's TCP PORT;
#                     the initramfs needs the net modules (mkinitramfs.sh ... net)
#            gdbstub  QEMU's gdbstub on tcp::${QEMU_GDB_PORT:-1234} (make debug)
#            gdbwait  and the CPUs wait for gdb before the first instruction (-S)
#            interactive  the console reads the terminal (default: /dev/null)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=$1 cpu=$2 plan=$3 initrd=$4 log=$5 tmo=${6:-300}
shift 6 || shift $#
machine="virt,virtualization=on,gic-version=3"
append="console=ttyAMA0 panic=-1 oops=panic quiet"
kvm="kvm-arm.mode=none" vh="id_aa64mmfr1.vh=0" extra="" nic="-nic none" net="" stdin=/dev/null
for o in "$@"; do
	case $o in
	kvm) kvm="kvm-arm.mode=nvhe" ;;
	vhe) vh="" ;;
	el1) machine="virt,virtualization=off,gic-version=3" ;;
	gicv2) machine="virt,virtualization=on,gic-version=2" ;;
	icount) extra="$extra -icount shift=0,sleep=off" ;;
	net=*:*)
		# virtio-mmio, not PCI: no option ROM (efi-virtio.rom) to look for.
		p=${o#net=}
		nic="-netdev user,id=n0,hostfwd=tcp:127.0.0.1:${p%%:*}-:${p#*:} -device virtio-net-device,netdev=n0"
		net="hvnet=1" ;;
	gdbstub) extra="$extra -gdb tcp::${QEMU_GDB_PORT:-1234}" ;;
	gdbwait) extra="$extra -S" ;;
	interactive) stdin=/dev/stdin ;;
	*) die "qemu-host.sh: unknown option $o" ;;
	esac
done
# -cpu max: the impdef pointer-auth algorithm is the same feature at a
# third of the emulation cost (ENVIRONMENT.md: 6.3 s -> 2.1 s per boot).
[ "$cpu" = max ] && cpu="max,pauth-impdef=on"
# One QEMU at a time on this machine (two cores): several checkouts may share it.
exec 9>"${TMPDIR:-/tmp}/hvlite-qemu.lock"
flock 9
timeout --foreground -k 5 "$tmo" qemu-system-aarch64 -M "$machine" -cpu "$cpu" \
	-smp "${SMP:-2}" -m 1G $extra -display none -monitor none -serial stdio -no-reboot $nic \
	-kernel "$(kernel_image "$kernel")" -initrd "$initrd" \
	-append "$append $kvm $vh $net hvplan=$plan" <"$stdin" 2>&1 | tee "$log"
