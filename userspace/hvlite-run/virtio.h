/* SPDX-License-Identifier: GPL-2.0-only */
/* hvlite-run: the virtio-mmio (version 2) transport and split virtqueues, for virtio devices. */
#ifndef HVLITE_RUN_VIRTIO_H
#define HVLITE_RUN_VIRTIO_H

#include "hvlite-run.h"

/* Fixed slots in the virtio-mmio window (Documentation/usage.md). */
#define VIRTIO_SLOT_BLK		0
#define VIRTIO_SLOT_RNG		1
#define VIRTIO_SLOT_CONSOLE	2

#define VIRTIO_ID_BLOCK		2
#define VIRTIO_ID_CONSOLE	3
#define VIRTIO_ID_RNG		4

#define VIRTIO_MAX_QUEUES	2
#define VIRTIO_MAX_IOV		64

/* One guest buffer of a descriptor chain, already checked to lie in guest RAM. */
struct virtio_iov {
	void *base;
	uint32_t len;
	bool write;		/* device-writable */
};

struct virtq {
	uint16_t num;
	bool ready;
	uint64_t desc, avail, used;	/* guest physical addresses */
	uint16_t last_avail, used_idx;
};

/* request(): not now, the chain stays in the available ring (e.g. no input yet). */
#define VIRTIO_DEFER		(-2)

struct virtio_dev;

struct virtio_ops {
	uint32_t device_id;
	uint64_t features;	/* besides VIRTIO_F_VERSION_1 */
	unsigned int nr_queues;
	uint16_t queue_max;
	unsigned int config_size;
	/*
	 * One chain: returns the bytes written to it, -1 (with *why) to stop the
	 * device, or VIRTIO_DEFER to leave it (and the rest) available for later.
	 */
	int (*request)(struct virtio_dev *vdev, unsigned int q, struct virtio_iov *iov,
		       unsigned int n, const char **why);
	void *config;		/* little-endian config space, read-only for the driver */
};

struct virtio_dev {
	const struct virtio_ops *ops;
	unsigned int slot;
	struct kvm *kvm;
	pthread_mutex_t lock;
	uint32_t status, isr;
	uint32_t dev_features_sel, drv_features_sel, queue_sel;
	uint64_t drv_features;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	bool broken;
	unsigned int breaks;	/* stops reported so far */
	int irq_level;
	void *priv;
};

void virtio_mmio__mmio(struct device *dev, struct kvm *kvm, uint64_t off, uint8_t *data,
		       unsigned int len, bool is_write);
int virtio_mmio__fdt(struct device *dev, struct kvm *kvm, void *fdt);
int virtio_mmio__init(struct device *dev, struct kvm *kvm);
void virtq__serve(struct virtio_dev *vdev, unsigned int q);	/* with vdev->lock held */

#define VIRTIO_MMIO_DEVICE(_name, _vdev, _slot, _present)				\
	{									\
		.name = (_name),						\
		.base = VIRTIO_MMIO_BASE + (_slot) * VIRTIO_MMIO_SIZE,	\
		.size = VIRTIO_MMIO_SIZE,					\
		.mmio = virtio_mmio__mmio,					\
		.fdt = virtio_mmio__fdt,					\
		.init = virtio_mmio__init,					\
		.present = (_present),						\
		.priv = &(_vdev),						\
	}

#endif
