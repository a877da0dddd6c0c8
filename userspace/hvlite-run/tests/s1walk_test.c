// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: host-side unit test of s1__walk() (TAP), the stage-1 walk the
 * GDB stub reads guest memory through. Tables are built in a fake guest RAM;
 * ONE_REG reads of SCTLR/TCR/TTBR0/TTBR1 come from the test. One row per
 * case: 4K (3 and 4 levels, 1 GiB and 2 MiB blocks, TTBR1, TBI), 16K, 64K
 * (pages and a 512 MiB block), and the faults (invalid, reserved, EPD,
 * outside both ranges, a table outside RAM, a level-0 block).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gdb.h"

#define RAM_SIZE	(16 * SZ_1M)
#define V		1ULL		/* valid */
#define TBL		3ULL		/* table (levels 0-2) or page (level 3) */
#define BLK		1ULL		/* block */
#define AF		(1ULL << 10)

static uint8_t *ram;
static uint64_t r_sctlr, r_tcr, r_ttbr0, r_ttbr1;
static uint64_t next_table;

int gdb__get_reg(struct vcpu *vcpu, uint64_t id, void *val)
{
	uint64_t v;

	(void)vcpu;
	if (id == SYSREG_SCTLR)
		v = r_sctlr;
	else if (id == SYSREG_TCR)
		v = r_tcr;
	else if (id == SYSREG_TTBR0)
		v = r_ttbr0;
	else if (id == SYSREG_TTBR1)
		v = r_ttbr1;
	else
		return -1;
	memcpy(val, &v, 8);
	return 0;
}

void *kvm__gpa_to_hva(struct kvm *kvm, uint64_t gpa, uint64_t len)
{
	(void)kvm;
	if (gpa < RAM_BASE || len > RAM_SIZE || gpa - RAM_BASE > RAM_SIZE - len)
		return NULL;
	return ram + (gpa - RAM_BASE);
}

/* A zeroed table of @size bytes in the fake RAM, aligned to its size. */
static uint64_t table(uint64_t size)
{
	uint64_t t = ALIGN_UP(next_table, size);

	next_table = t + size;
	memset(ram + (t - RAM_BASE), 0, size);
	return t;
}

static void set(uint64_t tbl, unsigned int idx, uint64_t desc)
{
	memcpy(ram + (tbl - RAM_BASE) + 8 * idx, &desc, 8);
}

static void reset(uint64_t tcr)
{
	memset(ram, 0, RAM_SIZE);
	next_table = RAM_BASE;
	r_sctlr = 1;
	r_tcr = tcr;
	r_ttbr0 = r_ttbr1 = 0;
}

static unsigned int n;
static int failed;

static void expect(const char *name, uint64_t va, int rc, uint64_t pa, int levels)
{
	struct vcpu vcpu = { 0 };
	struct s1_walk w;
	int got = s1__walk(&vcpu, va, &w);
	bool ok = got == rc && (rc ? w.fault != NULL : w.pa == pa) && (levels < 0 || w.levels == levels);

	printf("%sok %u %s\n", ok ? "" : "not ", ++n, name);
	if (!ok) {
		printf("# va 0x%llx: rc %d pa 0x%llx levels %d fault %s (wanted rc %d pa 0x%llx levels %d)\n",
		       (unsigned long long)va, got, (unsigned long long)w.pa, w.levels,
		       w.fault ? w.fault : "-", rc, (unsigned long long)pa, levels);
		failed = 1;
	}
}

/* TCR_EL1: T0SZ, TG0 (0 4K, 1 64K, 2 16K), T1SZ, TG1 (2 4K, 1 16K, 3 64K). */
#define TCR(t0sz, tg0, t1sz, tg1) \
	((uint64_t)(t0sz) | (uint64_t)(tg0) << 14 | (uint64_t)(t1sz) << 16 | (uint64_t)(tg1) << 30)
#define TCR_EPD0	(1ULL << 7)
#define TCR_TBI0	(1ULL << 37)

