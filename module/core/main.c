// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite: a lightweight hypervisor for arm64 hosts running nVHE, shipped as
 * a module. Load refuses where EL2 is not usable, then takes EL2 on every
 * CPU and opens /dev/hvlite; unload undoes it in the reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>
#include <asm/virt.h>
#include "../vm.h"

bool hvl_test_hooks;
module_param_named(test_hooks, hvl_test_hooks, bool, 0444);
MODULE_PARM_DESC(test_hooks, "Allow the self-test ioctls that break EL2 on purpose (default: off)");

struct hvl_cpu_check {
	cpumask_t no_el2;
	cpumask_t no_gicv3;
};

/* Per CPU: is EL2 implemented, and does this CPU use GICv3 system registers? */
static void hvl_check_this_cpu(void *arg)
{
	struct hvl_cpu_check *chk = arg;
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	unsigned int cpu = smp_processor_id();

	if (!cpuid_feature_extract_unsigned_field(pfr0, ID_AA64PFR0_EL1_EL2_SHIFT))
		cpumask_set_cpu(cpu, &chk->no_el2);
	if (!cpuid_feature_extract_unsigned_field(pfr0, ID_AA64PFR0_EL1_GIC_SHIFT) ||
	    !(read_sysreg_s(SYS_ICC_SRE_EL1) & ICC_SRE_EL1_SRE))
		cpumask_set_cpu(cpu, &chk->no_gicv3);
}

static const struct file_operations hvl_probe_fops = { .owner = THIS_MODULE };

/*
 * KVM registers /dev/kvm (minor KVM_MINOR) only once it initialised, and then
 * takes EL2 as soon as it creates a VM (6.1 leaves the stub in place until
 * then, so probing the stub is not enough). A busy minor means KVM is there.
 */
static int hvl_check_kvm(void)
{
	struct miscdevice probe = {
		.minor = KVM_MINOR,
		.name = "hvlite-kvm-probe",
		.fops = &hvl_probe_fops,
	};
	int ret = misc_register(&probe);

	if (ret == -EBUSY) {
		pr_err("KVM is initialised and takes EL2 for its VMs; boot the host with kvm-arm.mode=none to use hvlite\n");
		return -EBUSY;
	}
	if (ret)
		return ret;
	misc_deregister(&probe);
	return 0;
}

/* One dmesg line and an errno for each reason EL2 cannot be ours. */
static int hvl_check_host(void)
{
	struct hvl_cpu_check chk = {};

	if (PAGE_SIZE != SZ_4K) {
		pr_err("the host kernel uses %luK pages; hvlite supports 4K pages only (boot a 4K-page kernel)\n",
		       PAGE_SIZE / SZ_1K);
		return -EOPNOTSUPP;
	}
	if (is_kernel_in_hyp_mode()) {
		pr_err("the kernel itself runs at EL2 (VHE); boot it with kvm-arm.mode=none id_aa64mmfr1.vh=0 to leave EL2 to hvlite\n");
		return -EBUSY;
	}
	cpus_read_lock();
	on_each_cpu(hvl_check_this_cpu, &chk, 1);
	cpus_read_unlock();
	if (!cpumask_empty(&chk.no_el2)) {
		pr_err("CPU%u has no EL2 (the kernel was booted at EL1); boot the host at EL2 (QEMU: -M virt,virtualization=on)\n",
		       cpumask_first(&chk.no_el2));
		return -ENODEV;
	}
	if (!cpumask_empty(&chk.no_gicv3)) {
		pr_err("CPU%u has no GICv3 system-register interface; hvlite needs a GICv3 (QEMU: -M virt,gic-version=3)\n",
		       cpumask_first(&chk.no_gicv3));
		return -ENODEV;
	}
	return hvl_check_kvm();
}

static int __init hvl_init(void)
{
	int ret;

	ret = hvl_check_host();
	if (ret)
		return ret;
	ret = hvl_hyp_pgtable_init();
	if (ret)
		return ret;
	hvl_vmid_init();
	ret = hvl_hyp_map_module();
	if (ret)
		goto err_free_pgtable;
	ret = hvl_el2_init();
	if (ret)
		goto err_free_pgtable;
	ret = hvl_vgic_init_hw();
	if (ret)
		goto err_exit_el2;
	ret = hvl_dev_init();
	if (ret)
		goto err_exit_el2;
	pr_info("EL2 owned on %u CPUs; /dev/hvlite ready\n", num_online_cpus());
	return 0;

err_exit_el2:
	hvl_el2_exit();
err_free_pgtable:
	hvl_hyp_pgtable_free();
	return ret;
}

static void __exit hvl_exit(void)
{
	hvl_dev_exit();
	hvl_el2_exit();
	hvl_hyp_pgtable_free();
	hvl_vmid_exit();
	pr_info("EL2 given back to the hyp stub\n");
}

module_init(hvl_init);
module_exit(hvl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hvlite: a lightweight arm64 hypervisor speaking the KVM ioctl ABI");
