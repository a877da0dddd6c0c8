// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: the in-kernel GICv3 (KVM_DEV_TYPE_ARM_VGIC_V3) and its device-tree node. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <libfdt.h>

#include "hvlite-run.h"

/* SGIs + PPIs + 96 SPIs: room for the UART and every virtio-mmio slot. */
#define GIC_NR_IRQS	128

static void gic__set_attr(struct kvm *kvm, uint32_t group, uint64_t attr, void *val,
			  const char *what)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	if (ioctl(kvm->vgic_fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		die_errno("vGICv3: %s", what);
}

void gic__create(struct kvm *kvm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GICD_BASE, redist = GICR_BASE;
	uint32_t nr_irqs = GIC_NR_IRQS;

	if (ioctl(kvm->vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		die("%s has no virtual GICv3 (KVM_CREATE_DEVICE: %s): a Linux guest needs one",
		    kvm->cfg->dev, strerror(errno));
	kvm->vgic_fd = cd.fd;
	gic__set_attr(kvm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist,
		      "distributor address");
	gic__set_attr(kvm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist,
		      "redistributor address");
	gic__set_attr(kvm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, "number of interrupts");
}

/* After every vCPU exists: the redistributors are sized by the vCPU count. */
void gic__finalize(struct kvm *kvm)
{
	gic__set_attr(kvm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
		      "KVM_DEV_ARM_VGIC_CTRL_INIT");
}

static int gic__fdt(struct device *dev, struct kvm *kvm, void *fdt)
{
	uint64_t reg[] = {
		cpu_to_fdt64(GICD_BASE), cpu_to_fdt64(GICD_SIZE),
		cpu_to_fdt64(GICR_BASE), cpu_to_fdt64(GICR_STRIDE * kvm->nr_vcpus),
	};
	int err = 0;

	(void)dev;
	err |= fdt_begin_node(fdt, "interrupt-controller@8000000");
	err |= fdt_property_string(fdt, "compatible", "arm,gic-v3");
	err |= fdt_property_cell(fdt, "#interrupt-cells", 3);
	/* No ITS child, but dtc wants the cells of an interrupt provider. */
	err |= fdt_property_cell(fdt, "#address-cells", 2);
	err |= fdt_property_cell(fdt, "#size-cells", 2);
	err |= fdt_property(fdt, "ranges", NULL, 0);
	err |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	err |= fdt_property_cell(fdt, "#redistributor-regions", 1);
	err |= fdt_property(fdt, "reg", reg, sizeof(reg));
	err |= fdt_property_cell(fdt, "phandle", PHANDLE_GIC);
	err |= fdt_end_node(fdt);
	return err;
}

static struct device gic_dev = {
	.name = "gicv3",
	.fdt = gic__fdt,
};
device_register(gic_dev);
