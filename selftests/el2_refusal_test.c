// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run in a QEMU host where EL2 is not usable: insmod must fail with the
 * documented errno and exactly one dmesg line naming the cause and the fix.
 * HVLITE_EXPECT names the situation: kvm, vhe, el1 or gicv2.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hvlite_util.h"

struct refusal {
	const char *name;
	int err;
	const char *cause;	/* in the line */
	const char *fix;	/* in the line */
};

static const struct refusal refusals[] = {
	{ "kvm", EBUSY, "KVM is initialised", "kvm-arm.mode=none" },
	{ "vhe", EBUSY, "runs at EL2 (VHE)", "id_aa64mmfr1.vh=0" },
	{ "el1", ENODEV, "booted at EL1", "virtualization=on" },
	{ "gicv2", ENODEV, "no GICv3", "gic-version=3" },
};

static const struct refusal *expected(void)
{
	const char *e = getenv("HVLITE_EXPECT");
	unsigned int i;

	for (i = 0; e && i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if (!strcmp(e, refusals[i].name))
			return &refusals[i];
	return NULL;
}

TEST(insmod_refused_with_one_line)
{
	const struct refusal *r = expected();
	char lines[4096];
	int kmsg, n;

	ASSERT_NE(NULL, r) TH_LOG("set HVLITE_EXPECT to kvm, vhe, el1 or gicv2");
	kmsg = hvl_kmsg_open();
	ASSERT_LE(0, kmsg);
	EXPECT_EQ(-r->err, hvl_load(NULL));
	/* Taint notices aside, hvlite printed exactly one line. */
	n = hvl_kmsg_grep(kmsg, "hvlite: ", lines, sizeof(lines));
	if (strstr(lines, "taint"))
		n -= !!strstr(lines, "loading out-of-tree") + !!strstr(lines, "verification failed");
	EXPECT_EQ(1, n) TH_LOG("%s", lines);
	EXPECT_NE(NULL, strstr(lines, r->cause)) TH_LOG("%s", lines);
	EXPECT_NE(NULL, strstr(lines, r->fix)) TH_LOG("%s", lines);
	EXPECT_FALSE(hvl_loaded());
	EXPECT_NE(0, access(HVLITE_DEV, F_OK));
	/* Refusing is repeatable and changes nothing. */
	EXPECT_EQ(-r->err, hvl_load(NULL));
	close(kmsg);
}

TEST_HARNESS_MAIN
