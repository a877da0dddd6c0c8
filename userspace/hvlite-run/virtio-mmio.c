// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: virtio-mmio version 2 (virtio 1.1 section 4.2) and split virtqueues
 * (section 2.6). Everything in a queue is guest-controlled: a bad index, a loop,
 * a buffer outside RAM stops the device (DEVICE_NEEDS_RESET) with one message.
 */
#include <endian.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "virtio.h"

#define MMIO_MAGIC		0x000
#define MMIO_VERSION		0x004
#define MMIO_DEVICE_ID		0x008
#define MMIO_VENDOR_ID		0x00c
#define MMIO_DEV_FEATURES	0x010
#define MMIO_DEV_FEATURES_SEL	0x014
#define MMIO_DRV_FEATURES	0x020
#define MMIO_DRV_FEATURES_SEL	0x024
#define MMIO_QUEUE_SEL		0x030
#define MMIO_QUEUE_NUM_MAX	0x034
#define MMIO_QUEUE_NUM		0x038
#define MMIO_QUEUE_READY	0x044
#define MMIO_QUEUE_NOTIFY	0x050
#define MMIO_INT_STATUS		0x060
#define MMIO_INT_ACK		0x064
#define MMIO_STATUS		0x070
#define MMIO_QUEUE_DESC		0x080	/* low, high at +4 */
#define MMIO_QUEUE_AVAIL	0x090
#define MMIO_QUEUE_USED		0x0a0
#define MMIO_CONFIG_GEN		0x0fc
#define MMIO_CONFIG		0x100

#define MAGIC_VIRT		0x74726976	/* "virt" */
#define VENDOR_HVLITE		0x544c5648	/* "HVLT" */
#define VIRTIO_F_VERSION_1	(1ULL << 32)
#define STATUS_FEATURES_OK	8
#define STATUS_NEEDS_RESET	64
#define INT_VRING		1
#define INT_CONFIG		2

#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

/* Called with vdev->lock held. */
static void virtio__update_irq(struct virtio_dev *vdev)
{
	int level = !!vdev->isr;

	if (level != vdev->irq_level) {
		vdev->irq_level = level;
		kvm__irq_line(vdev->kvm, VIRTIO_MMIO_SPI + vdev->slot, level);
	}
}

/* The guest can break a device again after each reset: report only the first few. */
#define BREAK_REPORTS	5

static void virtio__break(struct virtio_dev *vdev, const char *why)
{
	if (!vdev->broken && vdev->breaks < BREAK_REPORTS)
		pr_warn("virtio slot %u: %s: device stopped until the driver resets it%s",
			vdev->slot, why, ++vdev->breaks == BREAK_REPORTS ?
			" (further stops not reported)" : "");
	vdev->broken = true;
	vdev->status |= STATUS_NEEDS_RESET;
	vdev->isr |= INT_CONFIG;
	virtio__update_irq(vdev);
}

static void virtio__reset(struct virtio_dev *vdev)
{
	vdev->status = 0;
	vdev->isr = 0;
	vdev->drv_features = 0;
	vdev->queue_sel = 0;
	vdev->broken = false;
	memset(vdev->vq, 0, sizeof(vdev->vq));
	virtio__update_irq(vdev);
}

static void *virtq__ring(struct virtio_dev *vdev, uint64_t gpa, uint64_t len, uint64_t align)
{
	if (gpa % align)
		return NULL;
	return kvm__gpa_to_hva(vdev->kvm, gpa, len);
}

/* Gather one chain into iov; returns its length or -1 with *why. */
static int virtq__chain(struct virtio_dev *vdev, struct virtq *vq, uint16_t head,
			struct virtio_iov *iov, const char **why)
{
	struct vring_desc *table = virtq__ring(vdev, vq->desc, 16ULL * vq->num, 16);
	unsigned int n = 0, i = head;
	bool seen_write = false;

	for (;;) {
		struct vring_desc d;

		if (i >= vq->num) {
			*why = "descriptor index out of range";
			return -1;
		}
		if (n == VIRTIO_MAX_IOV || n == vq->num) {
			*why = "descriptor chain too long or looping";
			return -1;
		}
		memcpy(&d, &table[i], sizeof(d));
		iov[n].len = le32toh(d.len);
		iov[n].write = le16toh(d.flags) & VRING_DESC_F_WRITE;
		iov[n].base = kvm__gpa_to_hva(vdev->kvm, le64toh(d.addr), iov[n].len);
		if (!iov[n].base) {
			*why = "buffer outside guest RAM";
			return -1;
		}
		if (seen_write && !iov[n].write) {
			*why = "readable buffer after a writable one";
			return -1;
		}
		seen_write |= iov[n].write;
		n++;
		if (!(le16toh(d.flags) & VRING_DESC_F_NEXT))
			return n;
		i = le16toh(d.next);
	}
}

