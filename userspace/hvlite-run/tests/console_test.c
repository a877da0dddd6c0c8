// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: host-side test of console.c (TAP): stdin and stdout are pipes
 * played by the test, the console device a stub that can refuse input or hang.
 * The escape must be seen whatever the device and stdout do, and guest output
 * must give up once the VM stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../hvlite-run.h"

static struct kvm fake_kvm;
static volatile bool stopping;
static int in_fd, out_fd;	/* the test's ends: it types into in_fd, reads out_fd */
static FILE *tap;

/* The console device: records input; can refuse it (full) or hang on a gate. */
static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static char got[8192];
static size_t got_len;
static volatile bool full;	/* read by the feeder thread: no store reordering */

bool kvm__stopping(struct kvm *kvm)
{
	(void)kvm;
	return stopping;
}

void die(const char *fmt, ...)
{
	(void)fmt;
	exit(2);
}

static size_t sink__receive(struct kvm *kvm, const uint8_t *buf, size_t len)
{
	(void)kvm;
	pthread_mutex_lock(&gate);
	pthread_mutex_unlock(&gate);
	pthread_mutex_lock(&sink_lock);
	if (full)
		len = 0;
	if (len > sizeof(got) - got_len)
		len = sizeof(got) - got_len;
	memcpy(got + got_len, buf, len);
	got_len += len;
	pthread_mutex_unlock(&sink_lock);
	return len;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait up to a second for the device to have received n bytes in all. */
static bool got_wait(size_t n)
{
	size_t len = 0;
	int i;

	for (i = 0; i < 100; i++) {
		pthread_mutex_lock(&sink_lock);
		len = got_len;
		pthread_mutex_unlock(&sink_lock);
		if (len >= n)
			break;
		sleep_ms(10);
	}
	return len == n;
}

static void got_reset(void)
{
	pthread_mutex_lock(&sink_lock);
	got_len = 0;
	pthread_mutex_unlock(&sink_lock);
}

static void type(const char *s, size_t len)
{
	if (write(in_fd, s, len) != (ssize_t)len)
		exit(2);
}

/* Did the main thread get SIGINT (the escape) within ms milliseconds? */
static bool escaped(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	return sigtimedwait(&set, NULL, &ts) == SIGINT;
}

static unsigned int n, fails;

static void ok(bool good, const char *what)
{
	fprintf(tap, "%sok %u %s\n", good ? "" : "not ", ++n, what);
	fflush(tap);
	fails += !good;
}

static void test_input(void)
{
	got_reset();
	type("hello\n", 6);
	ok(got_wait(6) && !memcmp(got, "hello\n", 6), "typed bytes reach the device in order");
	got_reset();
	type("\001\001\001y", 4);
	ok(got_wait(2) && !memcmp(got, "\001y", 2) && !escaped(300),
	   "Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A y sends y, neither stops");
}

/* The device hangs (its lock held by a vCPU blocked on output): the escape still works. */
static void test_escape_device_hung(void)
{
	got_reset();
	pthread_mutex_lock(&gate);
	type("abc", 3);
	sleep_ms(50);
	type("\001", 1);
	sleep_ms(50);
	type("x", 1);
	ok(escaped(2000), "Ctrl-A x while the device hangs in receive: the main thread gets SIGINT");
	pthread_mutex_unlock(&gate);
	ok(got_wait(3) && !memcmp(got, "abc", 3), "the device gets what was typed before it");
}

/* A guest that never reads: 5000 bytes typed, then the escape. */
static void test_escape_device_full(void)
{
	static char junk[5000];

	got_reset();
	full = true;
	memset(junk, 'j', sizeof(junk));
	type(junk, sizeof(junk));
	type("\001x", 2);
	ok(escaped(2000), "Ctrl-A x after 5000 bytes the guest does not take: SIGINT");
	full = false;
	ok(got_wait(4096), "4 KiB of them wait for the guest, the rest is dropped");
}

struct writer {
	pthread_t t;
	const char *buf;
	size_t len;
	volatile bool done;
};

static void *writer__run(void *arg)
{
	struct writer *w = arg;

	console__write(&fake_kvm, w->buf, w->len);
	w->done = true;
	return NULL;
}

static bool writer__wait(struct writer *w, long ms)
{
	for (; ms > 0 && !w->done; ms -= 10)
		sleep_ms(10);
	return w->done;
}

/* stdout is a pipe nobody reads: the writer waits, then gives up once the VM stops. */
static void test_blocked_output(void)
{
	struct writer w = { .buf = "stuck", .len = 5 };
	int flags = fcntl(STDOUT_FILENO, F_GETFL);
	char buf[4096];

	fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK);
	while (write(STDOUT_FILENO, buf, sizeof(buf)) > 0 || write(STDOUT_FILENO, buf, 1) > 0)
		;
	fcntl(STDOUT_FILENO, F_SETFL, flags);
	pthread_create(&w.t, NULL, writer__run, &w);
	ok(!writer__wait(&w, 300), "output to a full stdout waits while the VM runs");
	stopping = true;
	ok(writer__wait(&w, 500), "and returns within 500 ms once the VM stops");
	pthread_join(w.t, NULL);
	stopping = false;
	while (read(out_fd, buf, sizeof(buf)) == sizeof(buf))
		;
}

static void test_output(void)
{
	static char big[10000], back[10000];
	struct writer w = { .buf = big, .len = sizeof(big) };
	size_t have = 0;
	unsigned int i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = 'a' + i % 26;
	fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) & ~O_NONBLOCK);
	pthread_create(&w.t, NULL, writer__run, &w);
	while (have < sizeof(back)) {
		ssize_t r = read(out_fd, back + have, sizeof(back) - have);

		if (r <= 0)
			break;
		have += r;
	}
	pthread_join(w.t, NULL);
	ok(have == sizeof(big) && !memcmp(big, back, have),
	   "10000 bytes of output arrive whole and in order");
}

int main(void)
{
	int in[2], out[2];
	sigset_t set;

	tap = fdopen(dup(STDOUT_FILENO), "w");
	if (!tap || pipe(in) || pipe(out))
		return 2;
	dup2(in[0], STDIN_FILENO);
	dup2(out[1], STDOUT_FILENO);
	in_fd = in[1];
	out_fd = out[0];
	fcntl(out_fd, F_SETFL, O_NONBLOCK);
	/* As in main.c: only the main thread takes SIGINT; the console threads inherit it blocked. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	console__attach(&fake_kvm, sink__receive);
	fprintf(tap, "1..9\n");
	test_input();
	test_escape_device_hung();
	test_escape_device_full();
	test_blocked_output();
	test_output();
	return fails != 0;
}
