// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMCCC services beyond PSCI, as KVM offers them to its guests, and the
 * firmware registers that describe them to the VMM (api.rst, "ARM firmware
 * pseudo-registers"):
 *
 *   ARCH_FEATURES                  SMCCC 1.1 discovery
 *   TRNG 1.0 (DEN0098)             KVM_REG_ARM_STD_BMAP bit 0
 *   PV time / stolen time (DEN0057) KVM_REG_ARM_STD_HYP_BMAP bit 0
 *   vendor hypervisor UID and      KVM_REG_ARM_VENDOR_HYP_BMAP bit 0
 *     KVM's feature bitmap
 *   KVM PTP (ptp_kvm)              KVM_REG_ARM_VENDOR_HYP_BMAP bit 1
 *
 * Every service is on by default; the VMM may clear bits until the first
 * KVM_RUN. The Spectre workarounds (ARCH_WORKAROUND_1/2/3) are not offered:
 * hvlite's EL2 vectors carry no branch-predictor hardening to call, so the
 * firmware registers truthfully read NOT_AVAIL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/highmem.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <clocksource/arm_arch_timer.h>
#include "../vm.h"

/* TRNG 1.0 */
#define TRNG_VERSION_1_0	0x10000
#define TRNG_INVALID_PARAMETER	-2
/* hvlite's TRNG UUID: 2b0d4c76-a2f9-4a3c-9b8e-1f6c0d5e7a31 (made for hvlite) */
static const u32 hvl_trng_uuid[4] = { 0x2b0d4c76, 0xa2f94a3c, 0x9b8e1f6c, 0x0d5e7a31 };

/* The workaround registers' level field (KVM's KVM_REG_FEATURE_LEVEL_MASK). */
#define FW_REG_LEVEL_MASK	GENMASK_ULL(3, 0)

#define STD_ALL		GENMASK_ULL(KVM_REG_ARM_STD_BMAP_BIT_COUNT - 1, 0)
#define STD_HYP_ALL	GENMASK_ULL(KVM_REG_ARM_STD_HYP_BMAP_BIT_COUNT - 1, 0)
#define VENDOR_HYP_ALL	GENMASK_ULL(KVM_REG_ARM_VENDOR_HYP_BMAP_BIT_COUNT - 1, 0)

static const u64 hvl_fw_bmap_all[HVL_NR_FW_BMAP] = { STD_ALL, STD_HYP_ALL, VENDOR_HYP_ALL };

void hvl_smccc_vm_init(struct hvl_vm *vm)
{
	memcpy(vm->fw_bmap, hvl_fw_bmap_all, sizeof(vm->fw_bmap));
}

static bool hvl_fw_on(struct hvl_vcpu *vcpu, unsigned int reg, unsigned int bit)
{
	return READ_ONCE(vcpu->vm->fw_bmap[reg]) & BIT_ULL(bit);
}

/* The stolen-time record (DEN0057 3.2), 64 bytes in guest memory. */
struct hvl_stolen_time {
	__le32 revision;
	__le32 attributes;
	__le64 stolen_time;
	u8 padding[48];
};

/* Write @len bytes at @gpa of guest memory (one page); false if not RAM. */
static bool hvl_guest_write(struct hvl_vm *vm, u64 gpa, const void *src, size_t len)
{
	struct hvl_memslot *s;
	bool ok = false;
	void *va;

	mutex_lock(&vm->lock);
	s = hvl_find_slot(vm, gpa);
	if (s && !(s->flags & KVM_MEM_READONLY) && gpa - s->gpa + len <= s->size &&
	    offset_in_page(gpa) + len <= PAGE_SIZE) {
		va = kmap_local_page(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]);
		memcpy(va + offset_in_page(gpa), src, len);
		kunmap_local(va);
		ok = true;
	}
	mutex_unlock(&vm->lock);
	return ok;
}

static u64 hvl_run_delay(void)
{
#ifdef CONFIG_SCHED_INFO
	return current->sched_info.run_delay;
#else
	return 0;
#endif
}

/* PV_TIME_ST: (re)start the record at zero; returns its IPA or NOT_SUPPORTED. */
static long hvl_pvtime_st(struct hvl_vcpu *vcpu)
{
	struct hvl_stolen_time st = {};

	if (vcpu->st_ipa == HVL_INVALID_GPA ||
	    !hvl_guest_write(vcpu->vm, vcpu->st_ipa, &st, sizeof(st)))
		return SMCCC_RET_NOT_SUPPORTED;
	vcpu->st_steal = 0;
	vcpu->st_last = hvl_run_delay();
	vcpu->st_active = true;
	return vcpu->st_ipa;
}

/*
 * Before an entry: the time this vCPU's thread waited for a host CPU since
 * the last update goes into the guest's record (as KVM, at vcpu_load).
 */
