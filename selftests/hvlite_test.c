// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite foundation tests: the /dev/hvlite system fd (KVM API version,
 * errors), EL2 owned and answering on every CPU, CPU hotplug, unload and
 * reload cycles, the report of an exception taken at EL2, HVLITE_GET_STATS
 * (also after a VMM is killed mid-run) and the quantum_us parameter.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/hvlite.h>

#include "kselftest_harness.h"
#include "hvlite_util.h"
#include "kvm_util.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR		0x25	/* data abort taken without a change of EL */
#define MPIDR_AFF_MASK		0xff00ffffffULL

static int cpu_is_online(int cpu)
{
	char path[64], c = '1';
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return cpu == 0;	/* cpu0 may have no online file */
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

static int ncpus(void)
{
	return sysconf(_SC_NPROCESSORS_CONF);
}

static int open_dev(void)
{
	if (!hvl_loaded() && hvl_load(NULL))
		return -1;
	return open(HVLITE_DEV, O_RDWR | O_CLOEXEC);
}

static int ping(int fd, int cpu, struct hvlite_el2_ping *p)
{
	memset(p, 0, sizeof(*p));
	p->cpu = cpu;
	return ioctl(fd, HVLITE_EL2_PING, p) ? -errno : 0;
}

static int info(int fd, int cpu, struct hvlite_el2_info *i)
{
	memset(i, 0, sizeof(*i));
	i->cpu = cpu;
	return ioctl(fd, HVLITE_EL2_INFO, i) ? -errno : 0;
}

/* Every online CPU's EL2 answers with its own CPU number and MPIDR. */
static void check_ping_all(struct __test_metadata *_metadata, int fd)
{
	unsigned long long seen[64];
	int cpu, i, n = 0;

	for (cpu = 0; cpu < ncpus(); cpu++) {
		struct hvlite_el2_ping p;

		if (!cpu_is_online(cpu))
			continue;
		ASSERT_EQ(0, ping(fd, cpu, &p)) TH_LOG("ping CPU%d", cpu);
		EXPECT_EQ(cpu, p.el2_cpu);
		EXPECT_EQ(p.mpidr_el1, p.mpidr_el2);
		for (i = 0; i < n; i++)
			EXPECT_NE(seen[i], p.mpidr_el2 & MPIDR_AFF_MASK)
				TH_LOG("CPU%d shares MPIDR %#llx", cpu, p.mpidr_el2);
		if (n < 64)
			seen[n++] = p.mpidr_el2 & MPIDR_AFF_MASK;
	}
	EXPECT_LE(1, n);
}

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open_dev();
	ASSERT_LE(0, self->fd) TH_LOG("cannot open %s: %s", HVLITE_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, api_version)
{
	EXPECT_EQ(KVM_API_VERSION, ioctl(self->fd, KVM_GET_API_VERSION, 0));
	EXPECT_EQ(12, KVM_API_VERSION);
	/* KVM refuses a non-zero argument. */
	EXPECT_EQ(-1, ioctl(self->fd, KVM_GET_API_VERSION, 1));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, check_extension_unknown_is_zero)
{
	EXPECT_EQ(0, ioctl(self->fd, KVM_CHECK_EXTENSION, 0x7fffffff));
	EXPECT_EQ(0, ioctl(self->fd, KVM_CHECK_EXTENSION, -1L));
}

TEST_F(dev, unknown_ioctls)
{
	/* KVM's system fd answers EINVAL to an ioctl it does not know. */
	EXPECT_EQ(-1, ioctl(self->fd, _IO(KVMIO, 0xfe), 0));
	EXPECT_EQ(EINVAL, errno);
	/* hvlite's own type byte: an unknown number, or a known one at the wrong size. */
	EXPECT_EQ(-1, ioctl(self->fd, _IO(HVLITE_IO, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(HVLITE_IO, 0x00, __u64), 0));
	EXPECT_EQ(ENOTTY, errno);
}

struct bad_ping {
	const char *what;
	__u32 cpu, flags;
	int reserved_idx;
	int err;
};

TEST_F(dev, ping_bad_arguments)
{
	static const struct bad_ping cases[] = {
		{ "flags set", 0, 1, -1, EINVAL },
		{ "top flag set", 0, 0x80000000u, -1, EINVAL },
		{ "reserved[0] set", 0, 0, 0, EINVAL },
		{ "reserved[3] set", 0, 0, 3, EINVAL },
		{ "cpu beyond nr_cpu_ids", 4096, 0, -1, EINVAL },
		{ "cpu ~0", 0xffffffffu, 0, -1, EINVAL },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hvlite_el2_ping p = { .cpu = cases[i].cpu, .flags = cases[i].flags };

		if (cases[i].reserved_idx >= 0)
			p.reserved[cases[i].reserved_idx] = 1;
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_PING, &p)) TH_LOG("%s", cases[i].what);
		EXPECT_EQ(cases[i].err, errno) TH_LOG("%s", cases[i].what);
	}
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_PING, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_PING, (void *)1));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, info_bad_arguments)
{
	struct hvlite_el2_info i = { .flags = 1 };

	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_INFO, &i));
	EXPECT_EQ(EINVAL, errno);
	memset(&i, 0, sizeof(i));
	i.pad = 1;
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_INFO, &i));
	EXPECT_EQ(EINVAL, errno);
	memset(&i, 0, sizeof(i));
	i.cpu = 100000;
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_INFO, &i));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, selftest_hooks_need_test_hooks)
{
	struct hvlite_el2_selftest t = { .op = HVLITE_SELFTEST_FAULT };

	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_SELFTEST, &t));
	EXPECT_EQ(EPERM, errno);
	t.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_SELFTEST, &t));
	EXPECT_EQ(EINVAL, errno);
	t.flags = 0;
	t.op = 0;
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_SELFTEST, &t));
	EXPECT_EQ(EINVAL, errno);
	t.op = 99;
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_SELFTEST, &t));
	EXPECT_EQ(EINVAL, errno);
	t.op = HVLITE_SELFTEST_FAULT;
	t.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_EL2_SELFTEST, &t));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, ping_every_cpu)
{
	struct hvlite_el2_info i;
	int cpu;

	check_ping_all(_metadata, self->fd);
	for (cpu = 0; cpu < ncpus(); cpu++) {
		if (!cpu_is_online(cpu))
			continue;
		ASSERT_EQ(0, info(self->fd, cpu, &i));
		EXPECT_EQ(HVLITE_EL2_OWNED, i.state);
		EXPECT_EQ(0, i.fault_count);
	}
}

