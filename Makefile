# SPDX-License-Identifier: GPL-2.0
#
# carehub top-level build.
#
#   make            carehub.ko for every installed kernel headers tree, and
#                   the user-space tools (daemon/)
#   make demo       a scripted evening in a QEMU guest (installs what it needs)
#   make check      every test suite (installs what it needs)
#
# The module itself is built the standard out-of-tree way, which is also
# what DKMS runs:  make -C /lib/modules/<kver>/build M=$PWD modules
# Here each kernel gets its own copy of the sources under build/kmod/<kver>/
# so modules for several kernels can exist side by side.

KERNELS ?= $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build)))
KBUILD_FLAGS ?= W=1
BUILD := $(CURDIR)/build
# the KUnit suite shares the reference model and cases with the host test
KMOD_SRCS := Kbuild kmod include tests/unit/chd_model.h tests/unit/chd_cases.h

.PHONY: all modules module-in tools check demo deps clean checkpatch dtbs help

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
	@mkdir -p $(BUILD)/kmod/$(KREL)
	@cp -a -u --parents $(KMOD_SRCS) $(BUILD)/kmod/$(KREL)/
	$(MAKE) -C $(KDIR) M=$(BUILD)/kmod/$(KREL) $(KBUILD_FLAGS) modules

tools:
	$(MAKE) -C daemon

dtbs:
	$(MAKE) -C kmod/dts

checkpatch:
	scripts/checkpatch.sh

check: deps
	tests/run-all

demo: deps
	tests/demo/run

clean:
	rm -rf $(BUILD) kmod/compat.h
	$(MAKE) -C daemon clean
	find . -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name modules.order -o -name Module.symvers \
		| grep -v '^./build' | xargs rm -f