void hvl_pvtime_update(struct hvl_vcpu *vcpu)
{
	u64 now = hvl_run_delay();
	__le64 v;

	if (likely(!vcpu->st_active || now == vcpu->st_last))
		return;
	vcpu->st_steal += now - vcpu->st_last;
	vcpu->st_last = now;
	v = cpu_to_le64(vcpu->st_steal);
	hvl_guest_write(vcpu->vm, vcpu->st_ipa + offsetof(struct hvl_stolen_time, stolen_time),
			&v, sizeof(v));
}

/* KVM_PTP: wall-clock time and a counter, sampled together (as KVM). */
static void hvl_ptp(struct hvl_vcpu *vcpu, u64 *r)
{
	struct system_time_snapshot snap;
	u64 cycles;

	ktime_get_snapshot(&snap);
	/* Only meaningful while the host's clocksource is the guest-visible counter. */
	if (snap.cs_id != CSID_ARM_ARCH_COUNTER)
		return;
	switch (r[1]) {
	case KVM_PTP_VIRT_COUNTER:
		cycles = snap.cycles - vcpu->vm->cntvoff;
		break;
	case KVM_PTP_PHYS_COUNTER:
		cycles = snap.cycles - vcpu->vm->cntpoff;
		break;
	default:
		return;
	}
	r[0] = upper_32_bits(snap.real);
	r[1] = lower_32_bits(snap.real);
	r[2] = upper_32_bits(cycles);
	r[3] = lower_32_bits(cycles);
}

/* TRNG_RND32/64: @bits of entropy in x1..x3, most significant word first. */
static void hvl_trng_rnd(u64 *r, bool is64)
{
	unsigned int w = is64 ? 64 : 32, words = 3, i;
	u64 bits = r[1], buf[3] = {};
	u64 mask = is64 ? ~0ULL : U32_MAX;

	if (!bits || bits > words * w) {
		r[0] = (u64)TRNG_INVALID_PARAMETER;
		r[1] = 0;
		return;
	}
	get_random_bytes(buf, sizeof(buf));
	for (i = 0; i < words; i++)
		buf[i] &= mask;
	/* Keep the @bits least significant bits of the x1:x2:x3 value. */
	for (i = 0; i < words; i++) {
		unsigned int lo = (words - 1 - i) * w;

		if (bits <= lo)
			buf[i] = 0;
		else if (bits - lo < w)
			buf[i] &= GENMASK_ULL(bits - lo - 1, 0);
	}
	r[0] = SMCCC_RET_SUCCESS;
	r[1] = buf[0];
	r[2] = buf[1];
	r[3] = buf[2];
}

static void hvl_zero_x1_x3(u64 *r)
{
	r[1] = 0;
	r[2] = 0;
	r[3] = 0;
}

/* SMCCC_ARCH_FEATURES(fn): 0 when @fn is offered, else NOT_SUPPORTED. */
static long hvl_arch_features(struct hvl_vcpu *vcpu, u32 fn)
{
	switch (fn) {
	case ARM_SMCCC_HV_PV_TIME_FEATURES:
		if (hvl_fw_on(vcpu, 1, KVM_REG_ARM_STD_HYP_BIT_PV_TIME))
			return SMCCC_RET_SUCCESS;
		return SMCCC_RET_NOT_SUPPORTED;
	default:
		return SMCCC_RET_NOT_SUPPORTED;
	}
}

static bool hvl_trng_fn(u32 fn)
{
	return fn == ARM_SMCCC_TRNG_VERSION || fn == ARM_SMCCC_TRNG_FEATURES ||
	       fn == ARM_SMCCC_TRNG_GET_UUID || fn == ARM_SMCCC_TRNG_RND32 ||
	       fn == ARM_SMCCC_TRNG_RND64;
}

/*
 * One call from the services above; false if @fn is not one of them (or
 * the VMM turned its service off), and the caller answers NOT_SUPPORTED.
 * r[0..3] are x0..x3 in and out.
 */
