#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Check the console of one of kvm-boot.sh's boots (hvrun.sh on kvm or hvlite);
# TAP on stdout, status 1 on any failure.   usage: check-log.sh kvm|hvlite LOG WORKDIR
set -uo pipefail
be=$1 kvm=$(tr -d '\r' <"$2") work=$3
n=0 bad=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n $be: $2"; else echo "not ok $n $be: $2"; bad=1; fi; }
# block LOG N: the output of the Nth case, its last line "rc=N"
block() {
	awk -v want="$2" '/^hvrun-case: / { c++; next } /^hvrun-rc: / { if (c == want) print "rc=" $2; next }
		c == want && !/^hvrun-(dtb|boot)-/ { print }' <<<"$1"
}
# expect N RC REGEX [ONELINE]: case N exits RC and its output matches REGEX
expect() {
	local out; out=$(block "$kvm" "$1")
	local r=0
	grep -q "^rc=$2\$" <<<"$out" || r=1
	grep -qE -- "$3" <<<"$out" || r=1
	[ "${4:-}" = oneline ] && [ "$(grep -vc '^rc=' <<<"$out")" != 1 ] && r=1
	ok $r "case $1: $(awk -v w="$1" '/^hvrun-case: / && ++c == w { sub(/^hvrun-case: /, ""); print }' <<<"$kvm") -> rc $2, /$3/"
	[ $r = 0 ] || sed 's/^/# /' <<<"$out"
}
expect 1 1 '^hvlite-run: /nonexistent: No such file' oneline
expect 2 1 'not an arm64 Image' oneline
expect 3 1 '-m 34: memory too small .*\(at least [0-9]+ MiB\)' oneline
expect 4 1 'unknown option --frobnicate' oneline
expect 5 1 '^hvlite-run: -c 99: at most 64 vCPUs' oneline
expect 6 1 '-m: needs an argument' oneline
expect 7 1 'exactly one of -k IMAGE and --bare' oneline
if [ "$be" = kvm ]; then
	expect 8 1 '/dev/hvlite: no such device \(insmod hvlite.ko' oneline
else
	expect 8 1 '/dev/nonexistent: No such file' oneline
fi
expect 9 1 'not a flattened device tree' oneline
expect 10 0 '^rc=0$'
expect 11 0 '^DTB ok: bare payload says hi'
expect 12 0 '^DTB ok: bare payload says hi'
expect 13 0 '^DTB ok: bare payload says hi'
expect 14 0 'guest reset: exiting'
expect 15 1 'vCPU0: guest access at IPA 0xa000100 with no valid syndrome.*EC 0x24 data abort, lower EL, translation fault'
expect 15 1 'vCPU1 \(MPIDR 0x80000001\) powered off'
expect 15 1 'esr_el1 [0-9a-f]+: EC 0x'
expect 16 2 'stopped by a signal'
expect 17 2 'guest reset: restarting'
r=1; [ "$(block "$kvm" 17 | grep -c 'says hi')" -ge 2 ] && r=0
ok $r "restart: the payload ran again after each reset"
expect 18 0 'tty settings restored'
expect 19 1 'tty settings restored'
expect 20 2 'tty settings restored'
expect 21 2 'stopped by a signal or the console escape'
expect 22 0 'kernel: /tests/Image.gz at 0x80000000, [0-9]+ bytes in memory'
expect 23 1 '/tmp/trunc.gz: corrupt gzip file \((bad|truncated|the trailer|less|more|CRC)' oneline
expect 24 1 '--disk /nonexistent.img: No such file' oneline
expect 25 1 '^hvlite-run: --disk /tmp/small.img: not a raw image file of at least 512 bytes$' oneline
expect 26 1 '^hvlite-run: --disk /nonexistent.img: No such file'
expect 26 1 '^hvrun: nothing left behind$'
expect 27 1 '^hvlite-run: --console tty: expected serial or virtio$' oneline
expect 28 1 '^hvlite-run: -c 0: expected a number from 1 to' oneline
expect 29 1 '^hvlite-run: -c 4000: /dev/(kvm|hvlite) supports at most [0-9]+ vCPUs \(KVM_CAP_MAX_VCPUS\)$' oneline
expect 30 2 'stopped by a signal or the console escape'
expect 31 2 'stopped by a signal or the console escape'
# 1 vCPU Linux boot (read-only disk)
expect 32 0 'guest-init: up: 1 CPUs'
expect 32 0 'guest-init: arch_timer interrupts [0-9]+ -> [0-9]+'
r=1; block "$kvm" 32 | awk '/arch_timer interrupts/ { exit !($4 < $6) }' && r=0
ok $r "1 vCPU: the arch timer interrupt count increases"
expect 32 0 'Machine model: hvlite-run'
expect 32 0 'guest-init: cmdline: console=ttyAMA0 earlycon panic=-1'
expect 32 0 'guest-init: disk: hvlite-disk-pattern'
expect 32 0 'guest-init: disk write rc=[1-9]'
# 2 vCPUs with console input (its output comes after the rc line: cat /tmp/out)
out=$(sed -n '/^hvrun-case: 2 vCPUs/,/^hvrun-case: virtio console/p' <<<"$kvm")
for re in '^hvrun-rc: 0$' 'guest-init: up: 2 CPUs' "guest-init: got 'ping-from-host'" \
	'smp: Brought up 1 node, 2 CPUs' 'GICv3 +33 Level +uart-pl011' 'reboot: Power down' \
	'guest-init: hwrng: virtio_rng' 'guest-init: hwrng bytes: [0-9a-f]{32}$' \
	'guest-init: disk: hvlite-disk-pattern' 'guest-init: disk write rc=0' \
	'^hvrun: disk at 4096: written-by-guest$' '^hvrun: ro disk at 4096: \.$'; do
	r=1; grep -qE "$re" <<<"$out" && r=0
	ok $r "2 vCPUs: /$re/"
