// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: virtio-console (virtio 1.1 section 5.3), one port and no features
 * (no MULTIPORT, SIZE or EMERG_WRITE): receiveq 0 is filled from stdin,
 * transmitq 1 goes to stdout. The guest sees it as hvc0 (--console virtio).
 */
#include <string.h>

#include "virtio.h"

#define VCON_RX		0	/* receiveq: device-writable buffers */
#define VCON_TX		1	/* transmitq: device-readable buffers */

/* Section 5.3.4; read only with features we do not offer, so all zero. */
struct vcon_config {
	uint16_t cols;
	uint16_t rows;
	uint32_t max_nr_ports;
	uint32_t emerg_wr;
};

/* Input being handed over by the console feeder; in is NULL outside vcon__receive(). */
static struct {
	const uint8_t *in;
	size_t in_len, in_done;
	struct vcon_config config;
} vcon;

static int vcon__rx(struct virtio_iov *iov, unsigned int n, const char **why)
{
	size_t take, written = 0;
	unsigned int i;

	if (!vcon.in) {		/* the guest posted buffers: pending input can go now */
		console__kick();
		return VIRTIO_DEFER;
	}
	if (vcon.in_done == vcon.in_len)
		return VIRTIO_DEFER;
	for (i = 0; i < n; i++) {
		if (!iov[i].write) {
			*why = "virtio-console: a receive buffer the device cannot write";
			return -1;
		}
		take = vcon.in_len - vcon.in_done;
		if (take > iov[i].len)
			take = iov[i].len;
		memcpy(iov[i].base, vcon.in + vcon.in_done, take);
		vcon.in_done += take;
		written += take;
	}
	return (int)written;
}

static int vcon__tx(struct virtio_dev *vdev, struct virtio_iov *iov, unsigned int n,
		    const char **why)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (iov[i].write) {
			*why = "virtio-console: a transmit buffer the device cannot read";
			return -1;
		}
	}
	for (i = 0; i < n; i++)
		console__write(vdev->kvm, iov[i].base, iov[i].len);
	return 0;
}

static int vcon__request(struct virtio_dev *vdev, unsigned int q, struct virtio_iov *iov,
			 unsigned int n, const char **why)
{
	return q == VCON_RX ? vcon__rx(iov, n, why) : vcon__tx(vdev, iov, n, why);
}

static const struct virtio_ops vcon_ops = {
	.device_id = VIRTIO_ID_CONSOLE,
	.nr_queues = 2,
	.queue_max = 64,
	.request = vcon__request,
	.config = &vcon.config,
	.config_size = sizeof(vcon.config),
};

static struct virtio_dev vcon_vdev = {
	.ops = &vcon_ops,
	.slot = VIRTIO_SLOT_CONSOLE,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

/* Console input (the feeder thread): as much as the guest's posted buffers take. */
static size_t vcon__receive(struct kvm *kvm, const uint8_t *buf, size_t len)
{
	size_t done;

	(void)kvm;
	pthread_mutex_lock(&vcon_vdev.lock);
	vcon.in = buf;
	vcon.in_len = len;
	vcon.in_done = 0;
	virtq__serve(&vcon_vdev, VCON_RX);
	done = vcon.in_done;
	vcon.in = NULL;
	pthread_mutex_unlock(&vcon_vdev.lock);
	return done;
}

static int vcon__init(struct device *dev, struct kvm *kvm)
{
	int err = virtio_mmio__init(dev, kvm);

	console__attach(kvm, vcon__receive);
	return err;
}

static void vcon__exit(struct device *dev, struct kvm *kvm)
{
	(void)dev;
	(void)kvm;
	console__detach();
}

static bool vcon__present(const struct config *cfg)
{
	return cfg->console == CONSOLE_VIRTIO;
}

static struct device vcon_dev = {
	.name = "virtio-console",
	.base = VIRTIO_MMIO_BASE + VIRTIO_SLOT_CONSOLE * VIRTIO_MMIO_SIZE,
	.size = VIRTIO_MMIO_SIZE,
	.mmio = virtio_mmio__mmio,
	.fdt = virtio_mmio__fdt,
	.init = vcon__init,
	.exit = vcon__exit,
	.present = vcon__present,
	.priv = &vcon_vdev,
};
device_register(vcon_dev);
