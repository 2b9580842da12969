# SPDX-License-Identifier: MIT
# efsap: one GNU make file.
#   make deps       install the build dependencies (as root; else prints how)
#   make            build build/libefsap.so and build/efsap
#   make check      integration tests, the attack suite, unit tests (Check)
#   make attack     the attack suite alone (issue 9)
#   make demo       the build-agents story, run for real
#   make bench      native vs efsap (and peers, when installed)
#   make install / uninstall / clean
# PREFIX, DESTDIR, BINDIR, LIBDIR, MANDIR, BASHCOMPDIR may be overridden.
# CPPFLAGS, CFLAGS and LDFLAGS (dpkg-buildflags') are added after the
# required flags, never replacing them; CC and PKG_CONFIG may name a cross
# toolchain (make CC=aarch64-linux-gnu-gcc PKG_CONFIG=aarch64-linux-gnu-pkg-config).

VERSION	:= $(shell cat VERSION)
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
LIBDIR	?= $(PREFIX)/lib
MANDIR	?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PKGLIBDIR = $(LIBDIR)/efsap

CC	?= cc
PKG_CONFIG ?= pkg-config
B	?= build

REQ_CPPFLAGS = -D_GNU_SOURCE -MMD -MP -Ipreload \
	-DEFSAP_PKGLIBDIR='"$(PKGLIBDIR)"' -DEFSAP_VERSION='"$(VERSION)"'
REQ_CFLAGS = -std=gnu11 -fPIC -Wall -Wextra -Wno-unused-parameter \
	-O2 -g -fvisibility=hidden
