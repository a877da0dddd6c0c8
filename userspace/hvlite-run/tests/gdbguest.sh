# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the QEMU host (plan script:gdbguest) for gdb-e2e.sh: four
# hvlite-run --gdb sessions in turn on port 1234: raw protocol abuse, the gdb
# session (ends with kill), detach (each waiting for its debugger), and gdb
# attaching to a guest already running (no --gdb-wait).
R=/bin/hvlite-run
if [ -c /dev/kvm ]; then
	D=/dev/kvm
else
	insmod /lib/hvlite.ko || echo "gdbguest: insmod hvlite.ko failed"
	D=/dev/hvlite
fi
for s in raw gdb detach attach; do
	echo "gdbguest-run: $s on $D"
	w=--gdb-wait
	[ $s = attach ] && w=
	timeout -s KILL 240 $R --dev $D -c 3 --gdb 1234 $w --bare /tests/gdb-payload.elf </dev/null
	echo "gdbguest-rc: $s $?"
done