/* Offline: EL2 goes back to the stub; online: hvlite takes it again. */
TEST(cpu_hotplug)
{
	int cpu = ncpus() - 1, fd, round;
	struct hvlite_el2_ping p;
	struct hvlite_el2_info i;

	if (cpu < 1)
		SKIP(return, "needs two CPUs (QEMU -smp 2)");
	fd = open_dev();
	ASSERT_LE(0, fd);
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, hvl_cpu_set_online(cpu, 0));
		EXPECT_EQ(-ENODEV, ping(fd, cpu, &p));
		ASSERT_EQ(0, info(fd, cpu, &i));
		EXPECT_EQ(HVLITE_EL2_STUB, i.state);
		ASSERT_EQ(0, hvl_cpu_set_online(cpu, 1));
		ASSERT_EQ(0, ping(fd, cpu, &p));
		EXPECT_EQ(cpu, p.el2_cpu);
		ASSERT_EQ(0, info(fd, cpu, &i));
		EXPECT_EQ(HVLITE_EL2_OWNED, i.state);
	}
	check_ping_all(_metadata, fd);
	close(fd);
}

/* A CPU offline at load time is taken when it comes online. */
TEST(cpu_offline_across_reload)
{
	int cpu = ncpus() - 1, fd;
	struct hvlite_el2_ping p;

	if (cpu < 1)
		SKIP(return, "needs two CPUs (QEMU -smp 2)");
	ASSERT_EQ(0, hvl_cpu_set_online(cpu, 0));
	ASSERT_EQ(0, hvl_reload(NULL));
	ASSERT_EQ(0, hvl_cpu_set_online(cpu, 1));
	fd = open_dev();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ping(fd, cpu, &p));
	EXPECT_EQ(cpu, p.el2_cpu);
	check_ping_all(_metadata, fd);
	close(fd);
}

