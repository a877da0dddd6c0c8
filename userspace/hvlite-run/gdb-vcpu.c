// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run's GDB stub, the vCPU side of all-stop: each vCPU thread parks
 * in gdb__vcpu_park() before KVM_RUN while the debugger holds the VM, and
 * reports its debug exits (gdb__debug_exit()): its own stop events, or a
 * BRK of the guest's own, given back to the guest. The gdb thread stops
 * them all with gdb__stop_all(). Lock: gdb.lock (stop_req, parked, event).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "gdb.h"

static void gdb__wake(struct gdb *g)
{
	char c = 1;

	if (write(g->wake[1], &c, 1) < 0 && errno != EAGAIN)
		pr_warn("gdb: wake: %s", strerror(errno));
}

void gdb__timed_wait(struct gdb *g, unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_cond_timedwait(&g->cond, &g->lock, &ts);
}

/* A last KVM_RUN with immediate_exit completes an MMIO load before registers are read. */
static void gdb__complete_exit(struct vcpu *vcpu)
{
	if (vcpu->run->exit_reason != KVM_EXIT_MMIO)
		return;
	vcpu->run->immediate_exit = 1;
	ioctl(vcpu->fd, KVM_RUN, 0);
	vcpu->run->immediate_exit = 0;
	vcpu->run->exit_reason = KVM_EXIT_INTR;
}

/* Called by each vCPU thread before KVM_RUN: wait while the debugger holds the VM. */
void gdb__vcpu_park(struct vcpu *vcpu)
{
	struct gdb *g = gdb_state;
	struct gdb_vcpu *v;

	if (!g)
		return;
	v = &g->v[vcpu->id];
	pthread_mutex_lock(&g->lock);
	while ((g->stop_req || v->hold) && !kvm__stopping(vcpu->kvm)) {
		if (!v->parked) {
			pthread_mutex_unlock(&g->lock);
			gdb__complete_exit(vcpu);
			pthread_mutex_lock(&g->lock);
			v->parked = true;
			g->parked++;
			pthread_cond_broadcast(&g->cond);
			continue;
		}
		gdb__timed_wait(g, 100);
	}
	if (v->parked) {
		v->parked = false;
		g->parked--;
	}
	pthread_mutex_unlock(&g->lock);
}

/* Ask every vCPU to park and wait until they all have (or the VM ends). */
void gdb__stop_all(struct gdb *g)
{
	struct kvm *kvm = g->kvm;
	unsigned int i;

	pthread_mutex_lock(&g->lock);
	g->stop_req = true;
	pthread_mutex_unlock(&g->lock);
	for (i = 0; i < kvm->nr_vcpus; i++)
		vcpu__kick(&kvm->vcpus[i]);
	pthread_mutex_lock(&g->lock);
	while (g->parked < kvm->nr_vcpus && !kvm__stopping(kvm))
		gdb__timed_wait(g, 50);
	pthread_mutex_unlock(&g->lock);
}

/* A vCPU's stop event; the first one of a run wins, the others re-occur later. */
static void gdb__report(struct vcpu *vcpu, int sig, int watch, uint64_t addr)
{
	struct gdb *g = gdb_state;
	struct kvm *kvm = vcpu->kvm;
	unsigned int i;
	bool first;

	pthread_mutex_lock(&g->lock);
	first = !g->stop_req;
	if (first) {
		g->stop_req = true;
		g->event = true;
		g->ev_vcpu = vcpu->id;
		g->ev_sig = sig;
		g->ev_watch = watch;
		g->ev_addr = addr;
	}
	pthread_mutex_unlock(&g->lock);
	if (!first)
		return;
	for (i = 0; i < kvm->nr_vcpus; i++)
		if (i != vcpu->id)
			vcpu__kick(&kvm->vcpus[i]);
	gdb__wake(g);
}

/* KVM_EXIT_DEBUG: ours (report and park) or the guest's own BRK (re-inject). */
bool gdb__debug_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct gdb *g = gdb_state;
	uint64_t esr = run->debug.arch.hsr;
	uint64_t pc;

	if (run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID)
		esr |= (uint64_t)run->debug.arch.hsr_high << 32;
	switch (ESR_EC(esr)) {
	case EC_BRK64:
		pc = gdb__reg64(vcpu, CORE_REG(regs.pc));
		if (g && g->attached && gdb__sw_bp_at(g, pc))
			gdb__report(vcpu, GDB_SIGTRAP, 0, 0);
		else
			gdb__reinject_brk(vcpu, esr);
		return true;
	case EC_SOFTSTP_LOW:
		if (g && g->v[vcpu->id].action == ACT_STEP)
			gdb__report(vcpu, GDB_SIGTRAP, 0, 0);
		return true;
	case EC_BREAKPT_LOW:
		if (g)
			gdb__report(vcpu, GDB_SIGTRAP, 0, 0);
		return true;
	case EC_WATCHPT_LOW:
		if (g)
			gdb__report(vcpu, GDB_SIGTRAP, gdb__watch_hit(g, run->debug.arch.far),
				    run->debug.arch.far);
		return true;
	default:
		pr_warn("vCPU%u: unexpected debug exit, ESR 0x%llx", vcpu->id,
			(unsigned long long)esr);
		kvm__stop(vcpu->kvm, VM_STOP_ERROR, vcpu->id);
		return false;
	}
}

/* After each KVM_RUN: the exit ring the monitor's "exits" shows. */
void gdb__record_exit(struct vcpu *vcpu)
{
	struct gdb *g = gdb_state;

	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	gdb__record_exit_locked(g, vcpu);
	pthread_mutex_unlock(&g->lock);
}

