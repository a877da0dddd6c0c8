#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make debug: boot the QEMU host with QEMU's gdbstub, load hvlite.ko, and
# write a gdb script that loads hvlite.ko's symbols at the addresses the
# module really got (/sys/module/hvlite/sections/*, printed on the console).
#   KERNEL=6.1|6.12 (default 6.1), CPU=cortex-a57|max (default cortex-a57)
#   QEMU_GDB_PORT   the gdbstub's TCP port (default 1234)
#   DEBUG_WAIT=1    the CPUs wait for gdb before the first instruction
#   DEBUG_RUN=CMD   run CMD in the QEMU host instead of an interactive shell
#                   (the console then reads nothing), then power off
# Then, in another terminal: gdb-multiarch -x build/debug-KERNEL/hvlite.gdb
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kernel=${KERNEL:-6.1} cpu=${CPU:-cortex-a57} port=${QEMU_GDB_PORT:-1234}
export QEMU_GDB_PORT=$port
make -s -C "$HVLITE_TOP" KERNEL="$kernel" all
work=$HVLITE_BUILD/debug-$kernel
ko=$HVLITE_BUILD/module-$kernel/hvlite.ko
rm -rf "$work" && mkdir -p "$work/b/extra"
{
	echo 'insmod /lib/hvlite.ko || echo "hvlite-debug: insmod failed"'
	echo 'for f in /sys/module/hvlite/sections/.* /sys/module/hvlite/sections/*; do'
	echo '	[ -f "$f" ] && echo "hvlite-section ${f##*/} $(cat "$f")"'
	echo 'done'
	echo 'echo "hvlite-debug: sections printed"'
	if [ -n "${DEBUG_RUN:-}" ]; then
		printf '%s\n' "$DEBUG_RUN"
	else
		echo 'echo "hvlite-debug: a shell; hvlite-run and the tests are in /bin and /tests; exit powers off"'
		echo 'setsid cttyhack sh'
	fi
} >"$work/b/extra/debug.sh"
ln -s "$HVLITE_BUILD/module-$kernel" "$work/b/module-$kernel"
ln -s "$HVLITE_BUILD/userspace" "$work/b/userspace"
ln -s "$HVLITE_BUILD/selftests" "$work/b/selftests"
HVLITE_BUILD=$work/b "$HVLITE_TOP/scripts/mkinitramfs.sh" "$kernel" "$work/initrd.cpio.gz"
log=$work/console.log
: >"$log"

# Once the sections are on the console: hvlite.gdb (connect + symbols).
write_gdb_script() {
	local text sects="" name addr
	while ! grep -q 'hvlite-debug: sections printed' "$log" 2>/dev/null; do
		sleep 0.5
		kill -0 "$1" 2>/dev/null || return 0	# this script ended
	done
	text=$(sed -n 's/\r$//; s/^hvlite-section \.text \(0x[0-9a-f]*\)$/\1/p' "$log")
	[ -n "$text" ] || { say "debug: no .text address on the console"; return 0; }
	while read -r name addr; do
		[ "$name" = .text ] && continue
		# Only sections the object file has: gdb relocates those.
		"${CROSS_COMPILE}objdump" -h "$ko" | awk '{print $2}' | grep -qxF -- "$name" &&
			sects+=" -s $name $addr"
	done < <(sed -n 's/\r$//; s/^hvlite-section //p' "$log")
	cat >"$work/hvlite.gdb" <<GDB
# hvlite.ko at its load addresses in this boot (scripts/debug.sh).
set pagination off
set confirm off
target remote :$port
add-symbol-file $ko $text$sects
# EL2 runs module code at the kernel VA with bits 63:48 cleared
# (Documentation/design.md, EL2 memory layout): break there by hand.
define el2break
  hbreak *((unsigned long)(\$arg0) & 0xffffffffffffUL)
end
document el2break
el2break SYMBOL: a hardware breakpoint on SYMBOL's EL2 alias (e.g. el2break hvl_hyp_vcpu_run)
end
GDB
	say "debug: symbols ready: gdb-multiarch -x $work/hvlite.gdb"
}

say "debug: QEMU's gdbstub on tcp::$port; console log $log"
say "debug: once hvlite is loaded, in another terminal: gdb-multiarch -x $work/hvlite.gdb"
opts=(gdbstub)
[ "${DEBUG_WAIT:-0}" = 1 ] && opts+=(gdbwait)
[ -z "${DEBUG_RUN:-}" ] && opts+=(interactive)
# QEMU in the foreground: a background job of a script would read /dev/null.
write_gdb_script $$ &
"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" script:debug "$work/initrd.cpio.gz" "$log" \
	"${DEBUG_TIMEOUT:-3600}" "${opts[@]}"
wait
