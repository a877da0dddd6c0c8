// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2: switching the hardware breakpoint and watchpoint registers, only for
 * entries that need them (a debugger's, or the guest's own when it debugs
 * itself). The guest never writes them directly (MDCR_EL2.TDA traps its
 * accesses), so only the host's values need saving.
 */
#include <linux/compiler.h>
#include <asm/sysreg.h>
#include "hyp.h"

/* The DBG*n_EL1 registers have no index: one case per register. */
#define DBG_CASE_SAVE(n, arr, reg)				\
	case (n) + 1:						\
		arr[n] = read_sysreg(reg##n##_el1);		\
		fallthrough
#define DBG_CASE_LOAD(n, arr, reg)				\
	case (n) + 1:						\
		write_sysreg(arr[n], reg##n##_el1);		\
		fallthrough

#define DBG_SAVE(arr, reg, nr)						\
	do {								\
		switch (nr) {						\
		DBG_CASE_SAVE(15, arr, reg);				\
		DBG_CASE_SAVE(14, arr, reg);				\
		DBG_CASE_SAVE(13, arr, reg);				\
		DBG_CASE_SAVE(12, arr, reg);				\
		DBG_CASE_SAVE(11, arr, reg);				\
		DBG_CASE_SAVE(10, arr, reg);				\
		DBG_CASE_SAVE(9, arr, reg);				\
		DBG_CASE_SAVE(8, arr, reg);				\
		DBG_CASE_SAVE(7, arr, reg);				\
		DBG_CASE_SAVE(6, arr, reg);				\
		DBG_CASE_SAVE(5, arr, reg);				\
		DBG_CASE_SAVE(4, arr, reg);				\
		DBG_CASE_SAVE(3, arr, reg);				\
		DBG_CASE_SAVE(2, arr, reg);				\
		DBG_CASE_SAVE(1, arr, reg);				\
		DBG_CASE_SAVE(0, arr, reg);				\
		default:						\
			break;						\
		}							\
	} while (0)

#define DBG_LOAD(arr, reg, nr)						\
	do {								\
		switch (nr) {						\
		DBG_CASE_LOAD(15, arr, reg);				\
		DBG_CASE_LOAD(14, arr, reg);				\
		DBG_CASE_LOAD(13, arr, reg);				\
		DBG_CASE_LOAD(12, arr, reg);				\
		DBG_CASE_LOAD(11, arr, reg);				\
		DBG_CASE_LOAD(10, arr, reg);				\
		DBG_CASE_LOAD(9, arr, reg);				\
		DBG_CASE_LOAD(8, arr, reg);				\
		DBG_CASE_LOAD(7, arr, reg);				\
		DBG_CASE_LOAD(6, arr, reg);				\
		DBG_CASE_LOAD(5, arr, reg);				\
		DBG_CASE_LOAD(4, arr, reg);				\
		DBG_CASE_LOAD(3, arr, reg);				\
		DBG_CASE_LOAD(2, arr, reg);				\
		DBG_CASE_LOAD(1, arr, reg);				\
		DBG_CASE_LOAD(0, arr, reg);				\
		default:						\
			break;						\
		}							\
	} while (0)

void hvl_hyp_debug_to_guest(struct hvl_host_state *h, const struct hvl_vcpu_ctxt *g)
{
	DBG_SAVE(h->dbg_bcr, dbgbcr, g->nr_brps);
	DBG_SAVE(h->dbg_bvr, dbgbvr, g->nr_brps);
	DBG_SAVE(h->dbg_wcr, dbgwcr, g->nr_wrps);
	DBG_SAVE(h->dbg_wvr, dbgwvr, g->nr_wrps);
	DBG_LOAD(g->dbg_bcr, dbgbcr, g->nr_brps);
	DBG_LOAD(g->dbg_bvr, dbgbvr, g->nr_brps);
	DBG_LOAD(g->dbg_wcr, dbgwcr, g->nr_wrps);
	DBG_LOAD(g->dbg_wvr, dbgwvr, g->nr_wrps);
}

void hvl_hyp_debug_to_host(const struct hvl_host_state *h, const struct hvl_vcpu_ctxt *g)
{
	DBG_LOAD(h->dbg_bcr, dbgbcr, g->nr_brps);
	DBG_LOAD(h->dbg_bvr, dbgbvr, g->nr_brps);
	DBG_LOAD(h->dbg_wcr, dbgwcr, g->nr_wrps);
	DBG_LOAD(h->dbg_wvr, dbgwvr, g->nr_wrps);
}
