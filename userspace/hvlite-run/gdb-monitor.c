// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run's GDB stub: "monitor" commands (qRcmd), the decoding users
 * would otherwise do by hand: EL1 system registers, stage-1 and Stage-2
 * walks, the vGIC and its list registers, vCPU states and the last exits.
 * stage2 and lrs use hvlite's own VM ioctls (uapi/linux/hvlite.h); on KVM
 * they say so. Runs in the gdb thread with every vCPU parked.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/hvlite.h>

#include "gdb.h"

#define GICR_SGI	0x10000ULL	/* SGI_base frame, after RD_base */

void mon__printf(struct gdb *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = g->mon_cap - g->mon_len;

		va_start(ap, fmt);
		n = vsnprintf(g->mon ? g->mon + g->mon_len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			g->mon_len += n;
			return;
		}
		if (g->mon_cap >= (1u << 20))
			return;			/* bounded: 1 MiB of output */
		g->mon_cap = g->mon_cap ? 2 * g->mon_cap : 4096;
		g->mon = realloc(g->mon, g->mon_cap);
		if (!g->mon) {
			g->mon_cap = g->mon_len = 0;
			return;
		}
	}
}

static struct vcpu *mon__vcpu(struct gdb *g)
{
	return &g->kvm->vcpus[g->g_vcpu];
}

static bool mon__number(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

/* ---- exits ---- */

static const char *exit__name(uint32_t r)
{
	switch (r) {
	case KVM_EXIT_MMIO: return "MMIO";
	case KVM_EXIT_INTR: return "INTR";
	case KVM_EXIT_DEBUG: return "DEBUG";
	case KVM_EXIT_SYSTEM_EVENT: return "SYSTEM_EVENT";
	case KVM_EXIT_ARM_NISV: return "ARM_NISV";
	case KVM_EXIT_HYPERCALL: return "HYPERCALL";
	case KVM_EXIT_FAIL_ENTRY: return "FAIL_ENTRY";
	case KVM_EXIT_INTERNAL_ERROR: return "INTERNAL_ERROR";
	default: return "other";
	}
}

/* Under gdb.lock, from the vCPU thread right after KVM_RUN returned. */
void gdb__record_exit_locked(struct gdb *g, struct vcpu *vcpu)
{
	struct gdb_exit_rec *r = &g->ring[g->ring_seq % GDB_EXIT_RING];
	struct kvm_run *run = vcpu->run;

	memset(r, 0, sizeof(*r));
	r->seq = g->ring_seq++;
	r->vcpu = vcpu->id;
	r->reason = run->exit_reason;
	r->pc = gdb__reg64(vcpu, CORE_REG(regs.pc));
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		r->addr = run->mmio.phys_addr;
		r->len = run->mmio.len;
		r->write = run->mmio.is_write;
		break;
	case KVM_EXIT_DEBUG:
		r->esr = run->debug.arch.hsr | (uint64_t)run->debug.arch.hsr_high << 32;
		r->addr = run->debug.arch.far;
		break;
	case KVM_EXIT_ARM_NISV:
		r->esr = (0x24ULL << 26) | (run->arm_nisv.esr_iss & 0x1ffffff);
		r->addr = run->arm_nisv.fault_ipa;
		break;
	case KVM_EXIT_HYPERCALL:
		r->addr = run->hypercall.nr;
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		r->len = run->system_event.type;
		break;
	}
}

