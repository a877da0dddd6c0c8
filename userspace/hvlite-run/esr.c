// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: ESR_ELx decoded: exception class and its ISS fields (Arm ARM D19.2, ESR_EL1). */
#include <stdio.h>

#include "gdb.h"

const char *esr__ec_name(unsigned int ec)
{
	static const char *const names[64] = {
		[0x00] = "UNKNOWN (undefined instruction)", [0x01] = "WFx",
		[0x07] = "FP/SIMD/SVE access trap", [0x0e] = "illegal execution state",
		[0x11] = "SVC (AArch32)", [0x15] = "SVC", [0x16] = "HVC", [0x17] = "SMC",
		[0x18] = "MSR/MRS/system instruction", [0x19] = "SVE access trap",
		[0x20] = "instruction abort, lower EL", [0x21] = "instruction abort, same EL",
		[0x22] = "PC alignment fault", [0x24] = "data abort, lower EL",
		[0x25] = "data abort, same EL", [0x26] = "SP alignment fault",
		[0x2c] = "FP exception", [0x2f] = "SError",
		[0x30] = "breakpoint, lower EL", [0x31] = "breakpoint, same EL",
		[0x32] = "software step, lower EL", [0x33] = "software step, same EL",
		[0x34] = "watchpoint, lower EL", [0x35] = "watchpoint, same EL",
		[0x38] = "BKPT (AArch32)", [0x3c] = "BRK",
	};

	return names[ec & 63] ? names[ec & 63] : "reserved/other";
}

/* Data/instruction fault status codes (DFSC/IFSC). */
static const char *esr__fsc(unsigned int fsc)
{
	static const char *const kinds[] = {
		"address size fault", "translation fault", "access flag fault", "permission fault",
	};

	if (fsc < 0x10)
		return kinds[fsc >> 2];
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x11: return "synchronous tag check fault";
	case 0x14: case 0x15: case 0x16: case 0x17:
		return "external abort on a table walk";
	case 0x21: return "alignment fault";
	case 0x22: return "debug exception";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

static int esr__abort(uint64_t esr, char *buf, size_t size)
{
	unsigned int iss = esr & 0x1ffffff, fsc = iss & 0x3f;
	bool data = ESR_EC(esr) >= 0x24;
	int n = 0;

	if (data && (iss >> 24 & 1))
		n = snprintf(buf, size, " ISV SAS=%u-byte SSE=%u SRT=x%u SF=%u AR=%u;",
			     1u << (iss >> 22 & 3), iss >> 21 & 1, iss >> 16 & 31, iss >> 15 & 1,
			     iss >> 14 & 1);
	else if (data)
		n = snprintf(buf, size, " ISV=0 (no instruction syndrome);");
	return n + snprintf(buf + n, size - n, "%s%s%s%s%s %s (FSC 0x%02x, level %u)",
			    iss >> 10 & 1 ? " FnV" : "", iss >> 9 & 1 ? " EA" : "",
			    iss >> 8 & 1 ? " CM" : "", iss >> 7 & 1 ? " S1PTW" : "",
			    data ? (iss >> 6 & 1 ? " write" : " read") : " fetch",
			    esr__fsc(fsc), fsc, fsc & 3);
}

/* ISS fields by class; "raw" when the class has none decoded here. */
static void esr__iss(uint64_t esr, char *buf, size_t size)
{
	unsigned int ec = ESR_EC(esr), iss = esr & 0x1ffffff;
	static const char *const wfx[] = { "WFI", "WFE", "WFIT", "WFET" };

	switch (ec) {
	case 0x01:
		snprintf(buf, size, " %s", wfx[iss & 3]);
		break;
	case 0x15: case 0x16: case 0x17: case 0x3c:
		snprintf(buf, size, " imm16=0x%04x", iss & 0xffff);
		break;
	case 0x18:
		snprintf(buf, size, " %s S%u_%u_C%u_C%u_%u, x%u", iss & 1 ? "MRS" : "MSR",
			 iss >> 20 & 3, iss >> 14 & 7, iss >> 10 & 15, iss >> 1 & 15,
			 iss >> 17 & 7, iss >> 5 & 31);
		break;
	case 0x20: case 0x21: case 0x24: case 0x25:
		esr__abort(esr, buf, size);
		break;
	case 0x32: case 0x33:
		snprintf(buf, size, " ISV=%u EX=%u", iss >> 24 & 1, iss >> 6 & 1);
		break;
	case 0x34: case 0x35:
		snprintf(buf, size, "%s%s (FSC 0x%02x)", iss >> 8 & 1 ? " CM" : "",
			 iss >> 6 & 1 ? " write" : " read", iss & 0x3f);
		break;
	default:
		snprintf(buf, size, " ISS=0x%07x", iss);
		break;
	}
}

/* One line for a crash dump: the class, and for an abort its direction and fault. */
void esr__decode(uint64_t esr, char *buf, size_t size)
{
	unsigned int ec = ESR_EC(esr);
	unsigned int iss = esr & 0x1ffffff;

	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
		snprintf(buf, size, "EC 0x%02x %s, %s%s (FSC 0x%02x)", ec, esr__ec_name(ec),
			 (ec >= 0x24 && (iss & (1u << 6))) ? "write, " : "",
			 esr__fsc(iss & 0x3f), iss & 0x3f);
	else
		snprintf(buf, size, "EC 0x%02x %s, ISS 0x%07x", ec, esr__ec_name(ec), iss);
}

/* "EC 0x24 data abort, lower EL: IL=32-bit, ISV SAS=4-byte ... " */
void esr__describe(uint64_t esr, char *buf, size_t size)
{
	char iss[160];
	unsigned int ec = ESR_EC(esr);

	esr__iss(esr, iss, sizeof(iss));
	snprintf(buf, size, "EC 0x%02x %s: IL=%s,%s", ec, esr__ec_name(ec),
		 esr >> 25 & 1 ? "32-bit" : "16-bit", iss);
}
