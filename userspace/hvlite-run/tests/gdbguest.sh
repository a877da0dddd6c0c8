# SPDX-License-Identifier: GPL-2.0-only
# Runs inside the QEMU host (plan script:gdbguest) for gdb-e2e.sh: three
# hvlite-run --gdb sessions in turn on port 1234, each waiting for its
# debugger: raw protocol abuse, the gdb session (ends with kill), detach.
R=/bin/hvlite-run
if [ -c /dev/kvm ]; then
	D=/dev/kvm
else
	insmod /lib/hvlite.ko || echo "gdbguest: insmod hvlite.ko failed"
	D=/dev/hvlite
fi
for s in raw gdb detach; do
	echo "gdbguest-run: $s on $D"
	timeout -s KILL 240 $R --dev $D -c 2 --gdb 1234 --gdb-wait --bare /tests/gdb-payload.elf </dev/null
	echo "gdbguest-rc: $s $?"
done