static void mon__exits(struct gdb *g, const char *arg)
{
	uint64_t n = 16, i, first;
	char desc[256];

	if (arg && (!mon__number(arg, &n) || !n))
		return mon__printf(g, "exits [N]: N from 1 to %d\n", GDB_EXIT_RING);
	if (n > GDB_EXIT_RING)
		n = GDB_EXIT_RING;
	pthread_mutex_lock(&g->lock);
	first = g->ring_seq > n ? g->ring_seq - n : 0;
	mon__printf(g, "last %" PRIu64 " of %" PRIu64 " exits (oldest first):\n",
		    g->ring_seq - first, g->ring_seq);
	for (i = first; i < g->ring_seq; i++) {
		const struct gdb_exit_rec *r = &g->ring[i % GDB_EXIT_RING];

		mon__printf(g, "#%-6" PRIu64 " vCPU%u pc 0x%016" PRIx64 " %-12s", r->seq, r->vcpu,
			    r->pc, exit__name(r->reason));
		if (r->reason == KVM_EXIT_MMIO)
			mon__printf(g, " %s %u bytes at 0x%" PRIx64, r->write ? "write" : "read",
				    r->len, r->addr);
		else if (r->reason == KVM_EXIT_HYPERCALL)
			mon__printf(g, " function 0x%" PRIx64, r->addr);
		else if (r->reason == KVM_EXIT_SYSTEM_EVENT)
			mon__printf(g, " type %u", r->len);
		if (r->esr) {
			esr__describe(r->esr, desc, sizeof(desc));
			mon__printf(g, " ESR 0x%" PRIx64 " %s", r->esr, desc);
			if (ESR_EC(r->esr) == EC_WATCHPT_LOW || r->reason == KVM_EXIT_ARM_NISV)
				mon__printf(g, ", address 0x%" PRIx64, r->addr);
		}
		mon__printf(g, "\n");
	}
	pthread_mutex_unlock(&g->lock);
}

/* ---- system registers ---- */

static void mon__sysregs(struct gdb *g)
{
	struct vcpu *v = mon__vcpu(g);
	uint64_t sctlr = gdb__reg64(v, SYSREG_SCTLR), tcr = gdb__reg64(v, SYSREG_TCR);
	uint64_t esr = gdb__reg64(v, SYSREG_ESR), spsr = gdb__reg64(v, CORE_REG(spsr[KVM_SPSR_EL1]));
	uint64_t pstate = gdb__reg64(v, CORE_REG(regs.pstate));
	static const char *const modes[16] = { [0] = "EL0t", [4] = "EL1t", [5] = "EL1h" };
	static const unsigned int tg0[] = { 4, 64, 16, 0 }, tg1[] = { 0, 16, 4, 64 };
	char desc[256];

	mon__printf(g, "vCPU%u EL1 system registers\n", v->id);
	mon__printf(g, "PSTATE     0x%08" PRIx64 "  %s, DAIF %c%c%c%c, NZCV %" PRIx64 "\n", pstate,
		    modes[pstate & 15] ? modes[pstate & 15] : "AArch32/other",
		    pstate & 0x200 ? 'D' : '-', pstate & 0x100 ? 'A' : '-',
		    pstate & 0x80 ? 'I' : '-', pstate & 0x40 ? 'F' : '-', pstate >> 28 & 15);
	mon__printf(g, "SCTLR_EL1  0x%016" PRIx64 "  M(MMU)=%u C=%u I=%u A=%u SA=%u WXN=%u EE=%u\n",
		    sctlr, (unsigned int)(sctlr & 1), (unsigned int)(sctlr >> 2 & 1),
		    (unsigned int)(sctlr >> 12 & 1), (unsigned int)(sctlr >> 1 & 1),
		    (unsigned int)(sctlr >> 3 & 1), (unsigned int)(sctlr >> 19 & 1),
		    (unsigned int)(sctlr >> 25 & 1));
	mon__printf(g, "TCR_EL1    0x%016" PRIx64 "  T0SZ=%u (%u-bit) TG0=%uK EPD0=%u  "
		    "T1SZ=%u (%u-bit) TG1=%uK EPD1=%u  IPS=%u TBI0=%u TBI1=%u\n", tcr,
		    (unsigned int)(tcr & 63), 64 - (unsigned int)(tcr & 63), tg0[tcr >> 14 & 3],
		    (unsigned int)(tcr >> 7 & 1), (unsigned int)(tcr >> 16 & 63),
		    64 - (unsigned int)(tcr >> 16 & 63), tg1[tcr >> 30 & 3],
		    (unsigned int)(tcr >> 23 & 1), (unsigned int)(tcr >> 32 & 7),
		    (unsigned int)(tcr >> 37 & 1), (unsigned int)(tcr >> 38 & 1));
	mon__printf(g, "TTBR0_EL1  0x%016" PRIx64 "  TTBR1_EL1 0x%016" PRIx64 "\n",
		    gdb__reg64(v, SYSREG_TTBR0), gdb__reg64(v, SYSREG_TTBR1));
	mon__printf(g, "MAIR_EL1   0x%016" PRIx64 "  VBAR_EL1  0x%016" PRIx64 "\n",
		    gdb__reg64(v, SYSREG_MAIR), gdb__reg64(v, SYSREG_VBAR));
	esr__describe(esr, desc, sizeof(desc));
	mon__printf(g, "ESR_EL1    0x%016" PRIx64 "  %s\n", esr, desc);
	mon__printf(g, "FAR_EL1    0x%016" PRIx64 "  ELR_EL1   0x%016" PRIx64 "\n",
		    gdb__reg64(v, SYSREG_FAR), gdb__reg64(v, CORE_REG(elr_el1)));
	mon__printf(g, "SPSR_EL1   0x%016" PRIx64 "  (from %s)\n", spsr,
		    modes[spsr & 15] ? modes[spsr & 15] : "AArch32/other");
	mon__printf(g, "SP_EL0     0x%016" PRIx64 "  SP_EL1    0x%016" PRIx64 "\n",
		    gdb__reg64(v, CORE_REG(regs.sp)), gdb__reg64(v, CORE_REG(sp_el1)));
	mon__printf(g, "CPACR_EL1  0x%016" PRIx64 "  PAR_EL1   0x%016" PRIx64 "\n",
		    gdb__reg64(v, SYSREG_CPACR), gdb__reg64(v, SYSREG_PAR));
	mon__printf(g, "CONTEXTIDR 0x%016" PRIx64 "  TPIDR_EL1 0x%016" PRIx64 "\n",
		    gdb__reg64(v, SYSREG_CONTEXTIDR), gdb__reg64(v, SYSREG_TPIDR_EL1));
	mon__printf(g, "MPIDR_EL1  0x%016" PRIx64 "  MDSCR_EL1 0x%016" PRIx64 "\n",
		    gdb__reg64(v, SYSREG_MPIDR), gdb__reg64(v, SYSREG_MDSCR));
}

