// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI for SMP guests with four vCPUs, one thread each: AFFINITY_INFO for
 * every vCPU (ON, OFF; ON at once after a successful CPU_ON, as KVM: never
 * ON_PENDING) and at affinity levels 1-3; CPU_OFF then CPU_ON of the same
 * vCPU, which restarts at the new entry with the new context id; ALREADY_ON;
 * INVALID_PARAMETERS for MPIDRs naming nobody (no such vCPU, bits outside
 * the Aff fields, level 4); CPU_ON calls from three vCPUs racing at one
 * powered-off vCPU: exactly one SUCCESS, the others ALREADY_ON (or
 * ON_PENDING), and the vCPU starts with the winner's context id. Same
 * results on KVM and hvlite.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "rc_util.h"

#define AFF_INFO	PSCI_0_2_FN64_AFFINITY_INFO
#define ON		PSCI_0_2_AFFINITY_LEVEL_ON
#define OFF		PSCI_0_2_AFFINITY_LEVEL_OFF
#define RACE_ROUNDS	8

static uint64_t aff_info(struct __test_metadata *_metadata, struct rc_vcpu *r, uint64_t mpidr,
			 uint64_t level)
{
	struct ucall uc;

	RC_DO(r, &uc, RC_HVC, AFF_INFO, mpidr, level);
	return uc.args[0];
}

static uint64_t cpu_on(struct __test_metadata *_metadata, struct rc_vcpu *r, uint64_t mpidr,
		       uint64_t ctx)
{
	struct ucall uc;

	RC_DO(r, &uc, RC_CPU_ON, mpidr, 0, ctx);
	return uc.args[0];
}

/* vCPU @by asks AFFINITY_INFO(@target) until it is OFF (a CPU_OFF takes effect). */
static uint64_t wait_off(struct __test_metadata *_metadata, struct rc_vcpu *by, uint64_t target)
{
	uint64_t st = ON;
	int i;

	for (i = 0; i < 500 && st == ON; i++) {
		st = aff_info(_metadata, by, target, 0);
		if (st == ON)
			usleep(10000);
	}
	return st;
}

/* Started by CPU_ON: its RC_READY carries x0 = the context id, and its MPIDR. */
static void expect_started(struct __test_metadata *_metadata, struct rc_vcpu *r, uint64_t ctx)
{
	struct ucall uc;
	int ret = rc_wait(r, &uc, RC_TIMEOUT_MS);

	ASSERT_EQ(0, ret) TH_LOG("vCPU %d did not start: %s", r->vcpu.id, strerror(-ret));
	ASSERT_EQ(UCALL_SYNC, uc.cmd);
	EXPECT_EQ(RC_READY, uc.args[0]);
	EXPECT_EQ(ctx, uc.args[1]) TH_LOG("vCPU %d: x0 at its entry", r->vcpu.id);
	EXPECT_EQ((uint64_t)r->vcpu.id, uc.args[2] & 0xff) TH_LOG("vCPU %d: MPIDR_EL1", r->vcpu.id);
}

