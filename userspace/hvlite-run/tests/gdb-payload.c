// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest gdb debugs in the end-to-end test (gdb-e2e.sh): bare metal at
 * EL1, linked at 0x80000000. It turns its MMU on with its own tables (so gdb
 * reads memory through a real stage-1 walk), including an alias of RAM in the
 * TTBR1 half (0xffffff8000000000) and at VA 0xc0000000, takes a BRK of its
 * own, sends itself SGI 5 with IRQs masked (left pending: the vGIC state the
 * monitor shows), starts vCPU1 spinning (gdb_secondary, so that a stop must
 * take a running vCPU out), calls the functions the test breaks on and
 * watches, then spins until gdb sets gdb_release (then PSCI SYSTEM_OFF) or
 * kills it.
 */
#include <stdint.h>

#define PSCI_SYSTEM_OFF	0x84000008UL
#define PSCI_CPU_ON	0xc4000003UL
#define RAM_PA		0x80000000UL
#define GICD		0x08000000UL	/* hvlite-run's memory map (usage.md) */
#define GICR		0x08100000UL
#define GICR_SGI	(GICR + 0x10000)
#define GDB_SGI		5
/* Level-1 block descriptors (4K granule): AF, inner shareable, AttrIndx. */
#define BLK_NORMAL	((1UL << 10) | (3UL << 8) | (1UL << 2) | 1UL)
#define BLK_DEVICE	((1UL << 10) | (0UL << 2) | 1UL)

volatile uint32_t gdb_table[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
volatile uint64_t gdb_counter;
volatile uint64_t gdb_result;
volatile uint64_t gdb_spins;
volatile uint64_t gdb_release;
volatile uint64_t brk_esr;
volatile uint64_t gdb_spins2;
volatile int64_t gdb_cpu_on = -99;

void gdb_secondary(void);

static uint64_t l1_lo[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));

static void mmu_on(void)
{
	uint64_t tcr, sctlr;

	l1_lo[0] = 0x0UL | BLK_DEVICE;		/* 0-1 GiB: the devices (PL011, GIC) */
	l1_lo[2] = RAM_PA | BLK_NORMAL;		/* RAM, identity */
	l1_lo[3] = RAM_PA | BLK_NORMAL;		/* VA 0xc0000000: an alias of RAM */
	l1_hi[0] = RAM_PA | BLK_NORMAL;		/* VA 0xffffff8000000000: another */
	/* T0SZ = T1SZ = 25 (39-bit), TG0 4K, TG1 4K, WB WA inner shareable, IPS 40-bit */
	tcr = 25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) |
	      (25UL << 16) | (1UL << 24) | (1UL << 26) | (3UL << 28) | (2UL << 30) | (2UL << 32);
	asm volatile("msr mair_el1, %0" : : "r"(0xff00UL));	/* attr0 device, attr1 normal */
	asm volatile("msr tcr_el1, %0" : : "r"(tcr));
	asm volatile("msr ttbr0_el1, %0" : : "r"(l1_lo));
	asm volatile("msr ttbr1_el1, %0" : : "r"(l1_hi));
	asm volatile("isb; tlbi vmalle1; dsb nsh; isb" : : : "memory");
	asm volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= (1UL << 0) | (1UL << 2) | (1UL << 12);		/* M, C, I */
	asm volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr) : "memory");
}

static void reg32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

/* Group 1 on, SGI 5 enabled, then SGI 5 to this vCPU; DAIF stays masked. */
static void gic_self_sgi(void)
{
	reg32(GICD, 0x12);			/* GICD_CTLR: ARE, EnableGrp1 */
	reg32(GICR + 0x14, 0);			/* GICR_WAKER: awake */
	reg32(GICR_SGI + 0x80, ~0u);		/* GICR_IGROUPR0: group 1 */
	reg32(GICR_SGI + 0x100, 1u << GDB_SGI);	/* GICR_ISENABLER0 */
	asm volatile("msr icc_pmr_el1, %0" : : "r"(0xffUL));
	asm volatile("msr icc_igrpen1_el1, %0; isb" : : "r"(1UL));
	asm volatile("msr icc_sgi1r_el1, %0; isb" : : "r"((uint64_t)GDB_SGI << 24 | 1));
}

int __attribute__((noinline)) gdb_target(int x)
{
	return x * 3 + 1;
}

void __attribute__((noinline)) gdb_bump(void)
{
	gdb_counter++;
}

static uint64_t psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn, x1 asm("x1") = a1, x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

void gdb_main(void);
void gdb_main(void)
{
	mmu_on();
	asm volatile("brk #0x42" : : : "memory");	/* the guest's own */
	gic_self_sgi();
	gdb_cpu_on = psci(PSCI_CPU_ON, 1, (uint64_t)gdb_secondary, 0);
	gdb_result = gdb_target(0x1234);
	gdb_bump();
	gdb_bump();
	while (!gdb_release)
		gdb_spins++;
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
