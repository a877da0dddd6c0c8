// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: host-side test of gunzip(): round trips of gzip files, then damaged copies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../hvlite-run.h"

static void *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(2);
	}
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(f);
	*size = n;
	return buf;
}

/* usage: gunzip_test FILE.gz FILE [FILE.gz FILE ...] */
int main(int argc, char **argv)
{
	unsigned int t = 0, fails = 0;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		size_t zn, n, on = 0, k;
		unsigned char *z = slurp(argv[i], &zn), *ref = slurp(argv[i + 1], &n), *out;
		const char *why = "";
		int good;

		out = gunzip(z, zn, &on, &why);
		good = out && on == n && !memcmp(out, ref, n);
		printf("%sok %u %s decompresses to %s%s%s\n", good ? "" : "not ", ++t, argv[i],
		       argv[i + 1], out ? "" : ": ", out ? "" : why);
		fails += !good;
		free(out);
		/* Damage: flip a byte at 7 places of the data and trailer, and truncate; each must fail cleanly. */
		for (k = 1; k <= 8; k++) {
			size_t len = k == 8 ? zn / 2 : zn;
			size_t at = 10 + (zn - 10) * k / 9;	/* past the header (gzip -n) */

			z[at] ^= k == 8 ? 0 : 0x5a;
			out = gunzip(z, len, &on, &why);
			/* Accepted only if the damage did not change the data (CRC-32 and size agree). */
			good = !out || (on == n && !memcmp(out, ref, n));
			printf("%sok %u %s damaged (%s at %zu): %s\n", good ? "" : "not ", ++t, argv[i],
			       k == 8 ? "truncated" : "byte flipped", at,
			       out ? (good ? "same data" : "wrong data accepted") : why);
			fails += !good;
			free(out);
			z[at] ^= k == 8 ? 0 : 0x5a;
		}
		free(z);
		free(ref);
	}
	printf("1..%u\n", t);
	return fails ? 1 : 0;
}
