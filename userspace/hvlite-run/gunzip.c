// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: a small gzip (RFC 1952) / DEFLATE (RFC 1951) decoder for compressed Images. */
#include <stdlib.h>
#include <string.h>

#include "hvlite-run.h"

#define MAX_BITS	15
#define MAX_LIT		288
#define MAX_DIST	30

struct inflate {
	const uint8_t *in;
	size_t in_len, in_pos;
	uint32_t bitbuf;
	unsigned int bitcnt;
	uint8_t *out;
	size_t out_len, out_pos;
	const char *err;
};

/* A canonical Huffman code: how many codes of each length, symbols in code order. */
struct huffman {
	uint16_t count[MAX_BITS + 1];
	uint16_t symbol[MAX_LIT];
};

static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
	1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
};
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
	13, 13,
};

static unsigned int bits(struct inflate *s, unsigned int n)
{
	unsigned int v;

	while (s->bitcnt < n) {
		if (s->in_pos >= s->in_len) {
			s->err = "truncated data";
			return 0;
		}
		s->bitbuf |= (uint32_t)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	v = s->bitbuf & ((1u << n) - 1);
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return v;
}

/* Returns -1 for an over-subscribed code; incomplete codes are allowed (RFC 1951 3.2.7). */
static int huffman__build(struct huffman *h, const uint8_t *lengths, unsigned int n)
{
	uint16_t offs[MAX_BITS + 1];
	unsigned int i;
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (i = 0; i < n; i++)
		h->count[lengths[i]]++;
	for (i = 1; i <= MAX_BITS; i++) {
		left = 2 * left - h->count[i];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (i = 1; i < MAX_BITS; i++)
		offs[i + 1] = offs[i] + h->count[i];
	for (i = 0; i < n; i++)
		if (lengths[i])
			h->symbol[offs[lengths[i]]++] = i;
	return 0;
}

static int huffman__decode(struct inflate *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;
	unsigned int len;

	for (len = 1; len <= MAX_BITS; len++) {
		code |= bits(s, 1);
		if (s->err)
			return -1;
		if (code - first < h->count[len])
			return h->symbol[index + code - first];
		index += h->count[len];
		first = (first + h->count[len]) << 1;
		code <<= 1;
	}
	s->err = "bad Huffman code";
	return -1;
}

static int inflate__codes(struct inflate *s, const struct huffman *lit, const struct huffman *dist)
{
	for (;;) {
		int sym = huffman__decode(s, lit);
		size_t len, d;

		if (sym < 0)
			return -1;
		if (sym < 256) {
			if (s->out_pos >= s->out_len)
				goto too_long;
			s->out[s->out_pos++] = sym;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29)
			goto bad;
		len = len_base[sym] + bits(s, len_extra[sym]);
		sym = huffman__decode(s, dist);
		if (sym < 0)
			return -1;
		if (sym >= 30)
			goto bad;
		d = dist_base[sym] + bits(s, dist_extra[sym]);
		if (s->err)
			return -1;
		if (d > s->out_pos)
			goto bad;
		if (len > s->out_len - s->out_pos)
			goto too_long;
		for (; len; len--, s->out_pos++)
			s->out[s->out_pos] = s->out[s->out_pos - d];
	}
bad:
	s->err = "bad length or distance";
	return -1;
too_long:
	s->err = "more data than the trailer's size";
	return -1;
}

static int inflate__stored(struct inflate *s)
{
	size_t len;

	s->bitbuf = 0;		/* the rest of the current byte is padding */
	s->bitcnt = 0;
	if (s->in_len - s->in_pos < 4) {
		s->err = "truncated data";
		return -1;
	}
	len = s->in[s->in_pos] | s->in[s->in_pos + 1] << 8;
	if ((len ^ 0xffff) != (size_t)(s->in[s->in_pos + 2] | s->in[s->in_pos + 3] << 8)) {
		s->err = "bad stored block length";
		return -1;
	}
	s->in_pos += 4;
	if (len > s->in_len - s->in_pos || len > s->out_len - s->out_pos) {
		s->err = "bad stored block length";
		return -1;
	}
	memcpy(s->out + s->out_pos, s->in + s->in_pos, len);
	s->in_pos += len;
	s->out_pos += len;
	return 0;
}

static int inflate__fixed(struct inflate *s)
{
	static struct huffman lit, dist;
	static bool built;
	uint8_t l[MAX_LIT];
	unsigned int i;

	if (!built) {
		for (i = 0; i < MAX_LIT; i++)
			l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
		huffman__build(&lit, l, MAX_LIT);
		memset(l, 5, MAX_DIST);
		huffman__build(&dist, l, MAX_DIST);
		built = true;
	}
	return inflate__codes(s, &lit, &dist);
}

static int inflate__dynamic(struct inflate *s)
{
	static const uint8_t order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
	};
	unsigned int nlit = bits(s, 5) + 257, ndist = bits(s, 5) + 1, ncode = bits(s, 4) + 4;
	uint8_t l[MAX_LIT + MAX_DIST] = { 0 };
	struct huffman lit, dist;
	unsigned int i, n, rep;
	int sym;

	if (nlit > 286 || ndist > MAX_DIST)
		goto bad;
	for (i = 0; i < ncode; i++)
		l[order[i]] = bits(s, 3);
	if (s->err || huffman__build(&lit, l, 19))
		goto bad;
	for (i = 0; i < nlit + ndist; i += rep) {
		sym = huffman__decode(s, &lit);
		if (sym < 0)
			return -1;
		if (sym < 16) {
			l[i] = sym;
			rep = 1;
			continue;
		}
		if (sym == 16 && !i)
			goto bad;
		n = sym == 16 ? l[i - 1] : 0;
		rep = sym == 16 ? 3 + bits(s, 2) : sym == 17 ? 3 + bits(s, 3) : 11 + bits(s, 7);
		if (i + rep > nlit + ndist)
			goto bad;
		memset(l + i, n, rep);
	}
	if (s->err || !l[256] || huffman__build(&lit, l, nlit) ||
	    huffman__build(&dist, l + nlit, ndist))
		goto bad;
	return inflate__codes(s, &lit, &dist);
bad:
	if (!s->err)
		s->err = "bad dynamic block header";
	return -1;
}

static uint32_t crc32(const uint8_t *p, size_t len)
{
	static uint32_t table[256];
	uint32_t c = 0xffffffff;
	unsigned int i, k;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			for (c = i, k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		c = 0xffffffff;
	}
	while (len--)
		c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffff;
}

/* The header's length (RFC 1952 2.3), or 0 if it is not a gzip header we take. */
static size_t gzip__header(const uint8_t *in, size_t len)
{
	size_t pos = 10;
	uint8_t flg;

	if (len < 18 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8)
		return 0;
	flg = in[3];
	if (flg & 0x04) {		/* FEXTRA */
		if (len - pos < 2)
			return 0;
		pos += 2 + (in[pos] | in[pos + 1] << 8);
	}
	if (flg & 0x08)			/* FNAME */
		while (pos < len && in[pos++])
			;
	if (flg & 0x10)			/* FCOMMENT */
		while (pos < len && in[pos++])
			;
	if (flg & 0x02)			/* FHCRC */
		pos += 2;
	return pos + 8 <= len ? pos : 0;
}

bool gzip__is_gzip(const void *buf, size_t size)
{
	const uint8_t *b = buf;

	return size >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/* Pure: the decompressed data of one gzip member in a malloc()ed buffer, or NULL and *why. */
void *gunzip(const void *buf, size_t size, size_t *out_size, const char **why)
{
	const uint8_t *in = buf;
	struct inflate s = { 0 };
	size_t hdr = gzip__header(in, size);
	unsigned int last, type;
	uint32_t crc;

	if (!hdr) {
		*why = "bad gzip header";
		return NULL;
	}
	crc = in[size - 8] | in[size - 7] << 8 | in[size - 6] << 16 | (uint32_t)in[size - 5] << 24;
	s.out_len = in[size - 4] | in[size - 3] << 8 | in[size - 2] << 16 |
		    (uint32_t)in[size - 1] << 24;
	/* DEFLATE expands at most 1032:1: a bigger size is a damaged or truncated file. */
	if ((uint64_t)s.out_len > (uint64_t)(size - hdr) * 1032) {
		*why = "the trailer's size does not fit the data (truncated file?)";
		return NULL;
	}
	s.out = malloc(s.out_len ? s.out_len : 1);
	if (!s.out) {
		*why = "out of memory";
		return NULL;
	}
	s.in = in + hdr;
	s.in_len = size - hdr - 8;
	do {
		last = bits(&s, 1);
		type = bits(&s, 2);
		if (s.err)
			break;
		if (type == 0)
			inflate__stored(&s);
		else if (type == 1)
			inflate__fixed(&s);
		else if (type == 2)
			inflate__dynamic(&s);
		else
			s.err = "bad block type";
	} while (!last && !s.err);
	if (!s.err && s.out_pos != s.out_len)
		s.err = "less data than the trailer's size";
	if (!s.err && crc32(s.out, s.out_len) != crc)
		s.err = "CRC mismatch";
	if (s.err) {
		*why = s.err;
		free(s.out);
		return NULL;
	}
	*out_size = s.out_len;
	return s.out;
}
