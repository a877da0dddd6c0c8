// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: the guest's device tree: the machine's nodes here, each device adds its own. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libfdt.h>

#include "hvlite-run.h"

/* Linux's arm64 boot protocol: the DTB must not exceed 2 MiB. */
#define FDT_MAX_SIZE	SZ_2M
#define FDT_CHECK(x)	do { int __e = (x); if (__e) die("device tree: %s", fdt_strerror(__e)); } while (0)

static int fdt__cpus(struct kvm *kvm, void *fdt)
{
	char name[32];
	unsigned int i;
	int err = 0;

	err |= fdt_begin_node(fdt, "cpus");
	err |= fdt_property_cell(fdt, "#address-cells", 2);
	err |= fdt_property_cell(fdt, "#size-cells", 0);
	for (i = 0; i < kvm->nr_vcpus; i++) {
		/* reg: MPIDR_EL1's affinity fields Aff3 (39:32) and Aff2-0 (23:0) */
		uint64_t aff = kvm->vcpus[i].mpidr & 0xff00ffffffULL;

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)aff);
		err |= fdt_begin_node(fdt, name);
		err |= fdt_property_string(fdt, "device_type", "cpu");
		err |= fdt_property_string(fdt, "compatible", "arm,arm-v8");
		err |= fdt_property_string(fdt, "enable-method", "psci");
		err |= fdt_property_u64(fdt, "reg", aff);
		err |= fdt_end_node(fdt);
	}
	err |= fdt_end_node(fdt);
	return err;
}

static int fdt__memory(struct kvm *kvm, void *fdt)
{
	uint64_t reg[] = { cpu_to_fdt64(RAM_BASE), cpu_to_fdt64(kvm->ram_size) };
	char name[32];
	int err = 0;

	snprintf(name, sizeof(name), "memory@%llx", RAM_BASE);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "device_type", "memory");
	err |= fdt_property(fdt, "reg", reg, sizeof(reg));
	err |= fdt_end_node(fdt);
	return err;
}

static int fdt__psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int err = 0;

	err |= fdt_begin_node(fdt, "psci");
	err |= fdt_property(fdt, "compatible", compat, sizeof(compat));
	err |= fdt_property_string(fdt, "method", "hvc");
	err |= fdt_end_node(fdt);
	return err;
}

static int fdt__chosen(struct kvm *kvm, void *fdt)
{
	char stdout_path[32];
	int err = 0;

	snprintf(stdout_path, sizeof(stdout_path), "/pl011@%llx", PL011_BASE);
	err |= fdt_begin_node(fdt, "chosen");
	err |= fdt_property_string(fdt, "bootargs", kvm->cfg->params);
	err |= fdt_property_string(fdt, "stdout-path", stdout_path);
	if (kvm->initrd_size) {
		err |= fdt_property_u64(fdt, "linux,initrd-start", kvm->initrd_gpa);
		err |= fdt_property_u64(fdt, "linux,initrd-end", kvm->initrd_gpa + kvm->initrd_size);
	}
	err |= fdt_end_node(fdt);
	return err;
}

/* Build the whole tree into buf: the machine's nodes, then one per registered device. */
void fdt__generate(struct kvm *kvm, void *buf, size_t size)
{
	struct device *dev;

	FDT_CHECK(fdt_create(buf, size));
	FDT_CHECK(fdt_finish_reservemap(buf));
	FDT_CHECK(fdt_begin_node(buf, ""));
	FDT_CHECK(fdt_property_string(buf, "compatible", "linux,dummy-virt"));
	FDT_CHECK(fdt_property_string(buf, "model", "hvlite-run"));
	FDT_CHECK(fdt_property_cell(buf, "#address-cells", 2));
	FDT_CHECK(fdt_property_cell(buf, "#size-cells", 2));
	FDT_CHECK(fdt_property_cell(buf, "interrupt-parent", PHANDLE_GIC));
	FDT_CHECK(fdt__chosen(kvm, buf));
	FDT_CHECK(fdt__cpus(kvm, buf));
	FDT_CHECK(fdt__memory(kvm, buf));
	FDT_CHECK(fdt__psci(buf));
	for (dev = device__first(); dev; dev = device__next(dev)) {
		if (dev->fdt && dev->fdt(dev, kvm, buf))
			die("device tree: node of %s does not fit", dev->name);
	}
	FDT_CHECK(fdt_end_node(buf));
	FDT_CHECK(fdt_finish(buf));
}

/* A tree given with --dtb: keep it, but tell the kernel where its initrd and arguments are. */
static void fdt__patch_chosen(struct kvm *kvm, void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen");

	if (node < 0)
		node = fdt_add_subnode(fdt, 0, "chosen");
	if (node < 0)
		die("--dtb %s: cannot add /chosen: %s", kvm->cfg->dtb, fdt_strerror(node));
	if (kvm->cfg->params[0])
		FDT_CHECK(fdt_setprop_string(fdt, node, "bootargs", kvm->cfg->params));
	if (kvm->initrd_size) {
		FDT_CHECK(fdt_setprop_u64(fdt, node, "linux,initrd-start", kvm->initrd_gpa));
		FDT_CHECK(fdt_setprop_u64(fdt, node, "linux,initrd-end",
					   kvm->initrd_gpa + kvm->initrd_size));
	}
}

static void fdt__from_file(struct kvm *kvm, void *buf, size_t size)
{
	size_t len;
	void *file = file__read(kvm->cfg->dtb, &len);
	int err;

	if (len < sizeof(struct fdt_header) || fdt_check_header(file) ||
	    fdt_totalsize(file) > len)
		die("--dtb %s: not a flattened device tree", kvm->cfg->dtb);
	err = fdt_open_into(file, buf, size);
	if (err)
		die("--dtb %s: %s (at most 2 MiB)", kvm->cfg->dtb, fdt_strerror(err));
	free(file);
	fdt__patch_chosen(kvm, buf);
	FDT_CHECK(fdt_pack(buf));
}

static void fdt__dump(const char *path, const void *fdt)
{
	size_t len = fdt_totalsize(fdt);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die_errno("--dump-dtb %s", path);
	if (write(fd, fdt, len) != (ssize_t)len || close(fd) < 0) {
		int err = errno;

		unlink(path);	/* no partial tree left behind */
		errno = err;
		die_errno("--dump-dtb %s", path);
	}
}

/* Build or read the tree and copy it to kvm->dtb_gpa (chosen by the loader). */
void fdt__load(struct kvm *kvm)
{
	void *buf = calloc(1, FDT_MAX_SIZE);
	void *dst;

	if (!buf)
		die("out of memory");
	if (kvm->cfg->dtb)
		fdt__from_file(kvm, buf, FDT_MAX_SIZE);
	else
		fdt__generate(kvm, buf, FDT_MAX_SIZE);
	if (kvm->cfg->dump_dtb)
		fdt__dump(kvm->cfg->dump_dtb, buf);
	dst = kvm__gpa_to_hva(kvm, kvm->dtb_gpa, fdt_totalsize(buf));
	if (!dst)
		die("device tree (%u bytes) does not fit in guest RAM", fdt_totalsize(buf));
	memcpy(dst, buf, fdt_totalsize(buf));
	pr_debug(kvm->cfg, "device tree: %u bytes at 0x%llx", fdt_totalsize(buf),
		 (unsigned long long)kvm->dtb_gpa);
	free(buf);
}
