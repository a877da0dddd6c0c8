#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# hvlite-run --gdb end to end: gdb-multiarch on the build machine debugs a
# bare-metal guest (tests/gdb-payload.c) that hvlite-run runs inside the QEMU
# host, through QEMU's user-mode network (127.0.0.1:HOSTPORT -> host :1234).
# One boot per backend: hvlite, then KVM. In each, gdbguest.sh starts four
# sessions: raw packets (bad checksum, bad hex, oversized, Ctrl-C, kill),
# a gdb-multiarch batch session (breakpoint, registers, memory through the
# guest's page tables, stepi, watchpoint, monitor commands, kill), a detach
# after which the guest runs to its power-off, and gdb attaching to a guest
# that runs already. TAP on stdout.
#   usage: gdb-e2e.sh [KERNEL [CPU]]   (defaults 6.1 cortex-a57)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../../scripts/lib.sh"
kernel=${1:-6.1} cpu=${2:-cortex-a57}
work=$HVLITE_BUILD/hvlite-run/gdb-$kernel
wait_tmo=${GDB_E2E_WAIT:-900}	# the QEMU lock may be held by another boot
n=0 failed=0

tap() { # ok|fail, description
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}
check() { # description, file, extended regexp
	if grep -qE -- "$3" "$2"; then tap ok "$1"; else tap fail "$1"; echo "# no /$3/ in $2"; fi
}

make -s -C "$HVLITE_TOP" KERNEL="$kernel" module userspace >/dev/null || exit 1
rm -rf "$work" && mkdir -p "$work/b/extra" "$work/logs"
"${CROSS_COMPILE}gcc" -g -O1 -Wall -Werror -ffreestanding -nostdlib -static \
	-mgeneral-regs-only -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -Wl,-N -Wl,-Ttext=0x80000000 -Wl,--build-id=none \
	-Wl,--no-warn-rwx-segments -o "$work/b/extra/gdb-payload.elf" \
	"$here/gdb-start.S" "$here/gdb-payload.c" || exit 1
cp "$here/gdbguest.sh" "$work/b/extra/"
ln -s "$HVLITE_BUILD/module-$kernel" "$work/b/module-$kernel"
ln -s "$HVLITE_BUILD/userspace" "$work/b/userspace"
HVLITE_BUILD=$work/b "$HVLITE_TOP/scripts/mkinitramfs.sh" "$kernel" "$work/initrd.cpio.gz" net ||
	exit 1
elf=$work/b/extra/gdb-payload.elf
table=$("${CROSS_COMPILE}nm" "$elf" | awk '$3 == "gdb_table" { print $1 }')
toff=$(printf '0x%x' $((0x$table - 0x80000000)))

