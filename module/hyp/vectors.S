/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvlite's EL2 vectors, at their EL2 VA with the MMU on: host calls and the
 * hyp-stub ABI from EL1, and the report of any exception taken at EL2.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>
#include <asm/virt.h>
#include "hyp.h"
#include "hyp-offsets.h"

	.macro	vect target
	.align	7
	b	\target
	.endm

/*
 * From EL1: the guest when HCR_EL2.VM is set (it is only while a guest
 * runs), the host otherwise. Leaves x0/x1 of the guest on the stack.
 */
	.macro	lower, code, aa32=0
	.align	7
	stp	x0, x1, [sp, #-16]!
	mrs	x0, hcr_el2
	tbnz	x0, #0, .Lguest_exit_\code\()_\aa32	// HCR_EL2.VM
	ldp	x0, x1, [sp], #16
	.if	\code == HVL_EXIT_SYNC && \aa32 == 0
	b	__hvl_host_sync
	.else
	b	__hvl_lower_unexpected
	.endif
.Lguest_exit_\code\()_\aa32 :
	mov	x1, #\code
	b	__hvl_guest_save
	.endm

	.text
	.align	11
SYM_CODE_START(__hvl_vectors)
	vect	__hvl_el2_fault		// Current EL with SP_EL0: sync
	vect	__hvl_el2_fault		// irq
	vect	__hvl_el2_fault		// fiq
	vect	__hvl_el2_fault		// serror
	vect	__hvl_el2_fault		// Current EL with SP_ELx: sync
	vect	__hvl_el2_fault		// irq
	vect	__hvl_el2_fault		// fiq
	vect	__hvl_el2_fault		// serror
	lower	HVL_EXIT_SYNC		// Lower EL, AArch64: sync
	lower	HVL_EXIT_IRQ		// irq
	lower	HVL_EXIT_FIQ		// fiq
	lower	HVL_EXIT_SERROR		// serror
	/* A guest may run AArch32 at EL0: the same exits. */
	lower	HVL_EXIT_SYNC, 32	// Lower EL, AArch32: sync
	lower	HVL_EXIT_IRQ, 32	// irq
	lower	HVL_EXIT_FIQ, 32	// fiq
	lower	HVL_EXIT_SERROR, 32	// serror
SYM_CODE_END(__hvl_vectors)

/* Record the exception being handled in this CPU's fault_* fields. */
	.macro	record_fault, base, tmp0, tmp1
	mrs	\tmp0, esr_el2
	mrs	\tmp1, elr_el2
	stp	\tmp0, \tmp1, [\base, #HYP_CPU_FAULT_ESR]
	mrs	\tmp0, far_el2
	mrs	\tmp1, spsr_el2
	stp	\tmp0, \tmp1, [\base, #HYP_CPU_FAULT_FAR]
	ldr	\tmp0, [\base, #HYP_CPU_FAULT_COUNT]
	add	\tmp0, \tmp0, #1
	str	\tmp0, [\base, #HYP_CPU_FAULT_COUNT]
	.endm

/*
 * A synchronous exception from EL1. hvlite traps nothing of the host, so
 * this is an hvc: a hyp-stub call (x0 < HVC_STUB_HCALL_NR) or a host call.
 */
SYM_CODE_START_LOCAL(__hvl_host_sync)
	sub	sp, sp, #HOST_FRAME_SIZE
	stp	x0, x1, [sp, #HOST_FRAME_X0]
	stp	x2, x3, [sp, #HOST_FRAME_X0 + 16]
	stp	x4, x5, [sp, #HOST_FRAME_X0 + 32]
	stp	x6, x7, [sp, #HOST_FRAME_X0 + 48]
	stp	x18, x19, [sp, #HOST_FRAME_X18]
	stp	x20, x21, [sp, #HOST_FRAME_X18 + 16]
	stp	x22, x23, [sp, #HOST_FRAME_X18 + 32]
	stp	x24, x25, [sp, #HOST_FRAME_X18 + 48]
	stp	x26, x27, [sp, #HOST_FRAME_X18 + 64]
	stp	x28, x29, [sp, #HOST_FRAME_X18 + 80]
	str	x30, [sp, #HOST_FRAME_X18 + 96]
	mrs	x1, elr_el2
	mrs	x2, spsr_el2
	stp	x1, x2, [sp, #HOST_FRAME_ELR]

	mrs	x1, esr_el2
	lsr	x1, x1, #ESR_ELx_EC_SHIFT
	cmp	x1, #ESR_ELx_EC_HVC64
	b.ne	__hvl_host_unexpected
	cmp	x0, #HVC_STUB_HCALL_NR
	b.lo	__hvl_host_stub_call

	mov	x0, sp
	bl	hvl_hyp_host_hcall
	/* A guest run in between used ELR/SPSR_EL2: take the host's back. */
	ldp	x1, x2, [sp, #HOST_FRAME_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x0, x1, [sp, #HOST_FRAME_X0]
	ldp	x2, x3, [sp, #HOST_FRAME_X0 + 16]
	ldp	x18, x19, [sp, #HOST_FRAME_X18]
	ldp	x20, x21, [sp, #HOST_FRAME_X18 + 16]
	ldp	x22, x23, [sp, #HOST_FRAME_X18 + 32]
	ldp	x24, x25, [sp, #HOST_FRAME_X18 + 48]
	ldp	x26, x27, [sp, #HOST_FRAME_X18 + 64]
	ldp	x28, x29, [sp, #HOST_FRAME_X18 + 80]
	ldr	x30, [sp, #HOST_FRAME_X18 + 96]
	add	sp, sp, #HOST_FRAME_SIZE
	eret
SYM_CODE_END(__hvl_host_sync)

/*
 * The hyp-stub ABI while hvlite owns EL2: RESET_VECTORS and SOFT_RESTART
 * (kexec, reboot paths) give EL2 back; SET_VECTORS and FINALISE_EL2 are
 * refused with HVC_STUB_ERR, as KVM does.
 */
SYM_CODE_START_LOCAL(__hvl_host_stub_call)
	ldp	x1, x2, [sp, #HOST_FRAME_X0 + 8]
	add	sp, sp, #HOST_FRAME_SIZE
	cmp	x0, #HVC_RESET_VECTORS
	b.eq	1f
	cmp	x0, #HVC_SOFT_RESTART
	b.eq	1f
	mov_q	x0, HVC_STUB_ERR
	eret
1:	mrs	x5, tpidr_el2
	ldr	x5, [x5, #HYP_CPU_IDMAP_TEARDOWN]
	br	x5
SYM_CODE_END(__hvl_host_stub_call)

/*
 * Not an hvc: cannot happen while hvlite sets no host trap. Record it as a
 * fault and step over the instruction rather than loop on it.
 */
SYM_CODE_START_LOCAL(__hvl_host_unexpected)
	mrs	x0, tpidr_el2
	record_fault x0, x1, x2
	mrs	x1, elr_el2
	add	x1, x1, #4
	msr	elr_el2, x1
	ldp	x0, x1, [sp, #HOST_FRAME_X0]
	ldr	x2, [sp, #HOST_FRAME_X0 + 16]
	add	sp, sp, #HOST_FRAME_SIZE
	eret
SYM_CODE_END(__hvl_host_unexpected)

/*
 * A guest exit: save what the guest had in its GPRs, SP_EL0, PC and PSTATE
 * into its context, then return to hvl_hyp_vcpu_run() (entry.S).
 * x0/x1 of the guest are on the stack, x1 = HVL_EXIT_*.
 */
SYM_CODE_START_LOCAL(__hvl_guest_save)
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #HYP_CPU_GUEST]
	stp	x2, x3, [x0, #CTXT_X0 + 16]
	stp	x4, x5, [x0, #CTXT_X0 + 32]
	stp	x6, x7, [x0, #CTXT_X0 + 48]
	stp	x8, x9, [x0, #CTXT_X0 + 64]
	stp	x10, x11, [x0, #CTXT_X0 + 80]
	stp	x12, x13, [x0, #CTXT_X0 + 96]
	stp	x14, x15, [x0, #CTXT_X0 + 112]
	stp	x16, x17, [x0, #CTXT_X0 + 128]
	stp	x18, x19, [x0, #CTXT_X0 + 144]
	stp	x20, x21, [x0, #CTXT_X0 + 160]
	stp	x22, x23, [x0, #CTXT_X0 + 176]
	stp	x24, x25, [x0, #CTXT_X0 + 192]
	stp	x26, x27, [x0, #CTXT_X0 + 208]
	stp	x28, x29, [x0, #CTXT_X0 + 224]
	str	x30, [x0, #CTXT_X0 + 240]
	mov	x2, x1
	ldp	x3, x4, [sp], #16
	stp	x3, x4, [x0, #CTXT_X0]
	mrs	x3, sp_el0
	str	x3, [x0, #CTXT_SP_EL0]
	mrs	x3, elr_el2
	mrs	x4, spsr_el2
	stp	x3, x4, [x0, #CTXT_PC]
	b	__hvl_guest_exit
SYM_CODE_END(__hvl_guest_save)

/* IRQ/FIQ/SError/AArch32 from EL1: never routed here for the host. */
SYM_CODE_START_LOCAL(__hvl_lower_unexpected)
	stp	x0, x1, [sp, #-16]!
	str	x2, [sp, #-16]!
	mrs	x0, tpidr_el2
	record_fault x0, x1, x2
	ldr	x2, [sp], #16
	ldp	x0, x1, [sp], #16
	eret
SYM_CODE_END(__hvl_lower_unexpected)

/*
 * An exception taken at EL2 itself: a bug in hvlite's EL2 code. Record it,
 * abandon whatever EL2 was doing and return to the host as from its last
 * host call, with x0 = HVL_HC_EL2_FAULT. EL1 reports the record and stops
 * using this CPU's EL2. Uses no stack until SP has been reset.
 */
SYM_CODE_START_LOCAL(__hvl_el2_fault)
	mrs	x0, tpidr_el2
	record_fault x0, x1, x2
	ldr	x1, [x0, #HYP_CPU_STACK_TOP]
	sub	sp, x1, #HOST_FRAME_SIZE
	/* A guest's state may be loaded: put the host's back first. */
	ldr	x1, [x0, #HYP_CPU_GUEST]
	cbz	x1, 1f
	bl	hvl_hyp_fault_recover
1:	ldp	x1, x2, [sp, #HOST_FRAME_ELR]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x18, x19, [sp, #HOST_FRAME_X18]
	ldp	x20, x21, [sp, #HOST_FRAME_X18 + 16]
	ldp	x22, x23, [sp, #HOST_FRAME_X18 + 32]
	ldp	x24, x25, [sp, #HOST_FRAME_X18 + 48]
	ldp	x26, x27, [sp, #HOST_FRAME_X18 + 64]
	ldp	x28, x29, [sp, #HOST_FRAME_X18 + 80]
	ldr	x30, [sp, #HOST_FRAME_X18 + 96]
	add	sp, sp, #HOST_FRAME_SIZE
	mov_q	x0, HVL_HC_EL2_FAULT
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	eret
SYM_CODE_END(__hvl_el2_fault)
