/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PSCI/SMCCC functions hvlite implements, as PSCI_FEATURES reports them:
 * one list for the EL2 fast path (hyp/switch.c) and EL1 (core/hypercall.c).
 */
#ifndef __HVLITE_HYP_PSCI_H__
#define __HVLITE_HYP_PSCI_H__

#include <linux/arm-smccc.h>
#include <linux/types.h>
#include <uapi/linux/psci.h>

static inline bool hvl_psci_fn_supported(u32 fn)
{
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_OFF:
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
	case PSCI_1_0_FN_PSCI_FEATURES:
	case PSCI_1_1_FN_SYSTEM_RESET2:
	case PSCI_1_1_FN64_SYSTEM_RESET2:
	case ARM_SMCCC_VERSION_FUNC_ID:
		return true;
	default:
		return false;
	}
}

#endif /* __HVLITE_HYP_PSCI_H__ */
