// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: the list of devices, each registered by its own file, and MMIO lookup. */
#include "hvlite-run.h"

static struct device *devices;

/* Called from constructors: keeps registration order (the FDT follows it). */
void device__register(struct device *dev)
{
	struct device **p = &devices;

	while (*p)
		p = &(*p)->next;
	dev->next = NULL;
	*p = dev;
}

struct device *device__first(void)
{
	return devices;
}

struct device *device__find(uint64_t gpa, unsigned int len)
{
	struct device *dev;

	for (dev = devices; dev; dev = dev->next) {
		if (dev->size && gpa >= dev->base && gpa + len <= dev->base + dev->size)
			return dev;
	}
	return NULL;
}
