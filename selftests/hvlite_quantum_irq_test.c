// SPDX-License-Identifier: GPL-2.0-only
/*
 * The preemption quantum seen from the host: with quantum_us below the host
 * tick, the EL2 timer's interrupt ("hvlite-preempt") reaches the host while a
 * guest spins with DAIF masked. Not in selftests/list yet: on hvlite the count
 * stays 0 (Documentation/testing.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hvlite_util.h"
#include "kvm_util.h"

FIXTURE(quantum) {
	int fd;
};

FIXTURE_SETUP(quantum)
{
	if (!hvl_loaded())
		ASSERT_EQ(0, hvl_load(NULL));
	self->fd = open(HVLITE_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("cannot open %s: %s", HVLITE_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(quantum)
{
	hvl_quantum_write("5000");
	close(self->fd);
}

static void on_alarm(int sig)
{
}

/*
 * quantum_us = 1000, shorter than the host tick (4 ms at HZ=250): a guest
 * spinning with DAIF masked for a second is stopped by the EL2 timer
 * (INTID 26, "hvlite-preempt") between ticks, and the host counts it.
 */
TEST_F(quantum, short_quantum_fires_el2_timer)
{
	struct itimerval it = { .it_value = { .tv_sec = 1 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct hvlite_stats st;
	long before, after;
	struct vcpu vcpu;
	char line[512];
	struct vm vm;

	ASSERT_EQ(0, hvl_quantum_write("1000"));
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	ASSERT_EQ(1000, st.quantum_us);
	ASSERT_EQ(0, guest_setup(&vm, &vcpu, 0));
	ASSERT_EQ(0, vcpu_start(&vcpu, PROG_SPIN, 0, 0, 0));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	before = hvl_irq_count("hvlite-preempt", line, sizeof(line));
	ASSERT_LE(0, before) TH_LOG("no hvlite-preempt line in /proc/interrupts");
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, vcpu_run(&vcpu));
	EXPECT_EQ(KVM_EXIT_INTR, vcpu.run->exit_reason);
	after = hvl_irq_count("hvlite-preempt", line, sizeof(line));
	ksft_print_msg("hvlite-preempt: %ld -> %ld in a 1 s spin (%s)\n", before, after, line);
	EXPECT_LE(before + 1, after);
	vcpu_close(&vcpu);
	vm_destroy(&vm);
	ASSERT_EQ(0, hvl_quantum_write("5000"));
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	EXPECT_EQ(HVL_QUANTUM_DEFAULT, st.quantum_us);
}

TEST_HARNESS_MAIN