/* ---- stage 1 ---- */

static void mon__translate(struct gdb *g, const char *arg)
{
	struct s1_walk w;
	uint64_t va;
	int i, rc;

	if (!mon__number(arg, &va))
		return mon__printf(g, "translate VA: a guest virtual address\n");
	rc = s1__walk(mon__vcpu(g), va, &w);
	if (!w.mmu_on && !rc)
		return mon__printf(g, "vCPU%u: MMU off (SCTLR_EL1.M 0): VA 0x%" PRIx64
				   " = PA 0x%" PRIx64 "\n", g->g_vcpu, va, va);
	mon__printf(g, "VA 0x%016" PRIx64 ": TTBR%d, %u-bit range, %uK granule, start level %d\n",
		    va, w.upper, w.ia_bits, (1u << w.granule_shift) >> 10, w.start_level);
	for (i = 0; i < w.levels; i++) {
		uint64_t d = w.desc[i];

		mon__printf(g, "  level %d: table 0x%" PRIx64 " desc 0x%016" PRIx64 " %s", w.start_level + i,
			    w.table[i], d, !(d & 1) ? "invalid" :
			    (w.start_level + i == 3 ? "page" : (d & 2) ? "table" : "block"));
		if ((d & 1) && (w.start_level + i == 3 || !(d & 2)))
			mon__printf(g, " AttrIndx=%u AP=%u SH=%u AF=%u PXN=%u UXN=%u",
				    (unsigned int)(d >> 2 & 7), (unsigned int)(d >> 6 & 3),
				    (unsigned int)(d >> 8 & 3), (unsigned int)(d >> 10 & 1),
				    (unsigned int)(d >> 53 & 1), (unsigned int)(d >> 54 & 1));
		mon__printf(g, "\n");
	}
	if (rc)
		return mon__printf(g, "  fault: %s\n", w.fault);
	mon__printf(g, "  => PA 0x%" PRIx64 " (%" PRIu64 "K %s)\n", w.pa, w.block_size >> 10,
		    w.leaf_level == 3 ? "page" : "block");
}

