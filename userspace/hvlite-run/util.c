// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: messages, fatal errors and reading whole files. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hvlite-run.h"

static void vmsg(const char *fmt, va_list ap, int err)
{
	/* A raw terminal needs \r\n: restore it first so the line reads right. */
	term__restore();
	fputs("hvlite-run: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
	exit(1);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, err);
	va_end(ap);
	exit(1);
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("hvlite-run: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(term__is_raw() ? "\r\n" : "\n", stderr);
	va_end(ap);
}

void pr_debug(const struct config *cfg, const char *fmt, ...)
{
	va_list ap;

	if (!cfg->verbose)
		return;
	va_start(ap, fmt);
	fputs("hvlite-run: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(term__is_raw() ? "\r\n" : "\n", stderr);
	va_end(ap);
}

/* The whole file in a malloc()ed buffer; dies with the path on any error. */
void *file__read(const char *path, size_t *size)
{
	struct stat st;
	size_t done = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno("%s", path);
	if (fstat(fd, &st) < 0)
		die_errno("%s", path);
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file", path);
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf)
		die("%s: out of memory for %lld bytes", path, (long long)st.st_size);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_errno("%s", path);
		if (n == 0)
			die("%s: file shrank while reading", path);
		done += n;
	}
	close(fd);
	*size = done;
	return buf;
}
