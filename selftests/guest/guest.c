// SPDX-License-Identifier: GPL-2.0-only
/* The guest payload's programs: one per PROG_*, run at EL1 with the MMU off. */
#include "guest.h"

typedef unsigned long u64;
typedef unsigned int u32;

#define PSCI_CPU_ON_64		0xc4000003UL

void guest_main(u64 prog, u64 a1, u64 a2, u64 a3);
u64 guest_exception(u64 off, u64 esr, u64 elr, u64 far, u64 lr);
/* irq.c: the interrupt, timer and SMP programs, and their IRQ handler. */
void guest_irq_main(u64 prog, u64 a1, u64 a2, u64 a3);
void guest_irq(void);

/* start.S: run AArch32 code at EL0 until it takes an exception to EL1. */
void a32_call(u64 entry, u64 r0, u64 r1);
extern const char a32_return[], a32_udf[], a32_str[], a32_spin[], t32_str[];

/*
 * Set by the vector on a synchronous exception from EL1 (offset 0x200), or
 * from AArch32 EL0 during a32_call (offset 0x600, with SPSR_EL1).
 */
static volatile u64 exc_esr, exc_elr, exc_far, exc_spsr;
static volatile int in_aarch32;

static void ucall(u64 cmd, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = cmd;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("str x0, [%4]"
		     : : "r"(x0), "r"(x1), "r"(x2), "r"(x3), "r"(GUEST_UCALL_ADDR)
		     : "memory");
}

#define GUEST_SYNC(a, b, c)	ucall(UCALL_SYNC, (a), (b), (c))
#define GUEST_ASSERT_EQ(got, exp) do {					\
	u64 __g = (got), __e = (exp);					\
	if (__g != __e)							\
		ucall(UCALL_ABORT, __LINE__, __g, __e);			\
} while (0)

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })

u64 guest_exception(u64 off, u64 esr, u64 elr, u64 far, u64 lr)
{
	if (off == 0x600 && in_aarch32) {
		/* Back to a32_call's caller, at EL1h with DAIF masked. */
		exc_esr = esr;
		exc_elr = elr;
		exc_far = far;
		exc_spsr = read_sysreg(spsr_el1);
		in_aarch32 = 0;
		asm volatile("msr spsr_el1, %0" : : "r"(0x3c5UL));
		return (u64)a32_return;
	}
	if (off == 0x280) {
		guest_irq();
		return elr;
	}
	if (off != 0x200) {
		/* Only synchronous exceptions from EL1 are expected. */
		ucall(UCALL_UNEXPECTED, off, esr, elr);
		return elr;
	}
	exc_esr = esr;
	exc_elr = elr;
	exc_far = far;
	/* An instruction abort: go back to the caller that branched away. */
	if (((esr >> 26) & 0x3f) == 0x21 || ((esr >> 26) & 0x3f) == 0x20)
		return lr;
	return elr + 4;
}

