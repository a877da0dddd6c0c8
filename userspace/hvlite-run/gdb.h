/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvlite-run's GDB stub (--gdb PORT): the state the protocol (gdb.c), the
 * target access (gdb-target.c), the monitor commands (gdb-monitor.c) and
 * the stage-1 walker (s1walk.c) share. All-stop: one gdb thread serves the
 * connection; vCPU threads park in gdb__vcpu_park() while the VM is stopped.
 */
#ifndef HVLITE_RUN_GDB_H
#define HVLITE_RUN_GDB_H

#include <stdarg.h>
#include "hvlite-run.h"

#define GDB_PACKET_SIZE	0x4000		/* qSupported PacketSize, our buffers */
#define GDB_MAX_SW_BP	64
#define GDB_MAX_HW	16
#define GDB_EXIT_RING	64
#define GDB_SIGINT	2
#define GDB_SIGTRAP	5

#define BRK_INSN	0xd4200000u	/* brk #0 */

#define CORE_REG(name)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(name))
#define SYSREG_SCTLR	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define SYSREG_CPACR	ARM64_SYS_REG(3, 0, 1, 0, 2)
#define SYSREG_TTBR0	ARM64_SYS_REG(3, 0, 2, 0, 0)
#define SYSREG_TTBR1	ARM64_SYS_REG(3, 0, 2, 0, 1)
#define SYSREG_TCR	ARM64_SYS_REG(3, 0, 2, 0, 2)
#define SYSREG_ESR	ARM64_SYS_REG(3, 0, 5, 2, 0)
#define SYSREG_FAR	ARM64_SYS_REG(3, 0, 6, 0, 0)
#define SYSREG_PAR	ARM64_SYS_REG(3, 0, 7, 4, 0)
#define SYSREG_MAIR	ARM64_SYS_REG(3, 0, 10, 2, 0)
#define SYSREG_VBAR	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define SYSREG_CONTEXTIDR ARM64_SYS_REG(3, 0, 13, 0, 1)
#define SYSREG_TPIDR_EL1 ARM64_SYS_REG(3, 0, 13, 0, 4)
#define SYSREG_MPIDR	ARM64_SYS_REG(3, 0, 0, 0, 5)
#define SYSREG_CNTKCTL	ARM64_SYS_REG(3, 0, 14, 1, 0)
#define SYSREG_MDSCR	ARM64_SYS_REG(2, 0, 0, 2, 2)

/* PSTATE (SPSR_ELx layout) */
/* PSR_MODE_* come from <asm/ptrace.h> (through <linux/kvm.h>) */
#define PSR_MODE32	0x10ULL
#define PSR_DAIF	0x3c0ULL
#define PSR_PAN		(1ULL << 22)
#define PSR_SSBS	(1ULL << 12)
#define SCTLR_M		(1ULL << 0)
#define SCTLR_SPAN	(1ULL << 23)
#define SCTLR_DSSBS	(1ULL << 44)

/* ESR_ELx exception classes the stub looks at */
#define EC_BREAKPT_LOW	0x30
#define EC_SOFTSTP_LOW	0x32
#define EC_WATCHPT_LOW	0x34
#define EC_BRK64	0x3c
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)

enum gdb_action { ACT_STAY, ACT_CONT, ACT_STEP };

struct gdb_vcpu {
	enum gdb_action action;
	bool parked;
	bool hold;		/* stays parked across a resume (not in vCont) */
};

struct gdb_sw_bp {
	bool used;
	uint64_t addr;		/* guest VA */
	uint64_t gpa;		/* where the BRK went */
	uint32_t saved;
};

/* Z1 (hw breakpoints), Z2-Z4 (watchpoints): wcr/bcr values as written. */
struct gdb_hw {
	bool used;
	int type;		/* Z type: 1 exec, 2 write, 3 read, 4 access */
	uint64_t addr;
	uint64_t len;
	uint64_t ctrl, value;
};

struct gdb_exit_rec {
	uint64_t seq;
	unsigned int vcpu;
	uint32_t reason;
	uint64_t pc;
	uint64_t esr;		/* KVM_EXIT_DEBUG hsr, NISV esr_iss (as EC 0x24), else 0 */
	uint64_t addr;		/* MMIO/NISV address, watchpoint FAR, hypercall nr */
	uint32_t len;
	bool write;
};

struct gdb {
	struct kvm *kvm;
	uint16_t port;
	int listen_fd, conn_fd;
	int wake[2];			/* vCPUs -> gdb thread: a stop event */
	pthread_t thread;
	bool quit;

