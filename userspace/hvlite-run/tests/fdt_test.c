// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: host-side test of the generated device tree (TAP). Machines of 1
 * and 4 vCPUs, with and without initrd, disk, rng and virtio console, are built
 * by the launcher's own fdt.c and device files, written out, decompiled with
 * `dtc -I dtb -O dts` (which must not warn) and checked node by node.
 * usage: fdt_test WORKDIR
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "../hvlite-run.h"

#define DTB_MAX		SZ_2M

/* The VM-side functions the devices reach; no VM here. */
void *kvm__gpa_to_hva(struct kvm *kvm, uint64_t gpa, uint64_t len)
{
	(void)kvm;
	(void)gpa;
	(void)len;
	return NULL;
}

int kvm__irq_line(struct kvm *kvm, unsigned int spi, int level)
{
	(void)kvm;
	(void)spi;
	(void)level;
	return 0;
}

bool kvm__stopping(struct kvm *kvm)
{
	(void)kvm;
	return false;
}

struct machine {
	const char *name;
	unsigned int cpus;
	bool initrd, disk, rng;
	enum console_kind console;
};

static const struct machine machines[] = {
	{ "1 vCPU, nothing optional", 1, false, false, false, CONSOLE_SERIAL },
	{ "4 vCPUs, initrd, disk, rng, virtio console", 4, true, true, true, CONSOLE_VIRTIO },
	{ "1 vCPU, initrd, rng", 1, true, false, true, CONSOLE_SERIAL },
	{ "4 vCPUs, disk, virtio console", 4, false, true, false, CONSOLE_VIRTIO },
};

static unsigned int n, fails;

static void __attribute__((format(printf, 2, 3))) ok(bool good, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u ", good ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fails += !good;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, len + 1);
	if (buf && fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The text of node "name {" in dtc's output, up to its closing "};" at the same indent. */
static char *node(const char *dts, const char *name)
{
	char open[96], close[16];
	const char *s, *e;
	size_t tabs;
	char *out;

	snprintf(open, sizeof(open), "%s {\n", name);
	for (s = strstr(dts, open); s; s = strstr(s + 1, open)) {
		if (s > dts && (s[-1] == '\t' || s[-1] == '\n'))
			break;
	}
	if (!s)
		return NULL;
	for (tabs = 0; s - tabs > dts && s[-1 - (long)tabs] == '\t'; tabs++)
		;
	snprintf(close, sizeof(close), "\n%.*s};", (int)tabs, "\t\t\t\t\t\t\t\t");
	e = strstr(s, close);
	if (!e)
		return NULL;
	out = strndup(s, e - s);
	return out;
}

/* expect(dts, node name, property lines...): the node exists and has each line. */
static void expect(const char *m, const char *dts, const char *name, const char *const *props)
{
	char *t = node(dts, name);
	const char *const *p;
	bool good = t;

	for (p = props; good && *p; p++)
		good = strstr(t, *p);
	ok(good, "%s: %s%s%s", m, name, good || !t ? "" : " lacks ", good || !t ? "" : *p);
	free(t);
}

static void absent(const char *m, const char *dts, const char *name)
{
	char *t = node(dts, name);

	ok(!t, "%s: no %s", m, name);
	free(t);
}

static void check_cpus(const struct machine *mc, const char *dts, const struct kvm *kvm)
{
	char name[32], reg[64];
	unsigned int i;

	for (i = 0; i < mc->cpus; i++) {
		uint64_t aff = kvm->vcpus[i].mpidr & 0xff00ffffffULL;

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)aff);
		snprintf(reg, sizeof(reg), "reg = <0x%02llx 0x%02llx>;", (unsigned long long)(aff >> 32),
			 (unsigned long long)(aff & 0xffffffff));
		expect(mc->name, dts, name, (const char *const[]){ "device_type = \"cpu\";",
			"enable-method = \"psci\";", reg, NULL });
	}
	snprintf(name, sizeof(name), "cpu@%x", mc->cpus);
	absent(mc->name, dts, name);
}

static void check_virtio(const struct machine *mc, const char *dts, unsigned int slot, bool there)
{
	char name[40], irq[48];

	snprintf(name, sizeof(name), "virtio_mmio@%llx", VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SIZE);
	snprintf(irq, sizeof(irq), "interrupts = <0x00 0x%02x 0x04>;", VIRTIO_MMIO_SPI + slot);
	if (there)
		expect(mc->name, dts, name, (const char *const[]){ "compatible = \"virtio,mmio\";",
			irq, "dma-coherent;", NULL });
	else
		absent(mc->name, dts, name);
}

static void check_chosen(const struct machine *mc, const char *dts, const struct kvm *kvm)
{
	char start[64], end[64], args[80];
	char *t = node(dts, "chosen");

	snprintf(args, sizeof(args), "bootargs = \"%s\";", kvm->cfg->params);
	snprintf(start, sizeof(start), "linux,initrd-start = <0x00 0x%llx>;",
		 (unsigned long long)kvm->initrd_gpa);
	snprintf(end, sizeof(end), "linux,initrd-end = <0x00 0x%llx>;",
		 (unsigned long long)(kvm->initrd_gpa + kvm->initrd_size));
	ok(t && strstr(t, args) && strstr(t, "stdout-path = \"/pl011@9000000\";"),
	   "%s: chosen: %s, stdout-path the PL011", mc->name, args);
	ok(t && !strstr(t, "linux,initrd") == !mc->initrd &&
	   (!mc->initrd || (strstr(t, start) && strstr(t, end))),
	   "%s: chosen: initrd range %s", mc->name, mc->initrd ? "present and right" : "absent");
	free(t);
}

