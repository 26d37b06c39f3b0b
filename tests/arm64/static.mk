# SPDX-License-Identifier: GPL-2.0
#
# Static arm64 links against the libnl that tests/arm64/fetch unpacked
# (ARM64_LIBNL=<entry>/libnl), for programs that run in the arm64 guest's
# busybox initramfs (the host's binaries are x86, Debian ships no arm64
# runtime there). Included by tests/kselftest/Makefile and bench/Makefile:
#   $(call arm64_link,OUTPUT,SOURCES)
# glibc warns that libnl's nl_addr_info(), nl_ip_proto2str() and
# nl_str2ip_proto() (in the same objects as what the programs use) call
# getaddrinfo/getprotobynumber/getprotobyname, which need glibc's shared
# NSS modules at run time. The programs never resolve names or protocols:
# exactly those warnings are expected; any other linker message fails.
ARM64_CC ?= aarch64-linux-gnu-gcc
ARM64_NSS := getaddrinfo|getprotobynumber|getprotobyname
ARM64_CFLAGS = $(filter-out $(shell pkg-config --cflags libnl-genl-3.0),$(CFLAGS))

define arm64_link
	@test -d "$(ARM64_LIBNL)/lib/aarch64-linux-gnu" || \
		{ echo "ARM64_LIBNL must name tests/arm64/fetch's libnl directory" >&2; exit 1; }
	@mkdir -p $(dir $(1))
	$(ARM64_CC) $(ARM64_CFLAGS) -I. \
		-I"$(ARM64_LIBNL)/usr/include/libnl3" -static -o $(1) $(2) \
		"$(ARM64_LIBNL)/lib/aarch64-linux-gnu/libnl-genl-3.a" \
		"$(ARM64_LIBNL)/lib/aarch64-linux-gnu/libnl-3.a" -lpthread 2>$(1).ld
	@other=$$(grep -v -E ": in function .(nl_addr_info|nl_ip_proto2str|nl_str2ip_proto).:$$" $(1).ld | \
		grep -v -E "warning: Using '($(ARM64_NSS))' in statically linked applications"); \
	if [ -n "$$other" ]; then printf '%s\n' "$$other" >&2; rm -f $(1); exit 1; fi; \
	n=$$(grep -c -E "warning: Using '($(ARM64_NSS))'" $(1).ld); \
	echo "  static link of $(notdir $(1)): $$n expected glibc NSS warnings from libnl (unused by the program)"
endef
