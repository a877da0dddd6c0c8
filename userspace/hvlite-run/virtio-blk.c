// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: virtio-blk (virtio 1.1 section 5.2) on a raw image file: read, write, flush, ID. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "virtio.h"

#define VIRTIO_BLK_F_RO		(1ULL << 5)
#define VIRTIO_BLK_F_FLUSH	(1ULL << 9)

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8

#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define SECTOR_SIZE		512
#define BLK_ID_BYTES		20

struct blk_req_header {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static struct {
	int fd;
	uint64_t sectors;
	uint64_t config_capacity;	/* config space: capacity, little-endian */
} disk = { .fd = -1 };

/* Slice [off, off + len) of the readable (write = false) or writable buffers into an iovec. */
static int iov__slice(struct virtio_iov *iov, unsigned int n, bool write, uint64_t off,
		      uint64_t len, struct iovec *out)
{
	unsigned int i, k = 0;

	for (i = 0; i < n && len; i++) {
		uint64_t take;

		if (iov[i].write != write)
			continue;
		if (off >= iov[i].len) {
			off -= iov[i].len;
			continue;
		}
		take = iov[i].len - off < len ? iov[i].len - off : len;
		out[k].iov_base = (uint8_t *)iov[i].base + off;
		out[k++].iov_len = take;
		len -= take;
		off = 0;
	}
	return len ? -1 : (int)k;
}

static uint64_t iov__total(struct virtio_iov *iov, unsigned int n, bool write)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (iov[i].write == write)
			total += iov[i].len;
	return total;
}

static void blk__iov_copy(void *dst, const struct iovec *v, int cnt)
{
	uint8_t *d = dst;
	int i;

	for (i = 0; i < cnt; i++) {
		memcpy(d, v[i].iov_base, v[i].iov_len);
		d += v[i].iov_len;
	}
}

/* The device ID: the string, zero-padded to the buffer (section 5.2.6). */
static void blk__iov_fill(const struct iovec *v, int cnt, const char *id)
{
	size_t left = strlen(id);
	int i;

	for (i = 0; i < cnt; i++) {
		size_t take = left < v[i].iov_len ? left : v[i].iov_len;

		memcpy(v[i].iov_base, id, take);
		memset((uint8_t *)v[i].iov_base + take, 0, v[i].iov_len - take);
		id += take;
		left -= take;
	}
}

/* Whole-buffer positioned I/O; false on an error or end of file. */
static bool blk__io(bool write, struct iovec *v, int cnt, uint64_t pos, uint64_t len)
{
	while (len) {
		ssize_t done = write ? pwritev(disk.fd, v, cnt, pos) : preadv(disk.fd, v, cnt, pos);

		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		pos += done;
		len -= done;
		while (cnt && (size_t)done >= v->iov_len) {
			done -= v->iov_len;
			v++;
			cnt--;
		}
		if (cnt) {
			v->iov_base = (uint8_t *)v->iov_base + done;
			v->iov_len -= done;
		}
	}
	return true;
}

static uint8_t blk__rw(const struct config *cfg, bool out, uint64_t sector, struct iovec *v,
		       int cnt, uint64_t len)
{
	if (len % SECTOR_SIZE || sector > disk.sectors || len / SECTOR_SIZE > disk.sectors - sector)
		return VIRTIO_BLK_S_IOERR;
	if (out && cfg->disk_ro)
		return VIRTIO_BLK_S_IOERR;
	return blk__io(out, v, cnt, sector * SECTOR_SIZE, len) ? VIRTIO_BLK_S_OK :
								 VIRTIO_BLK_S_IOERR;
}