/* ---- Stage 2 (hvlite only) ---- */

static bool mon__need_hvlite(struct gdb *g, const char *what)
{
	if (!g->is_hvlite)
		mon__printf(g, "%s: not available on KVM (%s has no hvlite introspection ioctls)\n",
			    what, g->kvm->cfg->dev);
	return g->is_hvlite;
}

static void mon__stage2(struct gdb *g, const char *arg)
{
	struct hvlite_s2_walk w = { 0 };
	unsigned int i;
	uint64_t ipa;

	if (!mon__need_hvlite(g, "stage2"))
		return;
	if (!mon__number(arg, &ipa))
		return mon__printf(g, "stage2 IPA: a guest physical address\n");
	w.ipa = ipa;
	if (ioctl(g->kvm->vm_fd, HVLITE_VM_S2_WALK, &w) < 0)
		return mon__printf(g, "HVLITE_VM_S2_WALK: %s\n", strerror(errno));
	mon__printf(g, "IPA 0x%016" PRIx64 ": %u-bit IPA space, 4K granule, start level %u\n",
		    (uint64_t)w.ipa, w.ipa_bits, w.start_level);
	for (i = 0; i < w.levels && i < 4; i++)
		mon__printf(g, "  level %u: desc 0x%016" PRIx64 "\n", w.start_level + i,
			    (uint64_t)w.desc[i]);
	if (!w.mapped)
		return mon__printf(g, "  not mapped (no memory slot covers it: MMIO exits to the VMM)\n");
	mon__printf(g, "  => PA 0x%" PRIx64 " (%" PRIu64 "K %s) %c%c%c MemAttr=0x%x%s SH=%u AF=%u\n",
		    (uint64_t)w.pa, (uint64_t)w.size >> 10, w.leaf_level == 3 ? "page" : "block",
		    w.prot & HVLITE_S2_PROT_R ? 'r' : '-', w.prot & HVLITE_S2_PROT_W ? 'w' : '-',
		    w.prot & HVLITE_S2_PROT_X ? 'x' : '-', w.memattr,
		    w.memattr == 0xf ? " (Normal WB)" : "", w.sh, w.af);
}

/* ---- vGIC ---- */

static int mon__gic_reg(struct gdb *g, bool redist, uint64_t mpidr, uint64_t off, uint32_t *val)
{
	uint64_t aff = (mpidr & 0xffffff) | (mpidr >> 8 & 0xff000000ULL);
	struct kvm_device_attr a = {
		.group = redist ? KVM_DEV_ARM_VGIC_GRP_REDIST_REGS : KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
		.attr = (redist ? aff << 32 : 0) | off,
		.addr = (uintptr_t)val,
	};

	*val = 0;
	return ioctl(g->kvm->vgic_fd, KVM_GET_DEVICE_ATTR, &a);
}

/* The INTIDs [base, base + 32) whose bit is set in one 32-bit GIC register. */
static void mon__bits(struct gdb *g, const char *what, uint32_t bits, unsigned int base)
{
	unsigned int i;

	if (!bits)
		return;
	mon__printf(g, "    %-8s", what);
	for (i = 0; i < 32; i++)
		if (bits >> i & 1)
			mon__printf(g, " %u", base + i);
	mon__printf(g, "\n");
}

static void mon__gic_bank(struct gdb *g, bool rd, uint64_t mpidr, uint64_t frame, unsigned int n)
{
	uint32_t en = 0, pend = 0, act = 0;

	mon__gic_reg(g, rd, mpidr, frame + 0x100 + 4 * n, &en);
	mon__gic_reg(g, rd, mpidr, frame + 0x200 + 4 * n, &pend);
	mon__gic_reg(g, rd, mpidr, frame + 0x300 + 4 * n, &act);
	mon__bits(g, "enabled", en, 32 * n);
	mon__bits(g, "pending", pend, 32 * n);
	mon__bits(g, "active", act, 32 * n);
}

