# SPDX-License-Identifier: GPL-2.0-only
# hvplan=script:bootbench (make bench): boot the Linux guest to its /init with 1
# and 2 vCPUs, three times each, on KVM if it owns this host, else
# on hvlite. One line per boot: "bootbench BACKEND VCPUS MS" (the QEMU host's
# clock, hvlite-run start to the guest's first /init line; see stamp.awk).
R=/bin/hvlite-run
up() { cut -d' ' -f1 /proc/uptime; }
if [ -c /dev/kvm ]; then
	be=kvm dev=/dev/kvm
else
	insmod /lib/hvlite.ko || echo "bootbench: insmod hvlite.ko failed"
	be=hvlite dev=/dev/hvlite
fi
for c in 1 2; do
	for i in 1 2 3; do
		t0=$(up)
		$R --dev $dev -k /tests/Image -i /tests/guest.cpio.gz -m 256 -c $c \
			-p "panic=-1 quiet hvquick" </dev/null 2>&1 |
			awk -v t0="$t0" -v name=x -f /tests/stamp.awk |
			awk -v be=$be -v c=$c '$1 == "hvrun-init-time" { print "bootbench", be, c, $3 }'
	done
done
