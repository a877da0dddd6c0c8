// SPDX-License-Identifier: GPL-2.0-only
/*
 * The preemption quantum seen from the host: with quantum_us below the host
 * tick, the EL2 timer (CNTHP) ends the entries of a guest spinning with DAIF
 * masked, and HVLITE_GET_STATS counts them (el2_timer_exits).
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
 * spinning with DAIF masked for a second is stopped by the EL2 timer between
 * ticks. EL2 disables CNTHP before the host unmasks interrupts, so the host's
 * "hvlite-preempt" handler need not run: the count is HVLITE_GET_STATS'.
 */
TEST_F(quantum, short_quantum_fires_el2_timer)
{
	struct itimerval it = { .it_value = { .tv_sec = 1 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct hvlite_stats st;
	__u64 before, after;
	struct vcpu vcpu;
	struct vm vm;

	ASSERT_EQ(0, hvl_quantum_write("1000"));
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	ASSERT_EQ(1000, st.quantum_us);
	ASSERT_EQ(0, guest_setup(&vm, &vcpu, 0));
	ASSERT_EQ(0, vcpu_start(&vcpu, PROG_SPIN, 0, 0, 0));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	before = st.el2_timer_exits;
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-EINTR, vcpu_run(&vcpu));
	EXPECT_EQ(KVM_EXIT_INTR, vcpu.run->exit_reason);
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	after = st.el2_timer_exits;
	ksft_print_msg("EL2 timer exits: %llu -> %llu in a 1 s spin\n", before, after);
	EXPECT_LE(before + 1, after);
	vcpu_close(&vcpu);
	vm_destroy(&vm);
	ASSERT_EQ(0, hvl_quantum_write("5000"));
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	EXPECT_EQ(HVL_QUANTUM_DEFAULT, st.quantum_us);
}

TEST_HARNESS_MAIN
