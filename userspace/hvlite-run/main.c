// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: boot a Linux Image or a bare-metal payload on /dev/hvlite (or /dev/kvm). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvlite-run.h"

#define DEFAULT_MEM_MIB	256
/* Before the user's -p; earlycon writes to the PL011 that /chosen/stdout-path names. */
#define PARAMS_SERIAL	"console=ttyAMA0 earlycon"
#define PARAMS_VIRTIO	"console=hvc0 earlycon"

enum {
	OPT_DTB = 256, OPT_DUMP_DTB, OPT_BARE, OPT_DEV, OPT_ON_RESET, OPT_RNG, OPT_DISK,
	OPT_CONSOLE, OPT_GDB, OPT_GDB_WAIT, OPT_VERSION,
};

static const struct option options[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "params", required_argument, NULL, 'p' },
	{ "mem", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "bare", required_argument, NULL, OPT_BARE },
	{ "dev", required_argument, NULL, OPT_DEV },
	{ "on-reset", required_argument, NULL, OPT_ON_RESET },
	{ "rng", no_argument, NULL, OPT_RNG },
	{ "disk", required_argument, NULL, OPT_DISK },
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "gdb-wait", no_argument, NULL, OPT_GDB_WAIT },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvlite-run [options] -k IMAGE | --bare FILE[@ADDR]\n"
		"  -k, --kernel IMAGE     arm64 Linux Image, plain or gzip-compressed\n"
		"  -i, --initrd FILE      initial ramdisk\n"
		"  -p, --params STRING    kernel command line, after \"" PARAMS_SERIAL "\"\n"
		"                         (\"" PARAMS_VIRTIO "\" with --console virtio)\n"
		"  -m, --mem MIB          guest RAM in MiB (default %d)\n"
		"  -c, --cpus N           vCPUs (default 1)\n"
		"      --dtb FILE         boot with this device tree (/chosen is updated)\n"
		"      --dump-dtb FILE    write the guest's device tree to FILE and exit\n"
		"      --bare FILE[@ADDR] bare-metal payload: ELF (at its addresses) or raw\n"
		"                         binary at ADDR (default 0x%llx); x0 = DTB address\n"
		"      --dev PATH         KVM-ABI device (default /dev/hvlite; /dev/kvm works)\n"
		"      --on-reset exit|restart  on a guest SYSTEM_RESET (default exit, status 0)\n"
		"      --rng              a virtio-rng device (entropy from getrandom())\n"
		"      --disk FILE[,ro]   a virtio-blk disk on a raw image file\n"
		"      --gdb PORT         a GDB stub on TCP PORT (gdb-multiarch: target remote)\n"
		"      --gdb-wait         with --gdb: the guest waits for gdb before it starts\n"
		"      --console serial|virtio  the console stdin feeds: the PL011 (ttyAMA0,\n"
		"                         default) or a virtio-console (hvc0)\n"
		"  -v, --verbose          say what goes where\n"
		"  -h, --help             this text\n"
		"      --version          the version\n"
		"Exit: 0 on guest power-off (and reset); 1 on an error or guest crash, with a\n"
		"register dump of every vCPU; 2 if stopped by a signal or Ctrl-A x.\n",
		DEFAULT_MEM_MIB, RAM_BASE);
}

static uint64_t parse_number(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v < min || v > max)
		die("%s %s: expected a number from %llu to %llu", opt, s,
		    (unsigned long long)min, (unsigned long long)max);
	return v;
}

static void parse_bare(struct config *cfg, char *arg)
{
	char *at = strrchr(arg, '@');

	cfg->bare = arg;
	cfg->bare_addr = RAM_BASE;
	if (at) {
		*at = '\0';
		cfg->bare_addr = parse_number("--bare", at + 1, 0, ~0ULL);
	}
}

static void parse_disk(struct config *cfg, char *arg)
{
	char *comma = strrchr(arg, ',');

	if (comma && !strcmp(comma, ",ro")) {
		*comma = '\0';
		cfg->disk_ro = true;
	}
	if (!*arg)
		die("--disk: needs a file name (see --help)");
	cfg->disk = arg;
}

static void parse_console(struct config *cfg, const char *arg)
{
	if (!strcmp(arg, "serial"))
		cfg->console = CONSOLE_SERIAL;
	else if (!strcmp(arg, "virtio"))
		cfg->console = CONSOLE_VIRTIO;
	else
		die("--console %s: expected serial or virtio", arg);
}

static char *params_join(const struct config *cfg, const char *user)
{
	const char *def = cfg->console == CONSOLE_VIRTIO ? PARAMS_VIRTIO : PARAMS_SERIAL;
	size_t len = strlen(def) + (user ? strlen(user) + 1 : 0) + 1;
	char *s = malloc(len);

	if (!s)
		die("out of memory");
	snprintf(s, len, "%s%s%s", def, user ? " " : "", user ? user : "");
	return s;
}

