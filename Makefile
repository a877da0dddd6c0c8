# SPDX-License-Identifier: GPL-2.0-only
# hvlite: cross-build for arm64, and the QEMU-based run and test loop.
#
#   make              build hvlite.ko, the userspace tools and the selftests
#   make run          boot the QEMU host, load hvlite and show it working
#   make check        every test (both host kernels, both CPU models)
#   make check-all    the full kernel x CPU matrix
#   make setup        install/fetch what is missing (also run by run/check)
#   make bench        guest-counted cost of each exit, hvlite vs KVM (QEMU -icount)
#   make debug        the QEMU host under QEMU's gdbstub, hvlite's symbols for gdb
#   make checkpatch   checkpatch.pl --strict over the module and uapi
#
# KERNEL=6.1|6.12 picks the host kernel (default 6.1).
# HVLITE_CACHE (default ~/.cache/hvlite) holds every download.

KERNEL ?= 6.1
HVLITE_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/hvlite
export HVLITE_CACHE
# Native on an arm64 machine, cross-compiled elsewhere.
CROSS_COMPILE ?= $(if $(filter aarch64,$(shell uname -m)),,aarch64-linux-gnu-)
CC_ARM64 := $(CROSS_COMPILE)gcc

TOP := $(CURDIR)
BUILD := $(TOP)/build
KROOT := $(HVLITE_CACHE)/kernel-$(KERNEL)
KVER = $(shell cat $(KROOT)/kver 2>/dev/null)
# KDIR=/lib/modules/$(uname -r)/build builds for a running arm64 kernel instead.
ifdef KDIR
MODBUILD := $(BUILD)/module-local
MOD_SETUP :=
else
KDIR = $(KROOT)/usr/src/linux-headers-$(KVER)
MODBUILD := $(BUILD)/module-$(KERNEL)
MOD_SETUP := setup-if-missing
endif
KSRC := $(HVLITE_CACHE)/linux-source

USER_CFLAGS := -O2 -g -static -Wall -Wextra -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Werror -I$(TOP)/uapi
# The kselftest harness is -Wall clean, not -Wextra clean.
TEST_CFLAGS := -O2 -g -static -Wall -Werror -I$(TOP)/uapi -I$(KSRC)/tools/testing/selftests
ifeq ($(CI),true)
MOD_W := W=1
else
MOD_W ?= W=1
endif

