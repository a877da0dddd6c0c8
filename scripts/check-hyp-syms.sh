#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# EL2 code may only reach EL2 code: every symbol the objects of module/hyp/
# leave undefined must be defined by another of them. A call into the kernel
# from EL2 would jump to an address EL2 does not map.
set -euo pipefail
dir=$1/module/hyp
nm=${CROSS_COMPILE:-aarch64-linux-gnu-}nm
objs=$(ls "$dir"/*.o | grep -v asm-offsets)
defined=$(for o in $objs; do $nm --defined-only "$o" | awk 'NF==3 {print $3}'; done | sort -u)
bad=$(for o in $objs; do $nm -u "$o" | awk '{print $2}'; done | sort -u | comm -23 - <(echo "$defined"))
if [ -n "$bad" ]; then
	echo "hvlite: EL2 code references symbols outside module/hyp/: $bad" >&2
	exit 1
fi
