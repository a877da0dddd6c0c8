// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: host-side test of the virtio-mmio transport against hostile queues
 * (TAP, one line per row): the driver side is played here, in a fake guest RAM.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "../virtio.h"

#define RAM_SIZE	(1u << 20)
#define QNUM		8
#define DESC_GPA	(RAM_BASE + 0x1000)
#define AVAIL_GPA	(RAM_BASE + 0x2000)
#define USED_GPA	(RAM_BASE + 0x3000)
#define BUF_GPA		(RAM_BASE + 0x10000)

static uint8_t *ram;
static struct kvm fake_kvm = { .ram_size = RAM_SIZE };
static int irq_level;
static char last_warn[256];
static unsigned int requests, last_n;

/* The launcher's functions virtio-mmio.c calls, over the fake RAM. */
void *kvm__gpa_to_hva(struct kvm *kvm, uint64_t gpa, uint64_t len)
{
	if (gpa < RAM_BASE || len > kvm->ram_size || gpa - RAM_BASE > kvm->ram_size - len)
		return NULL;
	return ram + (gpa - RAM_BASE);
}

int kvm__irq_line(struct kvm *kvm, unsigned int spi, int level)
{
	(void)kvm;
	(void)spi;
	irq_level = level;
	return 0;
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_warn, sizeof(last_warn), fmt, ap);
	va_end(ap);
}

int fdt_begin_node(void *fdt, const char *name)
{
	(void)fdt;
	(void)name;
	return 0;
}

int fdt_property(void *fdt, const char *name, const void *val, int len)
{
	(void)fdt;
	(void)name;
	(void)val;
	(void)len;
	return 0;
}

int fdt_end_node(void *fdt)
{
	(void)fdt;
	return 0;
}

static int test__request(struct virtio_dev *vdev, unsigned int q, struct virtio_iov *iov,
			 unsigned int n, const char **why)
{
	(void)vdev;
	(void)q;
	(void)why;
	requests++;
	last_n = n;
	return iov[n - 1].write ? (int)iov[n - 1].len : 0;
}

static const struct virtio_ops test_ops = {
	.device_id = VIRTIO_ID_RNG,
	.nr_queues = 1,
	.queue_max = QNUM,
	.request = test__request,
};

static struct virtio_dev vdev = { .ops = &test_ops, .lock = PTHREAD_MUTEX_INITIALIZER };
static struct device dev = VIRTIO_MMIO_DEVICE("test", vdev, 0, NULL);

static void wr(uint64_t off, uint32_t val)
{
	virtio_mmio__mmio(&dev, &fake_kvm, off, (uint8_t *)&val, 4, true);
}

static uint32_t rd(uint64_t off)
{
	uint32_t val;

	virtio_mmio__mmio(&dev, &fake_kvm, off, (uint8_t *)&val, 4, false);
	return val;
}

static void desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = ram + (DESC_GPA - RAM_BASE) + 16 * i;

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static uint16_t *avail(void)
{
	return (uint16_t *)(ram + (AVAIL_GPA - RAM_BASE));
}

static uint16_t *used(void)
{
	return (uint16_t *)(ram + (USED_GPA - RAM_BASE));
}

/* The driver's side of set-up (virtio 1.1 section 3.1.1), queue at the given addresses. */
static void setup(uint32_t num, uint64_t d, uint64_t a, uint64_t u, uint32_t feat_hi)
{
	memset(ram, 0, RAM_SIZE);
	virtio_mmio__init(&dev, &fake_kvm);
	last_warn[0] = '\0';
	requests = 0;
	wr(0x070, 1 | 2);
	wr(0x024, 1);
	wr(0x020, feat_hi);
	wr(0x070, 1 | 2 | 8);
	wr(0x030, 0);
	wr(0x038, num);
	wr(0x080, (uint32_t)d);
	wr(0x084, d >> 32);
	wr(0x090, (uint32_t)a);
	wr(0x094, a >> 32);
	wr(0x0a0, (uint32_t)u);
	wr(0x0a4, u >> 32);
	wr(0x044, 1);
	wr(0x070, 1 | 2 | 8 | 4);
}

static void make_avail(uint16_t head, uint16_t idx)
{
	avail()[2] = head;
	avail()[1] = idx;
	wr(0x050, 0);
}

struct row {
	const char *name;
	void (*run)(void);
	unsigned int requests;		/* chains served */
	const char *warn;		/* part of the stop message, or NULL: none */
};

static void good_chain(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, BUF_GPA, 16, 1, 1);
	desc(1, BUF_GPA + 16, 64, 2, 0);
	make_avail(0, 1);
}

static void head_out_of_range(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	make_avail(QNUM + 3, 1);
}

static void next_out_of_range(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, BUF_GPA, 16, 1, 200);
	make_avail(0, 1);
}

static void chain_loop(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, BUF_GPA, 16, 1, 1);
	desc(1, BUF_GPA, 16, 1, 0);
	make_avail(0, 1);
}

static void self_loop(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(3, BUF_GPA, 16, 2 | 1, 3);
	make_avail(3, 1);
}

static void buffer_below_ram(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, 0x1000, 16, 2, 0);
	make_avail(0, 1);
}

