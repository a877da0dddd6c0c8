/* SPDX-License-Identifier: GPL-2.0-only */
/* hvlite-run: the VM, vCPU and device types shared by every file, and the guest memory map. */
#ifndef HVLITE_RUN_H
#define HVLITE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <linux/kvm.h>

#define HVLITE_RUN_VERSION "0.1"

#define SZ_4K		0x1000ULL
#define SZ_64K		0x10000ULL
#define SZ_1M		0x100000ULL
#define SZ_2M		0x200000ULL

#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((uint64_t)(a) - 1))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/*
 * The guest physical memory map (Documentation/usage.md). Everything below
 * RAM_BASE is MMIO; the device tree and the devices both read these.
 */
#define GICD_BASE	0x08000000ULL	/* GICv3 distributor, 64 KiB */
#define GICD_SIZE	SZ_64K
#define GICR_BASE	0x08100000ULL	/* redistributors: 2 x 64 KiB frames per vCPU */
#define GICR_STRIDE	(2 * SZ_64K)
#define MAX_VCPUS	64		/* GICR_BASE + 64 * 128 KiB = 0x08900000 */
#define PL011_BASE	0x09000000ULL
#define PL011_SIZE	SZ_4K
#define PL011_SPI	1		/* INTID 33 */
#define VIRTIO_MMIO_BASE 0x0a000000ULL	/* slot n at BASE + n * 0x200 */
#define VIRTIO_MMIO_SIZE 0x200ULL
#define VIRTIO_MMIO_SLOTS 32
#define VIRTIO_MMIO_SPI	16		/* slot n: SPI 16 + n, INTID 48 + n */
#define RAM_BASE	0x80000000ULL

/* The architected timer's PPIs (INTID = 16 + PPI): secure, non-secure, virtual, hyp. */
#define TIMER_PPI_SEC	13
#define TIMER_PPI_NS	14
#define TIMER_PPI_VIRT	11
#define TIMER_PPI_HYP	10

/* Device-tree interrupt specifier (arm,gic-v3 binding) */
#define FDT_IRQ_SPI	0
#define FDT_IRQ_PPI	1
#define FDT_IRQ_LEVEL_HI 4

#define PHANDLE_GIC	1
#define PHANDLE_APB_PCLK 2

/* Sent to the main thread when the VM stops; it waits for it with sigwait(). */
#define SIG_VM_STOP	SIGUSR2

enum reset_action { RESET_EXIT, RESET_RESTART };
enum console_kind { CONSOLE_SERIAL, CONSOLE_VIRTIO };	/* which device stdin feeds */

struct config {
	const char *dev;
	const char *kernel;
	const char *initrd;
	const char *params;
	const char *dtb;
	const char *dump_dtb;
	const char *bare;
	uint64_t bare_addr;
	uint64_t mem_mib;
	bool rng;
	const char *disk;
	bool disk_ro;
	unsigned int nr_cpus;
	enum reset_action on_reset;
	enum console_kind console;
	int verbose;
	uint16_t gdb_port;	/* --gdb PORT, 0: no stub */
	bool gdb_wait;		/* --gdb-wait: vCPUs wait for gdb */
};

/* How the guest ended: the launcher's exit status follows from it. */
enum vm_stop {
	VM_RUNNING,
	VM_STOP_OFF,		/* PSCI SYSTEM_OFF */
	VM_STOP_RESET,		/* PSCI SYSTEM_RESET */
	VM_STOP_SIGNAL,		/* SIGINT/SIGTERM/SIGHUP or the console escape */
	VM_STOP_ERROR,		/* a vCPU failed or the guest crashed */
	VM_STOP_DEBUGGER,	/* gdb's kill */
};

struct kvm;

struct vcpu {
	struct kvm *kvm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	uint64_t mpidr;
	bool started;
};

struct kvm {
	const struct config *cfg;
	int sys_fd;
	int vm_fd;
	int vgic_fd;
	size_t run_size;
	void *ram;
	uint64_t ram_size;
	unsigned int nr_vcpus;
	struct vcpu *vcpus;

	/* Filled by the loader: where the guest starts, and what goes in the tree */
	uint64_t entry;
	uint64_t dtb_gpa;
	uint64_t initrd_gpa, initrd_size;
	uint64_t payload_end;	/* first byte after the kernel/bare image */

