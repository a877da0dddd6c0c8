/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by hvlite's selftests: module loading, /dev/kmsg, sysfs, stats. */
#ifndef HVLITE_UTIL_H
#define HVLITE_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/hvlite.h>

#define HVLITE_DEV	"/dev/hvlite"
#define HVLITE_KO_DEFAULT "/lib/hvlite.ko"

static inline const char *hvl_ko_path(void)
{
	const char *p = getenv("HVLITE_KO");

	return p ? p : HVLITE_KO_DEFAULT;
}

/* finit_module(); returns 0 or -errno. */
static inline int hvl_load(const char *params)
{
	int fd = open(hvl_ko_path(), O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

/* delete_module("hvlite"); returns 0 or -errno. */
static inline int hvl_unload(void)
{
	return syscall(SYS_delete_module, "hvlite", O_NONBLOCK) ? -errno : 0;
}

static inline int hvl_loaded(void)
{
	return access("/sys/module/hvlite", F_OK) == 0;
}

/* Make sure hvlite is loaded with @params (reload if it is loaded). */
static inline int hvl_reload(const char *params)
{
	int ret;

	if (hvl_loaded()) {
		ret = hvl_unload();
		if (ret)
			return ret;
	}
	return hvl_load(params);
}

/* An fd on /dev/kmsg positioned at its end: read what comes after. */
static inline int hvl_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Collect the new kernel log lines containing @needle into @buf (one per
 * line, message text only); returns how many there were.
 */
static inline int hvl_kmsg_grep(int fd, const char *needle, char *buf, size_t len)
{
	char rec[2048];
	int n = 0;
	ssize_t r;

	if (len)
		buf[0] = 0;
	while ((r = read(fd, rec, sizeof(rec) - 1)) > 0 || (r < 0 && errno == EPIPE)) {
		char *msg, *nl;

		if (r < 0)
			continue;
		rec[r] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = 0;
		if (!strstr(msg, needle))
			continue;
		n++;
		if (strlen(buf) + strlen(msg) + 2 < len) {
			strcat(buf, msg);
			strcat(buf, "\n");
		}
	}
	return n;
}

/* Write "0" or "1" to a CPU's sysfs online file; returns 0 or -errno. */
static inline int hvl_cpu_set_online(int cpu, int online)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, online ? "1" : "0", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

/* HVLITE_GET_STATS on @fd (/dev/hvlite); returns 0 or -errno. */
static inline int hvl_get_stats(int fd, struct hvlite_stats *st)
{
	memset(st, 0, sizeof(*st));
	return ioctl(fd, HVLITE_GET_STATS, st) ? -errno : 0;
}

#define HVL_QUANTUM_PARAM	"/sys/module/hvlite/parameters/quantum_us"
#define HVL_QUANTUM_DEFAULT	5000

/* Write @val to the quantum_us module parameter; returns 0 or -errno. */
static inline int hvl_quantum_write(const char *val)
{
	int fd = open(HVL_QUANTUM_PARAM, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	close(fd);
	return ret;
}

/* quantum_us as sysfs shows it, or -1. */
static inline long hvl_quantum_read(void)
{
	char buf[32] = "";
	int fd = open(HVL_QUANTUM_PARAM, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return r > 0 ? strtol(buf, NULL, 10) : -1;
}

/*
 * The sum over CPUs of the /proc/interrupts line naming @name, or -1; the
 * line itself is left in @line.
 */
static inline long hvl_irq_count(const char *name, char *line, size_t len)
{
	FILE *f = fopen("/proc/interrupts", "r");
	long sum = -1;

	if (!f)
		return -1;
	line[0] = 0;
	while (sum < 0 && fgets(line, len, f)) {
		char *p = strchr(line, ':'), *end;

		if (!strstr(line, name) || !p)
			continue;
		for (sum = 0, p++; ; p = end) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			sum += v;
		}
	}
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	return sum;
}

#endif /* HVLITE_UTIL_H */