static void buffer_past_ram_end(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, RAM_BASE + RAM_SIZE - 8, 4096, 2, 0);
	make_avail(0, 1);
}

static void buffer_wraps(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, ~0ULL - 8, 0xffffffff, 2, 0);
	make_avail(0, 1);
}

static void read_after_write(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, BUF_GPA, 16, 2 | 1, 1);
	desc(1, BUF_GPA + 16, 16, 0, 0);
	make_avail(0, 1);
}

static void avail_idx_jump(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, BUF_GPA, 16, 2, 0);
	make_avail(0, QNUM + 1);
}

static void rings_outside_ram(void)
{
	setup(QNUM, 0x1000, AVAIL_GPA, USED_GPA, 1);
	make_avail(0, 1);
}

static void used_ring_past_end(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, RAM_BASE + RAM_SIZE - 8, 1);
	make_avail(0, 1);
}

static void ring_misaligned(void)
{
	setup(QNUM, DESC_GPA + 8, AVAIL_GPA, USED_GPA, 1);
	make_avail(0, 1);
}

static void queue_too_big(void)
{
	setup(QNUM * 2, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	desc(0, BUF_GPA, 16, 2, 0);
	make_avail(0, 1);
}

static void reset_recovers(void)
{
	head_out_of_range();
	last_warn[0] = '\0';
	good_chain();
}

/* Six stops after resets: five reported, the fifth saying so, then silence. */
static void many_stops(void)
{
	unsigned int i;

	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 1);
	for (i = 0; i < 6; i++) {
		if (i == 5)
			last_warn[0] = '\0';
		wr(0x070, 0);
		wr(0x070, 1 | 2 | 8);
		wr(0x038, QNUM);
		wr(0x080, (uint32_t)DESC_GPA);
		wr(0x090, (uint32_t)AVAIL_GPA);
		wr(0x0a0, (uint32_t)USED_GPA);
		wr(0x044, 1);
		avail()[1] = 0;
		make_avail(QNUM + 1, 1);
		if (i == 4 && !strstr(last_warn, "further stops not reported"))
			return;
	}
	if (!last_warn[0])
		snprintf(last_warn, sizeof(last_warn), "sixth stop silent");
}

static void no_version_1(void)
{
	setup(QNUM, DESC_GPA, AVAIL_GPA, USED_GPA, 0);
	if (rd(0x070) & 8)
		snprintf(last_warn, sizeof(last_warn), "FEATURES_OK kept without VERSION_1");
}

static const struct row rows[] = {
	{ "good chain (readable, writable)", good_chain, 1, NULL },
	{ "head index out of range", head_out_of_range, 0, "descriptor index out of range" },
	{ "next index out of range", next_out_of_range, 0, "descriptor index out of range" },
	{ "two-descriptor loop", chain_loop, 0, "too long or looping" },
	{ "descriptor pointing at itself", self_loop, 0, "too long or looping" },
	{ "buffer below RAM", buffer_below_ram, 0, "outside guest RAM" },
	{ "buffer past the end of RAM", buffer_past_ram_end, 0, "outside guest RAM" },
	{ "buffer address + length wraps", buffer_wraps, 0, "outside guest RAM" },
	{ "readable after writable", read_after_write, 0, "readable buffer after a writable" },
	{ "available index jumps past the size", avail_idx_jump, 0, "available index moved" },
	{ "descriptor table outside RAM", rings_outside_ram, 0, "rings outside guest RAM" },
	{ "used ring past the end of RAM", used_ring_past_end, 0, "rings outside guest RAM" },
	{ "misaligned descriptor table", ring_misaligned, 0, "misaligned" },
	{ "QueueNum above QueueNumMax", queue_too_big, 0, "above QueueNumMax" },
	{ "reset after a stop serves again", reset_recovers, 1, NULL },
	{ "driver without VERSION_1", no_version_1, 0, NULL },
	{ "stops after resets: 5 reported, then silence", many_stops, 0, "sixth stop silent" },
};

static bool row__check(const struct row *r)
{
	bool stopped = rd(0x070) & 64;

	if (requests != r->requests)
		return false;
	if (!r->warn)
		return !last_warn[0] && !stopped;
	return strstr(last_warn, r->warn) && stopped && irq_level;
}

int main(void)
{
	unsigned int i, fails = 0;

	ram = calloc(1, RAM_SIZE);
	if (!ram)
		return 2;
	printf("1..%zu\n", ARRAY_SIZE(rows) + 1);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		bool ok;

		rows[i].run();
		ok = row__check(&rows[i]);
		printf("%sok %u %s%s%s\n", ok ? "" : "not ", i + 1, rows[i].name,
		       last_warn[0] ? ": " : "", last_warn);
		fails += !ok;
	}
	/* The good chain's used element: head 0, 64 bytes written, index 1, interrupt raised. */
	good_chain();
	i = used()[1] == 1 && used()[2] == 0 && used()[4] == 64 && irq_level && rd(0x060) == 1 &&
	    last_n == 2;
	wr(0x064, 1);
	i = i && !irq_level;
	printf("%sok %zu used ring, interrupt and its acknowledgement\n", i ? "" : "not ",
	       ARRAY_SIZE(rows) + 1);
	return fails || !i;
}
