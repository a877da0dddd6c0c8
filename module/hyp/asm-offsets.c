// SPDX-License-Identifier: GPL-2.0-only
/* Offsets of the EL1/EL2 shared structures, for the EL2 assembly. */
#include <linux/kbuild.h>
#include "hyp.h"

int main(void);
int main(void)
{
	DEFINE(HYP_CPU_INIT_TTBR0, offsetof(struct hvl_hyp_cpu, init_ttbr0));
	DEFINE(HYP_CPU_INIT_TCR, offsetof(struct hvl_hyp_cpu, init_tcr));
	DEFINE(HYP_CPU_INIT_MAIR, offsetof(struct hvl_hyp_cpu, init_mair));
	DEFINE(HYP_CPU_INIT_SCTLR_SET, offsetof(struct hvl_hyp_cpu, init_sctlr_set));
	DEFINE(HYP_CPU_INIT_VBAR, offsetof(struct hvl_hyp_cpu, init_vbar));
	DEFINE(HYP_CPU_INIT_SP, offsetof(struct hvl_hyp_cpu, init_sp));
	DEFINE(HYP_CPU_INIT_TPIDR, offsetof(struct hvl_hyp_cpu, init_tpidr));
	DEFINE(HYP_CPU_IDMAP_TEARDOWN, offsetof(struct hvl_hyp_cpu, idmap_teardown));
	DEFINE(HYP_CPU_STACK_TOP, offsetof(struct hvl_hyp_cpu, stack_top));
	DEFINE(HYP_CPU_STUB_VBAR, offsetof(struct hvl_hyp_cpu, stub_vbar));
	DEFINE(HYP_CPU_STUB_SCTLR, offsetof(struct hvl_hyp_cpu, stub_sctlr));
	DEFINE(HYP_CPU_FAULT_ESR, offsetof(struct hvl_hyp_cpu, fault_esr));
	DEFINE(HYP_CPU_FAULT_ELR, offsetof(struct hvl_hyp_cpu, fault_elr));
	DEFINE(HYP_CPU_FAULT_FAR, offsetof(struct hvl_hyp_cpu, fault_far));
	DEFINE(HYP_CPU_FAULT_SPSR, offsetof(struct hvl_hyp_cpu, fault_spsr));
	DEFINE(HYP_CPU_FAULT_COUNT, offsetof(struct hvl_hyp_cpu, fault_count));
	DEFINE(HYP_CPU_GUEST, offsetof(struct hvl_hyp_cpu, guest));
	DEFINE(HYP_CPU_HOST_GPRS, offsetof(struct hvl_hyp_cpu, host.gprs));
	BLANK();
	DEFINE(CTXT_X0, offsetof(struct hvl_vcpu_ctxt, x[0]));
	DEFINE(CTXT_SP_EL0, offsetof(struct hvl_vcpu_ctxt, sp_el0));
	DEFINE(CTXT_PC, offsetof(struct hvl_vcpu_ctxt, pc));
	DEFINE(CTXT_PSTATE, offsetof(struct hvl_vcpu_ctxt, pstate));
	DEFINE(CTXT_VREGS, offsetof(struct hvl_vcpu_ctxt, vregs));
	DEFINE(CTXT_FPSR, offsetof(struct hvl_vcpu_ctxt, fpsr));
	DEFINE(CTXT_FPCR, offsetof(struct hvl_vcpu_ctxt, fpcr));
	DEFINE(CTXT_EXIT_CODE, offsetof(struct hvl_vcpu_ctxt, exit_code));
	BLANK();
	DEFINE(HOST_FRAME_SIZE, sizeof(struct hvl_host_frame));
	DEFINE(HOST_FRAME_X0, offsetof(struct hvl_host_frame, x[0]));
	DEFINE(HOST_FRAME_X18, offsetof(struct hvl_host_frame, x18[0]));
	DEFINE(HOST_FRAME_ELR, offsetof(struct hvl_host_frame, elr));
	return 0;
}
