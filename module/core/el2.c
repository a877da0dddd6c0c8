// SPDX-License-Identifier: GPL-2.0-only
/*
 * Owning EL2: taking it from Linux's hyp stub on every online CPU (at load,
 * CPU online and exit from a CPU low-power state), giving it back (unload,
 * CPU offline), and the host-call wrapper that reports EL2 faults.
 *
 * Each CPU's state changes only on that CPU with interrupts off, so it
 * needs no lock; other CPUs read it through smp_call_function_single().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpu_pm.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/cacheflush.h>
#include <asm/cputype.h>
#include <asm/esr.h>
#include <asm/sysreg.h>
#include <asm/virt.h>
#include <linux/hvlite.h>
#include "../vm.h"

enum hvl_cpu_state { HVL_CPU_STUB, HVL_CPU_OWNED, HVL_CPU_FAILED };

struct hvl_cpu {
	struct hvl_hyp_cpu *hyp;	/* EL2 block: data + stack, linear map */
	enum hvl_cpu_state state;
};

static DEFINE_PER_CPU(struct hvl_cpu, hvl_cpu);
static DEFINE_PER_CPU(int, hvl_preempt_cookie);
static unsigned int hvl_preempt_irq;
static u64 hvl_quantum;

static unsigned int quantum_us = 5000;

/* quantum_us may change at any time; the next guest entry uses it. */
static int hvl_quantum_set(const char *val, const struct kernel_param *kp)
{
	unsigned int us;
	int ret = kstrtouint(val, 0, &us);

	if (ret)
		return ret;
	if (us < 100 || us > 1000000)
		return -EINVAL;
	WRITE_ONCE(quantum_us, us);
	WRITE_ONCE(hvl_quantum, div_u64((u64)read_sysreg(cntfrq_el0) * us, USEC_PER_SEC));
	return 0;
}

static const struct kernel_param_ops hvl_quantum_ops = {
	.set = hvl_quantum_set,
	.get = param_get_uint,
};
module_param_cb(quantum_us, &hvl_quantum_ops, &quantum_us, 0644);
MODULE_PARM_DESC(quantum_us, "Longest guest run before the EL2 timer forces an exit, in microseconds, 100-1000000 (default 5000)");
static void *hvl_idmap;			/* page holding a copy of idmap.S */
static phys_addr_t hvl_idmap_pa;
static int hvl_cpuhp_state;

/* One hvc: x0-x4 in, x0-x3 out; EL2 may clobber x4-x17 (hyp/hyp.h). */
static void hvl_hvc(unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, struct hvl_hvc_res *res)
{
	register unsigned long x0 asm("x0") = a0;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;
	register unsigned long x4 asm("x4") = a4;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
		     :
		     : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
		       "x14", "x15", "x16", "x17", "memory");
	res->a0 = x0;
	res->a1 = x1;
	res->a2 = x2;
	res->a3 = x3;
}

/* Linux's hyp stub answers an unknown call with HVC_STUB_ERR; KVM does not. */
static bool hvl_el2_is_stub(void)
{
	struct hvl_hvc_res res;

	hvl_hvc(HVC_STUB_HCALL_NR, 0, 0, 0, 0, &res);
	return res.a0 == HVC_STUB_ERR;
}

/*
 * Clean to the Point of Coherency: EL2 reads this with its MMU off. The
 * kernel's own PoC helpers are not exported to modules.
 */