# Wait until LOG has COUNT lines matching RE, while QEMU (PID) runs.
wait_log() { # log re count pid
	local i c
	for ((i = 0; i < wait_tmo * 5; i++)); do
		c=$(grep -cE -- "$2" "$1" 2>/dev/null)
		[ "${c:-0}" -ge "$3" ] && return 0
		kill -0 "$4" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

free_port() {
	local p
	for ((;;)); do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
	done
}

# ---- raw protocol: one packet out, the bytes that come back ----
raw_send() { # packet-body: $body#checksum on fd 3
	local body=$1 i sum=0 c
	for ((i = 0; i < ${#body}; i++)); do
		printf -v c '%d' "'${body:i:1}"
		sum=$(((sum + c) & 255))
	done
	printf '$%s#%02x' "$body" "$sum" >&3
}
raw_read() { # seconds: everything that arrives within them, up to a whole packet
	local out="" ch
	while IFS= read -r -N 1 -t "$1" ch <&3; do
		out+=$ch
		case $out in *'#'??) break ;; esac
		[ "$out" = "-" ] && break
	done
	printf '%s' "$out"
}

raw_session() { # be port out
	local be=$1 hp=$2 out=$3 big
	exec 3<>"/dev/tcp/127.0.0.1/$hp" || { echo "connect failed" >"$out"; return; }
	{
		raw_send "qSupported:multiprocess+"; echo "qSupported: $(raw_read 5)"
		printf '$g#00' >&3; echo "badsum: $(raw_read 5)"
		raw_send "mzz,4"; echo "badhex: $(raw_read 5)"
		big=$(printf 'A%.0s' $(seq 20000))
		printf '$%s#20' "$big" >&3; echo "oversized: $(raw_read 5)"
		raw_send "m0,4"; echo "unmapped: $(raw_read 5)"
		raw_send "Zq,0,4"; echo "badZ: $(raw_read 5)"
		raw_send "Hg99"; echo "badthread: $(raw_read 5)"
		raw_send "p999"; echo "badreg: $(raw_read 5)"
		raw_send "P1f=zz"; echo "badregval: $(raw_read 5)"
		raw_send "M80000000,4:zz"; echo "badmem: $(raw_read 5)"
		raw_send "Z1,80000002,4"; echo "misaligned: $(raw_read 5)"
		raw_send "vCont;x"; echo "badvcont: $(raw_read 5)"
		raw_send "qRcmd,7"; echo "badrcmd: $(raw_read 5)"
		raw_send "X80000000,0:"; echo "unsupported: $(raw_read 5)"
		raw_send "qXfer:features:read:target.xml:0,40"; echo "xfer: $(raw_read 5)"
		raw_send "p20"; echo "pc: $(raw_read 5)"
		raw_send "vCont;c"; raw_read 1 >/dev/null; sleep 2
		printf '\003' >&3; echo "ctrlc: $(raw_read 10)"
		raw_send "k"; sleep 1
	} >"$out" 2>&1
	exec 3>&-
}

gdb_session() { # port out
	timeout -s KILL 180 gdb-multiarch -nx -batch \
		-ex "set pagination off" -ex "set confirm off" -ex "set width 0" \
		-ex "file $elf" -ex "target remote 127.0.0.1:$1" \
		-ex "info threads" \
		-ex "break gdb_target" -ex "continue" \
		-ex "info registers pc x0" \
		-ex "x/4wx &gdb_table" \
		-ex "x/4wx 0xffffff8000000000 + $toff" \
		-ex "p/x brk_esr" -ex "p gdb_cpu_on" \
		-ex "p gdb_spins2 > 0" -ex 'set $s2 = gdb_spins2' -ex "shell sleep 1" \
		-ex 'p gdb_spins2 == $s2' \
		-ex 'set $old = $pc' -ex "stepi" -ex 'p/x $pc - $old' \
		-ex "delete" -ex "watch gdb_counter" -ex "continue" -ex "delete" \
		-ex "monitor help" -ex "monitor sysregs" -ex "monitor vcpus" \
		-ex "monitor translate 0xffffff8000000000" -ex "monitor stage2 0x80000000" \
		-ex "monitor stage2 0x10000000" -ex "monitor gic" -ex "monitor lrs" \
		-ex "monitor exits 8" -ex "monitor frobnicate" \
		-ex "monitor phys" -ex "x/wx 0xc0000000 + $toff" \
		-ex "monitor virt" -ex "x/wx 0xc0000000 + $toff" \
		-ex "thread 2" -ex "info registers pc" -ex "thread 3" -ex "info registers pc" \
		-ex "thread 1" \
		-ex "kill" >"$2" 2>&1
}

detach_session() { # port out
	timeout -s KILL 120 gdb-multiarch -nx -batch \
		-ex "set pagination off" -ex "set confirm off" \
		-ex "file $elf" -ex "target remote 127.0.0.1:$1" \
		-ex "break gdb_bump" -ex "continue" -ex "p gdb_counter" \
		-ex "set var gdb_release = 1" -ex "detach" >"$2" 2>&1
}

attach_session() { # port out
	sleep 3		# the guest reaches its spin loop
	timeout -s KILL 120 gdb-multiarch -nx -batch \
		-ex "set pagination off" -ex "set confirm off" \
		-ex "file $elf" -ex "target remote 127.0.0.1:$1" \
		-ex "p gdb_spins > 0" -ex "p gdb_counter" -ex "p/x brk_esr" \
		-ex "set var gdb_release = 1" -ex "detach" >"$2" 2>&1
}

one_backend() { # be
	local be=$1 hp log qpid r g d opt=""
	hp=$(free_port)
	log=$work/logs/$be.log r=$work/logs/$be-raw.txt g=$work/logs/$be-gdb.txt
	d=$work/logs/$be-detach.txt a=$work/logs/$be-attach.txt
	[ "$be" = kvm ] && opt=kvm
	"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" script:gdbguest "$work/initrd.cpio.gz" \
		"$log" 400 $opt "net=$hp:1234" >"$work/logs/$be.qemu-host.txt" 2>&1 &
	qpid=$!
	echo "# $be: QEMU host with 127.0.0.1:$hp -> 1234 (log $log)"
	wait_log "$log" "gdb: listening on port 1234" 1 $qpid && raw_session "$be" "$hp" "$r"
	wait_log "$log" "gdb: listening on port 1234" 2 $qpid && gdb_session "$hp" "$g"
	wait_log "$log" "gdb: listening on port 1234" 3 $qpid && detach_session "$hp" "$d"
	wait_log "$log" "gdb: listening on port 1234" 4 $qpid && attach_session "$hp" "$a"
	wait $qpid
	[ -f "$log" ] || echo "# $be: the QEMU host did not start (see $work/logs)"
	touch "$log"
	sed -i 's/\r$//' "$log"
	touch "$r" "$g" "$d" "$a"
	check "$be: network up in the QEMU host" "$log" "network: eth0 10.0.2.15"
	check "$be: raw: qSupported gives PacketSize and the target description" "$r" \
		'qSupported: \+\$PacketSize=4000;qXfer:features:read\+#'
	check "$be: raw: a bad checksum is NAKed" "$r" '^badsum: -$'
	check "$be: raw: bad hex is E01" "$r" '^badhex: \+\$E01#'
	check "$be: raw: an oversized packet is E01" "$r" '^oversized: \+\$E01#'
	check "$be: raw: memory outside RAM is E14" "$r" '^unmapped: \+\$E14#'
	check "$be: raw: a bad Z packet is an error" "$r" '^badZ: \+\$E01#'
	check "$be: raw: Hg of a thread that does not exist is an error" "$r" '^badthread: \+\$E01#'
	check "$be: raw: p of a register that does not exist is E01" "$r" '^badreg: \+\$E01#'
	check "$be: raw: P with bad hex is E01" "$r" '^badregval: \+\$E01#'
	check "$be: raw: M with bad hex is E01" "$r" '^badmem: \+\$E01#'
	check "$be: raw: a misaligned hardware breakpoint is refused" "$r" '^misaligned: \+\$E16#'
	check "$be: raw: an unknown vCont action is E01" "$r" '^badvcont: \+\$E01#'
	check "$be: raw: qRcmd with odd hex is E01" "$r" '^badrcmd: \+\$E01#'
	check "$be: raw: an unsupported packet gets the empty reply" "$r" '^unsupported: \+\$#00'
	check "$be: raw: the target description" "$r" '^xfer: \+\$m<\?xml version="1\.0"\?><!DOCTYPE target'
	check "$be: raw: pc at the ELF entry before the first instruction" "$r" '^pc: \+\$0000008000000000#'
	check "$be: raw: Ctrl-C stops the running guest (T02)" "$r" 'ctrlc: .*\$T02thread:[123];#'
	check "$be: raw: k ends hvlite-run" "$log" "gdbguest-rc: raw 2"
	check "$be: gdb: three vCPUs are three threads" "$g" 'Thread 3 \(vCPU2 MPIDR 0x[0-9a-f]+ powered off\)'
	check "$be: gdb: breakpoint on a function by name" "$g" 'Breakpoint 1, (0x[0-9a-f]+ in )?gdb_target'
	check "$be: gdb: pc at the function" "$g" '^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <gdb_target>'
	check "$be: gdb: x0 holds the argument" "$g" '^x0 +0x1234 +4660'
	check "$be: gdb: memory through the guest's TTBR0 tables" "$g" \
		'<gdb_table>:\s+0x11111111\s+0x22222222\s+0x33333333\s+0x44444444'
	check "$be: gdb: the same through its TTBR1 alias" "$g" \
		'^0xffffff80000[0-9a-f]+:\s+0x11111111\s+0x22222222\s+0x33333333\s+0x44444444'
	check "$be: gdb: the guest's own BRK went to its vector (ESR 0xf2000042)" "$g" '= 0xf2000042$'
	check "$be: gdb: the guest started vCPU1 (PSCI CPU_ON returned 0)" "$g" '^\$2 = 0$'
	check "$be: gdb: vCPU1 ran" "$g" '^\$3 = 1$'
	check "$be: gdb: all-stop: vCPU1 is stopped too (its counter did not move in 1 s)" "$g" \
		'^\$4 = 1$'
	check "$be: gdb: stepi advances pc by 4" "$g" '^\$5 = 0x4$'
	check "$be: gdb: watchpoint reports old and new value" "$g" \
		'Hardware watchpoint 2: gdb_counter'
	if grep -A3 'Hardware watchpoint 2: gdb_counter$' "$g" | tr '\n' ' ' |
		grep -qE 'Old value = 0 +New value = 1'; then
		tap ok "$be: gdb: watchpoint old value 0, new value 1"
	else
		tap fail "$be: gdb: watchpoint old value 0, new value 1"
	fi
	check "$be: monitor help" "$g" 'translate VA +the guest.s stage-1 walk'
	check "$be: monitor sysregs decodes SCTLR (MMU on)" "$g" 'SCTLR_EL1 +0x[0-9a-f]+ +M\(MMU\)=1 C=1 I=1'
	check "$be: monitor sysregs decodes TCR" "$g" 'T0SZ=25 \(39-bit\) TG0=4K'
	check "$be: monitor vcpus: vCPU1 runnable" "$g" 'vCPU1 \(thread 2\).*stopped by gdb, runnable, pc 0x0*800000[0-9a-f]+$'
	check "$be: monitor vcpus: vCPU2 powered off" "$g" 'vCPU2 \(thread 3\).*stopped by gdb, stopped \(powered off\)'
	check "$be: monitor translate walks TTBR1 to the RAM block" "$g" \
		'level 1: table 0x[0-9a-f]+ desc 0x0*80000705 block'
	check "$be: monitor translate result" "$g" '=> PA 0x80000000 \(1048576K block\)'
	if [ "$be" = hvlite ]; then
		check "$be: monitor stage2 of RAM: mapped rwx Normal WB" "$g" \
			'=> PA 0x[0-9a-f]+ \((2048|4)K (block|page)\) rwx MemAttr=0xf \(Normal WB\) SH=3 AF=1'
		check "$be: monitor stage2 of an IPA outside memory: not mapped" "$g" '  not mapped'
		check "$be: monitor lrs: vCPU0's pending SGI 5 in a list register" "$g" \
			'LR[0-9] 0x[0-9a-f]+ pending +vINTID 5 group 1 '
		check "$be: monitor lrs: vCPU2 has not run" "$g" 'vCPU2: 0 list registers'
	else
		check "$be: monitor stage2 says not available on KVM" "$g" 'stage2: not available on KVM'
		check "$be: monitor lrs says not available on KVM" "$g" 'lrs: not available on KVM'
	fi
	check "$be: monitor gic reads the distributor" "$g" 'GICD_CTLR 0x[0-9a-f]+ \(ARE=1 .*EnableGrp1=1.*INTIDs'
	check "$be: monitor gic: vCPU0 awake" "$g" 'vCPU0 redistributor: GICR_WAKER 0x[0-9a-f]+ \(awake\)'
	# KVM enables every SGI at reset (vgic-init.c), hvlite only what the guest does.
	check "$be: monitor gic: SGI 5 enabled" "$g" '^    enabled +([0-9]+ )*5( |$)'
	check "$be: monitor gic: SGI 5 pending (not acknowledged)" "$g" '^    pending +5$'
	check "$be: monitor exits decodes ESRs" "$g" 'DEBUG +ESR 0x[0-9a-f]+ EC 0x(34|32|3c) '
	check "$be: monitor: an unknown command says so" "$g" "unknown command 'frobnicate'"
	check "$be: monitor phys: the VA alias is no physical address" "$g" \
		'Cannot access memory at address 0xc0000'
	check "$be: monitor virt: the VA alias reads the table" "$g" '^0xc0000[0-9a-f]+:\s+0x11111111$'
	check "$be: gdb: thread 2's registers (vCPU1 in its loop)" "$g" '^pc +0x[0-9a-f]+ +0x[0-9a-f]+ <gdb_secondary\+'
	check "$be: gdb: thread 3's registers (never ran)" "$g" '^pc +0x0 +0x0'
	check "$be: gdb: kill ends hvlite-run" "$log" "gdbguest-rc: gdb 2"
	check "$be: detach: breakpoint hit first" "$d" 'Breakpoint 1, (0x[0-9a-f]+ in )?gdb_bump'
	check "$be: detach: the guest runs on to its power-off (status 0)" "$log" "gdbguest-rc: detach 0"
	check "$be: attach: gdb stops a guest that runs (it was spinning)" "$a" '^\$1 = 1$'
	check "$be: attach: the guest ran on its own before" "$a" '^\$2 = 2$'
	check "$be: attach: its BRK took its own vector without a debugger" "$a" '^\$3 = 0xf2000042$'
	check "$be: attach: detached, the guest runs on to its power-off (status 0)" "$log" \
		"gdbguest-rc: attach 0"
	grep -E 'hvlite-run: gdb:' "$log" | sed 's/^/# /'
}

for be in ${GDB_E2E_BACKENDS:-hvlite kvm}; do
	one_backend "$be"
done
echo "1..$n"
exit $failed
