// SPDX-License-Identifier: GPL-2.0-only
// Embed the flat guest payload (GUEST_BIN, built by the Makefile) in a test.
	.section .rodata
	.balign	16
	.globl	guest_bin_start, guest_bin_end
guest_bin_start:
	.incbin	GUEST_BIN
guest_bin_end:
	.section .note.GNU-stack, "", %progbits