static void virtq__push_used(struct virtq *vq, struct vring_used_elem *ring, uint16_t *idx,
			     uint16_t head, uint32_t len)
{
	struct vring_used_elem e = { .id = htole32(head), .len = htole32(len) };

	memcpy(&ring[vq->used_idx % vq->num], &e, sizeof(e));
	vq->used_idx++;
	/* The element is visible before the index that publishes it. */
	__atomic_store_n(idx, htole16(vq->used_idx), __ATOMIC_RELEASE);
}

/*
 * Called with vdev->lock held: serve every chain the driver made available, on
 * the guest's QueueNotify or when the device has something for the guest (input).
 */
void virtq__serve(struct virtio_dev *vdev, unsigned int q)
{
	struct virtio_iov iov[VIRTIO_MAX_IOV];
	uint16_t *avail, *used, avail_idx;
	const char *why = NULL;
	struct virtq *vq;
	bool done = false;
	int n, len;

	if (vdev->broken || q >= vdev->ops->nr_queues || !vdev->vq[q].ready)
		return;
	vq = &vdev->vq[q];
	avail = virtq__ring(vdev, vq->avail, 4 + 2ULL * vq->num, 2);
	used = virtq__ring(vdev, vq->used, 4 + 8ULL * vq->num, 4);
	avail_idx = le16toh(__atomic_load_n(&avail[1], __ATOMIC_ACQUIRE));
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num) {
		virtio__break(vdev, "available index moved by more than the queue size");
		return;
	}
	while (vq->last_avail != avail_idx) {
		uint16_t head = le16toh(avail[2 + vq->last_avail % vq->num]);

		n = virtq__chain(vdev, vq, head, iov, &why);
		if (n < 0) {
			virtio__break(vdev, why);
			return;
		}
		len = vdev->ops->request(vdev, q, iov, n, &why);
		if (len == VIRTIO_DEFER)
			break;
		if (len < 0) {
			virtio__break(vdev, why);
			return;
		}
		virtq__push_used(vq, (struct vring_used_elem *)(used + 2), &used[1], head, len);
		vq->last_avail++;
		done = true;
	}
	if (done) {
		vdev->isr |= INT_VRING;
		virtio__update_irq(vdev);
	}
}

/* QueueReady: the three rings must lie in RAM, aligned as section 2.6 requires. */
static void virtq__set_ready(struct virtio_dev *vdev, struct virtq *vq, uint32_t val)
{
	if (!val) {
		vq->ready = false;
		return;
	}
	if (!vq->num) {
		virtio__break(vdev, "queue size 0 or above QueueNumMax");
		return;
	}
	if (!virtq__ring(vdev, vq->desc, 16ULL * vq->num, 16) ||
	    !virtq__ring(vdev, vq->avail, 6 + 2ULL * vq->num, 2) ||
	    !virtq__ring(vdev, vq->used, 6 + 8ULL * vq->num, 4)) {
		virtio__break(vdev, "queue rings outside guest RAM or misaligned");
		return;
	}
	vq->ready = true;
}

static void virtio__set_status(struct virtio_dev *vdev, uint32_t val)
{
	uint64_t offered = vdev->ops->features | VIRTIO_F_VERSION_1;

	if (!val) {
		virtio__reset(vdev);
		return;
	}
	/* Refuse features we did not offer, and a driver without VERSION_1. */
	if ((val & STATUS_FEATURES_OK) &&
	    ((vdev->drv_features & ~offered) || !(vdev->drv_features & VIRTIO_F_VERSION_1)))
		val &= ~STATUS_FEATURES_OK;
	vdev->status = val | (vdev->status & STATUS_NEEDS_RESET);
}

static uint64_t *virtq__addr(struct virtq *vq, uint64_t off)
{
	if (off >= MMIO_QUEUE_USED)
		return &vq->used;
	if (off >= MMIO_QUEUE_AVAIL)
		return &vq->avail;
	return &vq->desc;
}

