#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# hvlite-run's host-side unit tests: the pure parts built for the build machine.
# usage: unit.sh [IMAGE]   (IMAGE: a real kernel Image to round-trip through gzip -9)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${HVLITE_BUILD:-$here/../../../build}/hvlite-run/unit
cc=${HOSTCC:-cc}
mkdir -p "$out"
$cc -O2 -Wall -Wextra -Werror -o "$out/image_test" "$here/image_test.c" "$here/../image.c"
$cc -O2 -Wall -Wextra -Werror -o "$out/gunzip_test" "$here/gunzip_test.c" "$here/../gunzip.c"
$cc -O2 -Wall -Wextra -Werror -pthread -o "$out/virtq_test" "$here/virtq_test.c" \
	"$here/../virtio-mmio.c"
# The GDB stub's stage-1 walker; ARM64_SYS_REG is arm64's <asm/kvm.h>, absent here.
$cc -O2 -Wall -Wextra -Werror \
	'-DARM64_SYS_REG(op0,op1,crn,crm,op2)=(0x6030000000130000ULL|((op0)<<14)|((op1)<<11)|((crn)<<7)|((crm)<<3)|(op2))' \
	-o "$out/s1walk_test" "$here/s1walk_test.c" "$here/../s1walk.c"
$cc -O2 -Wall -Wextra -Werror -pthread -o "$out/vcon_test" "$here/vcon_test.c" \
	"$here/../virtio-mmio.c" "$here/../virtio-console.c"
# The device tree: the launcher's own files, built natively. <linux/kvm.h> of the
# build machine lacks arm64's <asm/kvm.h> (the vGIC attributes gic.c names): take
# those few headers from the aarch64 cross headers. libfdt: the build machine's
# libfdt-dev if there is one, else its runtime libfdt1 by path (make setup
# installs libfdt1; libfdt-dev:amd64 would displace libfdt-dev:arm64).
mkdir -p "$out/asm-arm64/asm" "$out/fdt"
for h in kvm.h ptrace.h hwcap.h sve_context.h; do
	ln -sf "${ARM64_UAPI:-/usr/aarch64-linux-gnu/include}/asm/$h" "$out/asm-arm64/asm/"
done
libfdt=-lfdt
[ -e /usr/lib/x86_64-linux-gnu/libfdt.so ] || [ -e /usr/lib/x86_64-linux-gnu/libfdt.a ] ||
	libfdt=/usr/lib/x86_64-linux-gnu/libfdt.so.1
$cc -O2 -Wall -Wextra -Werror -pthread -I"$out/asm-arm64" -o "$out/fdt_test" \
	"$here/fdt_test.c" $(for f in fdt device gic timer pl011 virtio-mmio virtio-rng \
	virtio-blk virtio-console console util term; do echo "$here/../$f.c"; done) $libfdt
"$out/image_test"
"$out/virtq_test"
"$out/s1walk_test"
"$out/vcon_test"
"$out/fdt_test" "$out/fdt"
# Text (dynamic blocks), random data (stored blocks), zeros (long matches), empty.
head -c 300000 "$here/../vcpu.c" "$here/../fdt.c" "$here/../pl011.c" >"$out/text"
head -c 200000 /dev/urandom >"$out/random"
head -c 1000000 /dev/zero >"$out/zeros"
: >"$out/empty"
args=()
for f in text random zeros empty ${1:+"$1"}; do
	[ "$f" = "${1:-}" ] && { cp "$1" "$out/image"; f=image; }
	gzip -9 -n -c "$out/$f" >"$out/$f.9.gz"
	gzip -1 -n -c "$out/$f" >"$out/$f.1.gz"
	args+=("$out/$f.9.gz" "$out/$f" "$out/$f.1.gz" "$out/$f")
done
"$out/gunzip_test" "${args[@]}"