TEST(unload_refused_while_open)
{
	int fd = open_dev();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, hvl_unload());
	close(fd);
	EXPECT_EQ(0, hvl_unload());
	EXPECT_NE(0, access(HVLITE_DEV, F_OK));
	EXPECT_EQ(0, hvl_load(NULL));
	EXPECT_EQ(0, access(HVLITE_DEV, F_OK));
}

TEST(reload_10_times)
{
	char lines[4096];
	int i, fd, kmsg = hvl_kmsg_open();

	ASSERT_LE(0, kmsg);
	for (i = 0; i < 10; i++) {
		ASSERT_EQ(0, hvl_reload(NULL)) TH_LOG("cycle %d", i);
		EXPECT_FALSE(access("/sys/module/hvlite", F_OK));
	}
	EXPECT_EQ(10, hvl_kmsg_grep(kmsg, "EL2 given back", lines, sizeof(lines)));
	fd = open_dev();
	ASSERT_LE(0, fd);
	check_ping_all(_metadata, fd);
	close(fd);
	close(kmsg);
}

/* An exception at EL2 is reported (ESR/ELR/FAR) and only that CPU stops. */
TEST(el2_fault_is_reported)
{
	int cpu = ncpus() - 1, other, fd, kmsg;
	struct hvlite_el2_selftest f = { .op = HVLITE_SELFTEST_FAULT };
	struct hvlite_el2_ping p;
	struct hvlite_el2_info i;
	char lines[4096], want[64];

	ASSERT_EQ(0, hvl_reload("test_hooks=1"));
	fd = open_dev();
	ASSERT_LE(0, fd);
	kmsg = hvl_kmsg_open();
	ASSERT_LE(0, kmsg);
	f.cpu = cpu;
	ASSERT_EQ(0, ioctl(fd, HVLITE_EL2_SELFTEST, &f)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, info(fd, cpu, &i));
	EXPECT_EQ(HVLITE_EL2_FAILED, i.state);
	EXPECT_EQ(1, i.fault_count);
	EXPECT_EQ(ESR_EC_DABT_CUR, ESR_EC(i.fault_esr)) TH_LOG("ESR %#llx", i.fault_esr);
	EXPECT_NE(0, i.fault_far);
	EXPECT_NE(0, i.fault_elr);
	snprintf(want, sizeof(want), "CPU%d: exception at EL2", cpu);
	EXPECT_EQ(1, hvl_kmsg_grep(kmsg, want, lines, sizeof(lines)));
	EXPECT_NE(NULL, strstr(lines, "(EC 0x25)")) TH_LOG("%s", lines);
	EXPECT_EQ(-EIO, ping(fd, cpu, &p));
	for (other = 0; other < cpu; other++)
		if (cpu_is_online(other))
			EXPECT_EQ(0, ping(fd, other, &p));
	close(fd);
	close(kmsg);

	/* Unload still gives that CPU's EL2 back; a reload owns it again. */
	ASSERT_EQ(0, hvl_reload(NULL));
	fd = open_dev();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, info(fd, cpu, &i));
	EXPECT_EQ(HVLITE_EL2_OWNED, i.state);
	EXPECT_EQ(0, i.fault_count);
	check_ping_all(_metadata, fd);
	close(fd);
}

static int selftest(int fd, int cpu, __u32 op, __u64 *result)
{
	struct hvlite_el2_selftest t = { .cpu = cpu, .op = op };
	int ret = ioctl(fd, HVLITE_EL2_SELFTEST, &t) ? -errno : 0;

	*result = t.result;
	return ret;
}

/*
 * The hyp-stub ABI keeps working while hvlite owns EL2: HVC_SOFT_RESTART
 * (kexec's path) gives EL2 back and runs code at EL2 with the MMU off, which
 * finds the stub's vectors; HVC_SET_VECTORS is refused.
 */