static void virtio__write(struct virtio_dev *vdev, uint64_t off, uint32_t val)
{
	struct virtq *vq = &vdev->vq[vdev->queue_sel];
	uint64_t *addr;
	unsigned int shift;

	switch (off) {
	case MMIO_DEV_FEATURES_SEL:
		vdev->dev_features_sel = val;
		break;
	case MMIO_DRV_FEATURES_SEL:
		vdev->drv_features_sel = val;
		break;
	case MMIO_DRV_FEATURES:
		if (vdev->drv_features_sel < 2) {
			shift = 32 * vdev->drv_features_sel;
			vdev->drv_features &= ~(0xffffffffULL << shift);
			vdev->drv_features |= (uint64_t)val << shift;
		}
		break;
	case MMIO_QUEUE_SEL:
		vdev->queue_sel = val < VIRTIO_MAX_QUEUES ? val : 0;
		break;
	case MMIO_QUEUE_NUM:
		vq->num = val <= vdev->ops->queue_max ? val : 0;
		break;
	case MMIO_QUEUE_READY:
		virtq__set_ready(vdev, vq, val);
		break;
	case MMIO_QUEUE_NOTIFY:
		virtq__serve(vdev, val);
		break;
	case MMIO_INT_ACK:
		vdev->isr &= ~val;
		virtio__update_irq(vdev);
		break;
	case MMIO_STATUS:
		virtio__set_status(vdev, val);
		break;
	case MMIO_QUEUE_DESC: case MMIO_QUEUE_DESC + 4:
	case MMIO_QUEUE_AVAIL: case MMIO_QUEUE_AVAIL + 4:
	case MMIO_QUEUE_USED: case MMIO_QUEUE_USED + 4:
		if (vq->ready)
			break;
		addr = virtq__addr(vq, off);
		shift = off & 4 ? 32 : 0;
		*addr = (*addr & ~(0xffffffffULL << shift)) | ((uint64_t)val << shift);
		break;
	default:
		break;
	}
}

static uint32_t virtio__read(struct virtio_dev *vdev, uint64_t off)
{
	uint64_t features = vdev->ops->features | VIRTIO_F_VERSION_1;
	struct virtq *vq = &vdev->vq[vdev->queue_sel];

	switch (off) {
	case MMIO_MAGIC:
		return MAGIC_VIRT;
	case MMIO_VERSION:
		return 2;
	case MMIO_DEVICE_ID:
		return vdev->ops->device_id;
	case MMIO_VENDOR_ID:
		return VENDOR_HVLITE;
	case MMIO_DEV_FEATURES:
		return vdev->dev_features_sel < 2 ? features >> (32 * vdev->dev_features_sel) : 0;
	case MMIO_QUEUE_NUM_MAX:
		return vdev->queue_sel < vdev->ops->nr_queues ? vdev->ops->queue_max : 0;
	case MMIO_QUEUE_READY:
		return vq->ready;
	case MMIO_INT_STATUS:
		return vdev->isr;
	case MMIO_STATUS:
		return vdev->status;
	case MMIO_CONFIG_GEN:
		return 0;
	default:
		return 0;
	}
}

static void virtio__config(struct virtio_dev *vdev, uint64_t off, uint8_t *data,
			   unsigned int len, bool is_write)
{
	if (is_write)
		return;		/* no writable config fields */
	if (vdev->ops->config && off <= vdev->ops->config_size &&
	    len <= vdev->ops->config_size - off)
		memcpy(data, (uint8_t *)vdev->ops->config + off, len);
	else
		memset(data, 0, len);
}

void virtio_mmio__mmio(struct device *dev, struct kvm *kvm, uint64_t off, uint8_t *data,
		       unsigned int len, bool is_write)
{
	struct virtio_dev *vdev = dev->priv;
	uint32_t val;

	(void)kvm;
	pthread_mutex_lock(&vdev->lock);
	if (off >= MMIO_CONFIG) {
		virtio__config(vdev, off - MMIO_CONFIG, data, len, is_write);
	} else if (len != 4 || off % 4) {	/* registers are 32-bit only */
		if (!is_write)
			memset(data, 0, len);
	} else if (is_write) {
		memcpy(&val, data, 4);
		virtio__write(vdev, off, le32toh(val));
	} else {
		val = htole32(virtio__read(vdev, off));
		memcpy(data, &val, 4);
	}
	pthread_mutex_unlock(&vdev->lock);
}

/* Each boot (a restart too) starts from a reset device on the new VM. */
int virtio_mmio__init(struct device *dev, struct kvm *kvm)
{
	struct virtio_dev *vdev = dev->priv;

	pthread_mutex_lock(&vdev->lock);
	vdev->kvm = kvm;
	vdev->irq_level = 0;
	vdev->breaks = 0;
	virtio__reset(vdev);
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

int virtio_mmio__fdt(struct device *dev, struct kvm *kvm, void *fdt)
{
	struct virtio_dev *vdev = dev->priv;
	uint32_t irq[] = { cpu_to_fdt32(FDT_IRQ_SPI), cpu_to_fdt32(VIRTIO_MMIO_SPI + vdev->slot),
			   cpu_to_fdt32(FDT_IRQ_LEVEL_HI) };
	uint64_t reg[] = { cpu_to_fdt64(dev->base), cpu_to_fdt64(dev->size) };
	char name[32];
	int err = 0;

	(void)kvm;
	snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)dev->base);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property_string(fdt, "compatible", "virtio,mmio");
	err |= fdt_property(fdt, "reg", reg, sizeof(reg));
	err |= fdt_property(fdt, "interrupts", irq, sizeof(irq));
	err |= fdt_property(fdt, "dma-coherent", NULL, 0);
	err |= fdt_end_node(fdt);
	return err;
}
