// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-info: what /dev/hvlite offers and who owns EL2 on each host CPU.
 * Works on /dev/kvm too, for the KVM ABI part.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/hvlite.h>

#define HVLITE_VERSION "0.1"

static const char *state_name(unsigned int s)
{
	switch (s) {
	case HVLITE_EL2_STUB:
		return "hyp stub (CPU offline)";
	case HVLITE_EL2_OWNED:
		return "owned by hvlite";
	case HVLITE_EL2_FAILED:
		return "FAILED (an exception hit EL2; reload hvlite)";
	default:
		return "unknown";
	}
}

static int show_cpu(int fd, unsigned int cpu)
{
	struct hvlite_el2_info info = { .cpu = cpu };
	struct hvlite_el2_ping ping = { .cpu = cpu };

	if (ioctl(fd, HVLITE_EL2_INFO, &info) < 0)
		return -errno;
	printf("  CPU%u: EL2 %s", cpu, state_name(info.state));
	if (ioctl(fd, HVLITE_EL2_PING, &ping) == 0)
		printf("; ping answered by CPU%llu at EL2, MPIDR %#llx",
		       (unsigned long long)ping.el2_cpu,
		       (unsigned long long)ping.mpidr_el2);
	else if (errno != ENODEV)
		printf("; ping failed: %s", strerror(errno));
	if (info.fault_count)
		printf("; %llu EL2 fault(s), last ESR_EL2 %#llx FAR_EL2 %#llx",
		       (unsigned long long)info.fault_count,
		       (unsigned long long)info.fault_esr,
		       (unsigned long long)info.fault_far);
	printf("\n");
	return 0;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--dev PATH]\n"
		"Show the KVM API version of the device and, on hvlite, who owns EL2\n"
		"on each host CPU.\n\n"
		"  -d, --dev PATH   device to ask (default /dev/hvlite; /dev/kvm works\n"
		"                   for the KVM part)\n"
		"  -h, --help       this text\n"
		"  -V, --version    hvlite-info's version\n", prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	const char *dev = "/dev/hvlite";
	long ncpus;
	int fd, c, api;

	while ((c = getopt_long(argc, argv, "d:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dev = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		case 'V':
			printf("hvlite-info %s\n", HVLITE_VERSION);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", argv[0], argv[optind]);
		return 2;
	}
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s%s\n", argv[0], dev, strerror(errno),
			errno == ENOENT ? " (is hvlite.ko loaded?)" : "");
		return 1;
	}
	api = ioctl(fd, KVM_GET_API_VERSION, 0);
	printf("%s: KVM API version %d\n", dev, api);
	ncpus = sysconf(_SC_NPROCESSORS_CONF);
	for (c = 0; c < ncpus; c++) {
		int ret = show_cpu(fd, c);

		if (ret == -ENOTTY || ret == -EINVAL) {
			printf("  (no hvlite EL2 controls on %s)\n", dev);
			break;
		}
	}
	close(fd);
	return 0;
}