USER_PROGS := hvlite-info hvlite-run
# hvlite-run links Debian's libfdt (libfdt-dev:arm64) statically; only its
# three headers are taken from the build machine's /usr/include.
LIBFDT_INC ?= /usr/include
LIBFDT_A ?= /usr/lib/aarch64-linux-gnu/libfdt.a
HVLITE_RUN_SRCS := $(wildcard userspace/hvlite-run/*.c)
TESTS := hvlite_test el2_refusal_test
# The KVM-ABI suite (selftests/kvm_*_test.c): runs on /dev/hvlite and on /dev/kvm.
KVM_TESTS := kvm_vm_test kvm_vcpu_test kvm_mmio_test kvm_psci_test kvm_exits_test \
	kvm_aarch32_test kvm_preempt_test kvm_debug_test kvm_vgic_test kvm_vgic_smp_test \
	kvm_timer_test kvm_irq_test kvm_psci_smp_test
# Linked with the KVM-ABI library and the guest payload: the suite and hvlite's own tests.
LIB_TESTS := $(KVM_TESTS) hvlite_test hvlite_quantum_irq_test hvlite_introspect_test
# The guest payload: bare-metal EL1 code, MMU off (Device memory: no unaligned
# accesses, no exclusives, no FP/SIMD), linked at 0x40000000, made flat.
GUEST_CFLAGS := -O2 -Wall -Werror -ffreestanding -nostdlib -mgeneral-regs-only \
	-mstrict-align -fno-pic -fno-pie -fno-stack-protector -mno-outline-atomics \
	-fno-asynchronous-unwind-tables
GUEST_SRCS := selftests/guest/start.S selftests/guest/guest.c selftests/guest/irq.c
KVM_LIB_SRCS := selftests/lib/kvm_util.c selftests/lib/rc_util.c selftests/lib/guest_blob.S

.PHONY: all setup setup-if-missing module userspace selftests check check-all run bench \
	checkpatch clean debug
all: module userspace selftests

setup:
	@scripts/setup.sh

# Plain 'make' fetches only what is missing; run/check refresh everything.
setup-if-missing:
	@test -f $(KROOT)/kver -a -f $(KSRC)/version -a -x $(HVLITE_CACHE)/busybox/bin/busybox \
		|| scripts/setup.sh

module: $(MOD_SETUP)
	@mkdir -p $(MODBUILD)
	@cp -rsf $(TOP)/Kbuild $(TOP)/module $(TOP)/uapi $(MODBUILD)/
	$(MAKE) -C $(KDIR) M=$(MODBUILD) ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE) $(MOD_W) modules
	@scripts/check-hyp-syms.sh $(MODBUILD)

$(BUILD)/userspace/%: userspace/%.c uapi/linux/hvlite.h | setup-if-missing
	@mkdir -p $(dir $@)
	$(CC_ARM64) $(USER_CFLAGS) -o $@ $<

$(BUILD)/userspace/hvlite-run: $(HVLITE_RUN_SRCS) $(wildcard userspace/hvlite-run/*.h) \
		| setup-if-missing
	@mkdir -p $(dir $@) $(BUILD)/hvlite-run/include
	@ln -sf $(addprefix $(LIBFDT_INC)/,libfdt.h libfdt_env.h fdt.h) $(BUILD)/hvlite-run/include/
	$(CC_ARM64) $(USER_CFLAGS) -pthread -I$(BUILD)/hvlite-run/include -o $@ \
		$(HVLITE_RUN_SRCS) $(LIBFDT_A)

userspace: $(addprefix $(BUILD)/userspace/,$(USER_PROGS))

$(BUILD)/selftests/%: selftests/%.c selftests/hvlite_util.h uapi/linux/hvlite.h | setup-if-missing
	@mkdir -p $(dir $@)
	$(CC_ARM64) $(TEST_CFLAGS) -o $@ $<

$(BUILD)/guest/guest.bin: $(GUEST_SRCS) selftests/guest/guest.lds selftests/guest/guest.h \
		selftests/guest/irq.h \
		| setup-if-missing
	@mkdir -p $(dir $@)
	$(CC_ARM64) $(GUEST_CFLAGS) -static -nostartfiles -Wl,-T,selftests/guest/guest.lds \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $(BUILD)/guest/guest.elf $(GUEST_SRCS)
	$(CROSS_COMPILE)objcopy -O binary $(BUILD)/guest/guest.elf $@

$(addprefix $(BUILD)/selftests/,$(LIB_TESTS)): $(BUILD)/selftests/%: selftests/%.c \
		$(KVM_LIB_SRCS) selftests/lib/kvm_util.h selftests/lib/rc_util.h \
		selftests/guest/guest.h selftests/guest/irq.h \
		selftests/hvlite_util.h uapi/linux/hvlite.h $(BUILD)/guest/guest.bin | setup-if-missing
	@mkdir -p $(dir $@)
	$(CC_ARM64) $(TEST_CFLAGS) -pthread -Iselftests/lib -DGUEST_BIN='"$(BUILD)/guest/guest.bin"' \
		-o $@ $< $(KVM_LIB_SRCS)

selftests: $(addprefix $(BUILD)/selftests/,$(TESTS) $(KVM_TESTS) hvlite_quantum_irq_test \
	hvlite_introspect_test kvm_bench)

# A benchmark (make bench), with a guest of its own.
$(BUILD)/selftests/kvm_bench: selftests/kvm_bench.c $(KVM_LIB_SRCS) selftests/lib/kvm_util.h \
		selftests/lib/rc_util.h selftests/guest/irq.h $(BUILD)/guest/guest.bin | setup-if-missing
	@mkdir -p $(dir $@)
	$(CC_ARM64) $(USER_CFLAGS) -pthread -Iselftests/lib -DGUEST_BIN='"$(BUILD)/guest/guest.bin"' \
		-o $@ $< $(KVM_LIB_SRCS)

bench: setup
	@scripts/bench.sh

check: setup
	@scripts/check.sh quick

check-all: setup
	@scripts/check.sh all

run: setup
	@scripts/run.sh

debug: setup-if-missing
	@scripts/debug.sh

# CAMELCASE: the kernel's own sysreg field names; ENOSYS: KVM_RUN's documented
# errno for an MMIO access without a valid syndrome (KVM's ABI);
# MACRO_ARG_REUSE: the per-register switch macros paste register names
# (DBGBCRn_EL1, ICH_LRn_EL2), their arguments are never expressions.
checkpatch: setup-if-missing
	@$(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,CAMELCASE,ENOSYS,MACRO_ARG_REUSE \
		-f $$(git ls-files 'module/*.[chS]' 'uapi/*.h')

clean:
	rm -rf $(BUILD)