static void parse_options(struct config *cfg, int argc, char **argv)
{
	const char *params = NULL;
	int c;

	cfg->dev = "/dev/hvlite";
	cfg->mem_mib = DEFAULT_MEM_MIB;
	cfg->nr_cpus = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:i:p:m:c:vh", options, NULL)) != -1) {
		switch (c) {
		case 'k': cfg->kernel = optarg; break;
		case 'i': cfg->initrd = optarg; break;
		case 'p': params = optarg; break;
		case 'm': cfg->mem_mib = parse_number("-m", optarg, 1, 1ULL << 20); break;
		case 'c': cfg->nr_cpus = parse_number("-c", optarg, 1, 4096); break;
		case 'v': cfg->verbose++; break;
		case OPT_DTB: cfg->dtb = optarg; break;
		case OPT_DUMP_DTB: cfg->dump_dtb = optarg; break;
		case OPT_BARE: parse_bare(cfg, optarg); break;
		case OPT_DEV: cfg->dev = optarg; break;
		case OPT_RNG: cfg->rng = true; break;
		case OPT_DISK: parse_disk(cfg, optarg); break;
		case OPT_GDB: cfg->gdb_port = parse_number("--gdb", optarg, 1, 65535); break;
		case OPT_GDB_WAIT: cfg->gdb_wait = true; break;
		case OPT_CONSOLE: parse_console(cfg, optarg); break;
		case OPT_ON_RESET:
			if (!strcmp(optarg, "exit"))
				cfg->on_reset = RESET_EXIT;
			else if (!strcmp(optarg, "restart"))
				cfg->on_reset = RESET_RESTART;
			else
				die("--on-reset %s: expected exit or restart", optarg);
			break;
		case 'h': usage(stdout); exit(0);
		case OPT_VERSION: printf("hvlite-run %s\n", HVLITE_RUN_VERSION); exit(0);
		case ':': die("%s: needs an argument (see --help)", argv[optind - 1]);
		default: die("unknown option %s (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (!cfg->kernel == !cfg->bare)
		die("give exactly one of -k IMAGE and --bare FILE (see --help)");
	if (cfg->gdb_wait && !cfg->gdb_port)
		die("--gdb-wait needs --gdb PORT (see --help)");
	cfg->params = params_join(cfg, params);
}

/* Wait in the main thread for the VM to stop or for a signal that stops it. */
static void vm__wait(struct kvm *kvm)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIG_VM_STOP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	while (!kvm__stopping(kvm)) {
		if (sigwait(&set, &sig))
			continue;
		if (sig != SIG_VM_STOP)
			kvm__stop(kvm, VM_STOP_SIGNAL, 0);
	}
}

static void vm__exit_devices(struct kvm *kvm)
{
	struct device *dev;

	for (dev = device__first(); dev; dev = device__next(dev)) {
		if (dev->exit)
			dev->exit(dev, kvm);
	}
}

static void vm__init_devices(struct kvm *kvm)
{
	struct device *dev;

	for (dev = device__first(); dev; dev = device__next(dev)) {
		if (dev->init && dev->init(dev, kvm))
			die("%s: initialisation failed", dev->name);
	}
}

/* One boot of the guest, from VM creation to teardown; returns why it stopped. */
static enum vm_stop vm__run(const struct config *cfg)
{
	struct kvm kvm;
	enum vm_stop why;
	unsigned int i;

	kvm__init(&kvm, cfg);
	loader__load(&kvm);
	fdt__load(&kvm);
	if (cfg->dump_dtb)
		exit(0);
	vm__init_devices(&kvm);
	vcpu__set_boot_regs(&kvm.vcpus[0], kvm.entry, kvm.dtb_gpa);
	pr_debug(cfg, "%u vCPU(s), %llu MiB at 0x%llx, entry 0x%llx, DTB 0x%llx", kvm.nr_vcpus,
		 (unsigned long long)cfg->mem_mib, RAM_BASE, (unsigned long long)kvm.entry,
		 (unsigned long long)kvm.dtb_gpa);
	term__init();
	gdb__init(&kvm);
	for (i = 0; i < kvm.nr_vcpus; i++)
		vcpu__start(&kvm.vcpus[i]);
	vm__wait(&kvm);
	for (i = 0; i < kvm.nr_vcpus; i++)
		vcpu__join(&kvm.vcpus[i]);
	gdb__exit(&kvm);
	why = kvm.stop;
	if (why == VM_STOP_ERROR) {
		term__restore();
		fprintf(stderr, "hvlite-run: guest stopped on an error (vCPU%u); registers:\n",
			kvm.stop_vcpu);
		for (i = 0; i < kvm.nr_vcpus; i++)
			vcpu__dump(&kvm.vcpus[i]);
	}
	vm__exit_devices(&kvm);
	kvm__exit(&kvm);
	return why;
}

int main(int argc, char **argv)
{
	struct config cfg = { 0 };
	enum vm_stop why;
	sigset_t set;

	parse_options(&cfg, argc, argv);
	device__select(&cfg);
	vcpu__signals_init();
	/* Only the main thread takes these, in sigwait(); vCPU threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIG_VM_STOP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	do {
		why = vm__run(&cfg);
		if (why == VM_STOP_RESET && cfg.on_reset == RESET_RESTART)
			pr_warn("guest reset: restarting");
	} while (why == VM_STOP_RESET && cfg.on_reset == RESET_RESTART);
	term__restore();
	switch (why) {
	case VM_STOP_OFF:
		pr_debug(&cfg, "guest powered off");
		return 0;
	case VM_STOP_RESET:
		pr_warn("guest reset: exiting (--on-reset restart boots it again)");
		return 0;
	case VM_STOP_SIGNAL:
		pr_warn("stopped by a signal or the console escape");
		return 2;
	case VM_STOP_DEBUGGER:
		return 2;
	default:
		return 1;
	}
}