/* A request is header (readable), data, status byte (the last writable byte). */
static int blk__request(struct virtio_dev *vdev, unsigned int q, struct virtio_iov *iov,
			unsigned int n, const char **why)
{
	uint64_t rd = iov__total(iov, n, false), wr = iov__total(iov, n, true), len = 0;
	struct iovec v[VIRTIO_MAX_IOV], hv[VIRTIO_MAX_IOV], sv[1];
	struct blk_req_header h;
	uint8_t status = VIRTIO_BLK_S_UNSUPP, *st;
	int cnt = 0, hc;

	(void)q;
	hc = iov__slice(iov, n, false, 0, sizeof(h), hv);
	if (hc < 0 || !wr || iov__slice(iov, n, true, wr - 1, 1, sv) != 1) {
		*why = "virtio-blk request without a header or a status byte";
		return -1;
	}
	memset(&h, 0, sizeof(h));
	blk__iov_copy(&h, hv, hc);
	st = sv[0].iov_base;
	switch (le32toh(h.type)) {
	case VIRTIO_BLK_T_IN:
		len = wr - 1;
		cnt = iov__slice(iov, n, true, 0, len, v);
		status = blk__rw(vdev->priv, false, le64toh(h.sector), v, cnt, len);
		break;
	case VIRTIO_BLK_T_OUT:
		len = rd - sizeof(h);
		cnt = iov__slice(iov, n, false, sizeof(h), len, v);
		status = blk__rw(vdev->priv, true, le64toh(h.sector), v, cnt, len);
		len = 0;
		break;
	case VIRTIO_BLK_T_FLUSH:
		status = fdatasync(disk.fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
		break;
	case VIRTIO_BLK_T_GET_ID:
		len = wr - 1 < BLK_ID_BYTES ? wr - 1 : BLK_ID_BYTES;
		cnt = iov__slice(iov, n, true, 0, len, v);
		blk__iov_fill(v, cnt, "hvlite-disk0");
		status = VIRTIO_BLK_S_OK;
		break;
	}
	*st = status;
	return (int)(len + 1);
}

static struct virtio_ops blk_ops = {
	.device_id = VIRTIO_ID_BLOCK,
	.features = VIRTIO_BLK_F_FLUSH,
	.nr_queues = 1,
	.queue_max = 128,
	.request = blk__request,
	.config = &disk.config_capacity,
	.config_size = sizeof(disk.config_capacity),
};

static bool blk__present(const struct config *cfg)
{
	return cfg->disk;
}

/*
 * Open the image once, before anything else happens (--dump-dtb included), and
 * keep it across guest restarts; any problem is one line.
 */
static void blk__prepare(struct device *dev, const struct config *cfg)
{
	struct stat st;

	(void)dev;
	disk.fd = open(cfg->disk, (cfg->disk_ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (disk.fd < 0)
		die_errno("--disk %s", cfg->disk);
	if (fstat(disk.fd, &st) < 0)
		die_errno("--disk %s", cfg->disk);
	if (!S_ISREG(st.st_mode) || st.st_size < SECTOR_SIZE)
		die("--disk %s: not a raw image file of at least 512 bytes", cfg->disk);
	disk.sectors = st.st_size / SECTOR_SIZE;
	disk.config_capacity = htole64(disk.sectors);
	if (cfg->disk_ro)
		blk_ops.features |= VIRTIO_BLK_F_RO;
}

static int blk__init(struct device *dev, struct kvm *kvm)
{
	struct virtio_dev *vdev = dev->priv;

	vdev->priv = (void *)kvm->cfg;
	return virtio_mmio__init(dev, kvm);
}

static struct virtio_dev blk_vdev = {
	.ops = &blk_ops,
	.slot = VIRTIO_SLOT_BLK,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};
static struct device blk_dev = {
	.name = "virtio-blk",
	.base = VIRTIO_MMIO_BASE + VIRTIO_SLOT_BLK * VIRTIO_MMIO_SIZE,
	.size = VIRTIO_MMIO_SIZE,
	.mmio = virtio_mmio__mmio,
	.fdt = virtio_mmio__fdt,
	.prepare = blk__prepare,
	.init = blk__init,
	.present = blk__present,
	.priv = &blk_vdev,
};
device_register(blk_dev);
