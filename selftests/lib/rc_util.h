/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Driving the payload's PROG_RC guest (guest/irq.h): a VM with a vGICv3 and
 * up to RC_MAX_VCPUS vCPUs, each run by a thread of its own, to which the
 * test posts one command at a time and whose answer it waits for.
 */
#ifndef HVLITE_RC_UTIL_H
#define HVLITE_RC_UTIL_H

#include <pthread.h>
#include <stdint.h>

#include "kvm_util.h"
#include "../guest/irq.h"

#define RC_MAX_VCPUS	4
#define RC_TIMEOUT_MS	20000

struct rc_vcpu {
	struct vcpu vcpu;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int started;
	int quit;
	int job;		/* a run is owed */
	int set;		/* with x0..x3 = args first */
	int busy;		/* in KVM_RUN for a job */
	int done;		/* the job's answer is in ret/uc */
	int ret;		/* KVM_RUN's 0 or -errno */
	uint64_t args[4];
	struct ucall uc;
	/* UCALL_EVENTs (guest IRQ handler): counted, then the callback. */
	int nr_events;
	void (*on_event)(struct rc_vcpu *r, const struct ucall *uc);
	void *opaque;
};

struct rc_vm {
	struct vm vm;
	int gic;
	int nr;
	struct rc_vcpu r[RC_MAX_VCPUS];
};

/*
 * A VM with the payload, @nr vCPUs (ids 0..nr-1; those in @off_mask
 * powered off), the vGICv3 at GIC_DIST/GIC_REDIST with @nr_irqs (0: the
 * default) initialised, and one thread per vCPU. 0 or -errno.
 */
int rc_vm_create(struct rc_vm *v, int nr, unsigned int off_mask, uint32_t nr_irqs);
/* Stop the threads (signalling any vCPU still in KVM_RUN) and free it all. */
void rc_vm_destroy(struct rc_vm *v);
/* PC = GUEST_BASE, x0 = PROG_RC | tag << 8, and run to its RC_READY. */
int rc_start(struct rc_vcpu *r, uint64_t tag, struct ucall *uc);
/* Restart an idle vCPU (its last ucall completed) at PC GUEST_BASE, x0..x3 given. */
int rc_restart(struct rc_vcpu *r, uint64_t prog, uint64_t a1, uint64_t a2, uint64_t a3);
/* Run (after setting x0..x3 to a command, unless cmd is 0) in the thread. */
void rc_post(struct rc_vcpu *r, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3);
/* The answer to the last post: 0, KVM_RUN's -errno, or -ETIMEDOUT. */
int rc_wait(struct rc_vcpu *r, struct ucall *uc, int ms);
/* Post and wait; the answer must be a SYNC: 0, or -errno / -EPROTO. */
int rc_cmd(struct rc_vcpu *r, struct ucall *uc, uint64_t cmd, uint64_t a1, uint64_t a2,
	   uint64_t a3);
int rc_irq_line(struct rc_vm *v, uint32_t type, uint32_t vcpu, uint32_t num, int level);
int rc_vgic_attr(int fd, unsigned long req, uint32_t group, uint64_t attr, void *val);
uint64_t rc_cntfrq(void);

/* rc_cmd() in harness context: the command ran and answered SYNC. */
#define RC_DO(r, uc, c, a1, a2, a3) do {						\
	int __e = rc_cmd(r, uc, c, a1, a2, a3);						\
	ASSERT_EQ(0, __e) TH_LOG("vCPU %d: command %#lx: %s; ucall %lu %#lx %#lx %#lx",	\
				 (r)->vcpu.id, (unsigned long)(c), strerror(-__e),	\
				 (unsigned long)(uc)->cmd, (unsigned long)(uc)->args[0],\
				 (unsigned long)(uc)->args[1],				\
				 (unsigned long)(uc)->args[2]);				\
} while (0)

#endif /* HVLITE_RC_UTIL_H */