done
r=1; grep -E 'uart-pl011' <<<"$out" | awk '{ exit !($2 + $3 > 0) }' && r=0
ok $r "2 vCPUs: PL011 interrupts were delivered"
# The console on virtio-console (hvc0)
out=$(sed -n '/^hvrun-case: virtio console/,/^hvrun-case: end/p' <<<"$kvm")
for re in '^hvrun-rc: 0$' 'guest-init: up: 1 CPUs' 'guest-init: cmdline: console=hvc0 earlycon panic=-1' \
	"guest-init: got 'ping-from-hvc'" 'guest-init: powering off'; do
	r=1; grep -qE "$re" <<<"$out" && r=0
	ok $r "virtio console: /$re/"
done
r=1; grep -E 'GICv3 +50 Level' <<<"$out" | awk '{ exit !($2 > 0) }' && r=0
ok $r "virtio console: its interrupt (SPI 18, INTID 50) was delivered"
[ $r = 0 ] || grep -E 'virtio|GICv3' <<<"$out" | sed 's/^/# /'
# Boot times, in the QEMU host's clock (not a pass/fail criterion)
for c in 1cpu 2cpu; do
	t=$(awk -v c=$c '$1 == "hvrun-boot-begin" && $2 == c { b = $3 } $1 == "hvrun-boot-end" && $2 == c { print $3 - b }' <<<"$kvm")
	i=$(awk -v c=$c '$1 == "hvrun-init-time" && $2 == c { print $3 }' <<<"$kvm")
	echo "# Linux guest, $c, on $be: hvlite-run start to the guest's /init ${i:-?} ms; to power-off ${t:-?} s (QEMU host clock, nested under TCG)"
	r=1; [ -n "$i" ] && r=0
	ok $r "$c: boot time to the guest's /init measured"
done
# The DTB, decompiled on the build machine
sed -n '/^hvrun-dtb-begin/,/^hvrun-dtb-end/p' <<<"$kvm" | sed '1d;$d' | base64 -d >"$work/$be.dtb" 2>/dev/null
dts=$(dtc -I dtb -O dts "$work/$be.dtb" 2>"$work/$be.dtc.err")
r=$?; [ -s "$work/$be.dtc.err" ] && r=1
ok $r "DTB decompiles with dtc without warnings"
[ $r = 0 ] || sed 's/^/# /' "$work/$be.dtc.err"
for s in 'compatible = "arm,gic-v3"' 'compatible = "arm,psci-1.0\0arm,psci-0.2"' 'method = "hvc"' \
	'enable-method = "psci"' 'cpu@1 {' 'compatible = "arm,armv8-timer"' \
	'interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b 0x04 0x01 0x0a 0x04>' \
	'clock-names = "uartclk\0apb_pclk"' 'bootargs = "console=ttyAMA0 earlycon hello=1"' \
	'linux,initrd-start' 'stdout-path = "/pl011@9000000"' 'reg = <0x00 0x80000000 0x00 0x10000000>'; do
	r=1; grep -qF -- "$s" <<<"$dts" && r=0
	ok $r "DTB has $s"
done
echo "1..$n"
exit $bad
