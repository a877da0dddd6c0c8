// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: a PL011 UART (ARM DDI 0183) on the console, its interrupt and its FDT node. */
#include <libfdt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "hvlite-run.h"

#define UART_DR		0x000
#define UART_RSR	0x004
#define UART_FR		0x018
#define UART_ILPR	0x020
#define UART_IBRD	0x024
#define UART_FBRD	0x028
#define UART_LCR_H	0x02c
#define UART_CR		0x030
#define UART_IFLS	0x034
#define UART_IMSC	0x038
#define UART_RIS	0x03c
#define UART_MIS	0x040
#define UART_ICR	0x044
#define UART_DMACR	0x048
#define UART_ID		0xfe0	/* PeriphID0-3, then PCellID0-3 */

#define FR_RXFE		(1u << 4)
#define FR_TXFF		(1u << 5)
#define FR_RXFF		(1u << 6)
#define FR_TXFE		(1u << 7)
#define INT_RX		(1u << 4)
#define INT_TX		(1u << 5)
#define INT_RT		(1u << 6)
#define INT_ALL		0x7ff
#define CR_LBE		(1u << 7)

#define RX_FIFO		64
#define APB_PCLK_HZ	24000000

/* PL011 r1p5 identification (TRM 3.3.14-3.3.17); Linux's AMBA bus matches on it. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct pl011 {
	pthread_mutex_t lock;
	uint8_t rx[RX_FIFO];
	unsigned int rx_head, rx_count;
	uint32_t ris, imsc, cr, lcr_h, ibrd, fbrd, ifls, dmacr;
	int irq_level;
};

static struct pl011 uart = { .lock = PTHREAD_MUTEX_INITIALIZER, .cr = 0x300, .ifls = 0x12 };

/* Called with uart.lock held: the SPI follows the masked status. */
static void pl011__update_irq(struct kvm *kvm)
{
	int level = !!(uart.ris & uart.imsc);

	if (level == uart.irq_level)
		return;
	uart.irq_level = level;
	kvm__irq_line(kvm, PL011_SPI, level);
}

static void pl011__tx(struct kvm *kvm, uint8_t c)
{
	if (!(uart.cr & CR_LBE))
		console__write(kvm, &c, 1);
	uart.ris |= INT_TX;
}

static uint32_t pl011__rx(void)
{
	uint32_t c = 0;

	if (uart.rx_count) {
		c = uart.rx[uart.rx_head];
		uart.rx_head = (uart.rx_head + 1) % RX_FIFO;
		uart.rx_count--;
		if (uart.rx_count == RX_FIFO - 1)
			console__kick();
	}
	if (!uart.rx_count)
		uart.ris &= ~(INT_RX | INT_RT);
	return c;
}

static uint32_t pl011__read(unsigned int off)
{
	switch (off) {
	case UART_DR:
		return pl011__rx();
	case UART_FR:
		return FR_TXFE | (uart.rx_count ? 0 : FR_RXFE) |
		       (uart.rx_count == RX_FIFO ? FR_RXFF : 0);
	case UART_IBRD:
		return uart.ibrd;
	case UART_FBRD:
		return uart.fbrd;
	case UART_LCR_H:
		return uart.lcr_h;
	case UART_CR:
		return uart.cr;
	case UART_IFLS:
		return uart.ifls;
	case UART_IMSC:
		return uart.imsc;
	case UART_RIS:
		return uart.ris;
	case UART_MIS:
		return uart.ris & uart.imsc;
	case UART_DMACR:
		return uart.dmacr;
	default:
		if (off >= UART_ID && off < UART_ID + 0x20)
			return pl011_id[(off - UART_ID) / 4];
		return 0;
	}
}

static void pl011__write(struct kvm *kvm, unsigned int off, uint32_t val)
{
	switch (off) {
	case UART_DR:
		pl011__tx(kvm, val & 0xff);
		break;
	case UART_IBRD:
		uart.ibrd = val & 0xffff;
		break;
	case UART_FBRD:
		uart.fbrd = val & 0x3f;
		break;
	case UART_LCR_H:
		uart.lcr_h = val & 0xff;
		break;
	case UART_CR:
		uart.cr = val & 0xffff;
		break;
	case UART_IFLS:
		uart.ifls = val & 0x3f;
		break;
	case UART_IMSC:
		uart.imsc = val & INT_ALL;
		break;
	case UART_ICR:
		uart.ris &= ~val;
		/* Data still waiting times out again (RTRIS), as on the real UART. */
		if (uart.rx_count)
			uart.ris |= INT_RT;
		break;
	case UART_DMACR:
		uart.dmacr = val & 7;
		break;
	default:	/* RSR/ECR (no errors to clear), ILPR, read-only registers */
		break;
	}
}