TEST(hyp_stub_abi_while_loaded)
{
	struct hvlite_el2_ping p;
	struct hvlite_el2_info i;
	__u64 result;
	int fd, cpu;

	ASSERT_EQ(0, hvl_reload("test_hooks=1"));
	fd = open_dev();
	ASSERT_LE(0, fd);
	for (cpu = 0; cpu < ncpus(); cpu++) {
		if (!cpu_is_online(cpu))
			continue;
		ASSERT_EQ(0, info(fd, cpu, &i));
		EXPECT_NE(0, i.stub_vbar);
		ASSERT_EQ(0, selftest(fd, cpu, HVLITE_SELFTEST_SOFT_RESTART, &result));
		EXPECT_EQ(i.stub_vbar, result) TH_LOG("CPU%d: VBAR_EL2 after restart", cpu);
		ASSERT_EQ(0, ping(fd, cpu, &p)) TH_LOG("CPU%d: EL2 not retaken", cpu);
		EXPECT_EQ(cpu, p.el2_cpu);

		ASSERT_EQ(0, selftest(fd, cpu, HVLITE_SELFTEST_SET_VECTORS, &result));
		EXPECT_EQ(0xbadca11, result);	/* HVC_STUB_ERR */
	}
	check_ping_all(_metadata, fd);
	close(fd);
	ASSERT_EQ(0, hvl_reload(NULL));
}


struct bad_stats {
	const char *what;
	__u32 flags, pad;
	int reserved_idx;
};

TEST_F(dev, stats_bad_arguments)
{
	static const struct bad_stats cases[] = {
		{ "flags set", 1, 0, -1 },
		{ "top flag set", 0x80000000u, 0, -1 },
		{ "pad set", 0, 1, -1 },
		{ "reserved[0] set", 0, 0, 0 },
		{ "reserved[2] set", 0, 0, 2 },
	};
	struct hvlite_stats st;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&st, 0, sizeof(st));
		st.flags = cases[i].flags;
		st.pad = cases[i].pad;
		if (cases[i].reserved_idx >= 0)
			st.reserved[cases[i].reserved_idx] = 1;
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, HVLITE_GET_STATS, &st)) TH_LOG("%s", cases[i].what);
		EXPECT_EQ(EINVAL, errno) TH_LOG("%s", cases[i].what);
	}
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_GET_STATS, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, HVLITE_GET_STATS, (void *)1));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, hvl_get_stats(self->fd, &st));
}

static void print_stats(const char *when, const struct hvlite_stats *st)
{
	ksft_print_msg("%s: vms %llu vcpus %llu pinned_pages %llu quantum_us %llu\n", when,
		       st->vms, st->vcpus, st->pinned_pages, st->quantum_us);
}

#define SLOT_PAGES	(GUEST_RAM_SIZE / 4096)	/* slot 0: 2 MiB, all pinned */

/* A VM with two vCPUs and a 2 MiB slot is counted while it lives, and only then. */
TEST_F(dev, stats_count_a_vm)
{
	struct hvlite_stats base, st;
	struct vcpu vcpu[2];
	struct ucall uc;
	struct vm vm;

	ASSERT_EQ(0, hvl_get_stats(self->fd, &base));
	print_stats("baseline", &base);
	ASSERT_EQ(0, guest_setup(&vm, &vcpu[0], 0));
	ASSERT_EQ(0, vcpu_create(&vm, &vcpu[1], 1, 0));
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	print_stats("with the VM", &st);
	EXPECT_LE(1, st.vms);
	EXPECT_LE(2, st.vcpus);
	EXPECT_LE(SLOT_PAGES, st.pinned_pages);
	EXPECT_EQ(base.vms + 1, st.vms);
	EXPECT_EQ(base.vcpus + 2, st.vcpus);
	EXPECT_EQ(base.pinned_pages + SLOT_PAGES, st.pinned_pages);
	/* running it changes nothing */
	ASSERT_EQ(0, vcpu_start(&vcpu[0], PROG_DONE, 0, 0, 0));
	ASSERT_UCALL(&vcpu[0], &uc, UCALL_DONE);
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	EXPECT_EQ(base.pinned_pages + SLOT_PAGES, st.pinned_pages);
	vcpu_close(&vcpu[0]);
	vcpu_close(&vcpu[1]);
	vm_destroy(&vm);
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	print_stats("after close", &st);
	EXPECT_EQ(base.vms, st.vms);
	EXPECT_EQ(base.vcpus, st.vcpus);
	EXPECT_EQ(base.pinned_pages, st.pinned_pages);
}