static void four_k(void)
{
	uint64_t l0, l1, l2, l3;

	reset(TCR(25, 0, 25, 2));
	r_sctlr = 0;
	expect("MMU off: identity", 0x12345678, 0, 0x12345678, 0);
	r_sctlr = 1;
	l1 = table(SZ_4K);
	r_ttbr0 = l1;
	set(l1, 2, 0x80000000 | AF | BLK);
	expect("4K, 39-bit: 1 GiB block at level 1", 0x80123456, 0, 0x80123456, 1);
	l2 = table(SZ_4K);
	set(l1, 0, l2 | TBL);
	set(l2, 3, 0x80600000 | AF | BLK);
	expect("4K, 39-bit: 2 MiB block at level 2", 0x00789abc, 0, 0x80789abc, 2);
	l3 = table(SZ_4K);
	set(l2, 4, l3 | TBL);
	set(l3, 5, 0x80abc000 | AF | TBL);
	expect("4K, 39-bit: page at level 3", 0x00805123, 0, 0x80abc123, 3);
	expect("4K: invalid descriptor", 0x00806000, -1, 0, 3);
	set(l3, 6, 0x80abc000 | AF | BLK);
	expect("4K: level-3 descriptor with bit 1 clear is reserved", 0x00806000, -1, 0, 3);
	set(l2, 7, 0x1000 | TBL);
	expect("4K: a table outside guest RAM", 0x00e00000, -1, 0, 2);
	expect("4K: beyond the 39-bit TTBR0 range", 1ULL << 39, -1, 0, 0);
	r_tcr |= TCR_TBI0;
	expect("4K: TBI0 ignores the top byte", 0xab00000000805123ULL, 0, 0x80abc123, 3);
	r_tcr &= ~TCR_TBI0;
	expect("4K: without TBI0 a tagged address is out of range", 0xab00000000805123ULL, -1, 0, 0);
	r_tcr |= TCR_EPD0;
	expect("4K: TCR_EL1.EPD0 disables TTBR0 walks", 0x80123456, -1, 0, 0);
	r_tcr &= ~TCR_EPD0;
	/* TTBR1: the top 39 bits of the address space */
	l1 = table(SZ_4K);
	r_ttbr1 = l1;
	set(l1, 0, 0x80000000 | AF | BLK);
	expect("4K TTBR1: 1 GiB block", 0xffffff8000001234ULL, 0, 0x80001234, 1);
	/* 48-bit: four levels, a block at level 0 is reserved */
	reset(TCR(16, 0, 16, 2));
	l0 = table(SZ_4K), l1 = table(SZ_4K), l2 = table(SZ_4K), l3 = table(SZ_4K);
	r_ttbr0 = l0;
	set(l0, 1, l1 | TBL);
	set(l1, 2, l2 | TBL);
	set(l2, 3, l3 | TBL);
	set(l3, 4, 0x80fff000 | AF | TBL);
	expect("4K, 48-bit: four levels to a page", (1ULL << 39) | (2ULL << 30) | (3ULL << 21) |
	       (4ULL << 12) | 0xabc, 0, 0x80fffabc, 4);
	set(l0, 2, 0x80000000 | AF | BLK);
	expect("4K: a block at level 0 is reserved", 2ULL << 39, -1, 0, 1);
}

static void other_granules(void)
{
	uint64_t l2, l3;

	/* 16K, 36-bit: levels 2 (11 bits) and 3 (11 bits) */
	reset(TCR(28, 2, 28, 1));
	l2 = table(16 * 1024);
	l3 = table(16 * 1024);
	r_ttbr0 = l2;
	set(l2, 5, l3 | TBL);
	set(l3, 7, 0x80ffc000 | AF | TBL);
	expect("16K, 36-bit: page at level 3", (5ULL << 25) | (7ULL << 14) | 0x3abc, 0,
	       0x80fffabc, 2);
	/* 64K, 42-bit: levels 2 (13 bits) and 3 (13 bits) */
	reset(TCR(22, 1, 22, 3));
	l2 = table(SZ_64K);
	l3 = table(SZ_64K);
	r_ttbr0 = l2;
	set(l2, 9, l3 | TBL);
	set(l3, 3, 0x80ff0000 | AF | TBL);
	expect("64K, 42-bit: page at level 3", (9ULL << 29) | (3ULL << 16) | 0xfedc, 0,
	       0x80fffedc, 2);
	set(l2, 4, 0x80000000 | AF | BLK);
	expect("64K: 512 MiB block at level 2", (4ULL << 29) | 0x1234567, 0, 0x81234567, 1);
}

int main(void)
{
	ram = aligned_alloc(SZ_64K, RAM_SIZE);
	if (!ram)
		return 1;
	four_k();
	other_granules();
	printf("1..%u\n", n);
	free(ram);
	return failed;
}
