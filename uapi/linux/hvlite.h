/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hvlite's own extensions to the KVM ioctl ABI that /dev/hvlite speaks.
 *
 * Everything KVM defines (<linux/kvm.h>) keeps KVM's numbers and meaning on
 * /dev/hvlite; this header only adds controls KVM does not have, under an
 * ioctl type byte of hvlite's own. Every struct is fixed-size; flags and
 * reserved fields must be zero.
 */
#ifndef _UAPI_LINUX_HVLITE_H
#define _UAPI_LINUX_HVLITE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define HVLITE_IO	0xB9

/**
 * struct hvlite_el2_ping - ask one host CPU's EL2 to answer
 * @cpu: in: the host CPU
 * @flags: in: must be 0
 * @el2_cpu: out: the CPU number that CPU's EL2 data holds
 * @mpidr_el1: out: MPIDR_EL1 read at EL1 on that CPU
 * @mpidr_el2: out: MPIDR_EL1 read at EL2 on that CPU
 * @reserved: must be 0
 *
 * Errors: EINVAL (flags, reserved or cpu out of range), ENODEV (cpu offline),
 * EIO (hvlite does not own EL2 on that CPU, or stopped using it after a fault).
 */
struct hvlite_el2_ping {
	__u32 cpu;
	__u32 flags;
	__u64 el2_cpu;
	__u64 mpidr_el1;
	__u64 mpidr_el2;
	__u64 reserved[4];
};

/* hvlite's view of EL2 on one CPU (struct hvlite_el2_info.state). */
#define HVLITE_EL2_STUB		0	/* the hyp stub holds it (CPU offline) */
#define HVLITE_EL2_OWNED	1	/* hvlite's vectors and MMU are in place */
#define HVLITE_EL2_FAILED	2	/* an exception hit EL2; no longer used */

/**
 * struct hvlite_el2_info - state of one CPU's EL2 and its last fault
 * @cpu: in: the host CPU (online or not)
 * @flags: in: must be 0
 * @state: out: HVLITE_EL2_*
 * @pad: 0
 * @fault_count: out: exceptions taken at EL2 on that CPU since load
 * @fault_esr: out: ESR_EL2 of the last one
 * @fault_elr: out: ELR_EL2 (EL2 VA) of the last one
 * @fault_far: out: FAR_EL2 of the last one
 * @stub_vbar: out: VBAR_EL2 of the hyp stub hvlite took EL2 from
 * @reserved: must be 0
 */
struct hvlite_el2_info {
	__u32 cpu;
	__u32 flags;
	__u32 state;
	__u32 pad;
	__u64 fault_count;
	__u64 fault_esr;
	__u64 fault_elr;
	__u64 fault_far;
	__u64 stub_vbar;
	__u64 reserved[3];
};

/* struct hvlite_el2_selftest.op */
#define HVLITE_SELFTEST_FAULT		1	/* take an exception at EL2 */
#define HVLITE_SELFTEST_SOFT_RESTART	2	/* hyp-stub HVC_SOFT_RESTART, as kexec */
#define HVLITE_SELFTEST_SET_VECTORS	3	/* hyp-stub HVC_SET_VECTORS */

/**
 * struct hvlite_el2_selftest - exercise one CPU's EL2 paths (self-test)
 * @cpu: in: the host CPU
 * @op: in: HVLITE_SELFTEST_*
 * @flags: in: must be 0
 * @pad: must be 0
 * @result: out: FAULT: 0; SOFT_RESTART: VBAR_EL2 read at EL2 by the restart
 *	target (the hyp stub's vectors); SET_VECTORS: the stub call's x0
 * @reserved: must be 0
 *
 * Only with the module parameter test_hooks=1 (EPERM otherwise).
 * FAULT succeeds when the exception was caught and reported; that CPU's EL2
 * is then HVLITE_EL2_FAILED until the module is reloaded. SOFT_RESTART gives
 * EL2 back through the stub ABI and runs a routine at EL2 with the MMU off,
 * then hvlite takes EL2 again. SET_VECTORS must be refused (HVC_STUB_ERR).
 */
struct hvlite_el2_selftest {
	__u32 cpu;
	__u32 op;
	__u32 flags;
	__u32 pad;
	__u64 result;
	__u64 reserved[2];
};

/**
 * struct hvlite_stats - what hvlite holds right now, host-wide
 * @flags: in: must be 0
 * @pad: 0
 * @vms: out: VMs alive (a VM lives until its last VM and vCPU fd closes)
 * @vcpus: out: vCPUs alive
 * @pinned_pages: out: guest pages pinned for Stage-2 (4 KiB each)
 * @quantum_us: out: the preemption quantum (module parameter quantum_us)
 * @el2_timer_exits: out: guest entries ended by the EL2 timer (CNTHP) since
 *	load: the quantum ran out, or the guest's own timer deadline came
 * @reserved: 0
 */
