// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: host-side unit test of image__parse() (TAP), one row per header case. */
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "../hvlite-run.h"

#define MAGIC	0x644d5241

struct hdr {
	uint32_t code0, code1;
	uint64_t text_offset, image_size, flags, res2, res3, res4;
	uint32_t magic, res5;
};

struct row {
	const char *name;
	uint64_t text_offset, image_size, flags;
	uint32_t magic;
	size_t file_size;	/* bytes handed to the parser */
	int gzip;
	int ok;
	const char *why;	/* a word the refusal must contain */
};

static const struct row rows[] = {
	{ "6.1 kernel header", 0, 0x2010000, 0xa, MAGIC, 4096, 0, 1, NULL },
	{ "text_offset 0x80000", 0x80000, 0x1000000, 0x2, MAGIC, 4096, 0, 1, NULL },
	{ "gzip file", 0, 0, 0, 0, 4096, 1, 0, "gzip" },
	{ "shorter than a header", 0, 0x100000, 0, MAGIC, 32, 0, 0, "magic" },
	{ "no magic", 0, 0x100000, 0, 0x12345678, 4096, 0, 0, "magic" },
	{ "big-endian", 0, 0x100000, 1, MAGIC, 4096, 0, 0, "big-endian" },
	{ "image_size 0", 0x80000, 0, 0, MAGIC, 4096, 0, 0, "image_size" },
	{ "image_size below file size", 0, 0x800, 0, MAGIC, 4096, 0, 0, "corrupt" },
	{ "text_offset unaligned", 0x80010, 0x100000, 0, MAGIC, 4096, 0, 0, "corrupt" },
	{ "text_offset >= 2 MiB", 0x200000, 0x100000, 0, MAGIC, 4096, 0, 0, "corrupt" },
};

static int run_row(unsigned int n, const struct row *r)
{
	static unsigned char buf[4096];
	struct hdr *h = (struct hdr *)buf;
	struct image_info info;
	const char *why = "";
	int ret, ok;

	memset(buf, 0, sizeof(buf));
	h->text_offset = htole64(r->text_offset);
	h->image_size = htole64(r->image_size);
	h->flags = htole64(r->flags);
	h->magic = htole32(r->magic);
	if (r->gzip) {
		buf[0] = 0x1f;
		buf[1] = 0x8b;
	}
	ret = image__parse(buf, r->file_size, &info, &why);
	if (r->ok)
		ok = !ret && info.text_offset == r->text_offset && info.image_size == r->image_size;
	else
		ok = ret && strstr(why, r->why);
	printf("%sok %u %s%s%s\n", ok ? "" : "not ", n, r->name, ret ? ": " : "", ret ? why : "");
	return ok;
}

int main(void)
{
	unsigned int i, fails = 0;

	printf("1..%zu\n", ARRAY_SIZE(rows));
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		fails += !run_row(i + 1, &rows[i]);
	return fails ? 1 : 0;
}
