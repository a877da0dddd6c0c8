// SPDX-License-Identifier: GPL-2.0-only
// hvlite-run test payload: checks x0 points at a DTB, prints on the PL011, then one of
// (by -D): MODE_OFF SYSTEM_OFF, MODE_RESET SYSTEM_RESET, MODE_CRASH an access KVM
// cannot emulate (ldp to MMIO), MODE_SPIN loop forever, MODE_CHATTER write to the
// PL011 forever.
	.globl _start
_start:
	mov	x9, x0
	mov	x1, #0x09000000		// PL011 data register
	ldr	w2, [x9]
	ldr	w3, =0xedfe0dd0		// FDT magic 0xd00dfeed, big-endian
	mov	w4, #'D'
	cmp	w2, w3
	b.eq	1f
	mov	w4, #'?'
1:	strb	w4, [x1]
	adr	x5, msg
2:	ldrb	w4, [x5], #1
	cbz	w4, 3f
	strb	w4, [x1]
	b	2b
3:
#if defined(MODE_OFF)
	ldr	x0, =0x84000008		// PSCI SYSTEM_OFF
	hvc	#0
#elif defined(MODE_RESET)
	ldr	x0, =0x84000009		// PSCI SYSTEM_RESET
	hvc	#0
#elif defined(MODE_CRASH)
	mov	x1, #0x0a000000
	movk	x1, #0x100
	ldp	x2, x3, [x1]		// no syndrome: KVM_EXIT_ARM_NISV
#elif defined(MODE_CHATTER)
	mov	w4, #'.'
4:	strb	w4, [x1]
	b	4b
#endif
	b	.
msg:	.asciz	"TB ok: bare payload says hi\n"
