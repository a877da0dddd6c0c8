// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2: the host-call table. Runs with EL2's own MMU and stack; may call
 * nothing outside module/hyp/ (no kernel functions, no absolute addresses).
 */
#include <linux/compiler.h>
#include <asm/barrier.h>
#include <asm/sysreg.h>
#include "hyp.h"

static struct hvl_hyp_cpu *hyp_this_cpu(void)
{
	return (struct hvl_hyp_cpu *)read_sysreg(tpidr_el2);
}

static void hc_ping(struct hvl_host_frame *f)
{
	f->x[0] = HVL_HC_OK;
	f->x[1] = hyp_this_cpu()->cpu;
	f->x[2] = read_sysreg(mpidr_el1);
	f->x[3] = read_sysreg(vbar_el2);
}

/* Deliberately fault at EL2 to exercise the fault report (test hook). */
static void hc_test_fault(struct hvl_host_frame *f)
{
	f->x[0] = READ_ONCE(*(u64 *)HVL_HYP_VA_GUARD);
}

/* Invalidate every Stage-1&2 TLB entry of one VMID, on all CPUs. */
static void hc_flush_vmid(struct hvl_host_frame *f)
{
	write_sysreg(f->x[1], vttbr_el2);
	isb();
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(0, vttbr_el2);
	isb();
	f->x[0] = HVL_HC_OK;
}

void hvl_hyp_host_hcall(struct hvl_host_frame *f)
{
	switch (f->x[0]) {
	case HVL_HC_VCPU_RUN:
		f->x[0] = HVL_HC_OK;
		f->x[1] = hvl_hyp_vcpu_run((struct hvl_vcpu_ctxt *)f->x[1]);
		break;
	case HVL_HC_FLUSH_VMID:
		hc_flush_vmid(f);
		break;
	case HVL_HC_READ_VTR:
		f->x[0] = HVL_HC_OK;
		f->x[1] = hvl_hyp_read_vtr();
		break;
	case HVL_HC_PING:
		hc_ping(f);
		break;
	case HVL_HC_TEST_FAULT:
		hc_test_fault(f);
		break;
	default:
		f->x[0] = HVL_HC_NOT_SUPPORTED;
		break;
	}
}
