#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The table of KVM's selftests for Documentation/testing.md, from the logs
# of the two kvmself boots of a run (what each backend actually did) and the
# notes of selftests/kvm-selftests.expect.
#   usage: kvmself-table.sh HVLITE_LOG KVM_LOG [EXPECT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hv=$1 kvm=$2 expect=${3:-$here/../selftests/kvm-selftests.expect}

# One "name result seconds" line per test of a boot's kvmself TAP.
results() {
	sed 's/\r$//' "$1" | awk '
	/^(not )?ok [0-9]+ kvmself\// {
		name = $0; sub(/^(not )?ok [0-9]+ kvmself\//, "", name); sub(/[ ].*/, "", name)
		t = "-"
		if (match($0, /[0-9]+s[),]/)) t = substr($0, RSTART, RLENGTH - 1)
		if ($0 ~ /^not ok/) r = "MISMATCH"
		else if ($0 ~ /# SKIP not run/) { r = "notrun"; t = "-" }
		else if ($0 ~ /# SKIP/) r = "skip"
		else if ($0 ~ /fails on .* as expected/) r = "fail"
		else r = "pass"
		print name, r, t
	}'
}

declare -A H K
while read -r n r t; do H[$n]="$r $t"; done < <(results "$hv")
while read -r n r t; do K[$n]="$r $t"; done < <(results "$kvm")

cell() { # "result seconds"
	set -- $1
	if [ "$2" = - ]; then echo "$1"; else echo "$1 ($2)"; fi
}

echo "| test | KVM | hvlite | note |"
echo "|---|---|---|---|"
grep -v '^[[:space:]]*#' "$expect" | grep '|' | while IFS='|' read -r name _ _ _ _ note; do
	name=$(echo $name) note=$(echo "$note" | sed 's/^ *//; s/ *$//; s/|/\\|/g')
	echo "| \`$name\` | $(cell "${K[$name]:-missing -}") | $(cell "${H[$name]:-missing -}") | $note |"
done