void hvl_clean_dcache_poc(const void *addr, size_t size)
{
	unsigned long line = 4UL << FIELD_GET(CTR_EL0_DminLine_MASK, read_sysreg(ctr_el0));
	unsigned long p = (unsigned long)addr & ~(line - 1);

	for (; p < (unsigned long)addr + size; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

static unsigned long hvl_idmap_sym(const char *sym)
{
	return hvl_idmap_pa + (sym - __hvl_idmap_start);
}

static int hvl_el2_take_this_cpu(void)
{
	struct hvl_cpu *c = this_cpu_ptr(&hvl_cpu);
	struct hvl_hyp_cpu *h = c->hyp;
	unsigned int cpu = smp_processor_id();
	struct hvl_hvc_res res;

	if (!hvl_el2_is_stub()) {
		pr_err("EL2 on CPU%u is held by a hypervisor, not Linux's hyp stub (KVM?); boot with kvm-arm.mode=none\n",
		       cpu);
		return -EBUSY;
	}
	h->init_ttbr0 = hvl_hyp_ttbr0();
	h->init_tcr = hvl_hyp_tcr();
	h->init_mair = read_sysreg(mair_el1);
	h->init_sctlr_set = SCTLR_ELx_M | SCTLR_ELx_C | SCTLR_ELx_SA |
			    SCTLR_ELx_I | SCTLR_ELx_WXN;
	h->init_vbar = hvl_hyp_va(__hvl_vectors);
	h->init_tpidr = hvl_hyp_va(h);
	h->init_sp = h->init_tpidr + HVL_HYP_CPU_SIZE;
	h->stack_top = h->init_sp;
	h->idmap_teardown = hvl_idmap_sym(__hvl_idmap_teardown);
	h->cpu = cpu;
	hvl_clean_dcache_poc(h, sizeof(*h));

	hvl_hvc(HVC_SOFT_RESTART, hvl_idmap_sym(__hvl_idmap_init), __pa(h), 0, 0, &res);
	if (res.a0 != HVL_HC_OK) {
		pr_err("CPU%u: taking EL2 failed (ret %#lx, ESR_EL2 %#lx, ELR_EL2 %#lx); EL2 left to the hyp stub\n",
		       cpu, res.a0, res.a1, res.a2);
		return -EIO;
	}
	c->state = HVL_CPU_OWNED;
	return 0;
}

static void hvl_el2_give_this_cpu(void)
{
	struct hvl_cpu *c = this_cpu_ptr(&hvl_cpu);
	struct hvl_hvc_res res;

	if (c->state == HVL_CPU_STUB)
		return;
	hvl_hvc(HVC_RESET_VECTORS, 0, 0, 0, 0, &res);
	if (res.a0 || !hvl_el2_is_stub())
		pr_err("CPU%u: EL2 did not return to the hyp stub (ret %#lx)\n",
		       smp_processor_id(), res.a0);
	c->state = HVL_CPU_STUB;
}

static void hvl_el2_report_fault(struct hvl_cpu *c)
{
	struct hvl_hyp_cpu *h = c->hyp;
	unsigned long elr = h->fault_elr;

	/* EL2 runs module text at its kernel VA with bits 63:48 cleared. */
	if (elr >= HVL_HYP_VMALLOC_BASE)
		elr |= GENMASK_ULL(63, HVL_HYP_VA_BITS);
	pr_err("CPU%u: exception at EL2: ESR_EL2 %#llx (EC %#llx) ELR_EL2 %#llx (%pS) FAR_EL2 %#llx SPSR_EL2 %#llx; hvlite stops using EL2 on this CPU\n",
	       smp_processor_id(), h->fault_esr, ESR_ELx_EC(h->fault_esr),
	       h->fault_elr, (void *)elr, h->fault_far, h->fault_spsr);
}

/* A host call on this CPU. Preemption must be off. */
int hvl_el2_call(unsigned long id, unsigned long a1, unsigned long a2,
		 struct hvl_hvc_res *res)
{
	struct hvl_cpu *c = this_cpu_ptr(&hvl_cpu);

	if (c->state != HVL_CPU_OWNED)
		return -EIO;
	hvl_hvc(id, a1, a2, 0, 0, res);
	if (unlikely(res->a0 == HVL_HC_EL2_FAULT)) {
		c->state = HVL_CPU_FAILED;
		hvl_el2_report_fault(c);
		return -EIO;
	}
	return 0;
}

struct hvl_on_cpu {
	unsigned long id;
	unsigned long a1;
	struct hvl_hvc_res *res;
	u64 mpidr_el1;
	int ret;
};

static void hvl_el2_call_fn(void *arg)
{
	struct hvl_on_cpu *p = arg;

	p->mpidr_el1 = read_cpuid_mpidr();
	p->ret = hvl_el2_call(p->id, p->a1, 0, p->res);
}

static int hvl_el2_call_on(unsigned int cpu, struct hvl_on_cpu *p)
{
	p->ret = -ENODEV;
	if (smp_call_function_single(cpu, hvl_el2_call_fn, p, 1))
		return -ENODEV;
	return p->ret;
}

/*
 * Ping @cpu's EL2: res->a1 = the CPU number its EL2 data holds, res->a2 =
 * MPIDR_EL1 as EL2 reads it; *mpidr_el1 = MPIDR_EL1 as EL1 reads it there.
 */
int hvl_el2_ping_cpu(unsigned int cpu, struct hvl_hvc_res *res, u64 *mpidr_el1)
{
	struct hvl_on_cpu p = { .id = HVL_HC_PING, .res = res };
	int ret = hvl_el2_call_on(cpu, &p);

	if (!ret && res->a0 != HVL_HC_OK)
		ret = -EIO;
	*mpidr_el1 = p.mpidr_el1;
	return ret;
}

struct hvl_selftest {
	u32 op;
	u64 result;
	int ret;
};

/* The hyp-stub ABI as kexec uses it: give EL2 back, run at EL2, MMU off. */
static int hvl_selftest_soft_restart(u64 *vbar)
{
	struct hvl_cpu *c = this_cpu_ptr(&hvl_cpu);
	struct hvl_hvc_res res;

	if (c->state != HVL_CPU_OWNED)
		return -EIO;
	hvl_hvc(HVC_SOFT_RESTART, hvl_idmap_sym(__hvl_idmap_restart_probe), 0, 0, 0, &res);
	*vbar = res.a0;
	c->state = HVL_CPU_STUB;
	if (!hvl_el2_is_stub())
		return -EIO;
	return hvl_el2_take_this_cpu();
}

static void hvl_selftest_fn(void *arg)
{
	struct hvl_selftest *t = arg;
	struct hvl_hvc_res res;

	switch (t->op) {
	case HVLITE_SELFTEST_FAULT:
		/* The fault is the expected outcome: -EIO once it was reported. */
		t->ret = hvl_el2_call(HVL_HC_TEST_FAULT, 0, 0, &res);
		t->ret = t->ret == -EIO ? 0 : -EIO;
		break;
	case HVLITE_SELFTEST_SOFT_RESTART:
		t->ret = hvl_selftest_soft_restart(&t->result);
		break;
	case HVLITE_SELFTEST_SET_VECTORS:
		if (this_cpu_ptr(&hvl_cpu)->state != HVL_CPU_OWNED)
			break;
		/* Must be refused: the vectors stay hvlite's. */
		hvl_hvc(HVC_SET_VECTORS, 0, 0, 0, 0, &res);
		t->result = res.a0;
		t->ret = hvl_el2_call(HVL_HC_PING, 0, 0, &res);
		break;
	}
}

/* Test hooks (module parameter test_hooks=1): see uapi HVLITE_EL2_SELFTEST. */
int hvl_el2_selftest(unsigned int cpu, u32 op, u64 *result)
{
	struct hvl_selftest t = { .op = op, .ret = -EIO };

	if (smp_call_function_single(cpu, hvl_selftest_fn, &t, 1))
		return -ENODEV;
	*result = t.result;
	return t.ret;
}

int hvl_el2_cpu_info(unsigned int cpu, u32 *state, struct hvl_hyp_cpu *rec)
{
	struct hvl_cpu *c = per_cpu_ptr(&hvl_cpu, cpu);

	*state = READ_ONCE(c->state);
	*rec = *c->hyp;
	return 0;
}

/* Try this CPU, then any other whose EL2 is ours (broadcast operations). */
int hvl_el2_call_any(unsigned long id, unsigned long a1, struct hvl_hvc_res *res)
{
	unsigned int cpu;
	int ret;

	preempt_disable();
	ret = hvl_el2_call(id, a1, 0, res);
	preempt_enable();
	if (!ret)
		return 0;
	for_each_online_cpu(cpu) {
		struct hvl_on_cpu p = { .id = id, .a1 = a1, .res = res };

		if (!hvl_el2_call_on(cpu, &p))
			return 0;
	}
	return ret;
}

u64 hvl_quantum_ticks(void)
{
	return READ_ONCE(hvl_quantum);
}

unsigned int hvl_quantum_us(void)
{
	return READ_ONCE(quantum_us);
}

/*
 * Two per-CPU interrupts end a guest's entry and need nothing else from
 * the host: CNTHP (INTID 26), the preemption timer, and the GIC's
 * maintenance interrupt (INTID 25), raised by the list registers' EOI and
 * underflow conditions so that the vGIC model refills and resamples them.
 * EL2 turns both sources off on the way out, so the host rarely takes
 * either; HVLITE_GET_STATS counts the entries CNTHP ended. They are
 * requested like any PPI so that the host's GIC keeps them enabled.
 */
static irqreturn_t hvl_exit_irq_handler(int irq, void *dev)
{
	return IRQ_HANDLED;
}

static DEFINE_PER_CPU(int, hvl_maint_cookie);
static unsigned int hvl_maint_irq;
static DEFINE_PER_CPU(int, hvl_vtimer_cookie);
static unsigned int hvl_vtimer_irq;
/* The vtimer PPI's active state at this CPU's redistributor: -1 unknown. */
static DEFINE_PER_CPU(int, hvl_vtimer_active) = -1;

/*
 * The guest's virtual timer fires at the host's GIC as the host's vtimer PPI
 * (the host in nVHE does not use that timer) and ends the entry like CNTHP,
 * so a deadline the guest set while running is not late by a quantum. While
 * the guest's timer interrupt is already asserted (injected, not yet dealt
 * with by the guest), the PPI is kept active at the host's GIC, as KVM does,
 * so that it does not end every entry. Interrupts off, on the entering CPU.
 */
void hvl_vtimer_irq_prepare(bool asserted)
{
	int active = asserted;

	if (__this_cpu_read(hvl_vtimer_active) == active)
		return;
	if (!irq_set_irqchip_state(hvl_vtimer_irq, IRQCHIP_STATE_ACTIVE, asserted))
		__this_cpu_write(hvl_vtimer_active, active);
}

static const struct hvl_exit_irq {
	const char *compatible;	/* the device-tree node naming it */
	int index;		/* which of its interrupts */
	const char *name;
	unsigned int *irq;
	int __percpu *cookie;
} hvl_exit_irqs[] = {
	{ "arm,armv8-timer", 3, "hvlite-preempt", &hvl_preempt_irq, &hvl_preempt_cookie },
	{ "arm,gic-v3", 0, "hvlite-vgic-maint", &hvl_maint_irq, &hvl_maint_cookie },
	{ "arm,armv8-timer", 2, "hvlite-vtimer", &hvl_vtimer_irq, &hvl_vtimer_cookie },
};

static void hvl_exit_irqs_free(unsigned int n)
{
	while (n--) {
		free_percpu_irq(*hvl_exit_irqs[n].irq, hvl_exit_irqs[n].cookie);
		irq_dispose_mapping(*hvl_exit_irqs[n].irq);
	}
}

/* From the device tree: arm,armv8-timer's 4th entry (hyp-phys); the GIC's own. */
static int hvl_exit_irqs_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hvl_exit_irqs); i++) {
		const struct hvl_exit_irq *e = &hvl_exit_irqs[i];
		struct device_node *np = of_find_compatible_node(NULL, NULL, e->compatible);

		if (!np) {
			pr_err("no %s node in the device tree: hvlite needs its interrupt %d (ACPI-only hosts are not supported yet)\n",
			       e->compatible, e->index);
			ret = -ENODEV;
			goto fail;
		}
		*e->irq = irq_of_parse_and_map(np, e->index);
		of_node_put(np);
		if (!*e->irq) {
			pr_err("the %s node has no interrupt %d (%s)\n", e->compatible, e->index,
			       e->name);
			ret = -ENODEV;
			goto fail;
		}
		ret = request_percpu_irq(*e->irq, hvl_exit_irq_handler, e->name, e->cookie);
		if (ret) {
			pr_err("cannot request the %s interrupt (%d)\n", e->name, ret);
			irq_dispose_mapping(*e->irq);
			goto fail;
		}
	}
	hvl_quantum = div_u64((u64)read_sysreg(cntfrq_el0) * quantum_us, USEC_PER_SEC);
	return 0;