bool hvl_smccc_service(struct hvl_vcpu *vcpu, u32 fn, u64 *r)
{
	if (fn == ARM_SMCCC_ARCH_FEATURES_FUNC_ID) {
		r[0] = hvl_arch_features(vcpu, r[1]);
		return true;
	}
	if (hvl_trng_fn(fn)) {
		if (!hvl_fw_on(vcpu, 0, KVM_REG_ARM_STD_BIT_TRNG_V1_0))
			return false;
		switch (fn) {
		case ARM_SMCCC_TRNG_VERSION:
			r[0] = TRNG_VERSION_1_0;
			break;
		case ARM_SMCCC_TRNG_FEATURES:
			r[0] = hvl_trng_fn(r[1]) ? SMCCC_RET_SUCCESS : SMCCC_RET_NOT_SUPPORTED;
			break;
		case ARM_SMCCC_TRNG_GET_UUID:
			r[0] = hvl_trng_uuid[0];
			r[1] = hvl_trng_uuid[1];
			r[2] = hvl_trng_uuid[2];
			r[3] = hvl_trng_uuid[3];
			return true;
		default:
			hvl_trng_rnd(r, fn == ARM_SMCCC_TRNG_RND64);
			return true;
		}
		hvl_zero_x1_x3(r);
		return true;
	}
	if (fn == ARM_SMCCC_HV_PV_TIME_FEATURES || fn == ARM_SMCCC_HV_PV_TIME_ST) {
		if (!hvl_fw_on(vcpu, 1, KVM_REG_ARM_STD_HYP_BIT_PV_TIME))
			return false;
		if (fn == ARM_SMCCC_HV_PV_TIME_ST)
			r[0] = hvl_pvtime_st(vcpu);
		else
			r[0] = r[1] == ARM_SMCCC_HV_PV_TIME_FEATURES ||
			       r[1] == ARM_SMCCC_HV_PV_TIME_ST ? SMCCC_RET_SUCCESS :
								 SMCCC_RET_NOT_SUPPORTED;
		hvl_zero_x1_x3(r);
		return true;
	}
	if (fn == ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID ||
	    fn == ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID) {
		if (!hvl_fw_on(vcpu, 2, KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT))
			return false;
		if (fn == ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID) {
			/* KVM's UID: the guest uses KVM's vendor services through it. */
			r[0] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0;
			r[1] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_1;
			r[2] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_2;
			r[3] = ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_3;
			return true;
		}
		r[0] = READ_ONCE(vcpu->vm->fw_bmap[2]) & VENDOR_HYP_ALL;
		hvl_zero_x1_x3(r);
		return true;
	}
	if (fn == ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID) {
		if (!hvl_fw_on(vcpu, 2, KVM_REG_ARM_VENDOR_HYP_BIT_PTP))
			return false;
		r[0] = SMCCC_RET_NOT_SUPPORTED;
		hvl_ptp(vcpu, r);
		if (r[0] == SMCCC_RET_NOT_SUPPORTED)
			hvl_zero_x1_x3(r);
		return true;
	}
	return false;
}

/* KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1/2/3 and the three feature bitmaps. */
bool hvl_fw_reg_id(u64 id)
{
	return id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 ||
	       id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2 ||
	       id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3 ||
	       (id >= KVM_REG_ARM_STD_BMAP && id < KVM_REG_ARM_STD_BMAP + HVL_NR_FW_BMAP);
}

int hvl_fw_reg_get(struct hvl_vcpu *vcpu, u64 id, u64 *val)
{
	if (!hvl_fw_reg_id(id))
		return -ENOENT;
	/* The workarounds: NOT_AVAIL, which is 0 for all three. */
	*val = id >= KVM_REG_ARM_STD_BMAP ? READ_ONCE(vcpu->vm->fw_bmap[id - KVM_REG_ARM_STD_BMAP])
					  : 0;
	return 0;
}

int hvl_fw_reg_set(struct hvl_vcpu *vcpu, u64 id, u64 val)
{
	struct hvl_vm *vm = vcpu->vm;
	unsigned int i;
	int ret = 0;

	if (!hvl_fw_reg_id(id))
		return -ENOENT;
	if (id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2) {
		/* KVM's rule: NOT_AVAIL or UNKNOWN may be restored on a NOT_AVAIL host. */
		u64 level = val & FW_REG_LEVEL_MASK;

		if (val & ~FW_REG_LEVEL_MASK)
			return -EINVAL;
		return level == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL ||
		       level == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN ? 0 : -EINVAL;
	}
	if (id < KVM_REG_ARM_STD_BMAP)	/* WORKAROUND_1/3: no higher level than NOT_AVAIL */
		return val ? -EINVAL : 0;
	i = id - KVM_REG_ARM_STD_BMAP;
	if (val & ~hvl_fw_bmap_all[i])
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (vm->has_run && val != vm->fw_bmap[i])
		ret = -EBUSY;
	else
		WRITE_ONCE(vm->fw_bmap[i], val);
	mutex_unlock(&vm->lock);
	return ret;
}

/* KVM_ARM_VCPU_PVTIME_CTRL / KVM_ARM_VCPU_PVTIME_IPA. */
int hvl_pvtime_attr(struct hvl_vcpu *vcpu, unsigned int ioctl, struct kvm_device_attr *a)
{
	u64 __user *up = u64_to_user_ptr(a->addr);
	u64 ipa;

	if (a->attr != KVM_ARM_VCPU_PVTIME_IPA)
		return -ENXIO;
	if (ioctl == KVM_HAS_DEVICE_ATTR)
		return 0;
	if (ioctl == KVM_GET_DEVICE_ATTR)
		return put_user(vcpu->st_ipa, up) ? -EFAULT : 0;
	if (get_user(ipa, up))
		return -EFAULT;
	if (!IS_ALIGNED(ipa, 64))
		return -EINVAL;
	if (vcpu->st_ipa != HVL_INVALID_GPA)
		return -EEXIST;
	mutex_lock(&vcpu->vm->lock);
	if (!hvl_find_slot(vcpu->vm, ipa)) {
		mutex_unlock(&vcpu->vm->lock);
		return -EINVAL;
	}
	mutex_unlock(&vcpu->vm->lock);
	vcpu->st_ipa = ipa;
	return 0;
}
