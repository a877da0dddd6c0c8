// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every host CPU busy for 30 s with a vCPU spinning with DAIF masked: past
 * the soft-lockup (20 s) and RCU-stall (21 s) thresholds the host must keep
 * running (scripts/check.sh fails the boot on either report), and a signal
 * must still end each KVM_RUN with -EINTR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kvm_util.h"

#define PSCI_FEAT	(1U << KVM_ARM_VCPU_PSCI_0_2)
#define SPIN_S		30
#define MAX_CPUS	64

struct spinner {
	pthread_t thread;
	struct vcpu vcpu;
	int cpu;
	int affinity_err;	/* sched_setaffinity(): 0 or errno */
	int cpu_after;		/* sched_getcpu() once KVM_RUN returned */
	int entered;
	int ret;		/* KVM_RUN: 0 or -errno */
	uint32_t exit_reason;
	double t_signal, t_return;
};

FIXTURE(preempt) {
	struct vm vm;
	struct spinner s[MAX_CPUS];
	int n;
};

FIXTURE_SETUP(preempt)
{
	memset(self->s, 0, sizeof(self->s));
	self->n = sysconf(_SC_NPROCESSORS_ONLN);
	ASSERT_LE(1, self->n);
	ASSERT_GE(MAX_CPUS, self->n);
	ASSERT_EQ(0, vm_create_type(&self->vm, 0));
	ASSERT_EQ(0, vm_load_guest(&self->vm));
}

FIXTURE_TEARDOWN(preempt)
{
	int i;

	for (i = 0; i < self->n; i++)
		if (self->s[i].vcpu.vm)
			vcpu_close(&self->s[i].vcpu);
	vm_destroy(&self->vm);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_usr1(int sig)
{
}

/* One vCPU thread, pinned to its host CPU, in KVM_RUN until a signal. */
static void *spin(void *arg)
{
	struct spinner *s = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	s->affinity_err = sched_setaffinity(0, sizeof(set), &set) ? errno : 0;
	__atomic_store_n(&s->entered, 1, __ATOMIC_SEQ_CST);
	s->ret = vcpu_run(&s->vcpu);
	s->t_return = now_ms();
	s->cpu_after = sched_getcpu();
	s->exit_reason = s->vcpu.run->exit_reason;
	return NULL;
}

static int all_entered(struct spinner *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!__atomic_load_n(&s[i].entered, __ATOMIC_SEQ_CST))
			return 0;
	return 1;
}

TEST_F_TIMEOUT(preempt, spin_masked_30s_every_cpu, SPIN_S + 60)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct timespec deadline;
	struct spinner *s;
	int i, tries;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	for (i = 0; i < self->n; i++) {
		s = &self->s[i];
		s->cpu = i;
		ASSERT_EQ(0, vcpu_create(&self->vm, &s->vcpu, i, PSCI_FEAT)) TH_LOG("vCPU %d", i);
		ASSERT_EQ(0, vcpu_start(&s->vcpu, PROG_SPIN, 0, 0, 0));
	}
	for (i = 0; i < self->n; i++)
		ASSERT_EQ(0, pthread_create(&self->s[i].thread, NULL, spin, &self->s[i]));
	for (tries = 0; tries < 500 && !all_entered(self->s, self->n); tries++)
		usleep(10 * 1000);
	ASSERT_TRUE(all_entered(self->s, self->n));
	ksft_print_msg("%d vCPU threads spinning, one per host CPU, for %d s\n", self->n, SPIN_S);
	sleep(SPIN_S);

	for (i = 0; i < self->n; i++) {
		self->s[i].t_signal = now_ms();
		ASSERT_EQ(0, pthread_kill(self->s[i].thread, SIGUSR1));
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	for (i = 0; i < self->n; i++)
		ASSERT_EQ(0, pthread_timedjoin_np(self->s[i].thread, NULL, &deadline))
			TH_LOG("CPU%d: KVM_RUN did not return within 10 s of SIGUSR1", i);

	for (i = 0; i < self->n; i++) {
		s = &self->s[i];
		EXPECT_EQ(0, s->affinity_err) TH_LOG("CPU%d: %s", i, strerror(s->affinity_err));
		EXPECT_EQ(i, s->cpu_after);
		EXPECT_EQ(-EINTR, s->ret) TH_LOG("CPU%d: KVM_RUN %s", i, strerror(-s->ret));
		EXPECT_EQ(KVM_EXIT_INTR, s->exit_reason)
			TH_LOG("CPU%d: exit %s", i, exit_name(s->exit_reason));
		ksft_print_msg("CPU%d: KVM_RUN returned %.1f ms after SIGUSR1\n",
			       i, s->t_return - s->t_signal);
	}
}

TEST_HARNESS_MAIN
