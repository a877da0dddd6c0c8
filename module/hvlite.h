/* SPDX-License-Identifier: GPL-2.0-only */
/* hvlite's EL1-internal interfaces between core/, mmu/ and the device. */
#ifndef __HVLITE_H__
#define __HVLITE_H__

#include <linux/types.h>
#include "hyp/hyp.h"

/* EL2 stage-1 page tables (mmu/hyp_pgtable.c). */
enum hvl_hyp_prot { HVL_HYP_RX, HVL_HYP_RO, HVL_HYP_RW };

int hvl_hyp_pgtable_init(void);
void hvl_hyp_pgtable_free(void);
u64 hvl_hyp_ttbr0(void);
u64 hvl_hyp_tcr(void);
u64 hvl_hyp_va(const void *kva);
int hvl_hyp_map(const void *kva, size_t size, enum hvl_hyp_prot prot);
int hvl_hyp_map_idmap(phys_addr_t pa, enum hvl_hyp_prot prot);
int hvl_hyp_map_module(void);

/* EL2 ownership (core/el2.c). */
struct hvl_hvc_res {
	unsigned long a0, a1, a2, a3;
};

int hvl_el2_init(void);
void hvl_el2_exit(void);
int hvl_el2_call(unsigned long id, unsigned long a1, unsigned long a2,
		 struct hvl_hvc_res *res);
int hvl_el2_ping_cpu(unsigned int cpu, struct hvl_hvc_res *res, u64 *mpidr_el1);
int hvl_el2_selftest(unsigned int cpu, u32 op, u64 *result);
int hvl_el2_cpu_info(unsigned int cpu, u32 *state, struct hvl_hyp_cpu *rec);
void hvl_clean_dcache_poc(const void *addr, size_t size);

/* /dev/hvlite (core/dev.c). */
int hvl_dev_init(void);
void hvl_dev_exit(void);

extern bool hvl_test_hooks;

#endif /* __HVLITE_H__ */