fail:
	hvl_exit_irqs_free(i);
	return ret;
}

static void hvl_exit_irqs_exit(void)
{
	hvl_exit_irqs_free(ARRAY_SIZE(hvl_exit_irqs));
}

static int hvl_cpu_online(unsigned int cpu)
{
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = hvl_el2_take_this_cpu();
	local_irq_restore(flags);
	if (!ret) {
		enable_percpu_irq(hvl_preempt_irq, IRQ_TYPE_NONE);
		enable_percpu_irq(hvl_maint_irq, IRQ_TYPE_NONE);
		enable_percpu_irq(hvl_vtimer_irq, IRQ_TYPE_NONE);
	}
	return ret;
}

static int hvl_cpu_offline(unsigned int cpu)
{
	unsigned long flags;

	disable_percpu_irq(hvl_vtimer_irq);
	disable_percpu_irq(hvl_maint_irq);
	disable_percpu_irq(hvl_preempt_irq);
	local_irq_save(flags);
	hvl_vtimer_irq_prepare(false);
	__this_cpu_write(hvl_vtimer_active, -1);
	hvl_el2_give_this_cpu();
	local_irq_restore(flags);
	return 0;
}

/* Leaving a power state that lost EL2 context brings the stub back: retake. */
static int hvl_cpu_pm_notify(struct notifier_block *nb, unsigned long action, void *v)
{
	struct hvl_cpu *c = this_cpu_ptr(&hvl_cpu);

	if ((action == CPU_PM_EXIT || action == CPU_PM_ENTER_FAILED) &&
	    c->state == HVL_CPU_OWNED && hvl_el2_is_stub()) {
		c->state = HVL_CPU_STUB;
		hvl_el2_take_this_cpu();
	}
	return NOTIFY_OK;
}