static void mon__gic(struct gdb *g)
{
	uint32_t ctlr, typer, waker;
	unsigned int i, nr;

	if (g->kvm->vgic_fd < 0)
		return mon__printf(g, "gic: this VM has no vGIC\n");
	if (mon__gic_reg(g, false, 0, 0x0, &ctlr) < 0 || mon__gic_reg(g, false, 0, 0x4, &typer) < 0)
		return mon__printf(g, "gic: GRP_DIST_REGS: %s\n", strerror(errno));
	nr = 32 * ((typer & 31) + 1);
	mon__printf(g, "GICD_CTLR 0x%08x (ARE=%u DS=%u EnableGrp1=%u EnableGrp0=%u), "
		    "GICD_TYPER 0x%08x: %u INTIDs\n", ctlr, ctlr >> 4 & 1, ctlr >> 6 & 1,
		    ctlr >> 1 & 1, ctlr & 1, typer, nr);
	for (i = 0; i < g->kvm->nr_vcpus; i++) {
		uint64_t mpidr = g->kvm->vcpus[i].mpidr;

		mon__gic_reg(g, true, mpidr, 0x14, &waker);
		mon__printf(g, "  vCPU%u redistributor: GICR_WAKER 0x%x (%s), SGIs/PPIs:\n", i,
			    waker, waker & 2 ? "ProcessorSleep" : "awake");
		mon__gic_bank(g, true, mpidr, GICR_SGI, 0);
	}
	mon__printf(g, "  SPIs (distributor):\n");
	for (i = 1; i < nr / 32; i++)
		mon__gic_bank(g, false, 0, 0, i);
}

static const char *const lr_state[] = { "invalid", "pending", "active", "pending+active" };

static void mon__lr(struct gdb *g, unsigned int n, uint64_t lr)
{
	mon__printf(g, "    LR%u 0x%016" PRIx64 " %-14s", n, lr, lr_state[lr >> 62]);
	if (lr >> 62)
		mon__printf(g, " vINTID %u group %u priority 0x%02x%s",
			    (unsigned int)(lr & 0xffffffff), (unsigned int)(lr >> 60 & 1),
			    (unsigned int)(lr >> 48 & 0xff), lr >> 61 & 1 ? " HW" : "");
	if (lr >> 62 && lr >> 61 & 1)
		mon__printf(g, " pINTID %u", (unsigned int)(lr >> 32 & 0x1fff));
	else if (lr >> 62 && lr >> 41 & 1)
		mon__printf(g, " EOI (maintenance on deactivation)");
	mon__printf(g, "\n");
}

static void mon__lrs(struct gdb *g)
{
	unsigned int i, n;

	if (!mon__need_hvlite(g, "lrs"))
		return;
	for (i = 0; i < g->kvm->nr_vcpus; i++) {
		struct hvlite_vgic_lrs l = { .vcpu_id = i };

		if (ioctl(g->kvm->vm_fd, HVLITE_VM_VGIC_LRS, &l) < 0) {
			mon__printf(g, "  vCPU%u: HVLITE_VM_VGIC_LRS: %s\n", i, strerror(errno));
			continue;
		}
		mon__printf(g, "  vCPU%u: %u list registers, as saved at its last exit; "
			    "ICH_HCR 0x%" PRIx64 " (En=%u UIE=%u) ICH_VMCR 0x%" PRIx64
			    " (VPMR 0x%02x VENG1=%u) ICH_MISR 0x%" PRIx64 "\n", i, l.nr_lrs,
			    (uint64_t)l.ich_hcr, (unsigned int)(l.ich_hcr & 1),
			    (unsigned int)(l.ich_hcr >> 1 & 1), (uint64_t)l.ich_vmcr,
			    (unsigned int)(l.ich_vmcr >> 24 & 0xff), (unsigned int)(l.ich_vmcr >> 1 & 1),
			    (uint64_t)l.ich_misr);
		if (!l.nr_lrs)
			mon__printf(g, "    (it has not run yet)\n");
		for (n = 0; n < l.nr_lrs; n++)
			mon__lr(g, n, l.lr[n]);
	}
}

