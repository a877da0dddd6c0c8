// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: parsing the arm64 Image header (pure: also built into the host-side unit test). */
#include <endian.h>
#include <stddef.h>

#include "hvlite-run.h"

/* Linux's Documentation/arch/arm64/booting.rst, "Call the kernel image". */
struct arm64_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

#define ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */
#define ARM64_IMAGE_FLAG_BE	(1ULL << 0)

/* Pure: validate an Image and return its layout, or -1 with a reason in *why. */
int image__parse(const void *buf, size_t size, struct image_info *info, const char **why)
{
	const struct arm64_image_header *h = buf;
	const unsigned char *b = buf;

	if (size >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		*why = "gzip data inside a gzip file: not an Image";
		return -1;
	}
	if (size < sizeof(*h) || le32toh(h->magic) != ARM64_IMAGE_MAGIC) {
		*why = "not an arm64 Image (no \"ARM\\x64\" magic at offset 56)";
		return -1;
	}
	info->text_offset = le64toh(h->text_offset);
	info->image_size = le64toh(h->image_size);
	info->flags = le64toh(h->flags);
	if (info->flags & ARM64_IMAGE_FLAG_BE) {
		*why = "big-endian Image: not supported";
		return -1;
	}
	if (!info->image_size) {
		*why = "image_size is 0 (a kernel older than 3.17): not supported";
		return -1;
	}
	if (info->image_size < size || info->text_offset >= SZ_2M || info->text_offset % SZ_4K) {
		*why = "corrupt Image header (image_size smaller than the file, or bad text_offset)";
		return -1;
	}
	return 0;
}
