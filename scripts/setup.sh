#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install or fetch everything hvlite needs to build and test on Debian 12 x86-64.
#
# Debian packages are installed with apt-get (as root; otherwise the exact
# command is printed). Debian's arm64 host kernels, busybox and pieces of
# linux-source-6.12 are downloaded as .debs and unpacked with dpkg -x into
# $HVLITE_CACHE (default ~/.cache/hvlite), never into the repository.
# Re-running it when everything is present takes a second or two.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

KERNELS=${KERNELS:-"6.1 6.12"}
# libfdt1 (the build machine's runtime libfdt) links hvlite-run's host-side DTB
# test: libfdt-dev for amd64 cannot be installed next to libfdt-dev:arm64 (it
# is not Multi-Arch: same), and the headers of the arm64 one serve both.
PKGS="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross device-tree-compiler
cpio dwarves gdb-multiarch rsync libfdt-dev:arm64 libfdt1:amd64"

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	else
		say "set-up needs root for: $*"
		say "run it yourself, then run 'make setup' again:"
		echo "    sudo $*" >&2
		exit 1
	fi
}

missing_pkgs() {
	local p m=""
	for p in $PKGS; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
			m="$m $p"
	done
	echo "$m"
}

setup_packages() {
	local m
	dpkg --print-foreign-architectures | grep -qx arm64 || {
		as_root dpkg --add-architecture arm64
		as_root apt-get update -q
	}
	m=$(missing_pkgs)
	[ -z "$m" ] && return 0
	say "installing Debian packages:$m"
	if [ "$(id -u)" != 0 ]; then
		say "missing packages; run:"
		echo "    sudo dpkg --add-architecture arm64 && sudo apt-get update &&" \
			"sudo apt-get install -y$m" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $m >/dev/null ||
		{ apt-get update -q >/dev/null &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $m >/dev/null; }
}

# First dependency of package $1 whose name matches regex $2.
dep_of() {
	apt-cache depends "$1" 2>/dev/null | sed -n 's/^ *|\?Depends: \([^<>]*\)$/\1/p' |
		grep -E "$2" | head -n1
}

# Download .debs (name[:arch]) into the download cache; echo their paths.
fetch_debs() {
	local d=$HVLITE_CACHE/debs p
	mkdir -p "$d"
	for p in "$@"; do
		if ! ls "$d/${p%%:*}_"*.deb >/dev/null 2>&1; then
			(cd "$d" && apt-get -o APT::Sandbox::User=root download -q "$p" >/dev/null) ||
				die "cannot download $p (is 'apt-get update' done, with arm64 added?)"
		fi
		ls -t "$d/${p%%:*}_"*.deb | head -n1
	done
}

setup_kernel() {
	local k=$1 meta kver abi kbuild root tmp deb
	meta=$(kernel_meta "$k")
	root=$(kernel_root "$k")
	kver=$(dep_of "$meta:arm64" '^linux-image-' | sed 's/^linux-image-//; s/:arm64$//')
	if [ -z "$kver" ]; then
		[ -f "$root/kver" ] && { say "kernel $k: offline, keeping $(cat "$root/kver")"; return 0; }
		die "cannot resolve $meta:arm64 (run: apt-get update)"
	fi
	[ -f "$root/kver" ] && [ "$(cat "$root/kver")" = "$kver" ] && return 0
	say "kernel $k: fetching Debian's $kver (image + headers)"
	abi=${kver%-arm64}
	kbuild=$(dep_of "linux-headers-$kver:arm64" '^linux-kbuild-' | sed 's/:arm64$//')
	[ -n "$kbuild" ] || die "cannot resolve the kbuild package of linux-headers-$kver"
	tmp=$root.new
	rm -rf "$tmp" && mkdir -p "$tmp"
	for deb in $(fetch_debs "linux-image-$kver:arm64" "linux-headers-$kver:arm64" \
			"linux-headers-$abi-common" "$kbuild:amd64"); do
		dpkg -x "$deb" "$tmp"
	done
	# The arch headers include the common ones by an absolute /usr/src path.
	sed -i "s|/usr/src/linux-headers-$abi-common|$root/usr/src/linux-headers-$abi-common|" \
		"$tmp/usr/src/linux-headers-$kver/Makefile"
	echo "$kver" >"$tmp/kver"
	rm -rf "$root" && mv "$tmp" "$root"
	# The Makefile now names $root, which is where the tree lives after the move.
}

setup_busybox() {
	local d=$HVLITE_CACHE/busybox
	[ -x "$d/bin/busybox" ] && return 0
	say "fetching busybox-static:arm64"
	rm -rf "$d.new" && mkdir -p "$d.new"
	dpkg -x "$(fetch_debs busybox-static:arm64)" "$d.new"
	rm -rf "$d" && mv "$d.new" "$d"
}

