// SPDX-License-Identifier: GPL-2.0-only
/*
 * Introspection for debuggers, on the VM fd (hvlite's own ioctls): the
 * Stage-2 walk of an IPA as hvlite's tables hold it, and a vCPU's vGIC list
 * registers as EL2 saved them at its last exit. Read-only, EL1 only.
 *
 * Lock order (vm.h): a vCPU's lock (trylock: never wait for a running
 * vCPU) before hvl_vm.lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/hvlite.h>
#include "../vm.h"

/* Stage-2 descriptor fields (Arm ARM D8.3, VMSAv8-64 stage 2 descriptors). */
#define S2D_VALID	BIT_ULL(0)
#define S2D_TABLE	BIT_ULL(1)	/* table at levels 0-2, page at level 3 */
#define S2D_MEMATTR	GENMASK_ULL(5, 2)
#define S2D_S2AP_R	BIT_ULL(6)
#define S2D_S2AP_W	BIT_ULL(7)
#define S2D_SH		GENMASK_ULL(9, 8)
#define S2D_AF		BIT_ULL(10)
#define S2D_ADDR	GENMASK_ULL(47, 12)
#define S2D_XN		GENMASK_ULL(54, 53)
#define S2D_PTRS	512

static unsigned int s2_level_shift(int level)
{
	return PAGE_SHIFT + 9 * (3 - level);
}

static void s2_fill_leaf(struct hvlite_s2_walk *w, u64 d, int level)
{
	u64 size = 1ULL << s2_level_shift(level);

	w->mapped = 1;
	w->leaf_level = level;
	w->size = size;
	w->pa = (d & S2D_ADDR & ~(size - 1)) | (w->ipa & (size - 1));
	w->prot = (d & S2D_S2AP_R ? HVLITE_S2_PROT_R : 0) |
		  (d & S2D_S2AP_W ? HVLITE_S2_PROT_W : 0) |
		  (FIELD_GET(S2D_XN, d) ? 0 : HVLITE_S2_PROT_X);
	w->memattr = FIELD_GET(S2D_MEMATTR, d);
	w->sh = FIELD_GET(S2D_SH, d);
	w->af = !!(d & S2D_AF);
}

static void s2_walk_locked(struct hvl_vm *vm, struct hvlite_s2_walk *w)
{
	u64 *table = vm->s2.pgd;
	int level;

	lockdep_assert_held(&vm->lock);
	w->ipa_bits = vm->s2.ipa_bits;
	w->start_level = vm->s2.start_level;
	for (level = vm->s2.start_level; level <= 3 && table; level++) {
		u64 d = READ_ONCE(table[(w->ipa >> s2_level_shift(level)) & (S2D_PTRS - 1)]);

		w->desc[w->levels++] = d;
		if (!(d & S2D_VALID))
			return;
		if (level == 3 || !(d & S2D_TABLE)) {
			s2_fill_leaf(w, d, level);
			return;
		}
		table = phys_to_virt(d & S2D_ADDR);
	}
}

static int hvl_ioctl_s2_walk(struct hvl_vm *vm, void __user *argp)
{
	struct hvlite_s2_walk in, w = { 0 };
	unsigned int i;

	if (copy_from_user(&in, argp, sizeof(in)))
		return -EFAULT;
	if (in.flags)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(in.reserved); i++)
		if (in.reserved[i])
			return -EINVAL;
	if (in.ipa >> vm->s2.ipa_bits)
		return -E2BIG;
	w.ipa = in.ipa;
	mutex_lock(&vm->lock);
	s2_walk_locked(vm, &w);
	mutex_unlock(&vm->lock);
	return copy_to_user(argp, &w, sizeof(w)) ? -EFAULT : 0;
}

/* The vCPU with KVM id @id, locked (not running), or an ERR_PTR. */
static struct hvl_vcpu *hvl_vcpu_get_idle(struct hvl_vm *vm, u32 id)
{
	struct hvl_vcpu *vcpu;

	if (id >= HVL_MAX_VCPUS)
		return ERR_PTR(-ENOENT);
	mutex_lock(&vm->lock);
	vcpu = vm->vcpus[id];
	mutex_unlock(&vm->lock);
	/* vCPUs live until the VM goes, and the caller holds the VM fd. */
	if (!vcpu)
		return ERR_PTR(-ENOENT);
	if (!mutex_trylock(&vcpu->lock))
		return ERR_PTR(-EBUSY);
	return vcpu;
}

static void hvl_read_lrs(struct hvl_vcpu *vcpu, struct hvlite_vgic_lrs *l)
{
	const struct hvl_vcpu_ctxt *g = vcpu->ctxt;
	unsigned int i;

	l->nr_lrs = min_t(u64, g->nr_lr, HVLITE_MAX_LRS);
	for (i = 0; i < l->nr_lrs; i++)
		l->lr[i] = g->ich_lr[i];
	l->ich_hcr = g->ich_hcr;
	l->ich_vmcr = g->ich_vmcr;
	l->ich_misr = g->ich_misr;
}

static int hvl_ioctl_vgic_lrs(struct hvl_vm *vm, void __user *argp)
{
	struct hvlite_vgic_lrs in, l = { 0 };
	struct hvl_vcpu *vcpu;
	unsigned int i;

	if (copy_from_user(&in, argp, sizeof(in)))
		return -EFAULT;
	if (in.flags || in.pad)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(in.reserved); i++)
		if (in.reserved[i])
			return -EINVAL;
	if (!READ_ONCE(vm->vgic))
		return -ENXIO;
	vcpu = hvl_vcpu_get_idle(vm, in.vcpu_id);
	if (IS_ERR(vcpu))
		return PTR_ERR(vcpu);
	l.vcpu_id = in.vcpu_id;
	hvl_read_lrs(vcpu, &l);
	mutex_unlock(&vcpu->lock);
	return copy_to_user(argp, &l, sizeof(l)) ? -EFAULT : 0;
}

/* hvlite's own ioctls on a VM fd: an unknown number (or size) is -ENOTTY. */
long hvl_vm_ioctl_ext(struct hvl_vm *vm, unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case HVLITE_VM_S2_WALK:
		return hvl_ioctl_s2_walk(vm, argp);
	case HVLITE_VM_VGIC_LRS:
		return hvl_ioctl_vgic_lrs(vm, argp);
	default:
		return -ENOTTY;
	}
}