	pthread_t main_thread;	/* told by SIG_VM_STOP when the VM stops */
	pthread_mutex_t stop_lock;
	enum vm_stop stop;
	unsigned int stop_vcpu;
};

/* A device: its MMIO window, its FDT node, and how it starts and stops. */
struct device {
	const char *name;
	uint64_t base, size;
	/* An access of len bytes at offset off; data is little-endian. */
	void (*mmio)(struct device *dev, struct kvm *kvm, uint64_t off, uint8_t *data,
		     unsigned int len, bool is_write);
	int (*fdt)(struct device *dev, struct kvm *kvm, void *fdt);
	/* Once, before any VM: open and check what the options name (dies with one line). */
	void (*prepare)(struct device *dev, const struct config *cfg);
	int (*init)(struct device *dev, struct kvm *kvm);	/* after the VM and its vCPUs exist */
	void (*exit)(struct device *dev, struct kvm *kvm);	/* before the VM goes */
	/* Optional devices: false leaves the device out of the machine (no node, no MMIO). */
	bool (*present)(const struct config *cfg);
	void *priv;
	bool absent;
	struct device *next;
};

void device__register(struct device *dev);
struct device *device__find(uint64_t gpa, unsigned int len);
struct device *device__first(void);
struct device *device__next(struct device *dev);
void device__select(const struct config *cfg);
#define device_register(dev)						\
	static void __attribute__((constructor)) dev##__register(void)	\
	{								\
		device__register(&(dev));				\
	}

/* util.c */
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);
void __attribute__((noreturn, format(printf, 1, 2))) die_errno(const char *fmt, ...);
void __attribute__((format(printf, 1, 2))) pr_warn(const char *fmt, ...);
void __attribute__((format(printf, 2, 3))) pr_debug(const struct config *cfg, const char *fmt, ...);
void *file__read(const char *path, size_t *size);

/* kvm.c */
void kvm__init(struct kvm *kvm, const struct config *cfg);
void kvm__exit(struct kvm *kvm);
void *kvm__gpa_to_hva(struct kvm *kvm, uint64_t gpa, uint64_t len);
bool kvm__stop(struct kvm *kvm, enum vm_stop why, unsigned int vcpu);
bool kvm__stopping(struct kvm *kvm);
int kvm__irq_line(struct kvm *kvm, unsigned int spi, int level);

/* vcpu.c */
void vcpu__init(struct kvm *kvm, struct vcpu *vcpu, unsigned int id);
void vcpu__set_boot_regs(struct vcpu *vcpu, uint64_t pc, uint64_t x0);
void vcpu__start(struct vcpu *vcpu);
void vcpu__kick(struct vcpu *vcpu);
void vcpu__join(struct vcpu *vcpu);
void vcpu__dump(struct vcpu *vcpu);
void vcpu__exit(struct vcpu *vcpu);
void vcpu__signals_init(void);
int vcpu__get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *val);
void esr__decode(uint64_t esr, char *buf, size_t size);

/* loader.c */
struct image_info {
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
};
int image__parse(const void *buf, size_t size, struct image_info *info, const char **why);
void loader__load(struct kvm *kvm);

/* gunzip.c */
bool gzip__is_gzip(const void *buf, size_t size);
void *gunzip(const void *buf, size_t size, size_t *out_size, const char **why);

/* fdt.c */
void fdt__generate(struct kvm *kvm, void *buf, size_t size);
void fdt__load(struct kvm *kvm);

/* term.c */
void term__init(void);
void term__restore(void);
bool term__is_raw(void);

/* gdb.c: the GDB stub (--gdb); each is a no-op without it */
void gdb__init(struct kvm *kvm);
void gdb__exit(struct kvm *kvm);
void gdb__vcpu_park(struct vcpu *vcpu);
bool gdb__debug_exit(struct vcpu *vcpu);
void gdb__record_exit(struct vcpu *vcpu);

/* console.c */
typedef size_t (*console_receive_fn)(struct kvm *kvm, const uint8_t *buf, size_t len);
void console__attach(struct kvm *kvm, console_receive_fn receive);
void console__detach(void);
void console__kick(void);
void console__write(struct kvm *kvm, const void *buf, size_t len);

/* gic.c */
void gic__create(struct kvm *kvm);
void gic__finalize(struct kvm *kvm);

#endif