	pthread_mutex_t lock;		/* everything below */
	pthread_cond_t cond;
	bool stop_req;			/* vCPUs park */
	unsigned int parked;
	struct gdb_vcpu *v;
	bool attached;			/* a session has debug enabled */
	bool event;			/* a vCPU reported a stop */
	unsigned int ev_vcpu;
	int ev_sig;
	int ev_watch;			/* Z type of the watchpoint hit, or 0 */
	uint64_t ev_addr;
	struct gdb_exit_rec ring[GDB_EXIT_RING];
	uint64_t ring_seq;

	/* Owned by the gdb thread */
	struct gdb_sw_bp sw[GDB_MAX_SW_BP];
	struct gdb_hw bp[GDB_MAX_HW], wp[GDB_MAX_HW];
	int nr_hw_bp, nr_hw_wp;
	unsigned int g_vcpu;		/* Hg: registers and memory of this vCPU */
	bool phys;			/* m/M take physical addresses */
	bool is_hvlite;			/* the device has hvlite's extensions */
	char out[GDB_PACKET_SIZE + 8];	/* the reply being built */
	size_t out_len;
	char *mon;			/* monitor output (O packets) */
	size_t mon_len, mon_cap;
};

extern struct gdb *gdb_state;

/* gdb-packet.c: framing and reply building */
int hexval(int c);
bool hex2bin(const char *s, uint8_t *out, size_t n);
bool parse_hex(const char **s, uint64_t *v);
void out__reset(struct gdb *g);
void out__str(struct gdb *g, const char *s);
void out__fmt(struct gdb *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out__hex(struct gdb *g, const uint8_t *p, size_t n);
int gdb__send_raw(struct gdb *g, const char *buf, size_t len);
int gdb__send_packet(struct gdb *g, const char *data, size_t len);
int gdb__send_str(struct gdb *g, const char *s);
int gdb__read_packet(struct gdb *g, char *buf, size_t cap);

/* gdb-target.c: registers, memory, breakpoints of the stopped VM */
int gdb__get_reg(struct vcpu *vcpu, uint64_t id, void *val);
int gdb__set_reg(struct vcpu *vcpu, uint64_t id, const void *val);
uint64_t gdb__reg64(struct vcpu *vcpu, uint64_t id);
int gdb__read_regs(struct vcpu *vcpu, uint8_t *buf, size_t *len);
int gdb__write_regs(struct vcpu *vcpu, const uint8_t *buf, size_t len);
int gdb__read_reg(struct vcpu *vcpu, unsigned int n, uint8_t *buf, size_t *len);
int gdb__write_reg(struct vcpu *vcpu, unsigned int n, const uint8_t *buf, size_t len);
size_t gdb__mem_read(struct gdb *g, uint64_t addr, uint8_t *buf, size_t len);
int gdb__mem_write(struct gdb *g, uint64_t addr, const uint8_t *buf, size_t len);
int gdb__bp_insert(struct gdb *g, int type, uint64_t addr, uint64_t kind);
int gdb__bp_remove(struct gdb *g, int type, uint64_t addr, uint64_t kind);
void gdb__bp_remove_all(struct gdb *g);
bool gdb__sw_bp_at(struct gdb *g, uint64_t pc);
int gdb__apply_debug(struct gdb *g, struct vcpu *vcpu, bool step);
int gdb__watch_hit(struct gdb *g, uint64_t far);
void gdb__reinject_brk(struct vcpu *vcpu, uint64_t esr);
const char *gdb__target_xml(size_t *len);

/* s1walk.c: the guest's stage-1 translation, as the MMU does it */
#define S1_MAX_LEVELS 4
struct s1_walk {
	bool mmu_on;
	bool upper;			/* TTBR1 */
	unsigned int granule_shift;
	unsigned int ia_bits;
	int start_level;
	int levels;			/* descriptors read */
	uint64_t table[S1_MAX_LEVELS];	/* table address read at each step */
	uint64_t desc[S1_MAX_LEVELS];
	int leaf_level;
	uint64_t pa;
	uint64_t block_size;
	const char *fault;		/* NULL when translated */
};
int s1__walk(struct vcpu *vcpu, uint64_t va, struct s1_walk *w);

/* gdb-monitor.c */
void gdb__monitor(struct gdb *g, const char *cmd);
void mon__printf(struct gdb *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gdb__record_exit_locked(struct gdb *g, struct vcpu *vcpu);

/* esr.c */
void esr__describe(uint64_t esr, char *buf, size_t size);
const char *esr__ec_name(unsigned int ec);

#endif
