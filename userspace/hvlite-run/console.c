// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run: the console. stdin goes to the guest's input device of the moment
 * (the PL011, or virtio-console with --console virtio); Ctrl-A x stops the VM;
 * guest output goes to stdout without ever holding a stopping VM up.
 *
 * Two threads, so that the escape is seen whatever the guest does: the reader
 * only reads stdin, spots the escape and queues bytes (never waiting on
 * anything else); the feeder hands queued bytes to the device, which may have
 * to wait for the device's lock (held by a vCPU writing to a blocked stdout)
 * or for room (a guest that does not read).
 *
 * Lock order: sink_lock -> device lock -> ring_lock. The reader takes only
 * ring_lock; nobody holds ring_lock while taking another lock.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hvlite-run.h"

#define ESCAPE_CHAR	0x01	/* Ctrl-A, then x: stop the guest */
#define RING_SIZE	4096	/* typed input the guest has not taken yet; more is dropped */
#define OUT_CHUNK	256	/* at most this much per write(), after poll() said POLLOUT */
#define OUT_POLL_MS	100	/* how often a blocked writer looks whether the VM stops */
#define RETRY_MS	5	/* the feeder's retry when the device had no room */

static struct {
	pthread_mutex_t ring_lock;
	pthread_cond_t ring_cond;
	uint8_t ring[RING_SIZE];
	unsigned int head, count;

	pthread_mutex_t sink_lock;
	struct kvm *kvm;		/* the VM fed; NULL between boots */
	console_receive_fn receive;

	pthread_t main_thread;
	bool started;
} con = {
	.ring_lock = PTHREAD_MUTEX_INITIALIZER,
	.ring_cond = PTHREAD_COND_INITIALIZER,
	.sink_lock = PTHREAD_MUTEX_INITIALIZER,
};

/* Queue what the reader got; bytes beyond the ring are dropped (a UART overrun). */
static void console__queue(const uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&con.ring_lock);
	while (len-- && con.count < RING_SIZE) {
		con.ring[(con.head + con.count) % RING_SIZE] = *buf++;
		con.count++;
	}
	pthread_cond_signal(&con.ring_cond);
	pthread_mutex_unlock(&con.ring_lock);
}

/*
 * stdin, for the launcher's whole life (guest restarts included). Ctrl-A x
 * acts as SIGINT to the main thread: no lock, so nothing the guest or its
 * devices do can delay it. Ctrl-A Ctrl-A sends one Ctrl-A.
 */
static void *console__reader(void *arg)
{
	uint8_t in[64], out[64];
	bool escape = false;

	(void)arg;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, in, sizeof(in));
		size_t i, k = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n; i++) {
			if (escape && in[i] == 'x') {
				/* What came before the escape is queued before it acts. */
				if (k)
					console__queue(out, k);
				k = 0;
				pthread_kill(con.main_thread, SIGINT);
			} else if (escape || in[i] != ESCAPE_CHAR) {
				out[k++] = in[i];
			}
			escape = !escape && in[i] == ESCAPE_CHAR;
		}
		if (k)
			console__queue(out, k);
	}
	return NULL;
}

/* Hand what is queued to the device; between boots, input is dropped. */
static size_t console__deliver(const uint8_t *buf, size_t len)
{
	size_t done = len;

	pthread_mutex_lock(&con.sink_lock);
	if (con.kvm && con.receive)
		done = con.receive(con.kvm, buf, len);
	pthread_mutex_unlock(&con.sink_lock);
	return done;
}

static void console__wait_retry(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += RETRY_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&con.ring_cond, &con.ring_lock, &ts);
}

static void *console__feeder(void *arg)
{
	uint8_t buf[256];
	size_t len, done, i;

	(void)arg;
	pthread_mutex_lock(&con.ring_lock);
	for (;;) {
		while (!con.count)
			pthread_cond_wait(&con.ring_cond, &con.ring_lock);
		len = con.count < sizeof(buf) ? con.count : sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = con.ring[(con.head + i) % RING_SIZE];
		pthread_mutex_unlock(&con.ring_lock);
		done = console__deliver(buf, len);
		pthread_mutex_lock(&con.ring_lock);
		con.head = (con.head + done) % RING_SIZE;
		con.count -= done;
		if (done < len)
			console__wait_retry();
	}
	return NULL;
}

static void console__start(void)
{
	pthread_t t;

	con.main_thread = pthread_self();
	if (pthread_create(&t, NULL, console__reader, NULL) ||
	    pthread_create(&t, NULL, console__feeder, NULL))
		die("console: cannot start the input threads");
	con.started = true;
}

/* Called by the console device's init (main thread): stdin now feeds receive(). */
void console__attach(struct kvm *kvm, console_receive_fn receive)
{
	pthread_mutex_lock(&con.sink_lock);
	con.kvm = kvm;
	con.receive = receive;
	pthread_mutex_unlock(&con.sink_lock);
	if (!con.started)
		console__start();
}

/* Called by the console device's exit, with every vCPU stopped. */
void console__detach(void)
{
	pthread_mutex_lock(&con.sink_lock);
	con.kvm = NULL;
	con.receive = NULL;
	pthread_mutex_unlock(&con.sink_lock);
}

/* The device has room again (the guest read or posted buffers): retry now. */
void console__kick(void)
{
	pthread_mutex_lock(&con.ring_lock);
	if (con.count)
		pthread_cond_signal(&con.ring_cond);
	pthread_mutex_unlock(&con.ring_lock);
}

/*
 * Guest output, from a vCPU thread. A stdout that does not drain (a stalled
 * terminal or pipe) holds the vCPU, as a slow UART would, but only until the
 * VM stops: then what is left is dropped, so Ctrl-A x, SIGINT and SIGTERM
 * always get the vCPU threads back.
 */
void console__write(struct kvm *kvm, const void *buf, size_t len)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };
	const uint8_t *s = buf;

	while (len) {
		bool stopping = kvm__stopping(kvm);
		int r = poll(&p, 1, stopping ? 0 : OUT_POLL_MS);

		if (r > 0) {
			ssize_t n = write(STDOUT_FILENO, s, len < OUT_CHUNK ? len : OUT_CHUNK);

			if (n > 0) {
				s += n;
				len -= n;
				continue;
			}
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return;
		} else if (r < 0 && errno != EINTR) {
			return;
		}
		if (stopping)
			return;
	}
}
