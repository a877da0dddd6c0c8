# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the QEMU host (plan script:hvrun): hvlite-run's end-to-end cases.
# The same cases on KVM (/dev/kvm) and, in a boot without KVM, on hvlite.
R=/bin/hvlite-run
K=/tests/Image
G=/tests/guest.cpio.gz
t() { echo "hvrun-case: $*"; "$@" </dev/null; echo "hvrun-rc: $?"; }
up() { cut -d' ' -f1 /proc/uptime; }
echo "hvrun: $($R --version)"
if [ -c /dev/kvm ]; then
	D="--dev /dev/kvm" nodev="$R -k $K"
else
	insmod /lib/hvlite.ko || echo "hvrun: insmod hvlite.ko failed"
	D="--dev /dev/hvlite" nodev="$R --dev /dev/nonexistent -k $K"
fi
t $R $D -k /nonexistent
head -c 100000 /dev/urandom >/tmp/bad
t $R $D -k /tmp/bad
t $R $D -k $K -m 34 -i $G
t $R $D -k $K --frobnicate
t $R $D -k $K -c 99
t $R $D -k $K -m
t $R $D
t $nodev
t $R $D --dtb /tests/bare-off.bin --bare /tests/bare-off.bin
t $R $D -k $K -c 2 -i $G -p "hello=1" --dump-dtb /tmp/g.dtb
echo "hvrun-dtb-begin"; base64 /tmp/g.dtb; echo "hvrun-dtb-end"
t $R $D --dtb /tmp/g.dtb --bare /tests/bare-off.bin
t $R $D --bare /tests/bare-off.bin@0x80000000 -v
t $R $D --bare /tests/bare-off.elf -c 2
t $R $D --bare /tests/bare-reset.bin
t $R $D --bare /tests/bare-crash.bin -c 2
t timeout -s TERM 5 $R $D --bare /tests/bare-spin.bin
t timeout -s TERM 8 $R $D --on-reset restart --bare /tests/bare-reset.bin
# The console (a tty) is raw while the guest runs and restored on each way out.
tty_case() { # what rc-expected command...
	local what=$1 s1 s2 rc
	shift
	echo "hvrun-case: tty restored after $what"
	s1=$(stty -g </dev/console)
	"$@" </dev/console
	rc=$?
	s2=$(stty -g </dev/console)
	[ "$s1" = "$s2" ] && echo "hvrun: tty settings restored" || echo "hvrun: tty left as $s2"
	echo "hvrun-rc: $rc"
}
tty_case power-off $R $D --bare /tests/bare-off.bin
tty_case crash $R $D --bare /tests/bare-crash.bin
tty_case SIGTERM timeout -s TERM 5 $R $D --bare /tests/bare-spin.bin
echo "hvrun-case: Ctrl-A x on stdin"
printf '\001x' | timeout -s KILL 60 $R $D --bare /tests/bare-spin.bin
echo "hvrun-rc: $?"
t $R $D -v -k /tests/Image.gz -i $G --dump-dtb /tmp/z.dtb
head -c 1000000 /tests/Image.gz >/tmp/trunc.gz
t $R $D -k /tmp/trunc.gz
t $R $D -k $K --disk /nonexistent.img
# Options are checked before anything is written: no DTB is left behind.
head -c 100 /dev/zero >/tmp/small.img
t $R $D -k $K --disk /tmp/small.img
rm -f /tmp/nd.dtb
t $R $D -k $K --disk /nonexistent.img --dump-dtb /tmp/nd.dtb
[ -e /tmp/nd.dtb ] && echo "hvrun: /tmp/nd.dtb left behind" || echo "hvrun: nothing left behind"
t $R $D -k $K --console tty
t $R $D -k $K -c 0
t $R $D -k $K -c 4000
# Guest output blocked (a pipe nobody reads): Ctrl-A x and SIGTERM still stop it.
rm -f /tmp/stuck && mkfifo /tmp/stuck
sleep 1000 </tmp/stuck &
s=$!
echo "hvrun-case: Ctrl-A x with the output blocked"
(sleep 3; printf '\001x'; sleep 60) | timeout -s KILL 60 $R $D --bare /tests/bare-chatter.bin >/tmp/stuck
echo "hvrun-rc: $?"
echo "hvrun-case: SIGTERM with the output blocked"
timeout -s TERM 3 timeout -s KILL 60 $R $D --bare /tests/bare-chatter.bin </dev/null >/tmp/stuck
echo "hvrun-rc: $?"
kill $s
dd if=/dev/zero of=/tmp/disk.img bs=1024 count=1024 2>/dev/null
printf 'hvlite-disk-pattern' | dd of=/tmp/disk.img conv=notrunc 2>/dev/null
cp /tmp/disk.img /tmp/ro.img
# A Linux boot, timed from just before hvlite-run starts to the guest's first
# /init line (stamp.awk prints hvrun-init-time), output through a pipe.
# lboot NAME [hvlite-run arguments]
lboot() {
	local name=$1 t0
	shift
	echo "hvrun-case: Linux $name"
	echo "hvrun-boot-begin $name $(up)"
	t0=$(up)
	{ $R $D "$@"; echo "hvrun-rc: $?"; } </dev/null 2>&1 |
		awk -v t0="$t0" -v name="$name" -f /tests/stamp.awk
	echo "hvrun-boot-end $name $(up)"
}
lboot 1cpu -k $K -i $G -m 128 -c 1 --disk /tmp/ro.img,ro -p "panic=-1"
# feed FILE MARK LINE: once FILE shows MARK, write LINE into the fifo /tmp/in
feed() {
	rm -f /tmp/in && mkfifo /tmp/in
	(while ! grep -q "$2" "$1" 2>/dev/null; do sleep 1; done
	 echo "$3"; sleep 120) >/tmp/in &
	w=$!
}
# 2 vCPUs, and a line typed into the console once the guest asks for it
feed /tmp/out "ready for input" ping-from-host
echo "hvrun-boot-begin 2cpu $(up)"
echo "hvrun-case: 2 vCPUs with console input"
t0=$(up)
{ timeout -s TERM 400 $R $D -k $K -i $G -m 256 -c 2 --rng --disk /tmp/disk.img -p "panic=-1 hvinput"
  echo "hvrun-rc: $?"; } </tmp/in 2>&1 | awk -v t0="$t0" -v name=2cpu -f /tests/stamp.awk >/tmp/out
echo "hvrun-boot-end 2cpu $(up)"
kill $w
cat /tmp/out
echo "hvrun: disk at 4096: $(dd if=/tmp/disk.img bs=16 skip=256 count=1 2>/dev/null)"
echo "hvrun: ro disk at 4096: $(dd if=/tmp/ro.img bs=16 skip=256 count=1 2>/dev/null | tr -d '\0')."
# The console on virtio (hvc0): output, a line of input, its interrupt.
feed /tmp/vout "ready for input" ping-from-hvc
echo "hvrun-case: virtio console"
{ timeout -s TERM 400 $R $D -k $K -i $G -m 128 -c 1 --console virtio -p "panic=-1 hvinput"
  echo "hvrun-rc: $?"; } </tmp/in >/tmp/vout 2>&1
kill $w
cat /tmp/vout
echo "hvrun-case: end"