/* A /proc/<pid>/status field in kB, or -1. */
static long status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':')
			sscanf(line + len + 1, "%ld", &v);
	fclose(f);
	return v;
}

/* The child: one VM, one vCPU spinning with DAIF masked, in KVM_RUN for ever. */
static void spin_child(int ready)
{
	struct vcpu vcpu;
	struct vm vm;

	if (guest_setup(&vm, &vcpu, 0) || vcpu_start(&vcpu, PROG_SPIN, 0, 0, 0))
		_exit(1);
	if (write(ready, "r", 1) != 1)
		_exit(2);
	for (;;)
		vcpu_run(&vcpu);
}

/* SIGKILL in the middle of KVM_RUN: the VM, its vCPU and its pins all go. */
TEST_F(dev, stats_after_sigkill_mid_run)
{
	struct hvlite_stats base, st;
	int p[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, hvl_get_stats(self->fd, &base));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(p[0]);
		spin_child(p[1]);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	usleep(200 * 1000);	/* well inside KVM_RUN by now */
	ksft_print_msg("child in KVM_RUN: VmLck %ld kB, VmPin %ld kB\n",
		       status_kb(pid, "VmLck"), status_kb(pid, "VmPin"));
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	print_stats("child in KVM_RUN", &st);
	EXPECT_EQ(base.vms + 1, st.vms);
	EXPECT_EQ(base.vcpus + 1, st.vcpus);
	EXPECT_EQ(base.pinned_pages + SLOT_PAGES, st.pinned_pages);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("child status %#x", status);
	ASSERT_EQ(0, hvl_get_stats(self->fd, &st));
	print_stats("child reaped", &st);
	EXPECT_EQ(base.vms, st.vms);
	EXPECT_EQ(base.vcpus, st.vcpus);
	EXPECT_EQ(base.pinned_pages, st.pinned_pages);
}


FIXTURE(quantum) {
	int fd;
};

FIXTURE_SETUP(quantum)
{
	self->fd = open_dev();
	ASSERT_LE(0, self->fd) TH_LOG("cannot open %s: %s", HVLITE_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(quantum)
{
	hvl_quantum_write("5000");
	close(self->fd);
}

static void expect_quantum(struct __test_metadata *_metadata, int fd, long us)
{
	struct hvlite_stats st;

	EXPECT_EQ(us, hvl_quantum_read());
	ASSERT_EQ(0, hvl_get_stats(fd, &st));
	EXPECT_EQ(us, st.quantum_us);
}

/* quantum_us: default 5000, 100..1000000 accepted, anything else EINVAL. */
TEST_F(quantum, module_parameter)
{
	static const char *const bad[] = { "0", "99", "1000001", "4294967295", "-1", "abc" };
	unsigned int i;

	expect_quantum(_metadata, self->fd, HVL_QUANTUM_DEFAULT);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, hvl_quantum_write(bad[i])) TH_LOG("quantum_us = \"%s\"", bad[i]);
		expect_quantum(_metadata, self->fd, HVL_QUANTUM_DEFAULT);
	}
	ASSERT_EQ(0, hvl_quantum_write("100"));
	expect_quantum(_metadata, self->fd, 100);
	ASSERT_EQ(0, hvl_quantum_write("1000000"));
	expect_quantum(_metadata, self->fd, 1000000);
	ASSERT_EQ(0, hvl_quantum_write("5000"));
	expect_quantum(_metadata, self->fd, HVL_QUANTUM_DEFAULT);
}

TEST_HARNESS_MAIN