struct hvlite_stats {
	__u32 flags;
	__u32 pad;
	__u64 vms;
	__u64 vcpus;
	__u64 pinned_pages;
	__u64 quantum_us;
	__u64 el2_timer_exits;
	__u64 reserved[3];
};

/* struct hvlite_s2_walk.prot */
#define HVLITE_S2_PROT_R	0x1
#define HVLITE_S2_PROT_W	0x2
#define HVLITE_S2_PROT_X	0x4

/**
 * struct hvlite_s2_walk - the Stage-2 translation of one IPA (VM fd)
 * @ipa: in: the intermediate physical address
 * @flags: in: must be 0
 * @mapped: out: 1 if a valid leaf maps @ipa, else 0
 * @ipa_bits: out: the VM's IPA size
 * @start_level: out: the level the walk starts at
 * @levels: out: descriptors read, in @desc from @start_level on
 * @leaf_level: out: the level of the leaf (when @mapped)
 * @desc: out: the descriptor read at each level (the last one invalid when
 *	not @mapped)
 * @pa: out: the physical address @ipa maps to (when @mapped)
 * @size: out: the bytes the leaf maps: 4 KiB (page) or 2 MiB (block)
 * @prot: out: HVLITE_S2_PROT_* from the leaf's S2AP and XN
 * @memattr: out: the leaf's MemAttr[3:0] (0xf: Normal Write-Back)
 * @sh: out: the leaf's SH[1:0] (3: Inner Shareable)
 * @af: out: the leaf's access flag
 * @reserved: must be 0
 *
 * Read-only: the tables are walked as hvlite keeps them, under the VM's
 * lock. Errors: EINVAL (flags or reserved), E2BIG (@ipa beyond the VM's
 * IPA size), EFAULT (bad pointer).
 */
struct hvlite_s2_walk {
	__u64 ipa;
	__u32 flags;
	__u32 mapped;
	__u32 ipa_bits;
	__u32 start_level;
	__u32 levels;
	__u32 leaf_level;
	__u64 desc[4];
	__u64 pa;
	__u64 size;
	__u32 prot;
	__u32 memattr;
	__u32 sh;
	__u32 af;
	__u64 reserved[4];
};

#define HVLITE_MAX_LRS		16

/**
 * struct hvlite_vgic_lrs - a vCPU's vGIC list registers (VM fd)
 * @vcpu_id: in: the vCPU, by its KVM_CREATE_VCPU id
 * @flags: in: must be 0
 * @nr_lrs: out: list registers in use by the vCPU (ICH_VTR_EL2.ListRegs + 1);
 *	0 before its first KVM_RUN
 * @pad: must be 0
 * @lr: out: ICH_LR<n>_EL2 as EL2 saved them at the vCPU's last exit, n <
 *	@nr_lrs (0: empty); the rest 0
 * @ich_hcr: out: ICH_HCR_EL2 of the last entry
 * @ich_vmcr: out: ICH_VMCR_EL2 saved at the last exit
 * @ich_misr: out: ICH_MISR_EL2 at the last exit
 * @reserved: must be 0
 *
 * Errors: EINVAL (flags, pad or reserved), ENOENT (no vCPU with that id),
 * ENXIO (the VM has no vGIC), EBUSY (the vCPU is in an ioctl, e.g. KVM_RUN:
 * its registers are live), EFAULT (bad pointer).
 */
struct hvlite_vgic_lrs {
	__u32 vcpu_id;
	__u32 flags;
	__u32 nr_lrs;
	__u32 pad;
	__u64 lr[HVLITE_MAX_LRS];
	__u64 ich_hcr;
	__u64 ich_vmcr;
	__u64 ich_misr;
	__u64 reserved[4];
};

#define HVLITE_EL2_PING		_IOWR(HVLITE_IO, 0x00, struct hvlite_el2_ping)
#define HVLITE_EL2_INFO		_IOWR(HVLITE_IO, 0x01, struct hvlite_el2_info)
#define HVLITE_EL2_SELFTEST	_IOWR(HVLITE_IO, 0x02, struct hvlite_el2_selftest)
#define HVLITE_GET_STATS	_IOWR(HVLITE_IO, 0x03, struct hvlite_stats)
/* On a VM fd: introspection for debuggers (hvlite-run's gdb monitor). */
#define HVLITE_VM_S2_WALK	_IOWR(HVLITE_IO, 0x10, struct hvlite_s2_walk)
#define HVLITE_VM_VGIC_LRS	_IOWR(HVLITE_IO, 0x11, struct hvlite_vgic_lrs)

#endif /* _UAPI_LINUX_HVLITE_H */