/* ---- vCPUs ---- */

static void mon__vcpus(struct gdb *g)
{
	static const char *const mp[] = { "runnable", "uninitialized", "init-received",
					  "halted", "sipi-received", "stopped (powered off)",
					  "check-stop", "operating", "load", "ap-reset-hold",
					  "suspended" };
	unsigned int i;

	for (i = 0; i < g->kvm->nr_vcpus; i++) {
		struct vcpu *v = &g->kvm->vcpus[i];
		struct kvm_mp_state m = { 0 };
		uint64_t pc = gdb__reg64(v, CORE_REG(regs.pc));
		uint32_t insn = 0;
		bool held;

		ioctl(v->fd, KVM_GET_MP_STATE, &m);
		pthread_mutex_lock(&g->lock);
		held = g->v[i].parked;
		pthread_mutex_unlock(&g->lock);
		g->g_vcpu = i;
		gdb__mem_read(g, pc, (uint8_t *)&insn, 4);
		mon__printf(g, "  vCPU%u (thread %u) MPIDR 0x%" PRIx64 ": %s, %s, pc 0x%016" PRIx64 "%s\n",
			    i, i + 1, v->mpidr, held ? "stopped by gdb" : "running",
			    m.mp_state < ARRAY_SIZE(mp) ? mp[m.mp_state] : "?", pc,
			    insn == 0xd503207f ? " (halted: at a WFI)" : "");
	}
}

static void mon__help(struct gdb *g)
{
	mon__printf(g,
		"hvlite-run monitor commands (the current thread's vCPU, see 'thread N'):\n"
		"  help             this text\n"
		"  sysregs          EL1 system registers, decoded\n"
		"  translate VA     the guest's stage-1 walk of VA, level by level\n"
		"  stage2 IPA       hvlite's Stage-2 walk of IPA (hvlite only)\n"
		"  gic              vGIC: distributor, redistributors, enabled/pending/active INTIDs\n"
		"  lrs              each vCPU's list registers, decoded (hvlite only)\n"
		"  vcpus            run state and PC of every vCPU\n"
		"  exits [N]        the last N exits (default 16, at most %d), ESR decoded\n"
		"  phys | virt      m/M packets (x, print *addr) take physical | virtual addresses\n",
		GDB_EXIT_RING);
}

void gdb__monitor(struct gdb *g, const char *cmd)
{
	char buf[128], *arg, *name;
	unsigned int saved = g->g_vcpu;

	g->mon_len = 0;
	snprintf(buf, sizeof(buf), "%s", cmd);
	name = strtok(buf, " \t");
	arg = strtok(NULL, " \t");
	if (!name || !strcmp(name, "help"))
		mon__help(g);
	else if (!strcmp(name, "sysregs"))
		mon__sysregs(g);
	else if (!strcmp(name, "translate"))
		mon__translate(g, arg);
	else if (!strcmp(name, "stage2"))
		mon__stage2(g, arg);
	else if (!strcmp(name, "gic"))
		mon__gic(g);
	else if (!strcmp(name, "lrs"))
		mon__lrs(g);
	else if (!strcmp(name, "vcpus"))
		mon__vcpus(g);
	else if (!strcmp(name, "exits"))
		mon__exits(g, arg);
	else if (!strcmp(name, "phys") || !strcmp(name, "virt")) {
		g->phys = name[0] == 'p';
		mon__printf(g, "memory accesses use %s addresses\n",
			    g->phys ? "guest physical" : "guest virtual");
	} else
		mon__printf(g, "unknown command '%s': try 'monitor help'\n", name);
	g->g_vcpu = saved;
}