# kselftest harness headers and checkpatch, from Debian's linux-source-6.12.
setup_ksrc() {
	local d ver deb tmp
	d=$(ksrc_dir)
	ver=$(apt-cache policy linux-source-6.12 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -f "$d/version" ] && { [ -z "$ver" ] || [ "$(cat "$d/version")" = "$ver" ]; }; then
		return 0
	fi
	[ -n "$ver" ] || die "cannot resolve linux-source-6.12 (run: apt-get update)"
	say "fetching linux-source-6.12 $ver (kselftest harness, checkpatch)"
	deb=$(fetch_debs linux-source-6.12)
	tmp=$HVLITE_CACHE/ksrc.tmp
	rm -rf "$tmp" "$d.new" && mkdir -p "$tmp" "$d.new"
	dpkg -x "$deb" "$tmp"
	tar -xJf "$tmp"/usr/src/linux-source-6.12.tar.xz -C "$d.new" --strip-components=1 \
		--wildcards 'linux-source-6.12/tools/testing/selftests/kselftest*.h' \
		'linux-source-6.12/scripts/checkpatch.pl' 'linux-source-6.12/scripts/spelling.txt' \
		'linux-source-6.12/scripts/const_structs.checkpatch'
	rm -rf "$tmp"
	echo "$ver" >"$d.new/version"
	rm -rf "$d" && mv "$d.new" "$d"
}

# KVM's own arm64 selftests (issue 7), cross-built from the whole of Debian's
# linux-source-6.12: unpacked into $HVLITE_CACHE/linux-source-full, uapi
# headers installed there, tools/testing/selftests/kvm built static for arm64.
# Redone only when the package version changed or the binaries are missing
# (stamp: linux-source-full/.hvlite-built holds the version).
setup_kvm_selftests() {
	local d=$HVLITE_CACHE/linux-source-full ver deb tmp
	ver=$(cat "$(ksrc_dir)/version")
	if [ -f "$d/.hvlite-built" ] && [ "$(cat "$d/.hvlite-built")" = "$ver" ] &&
		[ -x "$d/tools/testing/selftests/kvm/aarch64/psci_test" ]; then
		setup_page_fault_test_basic "$d/tools/testing/selftests/kvm"
		return 0
	fi
	say "KVM selftests: unpacking linux-source-6.12 $ver and cross-building them (~1 min)"
	deb=$(fetch_debs linux-source-6.12)
	tmp=$HVLITE_CACHE/ksrc-full.tmp
	rm -rf "$tmp" "$d.new" && mkdir -p "$tmp" "$d.new"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO ./usr/src/linux-source-6.12.tar.xz | tar -xJ -C "$d.new" --strip-components=1
	rm -rf "$tmp"
	make -s -C "$d.new" ARCH=arm64 headers >/dev/null ||
		die "KVM selftests: 'make ARCH=arm64 headers' failed in $d.new"
	# The tree may be referred to by its final path only after the move.
	rm -rf "$d" && mv "$d.new" "$d"
	make -s -C "$d/tools/testing/selftests/kvm" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
		EXTRA_CFLAGS=-static -j"$(nproc)" >"$d/.hvlite-build.log" 2>&1 ||
		die "KVM selftests: build failed, see $d/.hvlite-build.log"
	setup_page_fault_test_basic "$d/tools/testing/selftests/kvm"
	echo "$ver" >"$d/.hvlite-built"
}

# page_fault_test runs its whole table of cases, and a third of them need
# userfaultfd or dirty logging. page_fault_test_basic is the same source with
# only the cases that need neither (plain accesses, holes punched in the
# backing memory, read-only memslots); it is derived here, in the cache, and
# built with the suite's own Makefile.
setup_page_fault_test_basic() { # kvm selftests dir
	local k=$1
	[ -x "$k/aarch64/page_fault_test_basic" ] &&
		[ "$k/aarch64/page_fault_test_basic" -nt "$k/aarch64/page_fault_test.c" ] && return 0
	awk '
	/^static struct test_desc tests\[\] = \{/ { intab = 1 }
	intab && /^\t\{ 0 \}/ { intab = 0 }
	intab && /^\tTEST_[A-Z_]*\(/ { skip = ($0 ~ /UFFD|DIRTY_LOG/) }
	{ if (!(intab && skip)) print }
	intab && skip && /\),[[:space:]]*$/ { skip = 0 }
	' "$k/aarch64/page_fault_test.c" >"$k/aarch64/page_fault_test_basic.c"
	grep -q 'TEST_RO_MEMSLOT(guest_read64' "$k/aarch64/page_fault_test_basic.c" &&
		! grep -qE '^\tTEST_[A-Z_]*(UFFD|DIRTY_LOG)' "$k/aarch64/page_fault_test_basic.c" ||
		die "KVM selftests: page_fault_test.c changed shape; cannot derive page_fault_test_basic"
	make -s -C "$k" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
		EXTRA_CFLAGS="-static -Wno-unused-function" \
		TEST_GEN_PROGS_aarch64=aarch64/page_fault_test_basic >"$k/page_fault_test_basic.log" 2>&1 ||
		die "KVM selftests: page_fault_test_basic did not build, see $k/page_fault_test_basic.log"
}

mkdir -p "$HVLITE_CACHE"
# One set-up at a time: checkouts sharing the cache must not unpack into it
# concurrently.
exec {setup_lock}>"$HVLITE_CACHE/.setup.lock"
flock "$setup_lock"
setup_packages
for k in $KERNELS; do
	setup_kernel "$k"
done
setup_busybox
setup_ksrc
setup_kvm_selftests