static void pl011__mmio(struct device *dev, struct kvm *kvm, uint64_t off, uint8_t *data,
			unsigned int len, bool is_write)
{
	uint32_t val = 0;
	unsigned int i;

	(void)dev;
	if (len > 4 || (off & 3) + len > 4) {	/* not a register access: RAZ/WI */
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&uart.lock);
	if (is_write) {
		for (i = 0; i < len; i++)
			val |= (uint32_t)data[i] << (8 * i);
		pl011__write(kvm, off & ~3ULL, val << (8 * (off & 3)));
	} else {
		val = pl011__read(off & ~3ULL) >> (8 * (off & 3));
		for (i = 0; i < len; i++)
			data[i] = val >> (8 * i);
	}
	pl011__update_irq(kvm);
	pthread_mutex_unlock(&uart.lock);
}

/* Console input (the feeder thread): as much as the receive FIFO takes. */
static size_t pl011__receive(struct kvm *kvm, const uint8_t *buf, size_t len)
{
	size_t i;

	pthread_mutex_lock(&uart.lock);
	for (i = 0; i < len && uart.rx_count < RX_FIFO; i++) {
		uart.rx[(uart.rx_head + uart.rx_count) % RX_FIFO] = buf[i];
		uart.rx_count++;
	}
	if (i) {
		uart.ris |= INT_RX | INT_RT;
		pl011__update_irq(kvm);
	}
	pthread_mutex_unlock(&uart.lock);
	return i;
}

/* Each boot: a UART out of reset, wired to the new VM's interrupt controller. */
static int pl011__init(struct device *dev, struct kvm *kvm)
{
	(void)dev;
	pthread_mutex_lock(&uart.lock);
	uart.rx_count = 0;
	uart.ris = 0;
	uart.imsc = 0;
	uart.cr = 0x300;
	uart.irq_level = 0;
	pthread_mutex_unlock(&uart.lock);
	/* With --console virtio the UART only writes (earlycon); stdin feeds virtio. */
	if (kvm->cfg->console == CONSOLE_SERIAL)
		console__attach(kvm, pl011__receive);
	return 0;
}

static void pl011__exit(struct device *dev, struct kvm *kvm)
{
	(void)dev;
	if (kvm->cfg->console == CONSOLE_SERIAL)
		console__detach();
}

static int pl011__fdt(struct device *dev, struct kvm *kvm, void *fdt)
{
	static const char clock_names[] = "uartclk\0apb_pclk";
	uint32_t clocks[] = { cpu_to_fdt32(PHANDLE_APB_PCLK), cpu_to_fdt32(PHANDLE_APB_PCLK) };
	uint32_t irq[] = { cpu_to_fdt32(FDT_IRQ_SPI), cpu_to_fdt32(PL011_SPI),
			   cpu_to_fdt32(FDT_IRQ_LEVEL_HI) };
	uint64_t reg[] = { cpu_to_fdt64(PL011_BASE), cpu_to_fdt64(PL011_SIZE) };
	static const char compat[] = "arm,pl011\0arm,primecell";
	char name[32];
	int err = 0;

	(void)dev;
	(void)kvm;
	/* The fixed clock Linux's amba-pl011 driver asks for by name (apb_pclk). */
	err |= fdt_begin_node(fdt, "apb-pclk");
	err |= fdt_property_string(fdt, "compatible", "fixed-clock");
	err |= fdt_property_cell(fdt, "#clock-cells", 0);
	err |= fdt_property_cell(fdt, "clock-frequency", APB_PCLK_HZ);
	err |= fdt_property_string(fdt, "clock-output-names", "clk24mhz");
	err |= fdt_property_cell(fdt, "phandle", PHANDLE_APB_PCLK);
	err |= fdt_end_node(fdt);

	snprintf(name, sizeof(name), "pl011@%llx", PL011_BASE);
	err |= fdt_begin_node(fdt, name);
	err |= fdt_property(fdt, "compatible", compat, sizeof(compat));
	err |= fdt_property(fdt, "reg", reg, sizeof(reg));
	err |= fdt_property(fdt, "interrupts", irq, sizeof(irq));
	err |= fdt_property(fdt, "clocks", clocks, sizeof(clocks));
	err |= fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	err |= fdt_end_node(fdt);
	return err;
}

static struct device pl011_dev = {
	.name = "pl011",
	.base = PL011_BASE,
	.size = PL011_SIZE,
	.mmio = pl011__mmio,
	.fdt = pl011__fdt,
	.init = pl011__init,
	.exit = pl011__exit,
};
device_register(pl011_dev);
