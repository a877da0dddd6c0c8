// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: host-side test of virtio-console (TAP, one line per row): the
 * driver is played here in a fake guest RAM, the console (stdin/stdout) is a
 * stub that records. Good traffic both ways, then hostile chains on each queue.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../virtio.h"

#define RAM_SIZE	(1u << 20)
#define QNUM		8
#define RX_DESC		(RAM_BASE + 0x1000)	/* queue 0: receiveq */
#define RX_AVAIL	(RAM_BASE + 0x2000)
#define RX_USED		(RAM_BASE + 0x3000)
#define TX_DESC		(RAM_BASE + 0x4000)	/* queue 1: transmitq */
#define TX_AVAIL	(RAM_BASE + 0x5000)
#define TX_USED		(RAM_BASE + 0x6000)
#define BUF_GPA		(RAM_BASE + 0x10000)
#define GUARD		0xa5	/* fills RAM; a byte the device must not have changed */

static uint8_t *ram;
static struct kvm fake_kvm = { .ram_size = RAM_SIZE };
static int irq_level;
static char last_warn[256], out[512];
static size_t out_len;
static unsigned int kicks;
static console_receive_fn receive;
static struct device *vcon;

/* The launcher's functions the device and the transport call, over the fake RAM. */
void *kvm__gpa_to_hva(struct kvm *kvm, uint64_t gpa, uint64_t len)
{
	if (gpa < RAM_BASE || len > kvm->ram_size || gpa - RAM_BASE > kvm->ram_size - len)
		return NULL;
	return ram + (gpa - RAM_BASE);
}

