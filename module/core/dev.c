// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/hvlite: the system fd of the KVM ioctl ABI, plus hvlite's own
 * extensions (uapi/linux/hvlite.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <asm/cputype.h>
#include <linux/hvlite.h>
#include "../vm.h"

static bool hvl_reserved_clear(const __u64 *r, unsigned int n)
{
	while (n--)
		if (r[n])
			return false;
	return true;
}

static int hvl_check_cpu_arg(__u32 cpu)
{
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	return cpu_online(cpu) ? 0 : -ENODEV;
}

static long hvl_ioctl_ping(void __user *argp)
{
	struct hvlite_el2_ping p;
	struct hvl_hvc_res res;
	int ret;

	if (copy_from_user(&p, argp, sizeof(p)))
		return -EFAULT;
	if (p.flags || !hvl_reserved_clear(p.reserved, ARRAY_SIZE(p.reserved)))
		return -EINVAL;
	ret = hvl_check_cpu_arg(p.cpu);
	if (ret)
		return ret;
	ret = hvl_el2_ping_cpu(p.cpu, &res, &p.mpidr_el1);
	if (ret)
		return ret;
	p.el2_cpu = res.a1;
	p.mpidr_el2 = res.a2;
	return copy_to_user(argp, &p, sizeof(p)) ? -EFAULT : 0;
}

static long hvl_ioctl_info(void __user *argp)
{
	struct hvlite_el2_info info;
	struct hvl_hyp_cpu rec;
	int ret;

	if (copy_from_user(&info, argp, sizeof(info)))
		return -EFAULT;
	if (info.flags || info.pad ||
	    !hvl_reserved_clear(info.reserved, ARRAY_SIZE(info.reserved)))
		return -EINVAL;
	if (info.cpu >= nr_cpu_ids || !cpu_possible(info.cpu))
		return -EINVAL;
	ret = hvl_el2_cpu_info(info.cpu, &info.state, &rec);
	if (ret)
		return ret;
	info.fault_count = rec.fault_count;
	info.fault_esr = rec.fault_esr;
	info.fault_elr = rec.fault_elr;
	info.fault_far = rec.fault_far;
	info.stub_vbar = rec.stub_vbar;
	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static long hvl_ioctl_selftest(void __user *argp)
{
	struct hvlite_el2_selftest t;
	int ret;

	if (copy_from_user(&t, argp, sizeof(t)))
		return -EFAULT;
	if (t.flags || t.pad || !hvl_reserved_clear(t.reserved, ARRAY_SIZE(t.reserved)) ||
	    t.op < HVLITE_SELFTEST_FAULT || t.op > HVLITE_SELFTEST_SET_VECTORS)
		return -EINVAL;
	if (!hvl_test_hooks)
		return -EPERM;
	ret = hvl_check_cpu_arg(t.cpu);
	if (!ret)
		ret = hvl_el2_selftest(t.cpu, t.op, &t.result);
	if (ret)
		return ret;
	return copy_to_user(argp, &t, sizeof(t)) ? -EFAULT : 0;
}

static long hvl_ioctl_stats(void __user *argp)
{
	struct hvlite_stats st;

	if (copy_from_user(&st, argp, sizeof(st)))
		return -EFAULT;
	if (st.flags || st.pad || !hvl_reserved_clear(st.reserved, ARRAY_SIZE(st.reserved)))
		return -EINVAL;
	st.vms = atomic64_read(&hvl_nr_vms);
	st.vcpus = atomic64_read(&hvl_nr_vcpus);
	st.pinned_pages = atomic64_read(&hvl_nr_pinned);
	st.quantum_us = hvl_quantum_us();
	st.el2_timer_exits = atomic64_read(&hvl_nr_el2_timer_exits);
	return copy_to_user(argp, &st, sizeof(st)) ? -EFAULT : 0;
}

/* hvlite's own ioctls: an unknown number is -ENOTTY. */
static long hvl_ioctl_ext(unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case HVLITE_EL2_PING:
		return hvl_ioctl_ping(argp);
	case HVLITE_EL2_INFO:
		return hvl_ioctl_info(argp);
	case HVLITE_EL2_SELFTEST:
		return hvl_ioctl_selftest(argp);
	case HVLITE_GET_STATS:
		return hvl_ioctl_stats(argp);
	default:
		return -ENOTTY;
	}
}

/* The KVM system ioctls, as kvm_dev_ioctl() answers them on arm64. */
static long hvl_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (_IOC_TYPE(cmd) == HVLITE_IO)
		return hvl_ioctl_ext(cmd, (void __user *)arg);

	switch (cmd) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : KVM_API_VERSION;
	case KVM_CHECK_EXTENSION:
		return hvl_check_extension(NULL, arg);
	case KVM_CREATE_VM:
		return hvl_create_vm(arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	default:
		return -EINVAL;
	}
}

static const struct file_operations hvl_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = hvl_dev_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice hvl_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "hvlite",
	.fops = &hvl_dev_fops,
	.mode = 0600,
};

int hvl_dev_init(void)
{
	return misc_register(&hvl_miscdev);
}

void hvl_dev_exit(void)
{
	misc_deregister(&hvl_miscdev);
}