static struct notifier_block hvl_cpu_pm_nb = {
	.notifier_call = hvl_cpu_pm_notify,
};

static int hvl_idmap_init(void)
{
	size_t len = __hvl_idmap_end - __hvl_idmap_start;
	int ret;

	BUILD_BUG_ON(HVL_HYP_CPU_SIZE < PAGE_SIZE);
	if (WARN_ON_ONCE(len > PAGE_SIZE))
		return -EINVAL;
	hvl_idmap = (void *)get_zeroed_page(GFP_KERNEL);
	if (!hvl_idmap)
		return -ENOMEM;
	memcpy(hvl_idmap, __hvl_idmap_start, len);
	hvl_idmap_pa = __pa(hvl_idmap);
	/* Fetched at EL2 with the MMU off first, then through the I-cache. */
	hvl_clean_dcache_poc(hvl_idmap, len);
	caches_clean_inval_pou((unsigned long)hvl_idmap, (unsigned long)hvl_idmap + len);
	ret = hvl_hyp_map_idmap(hvl_idmap_pa, HVL_HYP_RX);
	if (ret) {
		free_page((unsigned long)hvl_idmap);
		hvl_idmap = NULL;
	}
	return ret;
}

static void hvl_free_cpu_blocks(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct hvl_cpu *c = per_cpu_ptr(&hvl_cpu, cpu);

		if (c->hyp)
			free_pages_exact(c->hyp, HVL_HYP_CPU_SIZE);
		c->hyp = NULL;
	}
}