int kvm__irq_line(struct kvm *kvm, unsigned int spi, int level)
{
	(void)kvm;
	if (spi == VIRTIO_MMIO_SPI + VIRTIO_SLOT_CONSOLE)
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

void device__register(struct device *dev)
{
	vcon = dev;
}

void console__attach(struct kvm *kvm, console_receive_fn fn)
{
	(void)kvm;
	receive = fn;
}

void console__detach(void)
{
	receive = NULL;
}

void console__kick(void)
{
	kicks++;
}

void console__write(struct kvm *kvm, const void *buf, size_t len)
{
	(void)kvm;
	if (len > sizeof(out) - out_len)
		len = sizeof(out) - out_len;
	memcpy(out + out_len, buf, len);
	out_len += len;
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

static void wr(uint64_t off, uint32_t val)
{
	vcon->mmio(vcon, &fake_kvm, off, (uint8_t *)&val, 4, true);
}

static uint32_t rd(uint64_t off)
{
	uint32_t val;

	vcon->mmio(vcon, &fake_kvm, off, (uint8_t *)&val, 4, false);
	return val;
}

static void desc(uint64_t table, unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	uint8_t *d = ram + (table - RAM_BASE) + 16 * i;

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static uint16_t *ring16(uint64_t gpa)
{
	return (uint16_t *)(ram + (gpa - RAM_BASE));
}

static uint32_t *ring32(uint64_t gpa)
{
	return (uint32_t *)(ram + (gpa - RAM_BASE));
}

static void queue(uint32_t q, uint64_t d, uint64_t a, uint64_t u)
{
	wr(0x030, q);
	wr(0x038, QNUM);
	wr(0x080, (uint32_t)d);
	wr(0x084, d >> 32);
	wr(0x090, (uint32_t)a);
	wr(0x094, a >> 32);
	wr(0x0a0, (uint32_t)u);
	wr(0x0a4, u >> 32);
	wr(0x044, 1);
}

/* The driver's side of set-up (virtio 1.1 section 3.1.1): both queues, DRIVER_OK. */
static void setup(void)
{
	memset(ram, GUARD, RAM_SIZE);
	memset(ram, 0, 0x20000);
	vcon->init(vcon, &fake_kvm);	/* a new VM: its line starts low */
	irq_level = 0;
	last_warn[0] = '\0';
	out_len = 0;
	kicks = 0;
	wr(0x070, 1 | 2);
	wr(0x024, 1);
	wr(0x020, 1);		/* VIRTIO_F_VERSION_1 */
	wr(0x070, 1 | 2 | 8);
	queue(0, RX_DESC, RX_AVAIL, RX_USED);
	queue(1, TX_DESC, TX_AVAIL, TX_USED);
	wr(0x070, 1 | 2 | 8 | 4);
}

/* Make head available as the avail ring's next entry, and notify queue q. */
static void post(uint32_t q, uint16_t head)
{
	uint16_t *avail = ring16(q ? TX_AVAIL : RX_AVAIL);

	avail[2 + avail[1] % QNUM] = head;
	avail[1]++;
	wr(0x050, q);
}

static bool stopped(const char *why)
{
	return (rd(0x070) & 64) && irq_level && strstr(last_warn, why);
}

static bool running(void)
{
	return !(rd(0x070) & 64) && !last_warn[0];
}

static bool tx_two_buffers(void)
{
	setup();
	memcpy(ram + 0x10000, "hello, ", 7);
	memcpy(ram + 0x10100, "console\n", 8);
	desc(TX_DESC, 0, BUF_GPA, 7, 1, 1);
	desc(TX_DESC, 1, BUF_GPA + 0x100, 8, 0, 0);
	post(1, 0);
	return running() && out_len == 15 && !memcmp(out, "hello, console\n", 15) &&
	       ring16(TX_USED)[1] == 1 && ring32(TX_USED)[1] == 0 && ring32(TX_USED)[2] == 0 &&
	       irq_level && rd(0x060) == 1;
}

static bool rx_after_buffers(void)
{
	setup();
	desc(RX_DESC, 0, BUF_GPA, 64, 2, 0);
	post(0, 0);		/* no input yet: the buffer waits, the console is told */
	if (ring16(RX_USED)[1] != 0 || kicks != 1 || irq_level)
		return false;
	return running() && receive(&fake_kvm, (const uint8_t *)"ping\n", 5) == 5 &&
	       !memcmp(ram + 0x10000, "ping\n", 5) && ram[0x10005] == 0 &&
	       ring16(RX_USED)[1] == 1 && ring32(RX_USED)[2] == 5 && irq_level;
}

static bool rx_without_buffers(void)
{
	setup();
	return receive(&fake_kvm, (const uint8_t *)"x", 1) == 0 && running() &&
	       ring16(RX_USED)[1] == 0;
}

/* Ten bytes, two 4-byte buffers: eight go, the rest waits for the next buffer. */
static bool rx_more_than_buffers(void)
{
	setup();
	desc(RX_DESC, 0, BUF_GPA, 4, 2, 0);
	desc(RX_DESC, 1, BUF_GPA + 0x100, 4, 2, 0);
	post(0, 0);
	post(0, 1);
	if (receive(&fake_kvm, (const uint8_t *)"0123456789", 10) != 8)
		return false;
	desc(RX_DESC, 2, BUF_GPA + 0x200, 64, 2, 0);
	post(0, 2);
	return receive(&fake_kvm, (const uint8_t *)"89", 2) == 2 &&
	       !memcmp(ram + 0x10000, "0123", 4) && !memcmp(ram + 0x10100, "4567", 4) &&
	       !memcmp(ram + 0x10200, "89", 2) && ring16(RX_USED)[1] == 3 && running();
}

static bool tx_head_out_of_range(void)
{
	setup();
	post(1, QNUM + 1);
	return stopped("descriptor index out of range") && !out_len;
}

static bool tx_loop(void)
{
	setup();
	desc(TX_DESC, 0, BUF_GPA, 4, 1, 1);
	desc(TX_DESC, 1, BUF_GPA, 4, 1, 0);
	post(1, 0);
	return stopped("too long or looping") && !out_len;
}

static bool tx_len_beyond_ram(void)
{
	setup();
	desc(TX_DESC, 0, RAM_BASE + RAM_SIZE - 16, 4096, 0, 0);
	post(1, 0);
	return stopped("outside guest RAM") && !out_len;
}

static bool tx_huge_len(void)
{
	setup();
	desc(TX_DESC, 0, BUF_GPA, 0xffffffff, 0, 0);
	post(1, 0);
	return stopped("outside guest RAM") && !out_len;
}

static bool tx_writable_buffer(void)
{
	setup();
	desc(TX_DESC, 0, BUF_GPA, 16, 2, 0);
	post(1, 0);
	return stopped("transmit buffer the device cannot read") && !out_len;
}

/* A receive buffer running past the end of RAM: stop, and RAM beyond it untouched. */
static bool rx_len_beyond_ram(void)
{
	setup();
	desc(RX_DESC, 0, RAM_BASE + RAM_SIZE - 2, 64, 2, 0);
	post(0, 0);
	return receive(&fake_kvm, (const uint8_t *)"overflow", 8) == 0 &&
	       stopped("outside guest RAM") && ram[RAM_SIZE - 2] == GUARD &&
	       ram[RAM_SIZE - 1] == GUARD;
}

static bool rx_next_out_of_range(void)
{
	setup();
	desc(RX_DESC, 0, BUF_GPA, 4, 2 | 1, 99);
	post(0, 0);
	return receive(&fake_kvm, (const uint8_t *)"abc", 3) == 0 &&
	       stopped("descriptor index out of range") && ram[0x10000] == 0;
}

static bool rx_self_loop(void)
{
	setup();
	desc(RX_DESC, 5, BUF_GPA, 4, 2 | 1, 5);
	post(0, 5);
	return receive(&fake_kvm, (const uint8_t *)"abc", 3) == 0 &&
	       stopped("too long or looping") && ram[0x10000] == 0;
}

static bool rx_readable_buffer(void)
{
	setup();
	desc(RX_DESC, 0, BUF_GPA, 16, 0, 0);
	post(0, 0);
	return receive(&fake_kvm, (const uint8_t *)"abc", 3) == 0 &&
	       stopped("receive buffer the device cannot write") && ram[0x10000] == 0;
}

/* A ring placed so that its last entries would be past RAM: refused at QueueReady. */
static bool rx_ring_past_ram(void)
{
	setup();
	wr(0x070, 0);
	wr(0x070, 1 | 2 | 8);
	queue(0, RX_DESC, RX_AVAIL, RAM_BASE + RAM_SIZE - 16);
	return stopped("rings outside guest RAM") && !rd(0x044);
}

static bool broken_then_reset(void)
{
	tx_loop();
	last_warn[0] = '\0';
	return tx_two_buffers();
}

static const struct {
	const char *name;
	bool (*run)(void);
} rows[] = {
	{ "transmit: a two-buffer chain reaches the console, used len 0", tx_two_buffers },
	{ "receive: posted buffer waits for input, then takes it", rx_after_buffers },
	{ "receive: no buffer posted, nothing taken", rx_without_buffers },
	{ "receive: input beyond the posted buffers waits for more", rx_more_than_buffers },
	{ "transmit: head index out of range", tx_head_out_of_range },
	{ "transmit: descriptor loop", tx_loop },
	{ "transmit: buffer runs past the end of RAM", tx_len_beyond_ram },
	{ "transmit: length 0xffffffff", tx_huge_len },
	{ "transmit: device-writable buffer", tx_writable_buffer },
	{ "receive: buffer runs past the end of RAM, RAM beyond untouched", rx_len_beyond_ram },
	{ "receive: next index out of range", rx_next_out_of_range },
	{ "receive: descriptor pointing at itself", rx_self_loop },
	{ "receive: device-readable buffer", rx_readable_buffer },
	{ "receive: used ring past the end of RAM", rx_ring_past_ram },
	{ "reset after a stop serves again", broken_then_reset },
};

int main(void)
{
	unsigned int i, fails = 0;

	ram = calloc(1, RAM_SIZE);
	if (!ram || !vcon)
		return 2;
	printf("1..%zu\n", ARRAY_SIZE(rows) + 1);
	printf("%sok 1 device ID 3, two queues, SPI %u\n",
	       rd(0x008) == VIRTIO_ID_CONSOLE && (setup(), receive) ? "" : "not ",
	       VIRTIO_MMIO_SPI + VIRTIO_SLOT_CONSOLE);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		bool ok = rows[i].run();

		printf("%sok %u vcon: %s%s%s\n", ok ? "" : "not ", i + 2, rows[i].name,
		       last_warn[0] ? ": " : "", last_warn);
		fails += !ok;
	}
	return fails != 0;
}
