// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run's GDB stub: the stopped VM as gdb sees it. Registers in gdb's
 * aarch64 numbering through ONE_REG, memory by guest virtual address (the
 * guest's own stage-1 tables, s1walk.c) or physical address, software
 * breakpoints (BRK #0 written into guest memory) and the debug registers
 * KVM_SET_GUEST_DEBUG loads. Called from the gdb thread with every vCPU
 * parked, except gdb__reinject_brk() and gdb__sw_bp_at() (the vCPU's own thread).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "gdb.h"

/* gdb's aarch64 register numbers (target.xml below) */
#define GDB_SP		31
#define GDB_PC		32
#define GDB_CPSR	33
#define GDB_V0		34
#define GDB_FPSR	66
#define GDB_FPCR	67
#define GDB_NR_REGS	68

#define VREG(n)		(KVM_REG_ARM64 | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(fp_regs.vregs[n]))
#define FPREG32(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(fp_regs.r))
#define SYSREG_MMFR1	ARM64_SYS_REG(3, 0, 0, 7, 1)

/* DBGBCR/DBGWCR fields (Arm ARM D13.3) */
#define DBG_E		1ULL
#define DBG_PMC_EL1_EL0	(3ULL << 1)
#define DBG_BCR_BAS_A64	(0xfULL << 5)
#define DBG_WCR_LSC(x)	((uint64_t)(x) << 3)
#define DBG_WCR_BAS(x)	((uint64_t)(x) << 5)
#define DBG_WCR_MASK(x)	((uint64_t)(x) << 24)

int gdb__get_reg(struct vcpu *vcpu, uint64_t id, void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
}

int gdb__set_reg(struct vcpu *vcpu, uint64_t id, const void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

uint64_t gdb__reg64(struct vcpu *vcpu, uint64_t id)
{
	uint64_t v = 0;

	gdb__get_reg(vcpu, id, &v);
	return v;
}

/* gdb's "sp" is the stack pointer of the current mode: SP_EL1 in EL1h, else SP_EL0. */
static uint64_t gdb__sp_id(struct vcpu *vcpu)
{
	uint64_t pstate = gdb__reg64(vcpu, CORE_REG(regs.pstate));

	return (pstate & PSR_MODE_MASK) == PSR_MODE_EL1h ? CORE_REG(sp_el1) : CORE_REG(regs.sp);
}

/* One register: its ONE_REG id and size in gdb's layout; false if there is none. */
static bool gdb__reg_id(struct vcpu *vcpu, unsigned int n, uint64_t *id, size_t *size)
{
	*size = 8;
	if (n < 31)
		*id = CORE_REG(regs.regs[n]);
	else if (n == GDB_SP)
		*id = gdb__sp_id(vcpu);
	else if (n == GDB_PC)
		*id = CORE_REG(regs.pc);
	else if (n == GDB_CPSR)
		*id = CORE_REG(regs.pstate), *size = 4;
	else if (n >= GDB_V0 && n < GDB_V0 + 32)
		*id = VREG(n - GDB_V0), *size = 16;
	else if (n == GDB_FPSR || n == GDB_FPCR)
		*id = n == GDB_FPSR ? FPREG32(fpsr) : FPREG32(fpcr), *size = 4;
	else
		return false;
	return true;
}

/* Register n, little-endian, into buf (at least 16 bytes); *len gets its size. */
int gdb__read_reg(struct vcpu *vcpu, unsigned int n, uint8_t *buf, size_t *len)
{
	uint8_t tmp[16] = { 0 };
	uint64_t id;
	size_t size;

	if (!gdb__reg_id(vcpu, n, &id, &size) || *len < size)
		return -1;
	if (gdb__get_reg(vcpu, id, tmp) < 0)
		return -1;
	memcpy(buf, tmp, size);		/* PSTATE is 64-bit in KVM, 32 in gdb */
	*len = size;
	return 0;
}

int gdb__write_reg(struct vcpu *vcpu, unsigned int n, const uint8_t *buf, size_t len)
{
	uint8_t tmp[16] = { 0 };
	uint64_t id;
	size_t size;

	if (!gdb__reg_id(vcpu, n, &id, &size) || len != size)
		return -1;
	memcpy(tmp, buf, size);
	return gdb__set_reg(vcpu, id, tmp);
}

int gdb__read_regs(struct vcpu *vcpu, uint8_t *buf, size_t *len)
{
	size_t off = 0, n;
	unsigned int i;

	for (i = 0; i < GDB_NR_REGS; i++) {
		n = *len - off;
		if (gdb__read_reg(vcpu, i, buf + off, &n) < 0)
			return -1;
		off += n;
	}
	*len = off;
	return 0;
}

/* G: every register, in order; a short packet writes the ones it covers. */
int gdb__write_regs(struct vcpu *vcpu, const uint8_t *buf, size_t len)
{
	size_t off = 0, size;
	unsigned int i;
	uint64_t id;

	for (i = 0; i < GDB_NR_REGS && off < len; i++) {
		if (!gdb__reg_id(vcpu, i, &id, &size) || off + size > len)
			return -1;
		if (gdb__write_reg(vcpu, i, buf + off, size) < 0)
			return -1;
		off += size;
	}
	return 0;
}

/* ---- memory ---- */

/* The guest physical address of addr (virtual unless "monitor phys"), or -1. */
static int gdb__xlate(struct gdb *g, uint64_t addr, uint64_t *gpa)
{
	struct s1_walk w;

	if (g->phys) {
		*gpa = addr;
		return 0;
	}
	if (s1__walk(&g->kvm->vcpus[g->g_vcpu], addr, &w) < 0)
		return -1;
	*gpa = w.pa;
	return 0;
}

/* A host pointer to len bytes at addr, within one guest page; NULL outside RAM. */
static void *gdb__host_ptr(struct gdb *g, uint64_t addr, size_t len)
{
	uint64_t gpa;

	if (gdb__xlate(g, addr, &gpa) < 0)
		return NULL;
	return kvm__gpa_to_hva(g->kvm, gpa, len);
}

static size_t page_chunk(uint64_t addr, size_t left)
{
	size_t in_page = SZ_4K - (addr & (SZ_4K - 1));

	return left < in_page ? left : in_page;
}

/* Up to len bytes; stops at the first byte that is not guest RAM. */
size_t gdb__mem_read(struct gdb *g, uint64_t addr, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = page_chunk(addr + done, len - done);
		void *p = gdb__host_ptr(g, addr + done, n);

		if (!p)
			break;
		memcpy(buf + done, p, n);
		done += n;
	}
	return done;
}

/* Make new instructions visible to the guest's instruction fetch. */
static void gdb__sync_icache(void *p, size_t len)
{
	__builtin___clear_cache((char *)p, (char *)p + len);
}

/* All or nothing: every page is checked before a byte is written. */
int gdb__mem_write(struct gdb *g, uint64_t addr, const uint8_t *buf, size_t len)
{
	size_t done;

	for (done = 0; done < len; done += page_chunk(addr + done, len - done))
		if (!gdb__host_ptr(g, addr + done, page_chunk(addr + done, len - done)))
			return -1;
	for (done = 0; done < len;) {
		size_t n = page_chunk(addr + done, len - done);
		void *p = gdb__host_ptr(g, addr + done, n);

		memcpy(p, buf + done, n);
		gdb__sync_icache(p, n);
		done += n;
	}
	return 0;
}

/* ---- breakpoints and watchpoints ---- */

static struct gdb_sw_bp *gdb__sw_find(struct gdb *g, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < GDB_MAX_SW_BP; i++)
		if (g->sw[i].used && g->sw[i].addr == addr)
			return &g->sw[i];
	return NULL;
}

bool gdb__sw_bp_at(struct gdb *g, uint64_t pc)
{
	return gdb__sw_find(g, pc) != NULL;
}

/* BRK #0 at addr (a guest VA, 4-byte aligned), the old word kept for removal. */
static int gdb__sw_insert(struct gdb *g, uint64_t addr)
{
	struct gdb_sw_bp *b = NULL;
	uint32_t insn = BRK_INSN;
	unsigned int i;
	uint64_t gpa;
	void *p;

	if (addr & 3)
		return -EINVAL;
	if (gdb__sw_find(g, addr))
		return 0;
	for (i = 0; i < GDB_MAX_SW_BP && !b; i++)
		if (!g->sw[i].used)
			b = &g->sw[i];
	if (!b)
		return -ENOSPC;
	if (gdb__xlate(g, addr, &gpa) < 0 || !(p = kvm__gpa_to_hva(g->kvm, gpa, 4)))
		return -EFAULT;
	memcpy(&b->saved, p, 4);
	memcpy(p, &insn, 4);
	gdb__sync_icache(p, 4);
	b->used = true;
	b->addr = addr;
	b->gpa = gpa;
	return 0;
}

static void gdb__sw_restore(struct gdb *g, struct gdb_sw_bp *b)
{
	void *p = kvm__gpa_to_hva(g->kvm, b->gpa, 4);

	if (p) {
		memcpy(p, &b->saved, 4);
		gdb__sync_icache(p, 4);
	}
	b->used = false;
}

static int gdb__hw_count(struct gdb *g, bool wp)
{
	int *n = wp ? &g->nr_hw_wp : &g->nr_hw_bp;

	if (!*n) {
		*n = ioctl(g->kvm->vm_fd, KVM_CHECK_EXTENSION,
			   wp ? KVM_CAP_GUEST_DEBUG_HW_WPS : KVM_CAP_GUEST_DEBUG_HW_BPS);
		if (*n < 0)
			*n = 0;
		if (*n > GDB_MAX_HW)
			*n = GDB_MAX_HW;
	}
	return *n;
}

/* DBGWCR for [addr, addr + len): a byte mask inside one doubleword, or an aligned power of 2. */
static int gdb__wcr(int type, uint64_t addr, uint64_t len, uint64_t *ctrl, uint64_t *value)
{
	static const unsigned int lsc[] = { 0, 0, 2, 1, 3 };	/* store, load, both */
	unsigned int off = addr & 7, mask = 0;

	if (!len || len > (1ULL << 31))
		return -EINVAL;
	if (off + len <= 8) {
		*value = addr & ~7ULL;
		*ctrl = DBG_WCR_BAS(((1u << len) - 1) << off);
	} else if (!(len & (len - 1)) && !(addr & (len - 1))) {
		while ((1ULL << mask) < len)
			mask++;
		*value = addr;
		*ctrl = DBG_WCR_BAS(0xff) | DBG_WCR_MASK(mask);
	} else {
		return -EINVAL;
	}
	*ctrl |= DBG_E | DBG_PMC_EL1_EL0 | DBG_WCR_LSC(lsc[type]);
	return 0;
}

static int gdb__hw_insert(struct gdb *g, int type, uint64_t addr, uint64_t len)
{
	bool wp = type != 1;
	struct gdb_hw *list = wp ? g->wp : g->bp;
	struct gdb_hw h = { .used = true, .type = type, .addr = addr, .len = len };
	int i, n = gdb__hw_count(g, wp);

	if (wp) {
		if (gdb__wcr(type, addr, len, &h.ctrl, &h.value) < 0)
			return -EINVAL;
	} else {
		if (addr & 3)
			return -EINVAL;
		h.value = addr;
		h.ctrl = DBG_E | DBG_PMC_EL1_EL0 | DBG_BCR_BAS_A64;
	}
	for (i = 0; i < n; i++) {
		if (!list[i].used) {
			list[i] = h;
			return 0;
		}
	}
	return -ENOSPC;
}

static int gdb__hw_remove(struct gdb *g, int type, uint64_t addr, uint64_t len)
{
	struct gdb_hw *list = type != 1 ? g->wp : g->bp;
	unsigned int i;

	for (i = 0; i < GDB_MAX_HW; i++) {
		if (list[i].used && list[i].type == type && list[i].addr == addr &&
		    (type == 1 || list[i].len == len)) {
			list[i].used = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Z type 0 (software), 1 (hardware), 2-4 (write, read, access watchpoints). */
int gdb__bp_insert(struct gdb *g, int type, uint64_t addr, uint64_t kind)
{
	if (type == 0)
		return kind == 4 ? gdb__sw_insert(g, addr) : -EINVAL;
	return gdb__hw_insert(g, type, addr, kind);
}

int gdb__bp_remove(struct gdb *g, int type, uint64_t addr, uint64_t kind)
{
	struct gdb_sw_bp *b;

	if (type)
		return gdb__hw_remove(g, type, addr, kind);
	b = gdb__sw_find(g, addr);
	if (!b)
		return -EINVAL;
	gdb__sw_restore(g, b);
	return 0;
}

void gdb__bp_remove_all(struct gdb *g)
{
	unsigned int i;

	for (i = 0; i < GDB_MAX_SW_BP; i++)
		if (g->sw[i].used)
			gdb__sw_restore(g, &g->sw[i]);
	memset(g->bp, 0, sizeof(g->bp));
	memset(g->wp, 0, sizeof(g->wp));
}

/* The Z type of the watchpoint whose doubleword(s) hold far (2 when unsure). */
int gdb__watch_hit(struct gdb *g, uint64_t far)
{
	unsigned int i;

	for (i = 0; i < GDB_MAX_HW; i++) {
		const struct gdb_hw *w = &g->wp[i];
		uint64_t lo = w->addr & ~7ULL, hi = (w->addr + w->len + 7) & ~7ULL;

		if (w->used && far >= lo && far < hi)
			return w->type;
	}
	return 2;
}

/* KVM_SET_GUEST_DEBUG for one vCPU from the lists: off when no session is attached. */
int gdb__apply_debug(struct gdb *g, struct vcpu *vcpu, bool step)
{
	struct kvm_guest_debug dbg = { 0 };
	bool hw = false;
	unsigned int i;

	for (i = 0; i < GDB_MAX_HW && i < KVM_ARM_MAX_DBG_REGS; i++) {
		if (g->bp[i].used) {
			dbg.arch.dbg_bcr[i] = g->bp[i].ctrl;
			dbg.arch.dbg_bvr[i] = g->bp[i].value;
			hw = true;
		}
		if (g->wp[i].used) {
			dbg.arch.dbg_wcr[i] = g->wp[i].ctrl;
			dbg.arch.dbg_wvr[i] = g->wp[i].value;
			hw = true;
		}
	}
	if (g->attached)
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP |
			      (hw ? KVM_GUESTDBG_USE_HW : 0) | (step ? KVM_GUESTDBG_SINGLESTEP : 0);
	if (ioctl(vcpu->fd, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		pr_warn("gdb: vCPU%u: KVM_SET_GUEST_DEBUG: %s", vcpu->id, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A BRK that is not gdb's goes to the guest as the CPU would have taken it
 * (Arm ARM D1.10): ESR_EL1 = the syndrome, ELR_EL1 = the BRK, SPSR_EL1 =
 * PSTATE, then EL1h with DAIF masked at VBAR_EL1 + the vector offset. QEMU
 * does the same for KVM; ONE_REG writes work on KVM and hvlite alike.
 */
void gdb__reinject_brk(struct vcpu *vcpu, uint64_t esr)
{
	uint64_t pc = gdb__reg64(vcpu, CORE_REG(regs.pc));
	uint64_t pstate = gdb__reg64(vcpu, CORE_REG(regs.pstate));
	uint64_t vbar = gdb__reg64(vcpu, SYSREG_VBAR);
	uint64_t sctlr = gdb__reg64(vcpu, SYSREG_SCTLR);
	uint64_t mmfr1 = gdb__reg64(vcpu, SYSREG_MMFR1);
	uint64_t mode = pstate & PSR_MODE_MASK, off, npstate;

	off = mode == PSR_MODE_EL1h ? 0x200 : mode == PSR_MODE_EL1t ? 0 : 0x400;
	if (pstate & PSR_MODE32)
		off = 0x600;
	npstate = PSR_MODE_EL1h | PSR_DAIF;
	if (((mmfr1 >> 20) & 0xf) && !(sctlr & SCTLR_SPAN))
		npstate |= PSR_PAN;
	if (sctlr & SCTLR_DSSBS)
		npstate |= PSR_SSBS;
	vbar += off;
	if (gdb__set_reg(vcpu, SYSREG_ESR, &esr) < 0 ||
	    gdb__set_reg(vcpu, CORE_REG(elr_el1), &pc) < 0 ||
	    gdb__set_reg(vcpu, CORE_REG(spsr[KVM_SPSR_EL1]), &pstate) < 0 ||
	    gdb__set_reg(vcpu, CORE_REG(regs.pstate), &npstate) < 0 ||
	    gdb__set_reg(vcpu, CORE_REG(regs.pc), &vbar) < 0)
		pr_warn("vCPU%u: re-injecting a BRK: %s", vcpu->id, strerror(errno));
}

/* ---- target description: gdb's aarch64 core and fpu features ---- */

#define XML_X(n)	"<reg name=\"x" #n "\" bitsize=\"64\"/>"
#define XML_V(n)	"<reg name=\"v" #n "\" bitsize=\"128\" type=\"aarch64v\"/>"
#define XML_X8(a, b, c, d, e, f, g, h) \
	XML_X(a) XML_X(b) XML_X(c) XML_X(d) XML_X(e) XML_X(f) XML_X(g) XML_X(h)
#define XML_V8(a, b, c, d, e, f, g, h) \
	XML_V(a) XML_V(b) XML_V(c) XML_V(d) XML_V(e) XML_V(f) XML_V(g) XML_V(h)

static const char target_xml[] =
	"<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target><architecture>aarch64</architecture>"
	"<feature name=\"org.gnu.gdb.aarch64.core\">"
	XML_X8(0, 1, 2, 3, 4, 5, 6, 7) XML_X8(8, 9, 10, 11, 12, 13, 14, 15)
	XML_X8(16, 17, 18, 19, 20, 21, 22, 23)
	XML_X(24) XML_X(25) XML_X(26) XML_X(27) XML_X(28) XML_X(29) XML_X(30)
	"<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>"
	"<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>"
	"<flags id=\"cpsr_flags\" size=\"4\">"
	"<field name=\"SP\" start=\"0\" end=\"0\"/><field name=\"EL\" start=\"2\" end=\"3\"/>"
	"<field name=\"nRW\" start=\"4\" end=\"4\"/><field name=\"F\" start=\"6\" end=\"6\"/>"
	"<field name=\"I\" start=\"7\" end=\"7\"/><field name=\"A\" start=\"8\" end=\"8\"/>"
	"<field name=\"D\" start=\"9\" end=\"9\"/><field name=\"SS\" start=\"21\" end=\"21\"/>"
	"<field name=\"V\" start=\"28\" end=\"28\"/><field name=\"C\" start=\"29\" end=\"29\"/>"
	"<field name=\"Z\" start=\"30\" end=\"30\"/><field name=\"N\" start=\"31\" end=\"31\"/>"
	"</flags><reg name=\"cpsr\" bitsize=\"32\" type=\"cpsr_flags\"/></feature>"
	"<feature name=\"org.gnu.gdb.aarch64.fpu\">"
	"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
	"<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>"
	"<vector id=\"v2i\" type=\"int64\" count=\"2\"/>"
	"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
	"<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>"
	"<vector id=\"v4i\" type=\"int32\" count=\"4\"/>"
	"<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>"
	"<vector id=\"v8i\" type=\"int16\" count=\"8\"/>"
	"<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>"
	"<vector id=\"v16i\" type=\"int8\" count=\"16\"/>"
	"<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>"
	"<vector id=\"v1i\" type=\"int128\" count=\"1\"/>"
	"<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
	"<field name=\"s\" type=\"v2i\"/></union>"
	"<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
	"<field name=\"s\" type=\"v4i\"/></union>"
	"<union id=\"vnh\"><field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>"
	"<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/></union>"
	"<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>"
	"<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
	"<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/>"
	"<field name=\"q\" type=\"vnq\"/></union>"
	XML_V8(0, 1, 2, 3, 4, 5, 6, 7) XML_V8(8, 9, 10, 11, 12, 13, 14, 15)
	XML_V8(16, 17, 18, 19, 20, 21, 22, 23) XML_V8(24, 25, 26, 27, 28, 29, 30, 31)
	"<reg name=\"fpsr\" bitsize=\"32\"/><reg name=\"fpcr\" bitsize=\"32\"/>"
	"</feature></target>";

const char *gdb__target_xml(size_t *len)
{
	*len = sizeof(target_xml) - 1;
	return target_xml;
}