static int hvl_alloc_cpu_blocks(void)
{
	unsigned int cpu;
	int ret;

	for_each_possible_cpu(cpu) {
		struct hvl_cpu *c = per_cpu_ptr(&hvl_cpu, cpu);

		c->hyp = alloc_pages_exact(HVL_HYP_CPU_SIZE, GFP_KERNEL | __GFP_ZERO);
		if (!c->hyp)
			return -ENOMEM;
		c->state = HVL_CPU_STUB;
		ret = hvl_hyp_map(c->hyp, HVL_HYP_CPU_SIZE, HVL_HYP_RW);
		if (ret)
			return ret;
	}
	return 0;
}

/* Take EL2 on every online CPU, and on every CPU that comes online later. */
int hvl_el2_init(void)
{
	int ret;

	ret = hvl_idmap_init();
	if (ret)
		return ret;
	ret = hvl_exit_irqs_init();
	if (ret)
		goto err_free_idmap;
	ret = hvl_alloc_cpu_blocks();
	if (ret)
		goto err_free_blocks;
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hvlite/el2:online",
				hvl_cpu_online, hvl_cpu_offline);
	if (ret < 0)
		goto err_free_blocks;
	hvl_cpuhp_state = ret;
	ret = cpu_pm_register_notifier(&hvl_cpu_pm_nb);
	if (ret)
		goto err_remove_cpuhp;
	return 0;

err_remove_cpuhp:
	cpuhp_remove_state(hvl_cpuhp_state);
err_free_blocks:
	hvl_free_cpu_blocks();
	hvl_exit_irqs_exit();
err_free_idmap:
	free_page((unsigned long)hvl_idmap);
	return ret;
}

/* Give EL2 back on every CPU; the EL2 tables may be freed afterwards. */
void hvl_el2_exit(void)
{
	cpu_pm_unregister_notifier(&hvl_cpu_pm_nb);
	cpuhp_remove_state(hvl_cpuhp_state);
	hvl_free_cpu_blocks();
	hvl_exit_irqs_exit();
	free_page((unsigned long)hvl_idmap);
}