static u64 mmio_load(u64 kind)
{
	u64 v = 0x5a5a5a5a5a5a5a5aUL, p = GUEST_TEST_MMIO, after;

	switch (kind) {
	case LD_B:	asm volatile("ldrb %w0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_H:	asm volatile("ldrh %w0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_W:	asm volatile("ldr %w0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_X:	asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_SB_W:	asm volatile("ldrsb %w0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_SB_X:	asm volatile("ldrsb %0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_SH_W:	asm volatile("ldrsh %w0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_SH_X:	asm volatile("ldrsh %0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_SW_X:	asm volatile("ldrsw %0, [%1]" : "+r"(v) : "r"(p)); break;
	case LD_XZR:
		/* The load is discarded: x1 keeps its value. */
		asm volatile("mov x1, %2\n\tldr xzr, [%1]\n\tmov %0, x1"
			     : "=r"(after) : "r"(p), "r"(v) : "x1");
		return after == v;
	}
	return v;
}

static void mmio_store(u64 kind, u64 v)
{
	volatile u64 p = GUEST_TEST_MMIO;

	switch (kind) {
	case ST_B:	asm volatile("strb %w0, [%1]" : : "r"(v), "r"(p)); break;
	case ST_H:	asm volatile("strh %w0, [%1]" : : "r"(v), "r"(p)); break;
	case ST_W:	asm volatile("str %w0, [%1]" : : "r"(v), "r"(p)); break;
	case ST_X:	asm volatile("str %0, [%1]" : : "r"(v), "r"(p)); break;
	case ST_WZR:	asm volatile("str wzr, [%0]" : : "r"(p)); break;
	case ST_XZR:	asm volatile("str xzr, [%0]" : : "r"(p)); break;
	}
}

/* SYNC(x1, x2, base register after the access) once the VMM let it pass. */
static void nisv(u64 kind)
{
	register u64 x0 asm("x0") = GUEST_TEST_MMIO;
	register u64 x1 asm("x1") = 0x1111;
	register u64 x2 asm("x2") = 0x2222;

	switch (kind) {
	case NISV_STP:
		asm volatile("stp x1, x2, [x0]" : "+r"(x0), "+r"(x1), "+r"(x2) : : "memory");
		break;
	case NISV_LDP:
		asm volatile("ldp x1, x2, [x0]" : "+r"(x0), "+r"(x1), "+r"(x2) : : "memory");
		break;
	case NISV_LDR_POST:
		asm volatile("ldr x1, [x0], #8" : "+r"(x0), "+r"(x1), "+r"(x2) : : "memory");
		break;
	case NISV_STR_PRE:
		asm volatile("str x1, [x0, #8]!" : "+r"(x0), "+r"(x1), "+r"(x2) : : "memory");
		break;
	}
	GUEST_SYNC(x1, x2, x0);
}

static void ro_slot(void)
{
	volatile u64 *p = (volatile u64 *)GUEST_RO_BASE;
	u64 before = *p;

	*p = 0xdeadbeefcafef00dUL;	/* an MMIO write exit */
	GUEST_SYNC(before, *p, p[1]);
}

static u64 smccc(u64 fn, u64 a1, u64 a2, u64 a3, u64 smc)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	if (smc)
		asm volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

static void undef(u64 kind, u64 target)
{
	u64 at, v = 0;

	exc_esr = exc_elr = exc_far = ~0UL;
	switch (kind) {
	case UNDEF_UDF:
		asm volatile("adr %0, 1f\n1:\tudf #0" : "=r"(at));
		break;
	case UNDEF_IMPDEF:
		asm volatile("adr %0, 1f\n1:\tmrs %1, s3_0_c15_c0_0" : "=r"(at), "+r"(v));
		break;
	case UNDEF_PMCR:
		asm volatile("adr %0, 1f\n1:\tmrs %1, pmcr_el0" : "=r"(at), "+r"(v));
		break;
	case UNDEF_IABT:
		at = target;
		asm volatile("adr x30, 1f\n\tbr %0\n1:" : : "r"(target) : "x30", "memory");
		break;
	default:
		at = 0;
	}
	GUEST_SYNC(exc_esr, exc_elr, at);
	GUEST_SYNC(exc_far, v, 0);
}

static u64 id_reg(u64 idx)
{
	switch (idx) {
	case IDR_PFR0:	return read_sysreg(id_aa64pfr0_el1);
	case IDR_PFR1:	return read_sysreg(id_aa64pfr1_el1);
	case IDR_DFR0:	return read_sysreg(id_aa64dfr0_el1);
	case IDR_ISAR1:	return read_sysreg(id_aa64isar1_el1);
	case IDR_ISAR2:	return read_sysreg(s3_0_c0_c6_2);
	case IDR_MMFR0:	return read_sysreg(id_aa64mmfr0_el1);
	case IDR_MIDR:	return read_sysreg(midr_el1);
	}
	return ~0UL;
}

static void pattern(u64 pat)
{
	volatile u64 *p = (volatile u64 *)GUEST_SCRATCH;
	int i;

	for (i = 0; i < 64; i++)
		p[i] = pat + i;
	GUEST_SYNC(pat, 0, 0);
	for (i = 0; i < 64; i++)
		GUEST_ASSERT_EQ(p[i], pat + i);
	GUEST_SYNC(p[0], p[63], 0);
}

/* SYNC(first instruction), run it at EL0, SYNC(ESR, ELR, SPSR) it came back with. */
static void aarch32(u64 kind, u64 r1)
{
	u64 entry;

	switch (kind) {
	case A32_UDF:	entry = (u64)a32_udf; break;
	case A32_STR:	entry = (u64)a32_str; break;
	case A32_SPIN:	entry = (u64)a32_spin; break;
	case T32_STR:	entry = (u64)t32_str | 1; break;
	default:
		ucall(UCALL_ABORT, __LINE__, kind, A32_NR);
		return;
	}
	GUEST_SYNC(entry & ~1UL, 0, 0);
	exc_esr = exc_elr = exc_far = exc_spsr = ~0UL;
	in_aarch32 = 1;
	a32_call(entry, GUEST_TEST_MMIO, r1);
	GUEST_SYNC(exc_esr, exc_elr, exc_spsr);
}

void guest_main(u64 prog, u64 a1, u64 a2, u64 a3)
{
	switch (prog) {
	case PROG_SYNC_REGS:
		GUEST_SYNC(a1 + 1, read_sysreg(mpidr_el1), read_sysreg(sctlr_el1));
		break;
	case PROG_MMIO_LOAD:
		GUEST_SYNC(mmio_load(a1), 0, 0);
		break;
	case PROG_MMIO_STORE:
		mmio_store(a1, a2);
		GUEST_SYNC(0, 0, 0);
		break;
	case PROG_NISV:
		nisv(a1);
		break;
	case PROG_RO_SLOT:
		ro_slot();
		break;
	case PROG_HVC:
		GUEST_SYNC(smccc(a1, a2, 0, 0, a3), 0, 0);
		break;
	case PROG_UNDEF:
		undef(a1, a2);
		break;
	case PROG_ID_REGS:
		GUEST_SYNC(id_reg(a1), 0, 0);
		break;
	case PROG_OUTSIDE:
		GUEST_SYNC(*(volatile u64 *)a1, 0, 0);
		break;
	case PROG_PATTERN:
		pattern(a1);
		break;
	case PROG_WFI:
		asm volatile("wfi" : : : "memory");
		GUEST_SYNC(1, 0, 0);
		break;
	case PROG_SPIN:
		asm volatile("msr daifset, #0xf\n1:\tb 1b");
		break;
	case PROG_CPU_ON:
		GUEST_SYNC(smccc(PSCI_CPU_ON_64, a1, GUEST_BASE, a2, 0), 0, 0);
		break;
	case PROG_AARCH32:
		aarch32(a1, a2);
		break;
	default:
		guest_irq_main(prog, a1, a2, a3);
	}
	ucall(UCALL_DONE, 0, 0, 0);
	for (;;)
		;
}
