// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: a PL011 UART (ARM DDI 0183) on stdout/stdin, its interrupt and its FDT node. */
#include <errno.h>
#include <libfdt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
#define ESCAPE_CHAR	0x01	/* Ctrl-A, then x: stop the guest */

/* PL011 r1p5 identification (TRM 3.3.14-3.3.17); Linux's AMBA bus matches on it. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct pl011 {
	pthread_mutex_t lock;
	uint8_t rx[RX_FIFO];
	unsigned int rx_head, rx_count;
	uint32_t ris, imsc, cr, lcr_h, ibrd, fbrd, ifls, dmacr;
	int irq_level;
	struct kvm *kvm;	/* the VM being fed; NULL between boots */
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

static void pl011__tx(uint8_t c)
{
	ssize_t n;

	if (uart.cr & CR_LBE)
		return;
	do
		n = write(STDOUT_FILENO, &c, 1);
	while (n < 0 && errno == EINTR);
	uart.ris |= INT_TX;
}

static uint32_t pl011__rx(void)
{
	uint32_t c = 0;

	if (uart.rx_count) {
		c = uart.rx[uart.rx_head];
		uart.rx_head = (uart.rx_head + 1) % RX_FIFO;
		uart.rx_count--;
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

static void pl011__write(unsigned int off, uint32_t val)
{
	switch (off) {
	case UART_DR:
		pl011__tx(val & 0xff);
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
		pl011__write(off & ~3ULL, val << (8 * (off & 3)));
	} else {
		val = pl011__read(off & ~3ULL) >> (8 * (off & 3));
		for (i = 0; i < len; i++)
			data[i] = val >> (8 * i);
	}
	pl011__update_irq(kvm);
	pthread_mutex_unlock(&uart.lock);
}

/*
 * Called with uart.lock held. Returns false if the FIFO is full: the caller
 * waits for the guest to read. Without a VM (between boots) input is dropped.
 */
static bool pl011__receive_locked(uint8_t c)
{
	if (!uart.kvm)
		return true;
	if (uart.rx_count == RX_FIFO)
		return false;
	uart.rx[(uart.rx_head + uart.rx_count) % RX_FIFO] = c;
	uart.rx_count++;
	uart.ris |= INT_RX | INT_RT;
	pl011__update_irq(uart.kvm);
	return true;
}

/* Ctrl-A x: stop the VM of the moment. */
static void pl011__escape(void)
{
	pthread_mutex_lock(&uart.lock);
	if (uart.kvm)
		kvm__stop(uart.kvm, VM_STOP_SIGNAL, 0);
	pthread_mutex_unlock(&uart.lock);
}

/*
 * stdin to the receive FIFO, for the launcher's whole life (guest restarts
 * included): the VM it feeds is uart.kvm. A raw terminal passes Ctrl-C on.
 */
static void *pl011__input_thread(void *arg)
{
	bool escape = false, queued;
	uint8_t c;

	(void)arg;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (escape && c == 'x') {
			pl011__escape();
			escape = false;
			continue;
		}
		escape = c == ESCAPE_CHAR && !escape;
		if (escape)
			continue;
		do {
			pthread_mutex_lock(&uart.lock);
			queued = pl011__receive_locked(c);
			pthread_mutex_unlock(&uart.lock);
			if (!queued)
				usleep(1000);
		} while (!queued);
	}
	return NULL;
}

/* Each boot: a UART out of reset, wired to the new VM's interrupt controller. */
static int pl011__init(struct device *dev, struct kvm *kvm)
{
	static bool started;	/* the input thread outlives a guest restart */
	pthread_t t;

	(void)dev;
	pthread_mutex_lock(&uart.lock);
	uart.kvm = kvm;
	uart.rx_count = 0;
	uart.ris = 0;
	uart.imsc = 0;
	uart.cr = 0x300;
	uart.irq_level = 0;
	pthread_mutex_unlock(&uart.lock);
	if (started)
		return 0;
	started = true;
	if (pthread_create(&t, NULL, pl011__input_thread, NULL))
		die("pl011: cannot start the input thread");
	pthread_detach(t);
	return 0;
}

static void pl011__exit(struct device *dev, struct kvm *kvm)
{
	(void)dev;
	(void)kvm;
	pthread_mutex_lock(&uart.lock);
	uart.kvm = NULL;
	pthread_mutex_unlock(&uart.lock);
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
