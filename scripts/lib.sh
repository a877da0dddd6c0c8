# SPDX-License-Identifier: GPL-2.0-only
# Common settings for hvlite's set-up, build and QEMU scripts (sourced, not run).

HVLITE_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HVLITE_CACHE=${HVLITE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hvlite}
HVLITE_BUILD=${HVLITE_BUILD:-$HVLITE_TOP/build}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}

# Debian package names of the host kernels, by short name.
# The versioned package behind each metapackage is resolved at set-up time.
kernel_meta() {
	case "$1" in
	6.1) echo linux-image-arm64 ;;
	6.12) echo linux-image-6.12-arm64 ;;
	*) echo "unknown KERNEL '$1' (use 6.1 or 6.12)" >&2; return 1 ;;
	esac
}

# Sysroot of an unpacked host kernel: $HVLITE_CACHE/kernel-<short>/ holds
# boot/vmlinuz-<KVER> and usr/src/linux-headers-<KVER>; KVER is in ./kver.
kernel_root() { echo "$HVLITE_CACHE/kernel-$1"; }
kernel_kver() { cat "$(kernel_root "$1")/kver"; }
kernel_kdir() { echo "$(kernel_root "$1")/usr/src/linux-headers-$(kernel_kver "$1")"; }
kernel_image() { echo "$(kernel_root "$1")/boot/vmlinuz-$(kernel_kver "$1")"; }

# The virtio modules a nested guest's busybox initramfs needs (Debian builds
# virtio_mmio and, on 6.1, virtio_console as modules), uncompressed into DIR.
guest_modules() { # KERNEL DIR
	local mods m
	mods=$(ls -d "$(kernel_root "$1")"/lib/modules/*/kernel/drivers)
	for m in virtio/virtio_mmio char/hw_random/virtio-rng block/virtio_blk char/virtio_console; do
		if [ -f "$mods/$m.ko" ]; then
			cp "$mods/$m.ko" "$2/"
		elif [ -f "$mods/$m.ko.xz" ]; then
			xz -dc "$mods/$m.ko.xz" >"$2/$(basename "$m").ko"
		fi
	done
}

# Pieces of Debian's linux-source-6.12 that the project uses (never committed).
ksrc_dir() { echo "$HVLITE_CACHE/linux-source"; }

die() { echo "hvlite: $*" >&2; exit 1; }
say() { echo "hvlite: $*" >&2; }