ALL_CPPFLAGS = $(REQ_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(REQ_CFLAGS) $(CFLAGS)

# The pure core: decisions only, linked into the library, the tool and the tests.
PURE	= config cconf errname iam policy caps ident perm attr mountplan path ustr decide handover_fmt walk elfdyn
PURE_SRCS = $(PURE:%=preload/%.c)
# The configuration parser, the only code that needs libconfig and Jansson:
# linked into the tool and the tests, and into libefsap-conf.so, which the
# library loads only when it must parse a file itself (no compiled form).
PARSE	= config_parse iam_parse
PARSE_SRCS = $(PARSE:%=preload/%.c)
CONF_SRCS = preload/conf_dso.c
# The library's shell: everything else in preload/.
LIB_SRCS = $(filter-out $(PURE_SRCS) $(PARSE_SRCS) $(CONF_SRCS) $(LIB_EXCLUDE),$(wildcard preload/*.c))
TOOL_SRCS = $(wildcard tools/*.c)
UNIT_SRCS = $(wildcard tests/check_*.c)
SUITES	= $(patsubst tests/check_%.c,%,$(UNIT_SRCS))
HELPER_SRCS = $(wildcard tests/helpers/*.c)

PURE_OBJS = $(PURE_SRCS:%.c=$(B)/%.o)
PARSE_OBJS = $(PARSE_SRCS:%.c=$(B)/%.o)
CONF_OBJS = $(CONF_SRCS:%.c=$(B)/%.o)
LIB_OBJS = $(LIB_SRCS:%.c=$(B)/%.o)
TOOL_OBJS = $(TOOL_SRCS:%.c=$(B)/%.o)
UNIT_OBJS = $(UNIT_SRCS:%.c=$(B)/%.o)

LIBCONFIG_CFLAGS = $(shell $(PKG_CONFIG) --cflags libconfig 2>/dev/null)
LIBCONFIG_LIBS = $(shell $(PKG_CONFIG) --libs libconfig 2>/dev/null)
JANSSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS = $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
# libarchive reads image layers: the tool and the unit runner only, never the library.
LIBARCHIVE_CFLAGS = $(shell $(PKG_CONFIG) --cflags libarchive 2>/dev/null)
LIBARCHIVE_LIBS = $(shell $(PKG_CONFIG) --libs libarchive 2>/dev/null)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

LIB	= $(B)/libefsap.so
CONF_LIB = $(B)/libefsap-conf.so
TOOL	= $(B)/efsap
UNIT	= $(B)/tests/unit
HELPERS	= $(HELPER_SRCS:tests/helpers/%.c=$(B)/tests/%)

.PHONY: all lib musl objs check unit integration attack demo bench install uninstall clean deps \
	have-libconfig have-libarchive have-check
all: $(LIB) $(CONF_LIB) $(TOOL)

# The library alone (make B=build-musl CC=musl-gcc lib: a libefsap.so for musl images,
# which takes its configuration compiled, from efsap run).  `make musl`
# builds that one as $(B)/musl/libefsap.so, beside this build's.
lib: $(LIB)

MUSL_CC	?= musl-gcc
musl:
	$(MAKE) B=$(B)/musl CC=$(MUSL_CC) CFLAGS= LDFLAGS= lib

# Every object, linked into nothing: a compile check for a target whose
# libraries are not installed (make B=build-i386 CC=i686-linux-gnu-gcc objs).
objs: $(PURE_OBJS) $(PARSE_OBJS) $(CONF_OBJS) $(LIB_OBJS) $(TOOL_OBJS) $(UNIT_OBJS) $(B)/tests/runner.o

# The build dependencies are Debian packages.  Installing them is a step a
# person takes on purpose (`make deps`, as root), never a side effect of a
# build; a build that lacks one stops and says so.
deps:
	sh tools/deps.sh

have-libconfig:
	@$(PKG_CONFIG) --exists libconfig 2>/dev/null || { \
	echo "efsap: $(PKG_CONFIG) cannot find libconfig: run 'make deps' (or apt-get install libconfig-dev pkg-config)" >&2; exit 1; }
	@$(PKG_CONFIG) --exists jansson 2>/dev/null || { \
	echo "efsap: $(PKG_CONFIG) cannot find jansson: run 'make deps' (or apt-get install libjansson-dev pkg-config)" >&2; exit 1; }
# libarchive: the tool reads image layers with it; the library never needs it.
have-libarchive:
	@$(PKG_CONFIG) --exists libarchive 2>/dev/null || { \
	echo "efsap: $(PKG_CONFIG) cannot find libarchive: run 'make deps' (or apt-get install libarchive-dev pkg-config)" >&2; exit 1; }
have-check:
	@$(PKG_CONFIG) --exists check 2>/dev/null || { \
	echo "efsap: $(PKG_CONFIG) cannot find check: run 'make deps' (or apt-get install check pkg-config)" >&2; exit 1; }

# Every object is rebuilt when the flags change (another LIBDIR, VERSION,
# CC or CFLAGS): the build directory remembers the last ones in .flags.
FLAGS_NOW := $(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS)
ifneq ($(FLAGS_NOW),$(file <$(B)/.flags))
$(shell mkdir -p $(B))
$(file >$(B)/.flags,$(FLAGS_NOW))
endif

# The library loads under glibc 2.17 and later (SPEC 5.9): its references
# to glibc symbols whose default version is newer are bound to the older
# version the target's glibc also has (tools/symver.sh reads them from its
# libraries), and it links libdl and libpthread by name, where glibc kept
# dlsym and pthread_* before 2.34.  Under musl the header is empty.
GLIBC_MAX = GLIBC_2.17
SYMVER	= $(B)/symver.h
PRELOAD_OBJS = $(PURE_OBJS) $(PARSE_OBJS) $(CONF_OBJS) $(LIB_OBJS)
IS_GLIBC := $(shell printf '\043include <features.h>\n\043ifdef __GLIBC__\nEFSAP_GLIBC\n\043endif\n' | \
	$(CC) -E - 2>/dev/null | grep -c '^EFSAP_GLIBC')
ifeq ($(IS_GLIBC),1)
SYS_LIBS = -Wl,--no-as-needed -l:libdl.so.2 -l:libpthread.so.0 -Wl,--as-needed
else
SYS_LIBS =
endif

# A C library without the kernel's headers (musl-gcc): the host's linux/,
# asm/ and asm-generic/ only, searched after the C library's own.
ifneq ($(IS_GLIBC),1)
KINC	= $(B)/kinc
KINC_ARCH ?= $(shell cc -print-multiarch 2>/dev/null)
REQ_CPPFLAGS += -idirafter $(KINC)
$(shell mkdir -p $(B)/kinc && for d in linux asm-generic mtd; do \
	[ -e $(B)/kinc/$$d ] || ln -s /usr/include/$$d $(B)/kinc/$$d; done; \
	[ -e $(B)/kinc/asm ] || ln -s /usr/include/$(KINC_ARCH)/asm $(B)/kinc/asm)
endif

$(SYMVER): tools/symver.sh preload/real.def $(B)/.flags
	@mkdir -p $(dir $@)
	sh tools/symver.sh '$(CC)' $(GLIBC_MAX) preload/real.def > $@.tmp && mv $@.tmp $@

$(PRELOAD_OBJS): $(SYMVER)
$(PRELOAD_OBJS): SYMVER_FLAGS = -include $(SYMVER)

$(B)/tests/check_%.o: | have-check
$(TOOL_OBJS) $(B)/tests/check_image.o: EXTRA_CFLAGS = $(LIBARCHIVE_CFLAGS)
$(TOOL_OBJS) $(B)/tests/check_image.o: | have-libarchive
$(B)/%.o: %.c $(B)/.flags | have-libconfig
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(SYMVER_FLAGS) $(ALL_CFLAGS) $(LIBCONFIG_CFLAGS) $(JANSSON_CFLAGS) $(CHECK_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(LIB): $(PURE_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-z,defs -Wl,-soname,libefsap.so -o $@ $^ \
		$(SYS_LIBS)

# The parser needs two pure modules of its own: the rest stays in libefsap.so.
CONF_PURE_OBJS = $(B)/preload/config.o $(B)/preload/iam.o
$(CONF_LIB): $(CONF_OBJS) $(PARSE_OBJS) $(CONF_PURE_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-z,defs -Wl,-soname,libefsap-conf.so -o $@ $^ \
		$(LIBCONFIG_LIBS) $(JANSSON_LIBS) $(SYS_LIBS)

$(TOOL): $(TOOL_OBJS) $(PURE_OBJS) $(PARSE_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBCONFIG_LIBS) $(JANSSON_LIBS) $(LIBARCHIVE_LIBS)

# One Check runner for every suite: tests/check_NAME.c defines suite_NAME().
$(B)/tests/suites.inc: $(UNIT_SRCS) Makefile
	@mkdir -p $(dir $@)
	@printf 'SUITE(%s)\n' $(SUITES) > $@.tmp && mv $@.tmp $@

$(B)/tests/runner.o: tests/runner.c $(B)/tests/suites.inc $(B)/.flags | have-check
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(CHECK_CFLAGS) -I$(B)/tests -c -o $@ $<

# The tool's own pure decisions (efsap import's names, image decisions) are tested too.
TOOL_PURE_OBJS = $(B)/tools/import_name.o $(B)/tools/image_pure.o

$(UNIT): $(B)/tests/runner.o $(UNIT_OBJS) $(PURE_OBJS) $(PARSE_OBJS) $(TOOL_PURE_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBCONFIG_LIBS) $(JANSSON_LIBS)

# Small programs the integration tests run under the library.  They are
# the programs under test, not the code tested: built without the user's
# CFLAGS, so that a sanitizer build instruments the library only (a
# sanitized probe would stop at its own deliberate stat(NULL)).
$(B)/tests/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REQ_CPPFLAGS) $(REQ_CFLAGS) -o $@ $< -lpthread

unit: $(UNIT)
	$(UNIT)

integration: $(LIB) $(CONF_LIB) $(TOOL) $(HELPERS)
	@EFSAP_BUILD=$(abspath $(B)) sh tests/integration/run.sh

# The attack suite (issue 9): races, SIGKILL storms, faults, small stacks.
attack: $(LIB) $(CONF_LIB) $(TOOL) $(HELPERS)
	@EFSAP_BUILD=$(abspath $(B)) EFSAP_SRC=$(CURDIR) sh tests/attack/run.sh

# The unit runner comes last so that `make check` ends with Check's summary.
check: all $(HELPERS) $(UNIT)
	@EFSAP_BUILD=$(abspath $(B)) sh tests/integration/run.sh
	@EFSAP_BUILD=$(abspath $(B)) EFSAP_SRC=$(CURDIR) sh tests/attack/run.sh
	$(UNIT)

demo: all
	@EFSAP_BUILD=$(abspath $(B)) sh conf/demo/run.sh

bench: all
	@EFSAP_BUILD=$(abspath $(B)) sh tests/bench/run.sh
	@EFSAP_BUILD=$(abspath $(B)) sh tests/bench/image.sh

install: all
# The library is loaded, never executed: 0644, as Debian installs shared objects.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGLIBDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(TOOL) $(DESTDIR)$(BINDIR)/efsap
	install -m 0644 $(LIB) $(DESTDIR)$(PKGLIBDIR)/libefsap.so
	install -m 0644 $(CONF_LIB) $(DESTDIR)$(PKGLIBDIR)/libefsap-conf.so
	install -m 0644 tools/efsap.1 $(DESTDIR)$(MANDIR)/man1/efsap.1
	install -m 0644 tools/efsap.conf.5 $(DESTDIR)$(MANDIR)/man5/efsap.conf.5
	install -m 0644 tools/efsap.bash-completion $(DESTDIR)$(BASHCOMPDIR)/efsap

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/efsap $(DESTDIR)$(PKGLIBDIR)/libefsap.so \
		$(DESTDIR)$(PKGLIBDIR)/libefsap-conf.so \
		$(DESTDIR)$(MANDIR)/man1/efsap.1 $(DESTDIR)$(MANDIR)/man5/efsap.conf.5 \
		$(DESTDIR)$(BASHCOMPDIR)/efsap
	-rmdir $(DESTDIR)$(PKGLIBDIR)

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
