// SPDX-License-Identifier: GPL-2.0-only
/* Driving the PROG_RC guest: a vGICv3 VM and one thread per vCPU (rc_util.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rc_util.h"

static void rc_on_usr1(int sig)
{
	(void)sig;
}

static void *rc_thread(void *arg)
{
	struct rc_vcpu *r = arg;
	struct ucall uc;
	int ret, i;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (!r->job && !r->quit)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->quit)
			break;
		r->job = 0;
		r->busy = 1;
		pthread_mutex_unlock(&r->lock);
		ret = 0;
		for (i = 0; r->set && i < 4 && !ret; i++)
			ret = vcpu_set(&r->vcpu, REG_X(i), r->args[i]);
		while (!ret) {
			ret = vcpu_run_ucall(&r->vcpu, &uc);
			if (ret || uc.cmd != UCALL_EVENT)
				break;
			r->nr_events++;
			if (r->on_event)
				r->on_event(r, &uc);
		}
		pthread_mutex_lock(&r->lock);
		r->busy = 0;
		r->ret = ret;
		r->uc = uc;
		r->done = 1;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int rc_vgic_attr(int fd, unsigned long req, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	return ioctl(fd, req, &a) ? -errno : 0;
}

static int rc_vgic_create(struct rc_vm *v, uint32_t nr_irqs)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GIC_DIST, redist = GIC_REDIST;

	if (ioctl(v->vm.fd, KVM_CREATE_DEVICE, &cd))
		return -errno;
	v->gic = cd.fd;
	return rc_vgic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) ?:
	       rc_vgic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_ADDR,
			    KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist) ?:
	       (nr_irqs ? rc_vgic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
				       0, &nr_irqs) : 0) ?:
	       rc_vgic_attr(v->gic, KVM_SET_DEVICE_ATTR, KVM_DEV_ARM_VGIC_GRP_CTRL,
			    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

int rc_vm_create(struct rc_vm *v, int nr, unsigned int off_mask, uint32_t nr_irqs)
{
	struct sigaction sa = { .sa_handler = rc_on_usr1 };	/* no SA_RESTART */
	uint32_t f;
	int i, ret;

	memset(v, 0, sizeof(*v));
	v->gic = -1;
	for (i = 0; i < RC_MAX_VCPUS; i++)
		v->r[i].vcpu.fd = -1;
	if (nr > RC_MAX_VCPUS || sigaction(SIGUSR1, &sa, NULL))
		return -EINVAL;
	ret = vm_create_type(&v->vm, 0) ?: vm_load_guest(&v->vm);
	for (i = 0; i < nr && !ret; i++) {
		f = 1U << KVM_ARM_VCPU_PSCI_0_2;
		if (off_mask & 1U << i)
			f |= 1U << KVM_ARM_VCPU_POWER_OFF;
		ret = vcpu_create(&v->vm, &v->r[i].vcpu, i, f);
		v->nr = i + 1;
	}
	ret = ret ?: rc_vgic_create(v, nr_irqs);
	for (i = 0; i < v->nr && !ret; i++) {
		struct rc_vcpu *r = &v->r[i];

		pthread_mutex_init(&r->lock, NULL);
		pthread_cond_init(&r->cond, NULL);
		ret = -pthread_create(&r->thread, NULL, rc_thread, r);
		r->started = !ret;
	}
	return ret;
}

static void rc_thread_stop(struct rc_vcpu *r)
{
	pthread_mutex_lock(&r->lock);
	r->quit = 1;
	pthread_cond_broadcast(&r->cond);
	while (r->busy || r->job) {
		pthread_mutex_unlock(&r->lock);
		pthread_kill(r->thread, SIGUSR1);
		usleep(10000);
		pthread_mutex_lock(&r->lock);
	}
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	r->started = 0;
}

void rc_vm_destroy(struct rc_vm *v)
{
	int i;

	for (i = 0; i < v->nr; i++)
		if (v->r[i].started)
			rc_thread_stop(&v->r[i]);
	if (v->gic >= 0)
		close(v->gic);
	for (i = 0; i < v->nr; i++)
		if (v->r[i].vcpu.fd >= 0)
			vcpu_close(&v->r[i].vcpu);
	vm_destroy(&v->vm);
}

void rc_post(struct rc_vcpu *r, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3)
{
	pthread_mutex_lock(&r->lock);
	r->args[0] = cmd;
	r->args[1] = a1;
	r->args[2] = a2;
	r->args[3] = a3;
	r->set = cmd != 0;
	r->done = 0;
	r->job = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

int rc_wait(struct rc_vcpu *r, struct ucall *uc, int ms)
{
	struct timespec dl;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->lock);
	while (!r->done && !ret)
		ret = pthread_cond_timedwait(&r->cond, &r->lock, &dl);
	if (r->done) {
		ret = r->ret;
		*uc = r->uc;
		r->done = 0;
	} else {
		memset(uc, 0, sizeof(*uc));
		ret = -ETIMEDOUT;
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int rc_cmd(struct rc_vcpu *r, struct ucall *uc, uint64_t cmd, uint64_t a1, uint64_t a2,
	   uint64_t a3)
{
	int ret;

	rc_post(r, cmd, a1, a2, a3);
	ret = rc_wait(r, uc, RC_TIMEOUT_MS);
	if (!ret && uc->cmd != UCALL_SYNC)
		ret = -EPROTO;
	return ret;
}

int rc_start(struct rc_vcpu *r, uint64_t tag, struct ucall *uc)
{
	int ret = vcpu_set(&r->vcpu, REG_PC, GUEST_BASE) ?:
		  vcpu_set(&r->vcpu, REG_X(0), PROG_RC | tag << 8);

	if (ret)
		return ret;
	rc_post(r, 0, 0, 0, 0);
	ret = rc_wait(r, uc, RC_TIMEOUT_MS);
	if (!ret && (uc->cmd != UCALL_SYNC || uc->args[0] != RC_READY))
		ret = -EPROTO;
	return ret;
}

/*
 * Restart an idle vCPU at GUEST_BASE with @prog: first a KVM_RUN with
 * immediate_exit completes the MMIO exit of its last ucall (which would
 * otherwise step the new PC past the first instruction).
 */
int rc_restart(struct rc_vcpu *r, uint64_t prog, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int ret;

	r->vcpu.run->immediate_exit = 1;
	ret = vcpu_run(&r->vcpu);
	r->vcpu.run->immediate_exit = 0;
	if (ret != -EINTR)
		return ret ?: -EPROTO;
	return vcpu_start(&r->vcpu, prog, a1, a2, a3);
}

int rc_irq_line(struct rc_vm *v, uint32_t type, uint32_t vcpu, uint32_t num, int level)
{
	struct kvm_irq_level l = {
		.irq = type << KVM_ARM_IRQ_TYPE_SHIFT | (vcpu & 0xff) << KVM_ARM_IRQ_VCPU_SHIFT |
		       (vcpu >> 8) << KVM_ARM_IRQ_VCPU2_SHIFT | num,
		.level = level,
	};

	return ioctl(v->vm.fd, KVM_IRQ_LINE, &l) ? -errno : 0;
}

uint64_t rc_cntfrq(void)
{
	uint64_t f;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}
