// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: virtio-rng (virtio 1.1 section 5.4): guest buffers filled from getrandom(). */
#include <errno.h>
#include <sys/random.h>

#include "virtio.h"

static int rng__request(struct virtio_dev *vdev, unsigned int q, struct virtio_iov *iov,
			unsigned int n, const char **why)
{
	unsigned int i;
	int written = 0;

	(void)vdev;
	(void)q;
	for (i = 0; i < n; i++) {
		ssize_t got;

		if (!iov[i].write)
			continue;
		do
			got = getrandom(iov[i].base, iov[i].len, 0);
		while (got < 0 && errno == EINTR);
		if (got < 0) {
			*why = "getrandom failed";
			return -1;
		}
		written += got;
		if ((uint32_t)got < iov[i].len)
			break;
	}
	return written;
}

static const struct virtio_ops rng_ops = {
	.device_id = VIRTIO_ID_RNG,
	.nr_queues = 1,
	.queue_max = 64,
	.request = rng__request,
};

static bool rng__present(const struct config *cfg)
{
	return cfg->rng;
}

static struct virtio_dev rng_vdev = {
	.ops = &rng_ops,
	.slot = VIRTIO_SLOT_RNG,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};
static struct device rng_dev = VIRTIO_MMIO_DEVICE("virtio-rng", rng_vdev,
						 VIRTIO_SLOT_RNG, rng__present);
device_register(rng_dev);
