# SPDX-License-Identifier: GPL-2.0
#
# carehub top-level build.
#
#   make            carehub.ko for every installed kernel headers tree, and
#                   the user-space tools (daemon/)
#   make demo       a scripted evening in a QEMU guest (installs what it needs)
#   make check      every test suite (installs what it needs)
#   make check-long the same, randomized tests (fuzzers, crash tests,
#                   property tests) run long: nightly-style
#
# The module itself is built the standard out-of-tree way, which is also
# what DKMS runs:  make -C /lib/modules/<kver>/build M=$PWD modules
# Here each kernel gets its own copy of the sources under build/kmod/<kver>/
# so modules for several kernels can exist side by side.

KERNELS ?= $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build)))
KBUILD_FLAGS ?= W=1
BUILD := $(CURDIR)/build
# Kbuild cannot build an external module whose directory has a blank in
# its path (M= is split into several modules). In a work tree at such a
# path the per-kernel copies live in a blank-free directory keyed by the
# tree's path, and build/kmod links to it, so build/kmod/<kver>/ works the
# same for everything that uses it.
ifneq ($(word 2,$(BUILD)),)
KMOD_OUT := $(shell scripts/kbuild-dir "$(CURDIR)")
else
KMOD_OUT := $(BUILD)/kmod
endif
# the KUnit suite shares the reference model and cases with the host test
KMOD_SRCS := Kbuild kmod include tests/unit/chd_model.h tests/unit/chd_cases.h

.PHONY: all modules module-in tools check check-long demo deps clean checkpatch dtbs help

all: modules tools

help:
	@sed -n '3,10s/^# \{0,1\}//p' Makefile

deps:
	@scripts/install-deps.sh

modules:
	@for k in $(KERNELS); do \
		$(MAKE) --no-print-directory module-in KREL=$$k \
			KDIR=/lib/modules/$$k/build || exit 1; \
	done

# The module against any tree: make module-in KDIR=<tree> KREL=<name>
# (result: build/kmod/<name>/carehub.ko)
module-in:
	@test -n "$(KDIR)" -a -n "$(KREL)" || { echo "KDIR and KREL needed" >&2; exit 2; }
	@test -n "$(KMOD_OUT)" || { echo "no directory to build the module in" >&2; exit 1; }
	@mkdir -p "$(KMOD_OUT)/$(KREL)"
	@if [ "$(KMOD_OUT)" != "$(BUILD)/kmod" ] && [ ! -L "$(BUILD)/kmod" ]; then \
		mkdir -p "$(BUILD)" && rm -rf "$(BUILD)/kmod" && \
		ln -s "$(KMOD_OUT)" "$(BUILD)/kmod"; fi
	@cp -a -u --parents $(KMOD_SRCS) "$(KMOD_OUT)/$(KREL)/"
	$(MAKE) -C "$(KDIR)" M="$(KMOD_OUT)/$(KREL)" $(KBUILD_FLAGS) modules

tools:
	$(MAKE) -C daemon

dtbs:
	$(MAKE) -C kmod/dts

checkpatch:
	scripts/checkpatch.sh

check: deps
	tests/run-all

# The same suites with the randomized tests run long (nightly-style): see
# tests/README.md.
check-long: deps
	CAREHUB_LONG=1 tests/run-all

demo: deps
	tests/demo/run

clean:
	@if [ -L "$(BUILD)/kmod" ]; then rm -rf "$$(readlink "$(BUILD)/kmod")"; fi
	rm -rf "$(BUILD)" kmod/compat.h
	$(MAKE) -C daemon clean
	find . -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name modules.order -o -name Module.symvers \
		| grep -v '^./build' | xargs rm -f