static void check_machine(const struct machine *mc, const char *dts, const struct kvm *kvm)
{
	char gic_reg[128];

	check_cpus(mc, dts, kvm);
	expect(mc->name, dts, "psci", (const char *const[]){
		"compatible = \"arm,psci-1.0\\0arm,psci-0.2\";", "method = \"hvc\";", NULL });
	expect(mc->name, dts, "memory@80000000", (const char *const[]){
		"device_type = \"memory\";", "reg = <0x00 0x80000000 0x00 0x10000000>;", NULL });
	snprintf(gic_reg, sizeof(gic_reg), "reg = <0x00 0x%llx 0x00 0x%llx 0x00 0x%llx 0x00 0x%llx>;",
		 GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE * mc->cpus);
	expect(mc->name, dts, "interrupt-controller@8000000", (const char *const[]){
		"compatible = \"arm,gic-v3\";", "#interrupt-cells = <0x03>;", "interrupt-controller;",
		"#redistributor-regions = <0x01>;", gic_reg, NULL });
	expect(mc->name, dts, "timer", (const char *const[]){ "compatible = \"arm,armv8-timer\";",
		"interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b 0x04 0x01 0x0a 0x04>;",
		NULL });
	expect(mc->name, dts, "pl011@9000000", (const char *const[]){
		"compatible = \"arm,pl011\\0arm,primecell\";", "reg = <0x00 0x9000000 0x00 0x1000>;",
		"interrupts = <0x00 0x01 0x04>;", "clocks = <0x02 0x02>;",
		"clock-names = \"uartclk\\0apb_pclk\";", NULL });
	expect(mc->name, dts, "apb-pclk", (const char *const[]){ "compatible = \"fixed-clock\";",
		"phandle = <0x02>;", NULL });
	check_virtio(mc, dts, 0, mc->disk);
	check_virtio(mc, dts, 1, mc->rng);
	check_virtio(mc, dts, 2, mc->console == CONSOLE_VIRTIO);
	check_chosen(mc, dts, kvm);
}

/* Generate, write and decompile one machine's tree; returns dtc's output. */
static char *build(const struct machine *mc, const char *dir, struct config *cfg, struct kvm *kvm)
{
	char dtb[256], dts[256], err[256], cmd[1024], *buf = calloc(1, DTB_MAX), *warn;
	unsigned int i;
	FILE *f;

	memset(cfg, 0, sizeof(*cfg));
	memset(kvm, 0, sizeof(*kvm));
	cfg->nr_cpus = mc->cpus;
	cfg->mem_mib = 256;
	cfg->rng = mc->rng;
	cfg->console = mc->console;
	cfg->params = mc->console == CONSOLE_VIRTIO ? "console=hvc0 earlycon hello=1" :
						     "console=ttyAMA0 earlycon hello=1";
	snprintf(dtb, sizeof(dtb), "%s/disk.img", dir);
	cfg->disk = mc->disk ? strdup(dtb) : NULL;
	device__select(cfg);
	kvm->cfg = cfg;
	kvm->ram_size = 256 * SZ_1M;
	kvm->nr_vcpus = mc->cpus;
	kvm->vcpus = calloc(mc->cpus, sizeof(*kvm->vcpus));
	for (i = 0; i < mc->cpus; i++)	/* as KVM reports them: RES1 bit 31, Aff0 = index */
		kvm->vcpus[i].mpidr = 0x80000000ULL | i;
	if (mc->initrd) {
		kvm->initrd_gpa = 0x8f000000;
		kvm->initrd_size = 0xc00123;
	}
	fdt__generate(kvm, buf, DTB_MAX);
	snprintf(dtb, sizeof(dtb), "%s/m%u.dtb", dir, n);
	snprintf(dts, sizeof(dts), "%s/m%u.dts", dir, n);
	snprintf(err, sizeof(err), "%s/m%u.err", dir, n);
	f = fopen(dtb, "w");
	if (!f || fwrite(buf, 1, fdt_totalsize(buf), f) != fdt_totalsize(buf) || fclose(f))
		return NULL;
	free(buf);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o %s %s 2>%s", dts, dtb, err);
	i = system(cmd);
	warn = slurp(err);
	ok(i == 0 && warn && !warn[0], "%s: dtc decompiles %s without warnings%s%s", mc->name, dtb,
	   warn && warn[0] ? ": " : "", warn ? warn : "");
	free(warn);
	return slurp(dts);
}

int main(int argc, char **argv)
{
	char path[256];
	struct config cfg;
	struct kvm kvm;
	unsigned int i;
	FILE *f;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/disk.img", argv[1]);
	f = fopen(path, "w");
	if (!f || fseek(f, 4095, SEEK_SET) || fputc(0, f) == EOF || fclose(f))
		return 2;
	for (i = 0; i < ARRAY_SIZE(machines); i++) {
		char *dts = build(&machines[i], argv[1], &cfg, &kvm);

		if (dts)
			check_machine(&machines[i], dts, &kvm);
		else
			ok(false, "%s: tree written and decompiled", machines[i].name);
		free(dts);
		free(kvm.vcpus);
	}
	printf("1..%u\n", n);
	return fails != 0;
}
