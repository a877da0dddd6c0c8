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

/* Which optional devices this machine has, decided once from the options; then their checks. */
void device__select(const struct config *cfg)
{
	struct device *dev;

	for (dev = devices; dev; dev = dev->next) {
		dev->absent = dev->present && !dev->present(cfg);
		if (!dev->absent && dev->prepare)
			dev->prepare(dev, cfg);
	}
}

static struct device *device__skip_absent(struct device *dev)
{
	while (dev && dev->absent)
		dev = dev->next;
	return dev;
}

struct device *device__first(void)
{
	return device__skip_absent(devices);
}

struct device *device__next(struct device *dev)
{
	return device__skip_absent(dev->next);
}

struct device *device__find(uint64_t gpa, unsigned int len)
{
	struct device *dev;

	for (dev = device__first(); dev; dev = device__next(dev)) {
		if (dev->size && gpa >= dev->base && gpa + len <= dev->base + dev->size)
			return dev;
	}
	return NULL;
}
