# SPDX-License-Identifier: GPL-2.0-only
# Runs in the QEMU host, on a Linux guest's console output (busybox awk):
# passes it through and, after the guest's /init first speaks (guest-init's
# "guest-init: up" line), prints "hvrun-init-time NAME MS": milliseconds of
# the QEMU host's clock from T0 (its /proc/uptime just before hvlite-run
# started) to the moment that line came out of hvlite-run.
#   awk -v t0=UPTIME -v name=NAME -f stamp.awk
{ print; fflush() }
/guest-init: up/ && !seen {
	getline u < "/proc/uptime"
	close("/proc/uptime")
	split(u, a, " ")
	seen = 1
	printf "hvrun-init-time %s %d ms\n", name, (a[1] - t0) * 1000 + 0.5
	fflush()
}