TEST(affinity_info_cpu_off_cpu_on)
{
	static struct rc_vm v;
	struct rc_vcpu *r0 = &v.r[0], *r1 = &v.r[1];
	struct ucall uc;
	int i;

	ASSERT_EQ(0, rc_vm_create(&v, 4, 0xe, 0));
	ASSERT_EQ(0, rc_start(r0, 0, &uc));
	for (i = 1; i < 4; i++)
		rc_post(&v.r[i], 0, 0, 0, 0);		/* KVM_RUN: off until CPU_ON */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(i ? OFF : ON, aff_info(_metadata, r0, i, 0)) TH_LOG("vCPU %d", i);

	EXPECT_EQ(PSCI_RET_SUCCESS, (int64_t)cpu_on(_metadata, r0, 1, PROG_RC | 0x1100));
	expect_started(_metadata, r1, PROG_RC | 0x1100);
	EXPECT_EQ(ON, aff_info(_metadata, r0, 1, 0));
	EXPECT_EQ(ON, aff_info(_metadata, r1, 1, 0)) TH_LOG("asked by itself");
	EXPECT_EQ(OFF, aff_info(_metadata, r1, 2, 0));
	EXPECT_EQ(PSCI_RET_ALREADY_ON, (int64_t)cpu_on(_metadata, r0, 1, 0));
	EXPECT_EQ(PSCI_RET_ALREADY_ON, (int64_t)cpu_on(_metadata, r1, 0, 0));

	/* Names nobody: INVALID_PARAMETERS. */
	EXPECT_EQ(PSCI_RET_INVALID_PARAMS, (int64_t)cpu_on(_metadata, r0, 4, 0));
	EXPECT_EQ(PSCI_RET_INVALID_PARAMS, (int64_t)cpu_on(_metadata, r0, 0x100, 0))
		TH_LOG("Aff1 = 1");
	EXPECT_EQ(PSCI_RET_INVALID_PARAMS, (int64_t)cpu_on(_metadata, r0, 1ULL << 31 | 2, 0))
		TH_LOG("bit 31 set");
	EXPECT_EQ(PSCI_RET_INVALID_PARAMS, (int64_t)cpu_on(_metadata, r0, 1ULL << 40 | 2, 0))
		TH_LOG("above Aff3");
	EXPECT_EQ(PSCI_RET_INVALID_PARAMS, (int64_t)aff_info(_metadata, r0, 0x100, 0));
	EXPECT_EQ(PSCI_RET_INVALID_PARAMS, (int64_t)aff_info(_metadata, r0, 1ULL << 31 | 3, 0));
	EXPECT_EQ(PSCI_RET_INVALID_PARAMS, (int64_t)aff_info(_metadata, r0, 3, 4)) TH_LOG("level 4");
	/* Levels 1-3: the cluster of vCPUs 0-3, some of which are on. */
	for (i = 1; i <= 3; i++)
		EXPECT_EQ(ON, aff_info(_metadata, r0, 3, i)) TH_LOG("level %d", i);

	/* CPU_OFF, then CPU_ON again: a fresh start with the new context id. */
	rc_post(r1, RC_CPU_OFF, 0, 0, 0);
	EXPECT_EQ(OFF, wait_off(_metadata, r0, 1));
	EXPECT_EQ(OFF, aff_info(_metadata, r0, 1, 0));
	EXPECT_EQ(PSCI_RET_SUCCESS, (int64_t)cpu_on(_metadata, r0, 1, PROG_RC | 0x2200));
	expect_started(_metadata, r1, PROG_RC | 0x2200);
	EXPECT_EQ(ON, aff_info(_metadata, r0, 1, 0));
	/* vCPU 1 turns on vCPU 3; vCPU 0 turns itself off and vCPU 3 turns it on. */
	EXPECT_EQ(PSCI_RET_SUCCESS, (int64_t)cpu_on(_metadata, r1, 3, PROG_RC | 0x3300));
	expect_started(_metadata, &v.r[3], PROG_RC | 0x3300);
	rc_post(r0, RC_CPU_OFF, 0, 0, 0);
	EXPECT_EQ(OFF, wait_off(_metadata, &v.r[3], 0));
	EXPECT_EQ(PSCI_RET_SUCCESS, (int64_t)cpu_on(_metadata, &v.r[3], 0, PROG_RC | 0x4400));
	expect_started(_metadata, r0, PROG_RC | 0x4400);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(i == 2 ? OFF : ON, aff_info(_metadata, r1, i, 0)) TH_LOG("vCPU %d", i);
	rc_vm_destroy(&v);
}

/*
 * vCPUs 0-2 call CPU_ON(3) at the same moment, RACE_ROUNDS times (vCPU 3
 * turns itself off in between): one SUCCESS per round, and vCPU 3 starts
 * with the context id of the caller that got it.
 */
TEST(concurrent_cpu_on)
{
	static struct rc_vm v;
	struct rc_vcpu *r3 = &v.r[3];
	int64_t res[3];
	struct ucall uc;
	int i, k, wins, winner, ret;

	ASSERT_EQ(0, rc_vm_create(&v, 4, 0x8, 0));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, rc_start(&v.r[i], 0, &uc));
	rc_post(r3, 0, 0, 0, 0);
	for (k = 0; k < RACE_ROUNDS; k++) {
		for (i = 0; i < 3; i++)
			rc_post(&v.r[i], RC_CPU_ON, 3, 0, PROG_RC | (k << 12 | (i + 1) << 8));
		wins = 0;
		winner = -1;
		for (i = 0; i < 3; i++) {
			ret = rc_wait(&v.r[i], &uc, RC_TIMEOUT_MS);
			ASSERT_EQ(0, ret) TH_LOG("round %d vCPU %d: %s", k, i, strerror(-ret));
			res[i] = uc.args[0];
			if (res[i] == PSCI_RET_SUCCESS) {
				wins++;
				winner = i;
			} else {
				EXPECT_TRUE(res[i] == PSCI_RET_ALREADY_ON || res[i] == PSCI_RET_ON_PENDING)
					TH_LOG("round %d vCPU %d: %ld", k, i, (long)res[i]);
			}
		}
		ASSERT_EQ(1, wins) TH_LOG("round %d: %ld %ld %ld", k, (long)res[0], (long)res[1],
					  (long)res[2]);
		expect_started(_metadata, r3, PROG_RC | (k << 12 | (winner + 1) << 8));
		rc_post(r3, RC_CPU_OFF, 0, 0, 0);
		ASSERT_EQ(OFF, wait_off(_metadata, &v.r[0], 3));
	}
	rc_vm_destroy(&v);
}

TEST_HARNESS_MAIN
