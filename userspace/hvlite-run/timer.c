// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: the architected timer's device-tree node (the timer itself is in the kernel). */
#include <libfdt.h>

#include "hvlite-run.h"

static int timer__fdt(struct device *dev, struct kvm *kvm, void *fdt)
{
	/* Order fixed by the arm,armv8-timer binding: secure, non-secure, virtual, hyp. */
	static const uint32_t ppis[] = {
		TIMER_PPI_SEC, TIMER_PPI_NS, TIMER_PPI_VIRT, TIMER_PPI_HYP,
	};
	uint32_t irqs[3 * ARRAY_SIZE(ppis)];
	unsigned int i;
	int err = 0;

	(void)dev;
	(void)kvm;
	for (i = 0; i < ARRAY_SIZE(ppis); i++) {
		irqs[3 * i] = cpu_to_fdt32(FDT_IRQ_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(FDT_IRQ_LEVEL_HI);
	}
	err |= fdt_begin_node(fdt, "timer");
	err |= fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	err |= fdt_property(fdt, "interrupts", irqs, sizeof(irqs));
	err |= fdt_property(fdt, "always-on", NULL, 0);
	err |= fdt_end_node(fdt);
	return err;
}

static struct device timer_dev = {
	.name = "arch-timer",
	.fdt = timer__fdt,
};
device_register(timer_dev);
