// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvlite-run's GDB stub: the remote serial protocol's framing. Packets are
 * $data#checksum; we acknowledge each ('+'), NAK a bad checksum ('-': gdb
 * sends it again), answer an oversized one E01, and escape '$', '#', '}'
 * and '*' in replies. Replies are built in gdb.out (out__*).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gdb.h"

int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode 2 * n hex digits; false on a bad digit. */
bool hex2bin(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = hi << 4 | lo;
	}
	return true;
}

/* A hex number up to the next non-hex character; false if there is none. */
bool parse_hex(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	int d, n = 0;

	while ((d = hexval(*p)) >= 0 && n < 17) {
		x = x << 4 | d;
		p++;
		n++;
	}
	if (!n || n > 16)
		return false;
	*v = x;
	*s = p;
	return true;
}

void out__reset(struct gdb *g)
{
	g->out_len = 0;
	g->out[0] = '\0';
}

void out__str(struct gdb *g, const char *s)
{
	size_t n = strlen(s);

	if (g->out_len + n > GDB_PACKET_SIZE)
		n = GDB_PACKET_SIZE - g->out_len;
	memcpy(g->out + g->out_len, s, n);
	g->out_len += n;
	g->out[g->out_len] = '\0';
}

void out__fmt(struct gdb *g, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out__str(g, buf);
}

void out__hex(struct gdb *g, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n && g->out_len + 2 <= GDB_PACKET_SIZE; i++) {
		g->out[g->out_len++] = digits[p[i] >> 4];
		g->out[g->out_len++] = digits[p[i] & 15];
	}
	g->out[g->out_len] = '\0';
}

int gdb__send_raw(struct gdb *g, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(g->conn_fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* $data#cs, with '$', '#', '}' and '*' escaped (binary-safe replies). */
int gdb__send_packet(struct gdb *g, const char *data, size_t len)
{
	char *buf = malloc(2 * len + 5);
	uint8_t cs = 0;
	size_t i, n = 0;
	int ret;

	if (!buf)
		return -1;
	buf[n++] = '$';
	for (i = 0; i < len; i++) {
		char c = data[i];

		if (c == '$' || c == '#' || c == '}' || c == '*') {
			buf[n++] = '}';
			cs += '}';
			c ^= 0x20;
		}
		buf[n++] = c;
		cs += (uint8_t)c;
	}
	n += sprintf(buf + n, "#%02x", cs);
	ret = gdb__send_raw(g, buf, n);
	free(buf);
	return ret;
}

int gdb__send_str(struct gdb *g, const char *s)
{
	return gdb__send_packet(g, s, strlen(s));
}

/* One byte from the connection: -1 at its end, -2 when the VM ended meanwhile. */
static int gdb__getc(struct gdb *g)
{
	unsigned char c;

	for (;;) {
		struct pollfd p = { .fd = g->conn_fd, .events = POLLIN };
		int r = poll(&p, 1, 200);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (!r) {
			if (kvm__stopping(g->kvm) || g->quit)
				return -2;
			continue;
		}
		n = recv(g->conn_fd, &c, 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		return n == 1 ? c : -1;
	}
}

/*
 * Read one packet into buf (NUL-terminated): its length, or -1/-2 (see
 * gdb__getc). A bad checksum is NAKed ('-': gdb sends it again); a packet
 * longer than our buffer is acknowledged and answered E01.
 */
int gdb__read_packet(struct gdb *g, char *buf, size_t cap)
{
	for (;;) {
		size_t len = 0;
		bool big = false;
		uint8_t cs = 0;
		int c, h, l;

		do {
			c = gdb__getc(g);
			if (c < 0)
				return c;
		} while (c != '$');
		while ((c = gdb__getc(g)) >= 0 && c != '#') {
			cs += c;
			if (len + 1 < cap)
				buf[len++] = c;
			else
				big = true;
		}
		if (c < 0)
			return c;
		h = gdb__getc(g);
		l = h < 0 ? h : gdb__getc(g);
		if (h < 0 || l < 0)
			return h < 0 ? h : l;
		if (hexval(h) < 0 || hexval(l) < 0 || (hexval(h) << 4 | hexval(l)) != cs) {
			if (gdb__send_raw(g, "-", 1))
				return -1;
			continue;
		}
		if (gdb__send_raw(g, "+", 1))
			return -1;
		if (big) {
			if (gdb__send_str(g, "E01"))
				return -1;
			continue;
		}
		buf[len] = '\0';
		return len;
	}
}

