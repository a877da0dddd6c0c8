#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make check / make check-all: build for each host kernel, boot QEMU hosts,
# run the kselftest suite and the refusal boots, stream the TAP, and end
# with "N passed, N failed". Exits non-zero on any failed or missing result,
# on an oops/WARN/BUG/lockup/stall in a host's log, and on a timeout.
#   usage: check.sh quick|all
set -uo pipefail
. "$(dirname "$0")/lib.sh"
matrix=${1:-quick}
logs=$HVLITE_BUILD/logs
mkdir -p "$logs"
rm -f "$logs"/*.log
pass=0 fail=0 skip=0 xskip=0

# Boots: name kernel cpu plan [qemu-host.sh options]
boots_quick=(
	"6.1-a57 6.1 cortex-a57 tests"
	"6.12-max 6.12 max tests"
	"6.1-a57-kvm 6.1 cortex-a57 refuse:kvm kvm"
	"6.12-max-kvm 6.12 max refuse:kvm kvm"
	"6.12-max-vhe 6.12 max refuse:vhe vhe"
	"6.1-a57-el1 6.1 cortex-a57 refuse:el1 el1"
	"6.12-a57-gicv2 6.12 cortex-a57 refuse:gicv2 gicv2"
	"6.12-max-kvmtests 6.12 max kvm-tests kvm"
	"6.1-a57-kvmtests 6.1 cortex-a57 kvm-tests kvm"
	"6.12-max-kvmself 6.12 max kvmself"
	"6.12-max-kvmself-kvm 6.12 max kvmself kvm"
)
boots_all=(
	"${boots_quick[@]}"
	"6.1-max 6.1 max tests"
	"6.12-a57 6.12 cortex-a57 tests"
	"6.1-max-vhe 6.1 max refuse:vhe vhe"
	"6.12-a57-el1 6.12 cortex-a57 refuse:el1 el1"
	"6.1-a57-gicv2 6.1 cortex-a57 refuse:gicv2 gicv2"
)
if [ "$matrix" = all ]; then boots=("${boots_all[@]}"); else boots=("${boots_quick[@]}"); fi

result() { # ok|not ok|skip, name
	case $1 in
	ok) pass=$((pass + 1)); echo "ok $2" ;;
	skip) skip=$((skip + 1)); echo "ok $2 # SKIP" ;;
	*) fail=$((fail + 1)); echo "not ok $2" ;;
	esac
}

# Count one boot's TAP into pass/fail/skip; missing results count as failed.
tally() { # name log
	local name=$1 log=$2 line cur="" planned=0 seen=0 ended=1
	while IFS= read -r line; do
		case $line in
		"hvlite-test-begin "*)
			cur=${line#hvlite-test-begin } planned=0 seen=0 ended=0 ;;
		1..*) planned=${line#1..} ;;
		"ok "*"# SKIP"*)
			# kvmself: a skip the expectations file names (a capability the
			# backend does not claim, or a test not run under TCG) is a result.
			seen=$((seen + 1))
			if [ "$cur" = kvmself ]; then xskip=$((xskip + 1)); else skip=$((skip + 1)); fi ;;
		"ok "*) seen=$((seen + 1)); pass=$((pass + 1)) ;;
		"not ok "*) seen=$((seen + 1)); fail=$((fail + 1)) ;;
		"hvlite-test-end "*)
			ended=1
			if [ "$seen" -lt "$planned" ] || [ "$planned" = 0 ]; then
				echo "not ok $name/$cur: $((planned - seen)) result(s) missing (${line##* })"
				fail=$((fail + (planned > seen ? planned - seen : 1)))
			fi ;;
		esac
	done < <(sed 's/\r$//' "$log")
	[ "$ended" = 1 ] || { echo "not ok $name/$cur: did not finish"; fail=$((fail + 1)); }
	if grep -q '^hvlite-tests-done' "$log"; then
		result ok "$name: boot reached the end of its plan"
	else
		result "not ok" "$name: boot did not finish (timeout or crash; see $log)"
	fi
	if grep -nE 'Oops|WARNING:|BUG:|soft lockup|rcu.*(stall|detected stalls)|Kernel panic|Unable to handle kernel|Internal error:|Call trace:' "$log" |
		grep -v 'Kernel command line' | head -n 5 | sed 's/^/# host log: /' | grep .; then
		result "not ok" "$name: host kernel log clean"
	else
		result ok "$name: host kernel log clean"
	fi
}

# Show the TAP as it streams, prefixed with the boot's name.
stream() { # name
	sed -u 's/\r$//' | grep --line-buffered -E '^(ok |not ok |# |hvlite-init)' |
		grep --line-buffered -vE '^#  +(RUN|OK) ' | sed -u "s|^|[$1] |"
}

for k in $(printf '%s\n' "${boots[@]}" | awk '{print $2}' | sort -u); do
	make -s -C "$HVLITE_TOP" KERNEL="$k" all || { echo "hvlite: build for $k failed"; exit 1; }
	"$HVLITE_TOP/scripts/mkinitramfs.sh" "$k" "$HVLITE_BUILD/initramfs-$k.cpio.gz" ||
		{ echo "hvlite: initramfs for $k failed"; exit 1; }
done
# KVM's own selftests (plan kvmself) ride in an initramfs of their own.
if printf '%s\n' "${boots[@]}" | grep -q ' kvmself'; then
	"$HVLITE_TOP/scripts/mkinitramfs.sh" 6.12 "$HVLITE_BUILD/initramfs-6.12-kvmself.cpio.gz" kvmself ||
		{ echo "hvlite: initramfs with KVM's selftests failed (run 'make setup')"; exit 1; }
fi

start=$SECONDS
for b in "${boots[@]}"; do
	read -r name kernel cpu plan opts <<<"$b"
	log=$logs/$name.log
	echo "# boot $name: kernel $kernel, -cpu $cpu, plan $plan ${opts:+($opts)}"
	t0=$SECONDS
	initrd=$HVLITE_BUILD/initramfs-$kernel.cpio.gz
	[ "$plan" = kvmself ] && initrd=$HVLITE_BUILD/initramfs-$kernel-kvmself.cpio.gz
	"$HVLITE_TOP/scripts/qemu-host.sh" "$kernel" "$cpu" "$plan" "$initrd" "$log" "${CHECK_TIMEOUT:-300}" $opts |
		stream "$name"
	echo "# boot $name took $((SECONDS - t0)) s"
	tally "$name" "$log"
done
# A TAP-printing stage outside the boots: count its results like a boot's.
tap_stage() { # name command...
	local name=$1 log=$logs/$1.log rc=0
	shift
	echo "# $name: $*"
	"$@" >"$log" 2>&1 || rc=$?
	sed 's/\r$//' "$log" | grep -E '^(ok |not ok )' | sed "s|^|[$name] |"
	pass=$((pass + $(grep -cE '^ok ' "$log" || true)))
	fail=$((fail + $(grep -cE '^not ok ' "$log" || true)))
	if [ "$rc" != 0 ] && ! grep -qE '^not ok ' "$log"; then
		result "not ok" "$name: exited with status $rc (see $log)"
	fi
}

# hvlite-run: host-side unit tests, then end to end (Linux with 1 and 2 vCPUs
# and with a virtio console among the cases) on KVM and on hvlite, on each
# host kernel with the CPU model its boots above use.
tap_stage hvlite-run-unit "$HVLITE_TOP/userspace/hvlite-run/tests/unit.sh"
tap_stage hvlite-run-e2e-6.1 "$HVLITE_TOP/userspace/hvlite-run/tests/kvm-boot.sh" 6.1 cortex-a57
tap_stage hvlite-run-e2e-6.12 "$HVLITE_TOP/userspace/hvlite-run/tests/kvm-boot.sh" 6.12 max
# hvlite-run --gdb: gdb-multiarch here, the stub in the QEMU host (user-mode
# network), one boot on hvlite and one on KVM.
tap_stage hvlite-run-gdb "$HVLITE_TOP/userspace/hvlite-run/tests/gdb-e2e.sh" 6.1 cortex-a57

# The table Documentation/testing.md shows, as this run produced it.
if [ -f "$logs/6.12-max-kvmself.log" ] && [ -f "$logs/6.12-max-kvmself-kvm.log" ]; then
	"$HVLITE_TOP/scripts/kvmself-table.sh" "$logs/6.12-max-kvmself.log" \
		"$logs/6.12-max-kvmself-kvm.log" >"$logs/kvmself-table.md" &&
		echo "# KVM selftests, both backends: $logs/kvmself-table.md"
fi
echo "# $((${#boots[@]})) boots in $((SECONDS - start)) s; logs in $logs"
[ "$skip" = 0 ] || echo "# $skip skipped: a skip is a failure unless the hardware lacks the feature"
[ "$xskip" = 0 ] || echo "# $xskip KVM selftests skipped or not run as selftests/kvm-selftests.expect says"
echo "$pass passed, $fail failed${skip:+, $skip skipped}"
[ "$fail" = 0 ] && [ "$skip" = 0 ]
