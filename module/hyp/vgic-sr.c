// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2: the GICv3 virtual CPU interface of a vCPU. EL1 builds the list
 * registers before each entry (vgic/vgic.c); EL2 loads them with the VMCR
 * and active-priority registers, and reads them back after the exit.
 */
#include <linux/compiler.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <asm/sysreg.h>
#include "hyp.h"

#define LR_CASE_READ(n, arr)					\
	case (n) + 1:						\
		arr[n] = read_sysreg_s(SYS_ICH_LR##n##_EL2);	\
		fallthrough
#define LR_CASE_WRITE(n, arr)					\
	case (n) + 1:						\
		write_sysreg_s(arr[n], SYS_ICH_LR##n##_EL2);	\
		fallthrough

static void vgic_read_lrs(u64 *lr, u64 nr)
{
	switch (nr) {
	LR_CASE_READ(15, lr);
	LR_CASE_READ(14, lr);
	LR_CASE_READ(13, lr);
	LR_CASE_READ(12, lr);
	LR_CASE_READ(11, lr);
	LR_CASE_READ(10, lr);
	LR_CASE_READ(9, lr);
	LR_CASE_READ(8, lr);
	LR_CASE_READ(7, lr);
	LR_CASE_READ(6, lr);
	LR_CASE_READ(5, lr);
	LR_CASE_READ(4, lr);
	LR_CASE_READ(3, lr);
	LR_CASE_READ(2, lr);
	LR_CASE_READ(1, lr);
	LR_CASE_READ(0, lr);
	default:
		break;
	}
}

static void vgic_write_lrs(const u64 *lr, u64 nr)
{
	switch (nr) {
	LR_CASE_WRITE(15, lr);
	LR_CASE_WRITE(14, lr);
	LR_CASE_WRITE(13, lr);
	LR_CASE_WRITE(12, lr);
	LR_CASE_WRITE(11, lr);
	LR_CASE_WRITE(10, lr);
	LR_CASE_WRITE(9, lr);
	LR_CASE_WRITE(8, lr);
	LR_CASE_WRITE(7, lr);
	LR_CASE_WRITE(6, lr);
	LR_CASE_WRITE(5, lr);
	LR_CASE_WRITE(4, lr);
	LR_CASE_WRITE(3, lr);
	LR_CASE_WRITE(2, lr);
	LR_CASE_WRITE(1, lr);
	LR_CASE_WRITE(0, lr);
	default:
		break;
	}
}

/* Group 1 active priorities: 1, 2 or 4 registers by ICH_VTR_EL2.PRIbits. */
static void vgic_write_aprs(const u64 *ap1r, u64 nr)
{
	switch (nr) {
	case 4:
		write_sysreg_s(ap1r[3], SYS_ICH_AP1R3_EL2);
		write_sysreg_s(ap1r[2], SYS_ICH_AP1R2_EL2);
		fallthrough;
	case 2:
		write_sysreg_s(ap1r[1], SYS_ICH_AP1R1_EL2);
		fallthrough;
	default:
		write_sysreg_s(ap1r[0], SYS_ICH_AP1R0_EL2);
	}
}

static void vgic_read_aprs(u64 *ap1r, u64 nr)
{
	switch (nr) {
	case 4:
		ap1r[3] = read_sysreg_s(SYS_ICH_AP1R3_EL2);
		ap1r[2] = read_sysreg_s(SYS_ICH_AP1R2_EL2);
		fallthrough;
	case 2:
		ap1r[1] = read_sysreg_s(SYS_ICH_AP1R1_EL2);
		fallthrough;
	default:
		ap1r[0] = read_sysreg_s(SYS_ICH_AP1R0_EL2);
	}
}

void hvl_hyp_vgic_load(const struct hvl_vcpu_ctxt *g)
{
	vgic_write_aprs(g->ich_ap1r, g->nr_apr);
	vgic_write_lrs(g->ich_lr, g->nr_lr);
	write_sysreg_s(g->ich_vmcr, SYS_ICH_VMCR_EL2);
	write_sysreg_s(g->ich_hcr, SYS_ICH_HCR_EL2);
}

/* After the exit: read back, then turn the virtual interface off for the host. */
void hvl_hyp_vgic_save(struct hvl_vcpu_ctxt *g)
{
	vgic_read_lrs(g->ich_lr, g->nr_lr);
	vgic_read_aprs(g->ich_ap1r, g->nr_apr);
	g->ich_vmcr = read_sysreg_s(SYS_ICH_VMCR_EL2);
	g->ich_misr = read_sysreg_s(SYS_ICH_MISR_EL2);
	write_sysreg_s(0, SYS_ICH_HCR_EL2);
}

u64 hvl_hyp_read_vtr(void)
{
	return read_sysreg_s(SYS_ICH_VTR_EL2);
}
