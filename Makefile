# efsap: one GNU make file.
#   make            build build/libefsap.so and build/efsap
#   make check      unit tests (Check) and integration tests
#   make demo       the build-agents story, run for real
#   make bench      native vs efsap (and peers, when installed)
#   make install / uninstall / clean
# PREFIX, DESTDIR, BINDIR, LIBDIR, MANDIR may be overridden; CFLAGS are
# added after the required flags, never replacing them.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
LIBDIR	?= $(PREFIX)/lib
MANDIR	?= $(PREFIX)/share/man
PKGLIBDIR = $(LIBDIR)/efsap

CC	?= cc
PKG_CONFIG ?= pkg-config
B	?= build

REQ_CFLAGS = -std=gnu11 -D_GNU_SOURCE -fPIC -Wall -Wextra -Wno-unused-parameter \
	-O2 -g -fvisibility=hidden -MMD -MP -Ipreload \
	-DEFSAP_PKGLIBDIR='"$(PKGLIBDIR)"'
ALL_CFLAGS = $(REQ_CFLAGS) $(CFLAGS)

# The pure core: decisions only, linked into the library, the tool and the tests.
PURE	= config policy ident perm attr mountplan path
PURE_SRCS = $(PURE:%=preload/%.c)
# The library's shell: everything else in preload/.
LIB_SRCS = $(filter-out $(PURE_SRCS) $(LIB_EXCLUDE),$(wildcard preload/*.c))
TOOL_SRCS = $(wildcard tools/*.c)
UNIT_SRCS = $(wildcard tests/check_*.c)
SUITES	= $(patsubst tests/check_%.c,%,$(UNIT_SRCS))
HELPER_SRCS = $(wildcard tests/helpers/*.c)

PURE_OBJS = $(PURE_SRCS:%.c=$(B)/%.o)
LIB_OBJS = $(LIB_SRCS:%.c=$(B)/%.o)
TOOL_OBJS = $(TOOL_SRCS:%.c=$(B)/%.o)
UNIT_OBJS = $(UNIT_SRCS:%.c=$(B)/%.o)

LIBCONFIG_CFLAGS = $(shell $(PKG_CONFIG) --cflags libconfig 2>/dev/null)
LIBCONFIG_LIBS = $(shell $(PKG_CONFIG) --libs libconfig 2>/dev/null)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

LIB	= $(B)/libefsap.so
TOOL	= $(B)/efsap
UNIT	= $(B)/tests/unit
HELPERS	= $(HELPER_SRCS:tests/helpers/%.c=$(B)/tests/%)

.PHONY: all check unit integration demo bench install uninstall clean deps
all: $(LIB) $(TOOL)

# Dependencies are Debian packages; install them when we can, else say how.
DEPS_STAMP = $(B)/.deps
deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	@sh tools/deps.sh
	@mkdir -p $(B) && touch $@

$(B)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LIBCONFIG_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(LIB): $(PURE_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-z,defs -Wl,-soname,libefsap.so -o $@ $^ \
		$(LIBCONFIG_LIBS) -ldl -lpthread $(LDFLAGS)

$(TOOL): $(TOOL_OBJS) $(PURE_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBCONFIG_LIBS) $(LDFLAGS)

# One Check runner for every suite: tests/check_NAME.c defines suite_NAME().
$(B)/tests/suites.inc: $(UNIT_SRCS) Makefile
	@mkdir -p $(dir $@)
	@printf 'SUITE(%s)\n' $(SUITES) > $@.tmp && mv $@.tmp $@

$(B)/tests/runner.o: tests/runner.c $(B)/tests/suites.inc
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -I$(B)/tests -c -o $@ $<

$(UNIT): $(B)/tests/runner.o $(UNIT_OBJS) $(PURE_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBCONFIG_LIBS) $(LDFLAGS)

# Small programs the integration tests run under the library.  They are
# the programs under test, not the code tested: built without the user's
# CFLAGS, so that a sanitizer build instruments the library only (a
# sanitized probe would stop at its own deliberate stat(NULL)).
$(B)/tests/%: tests/helpers/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(REQ_CFLAGS) -o $@ $< -lpthread

unit: $(UNIT)
	$(UNIT)

integration: $(LIB) $(TOOL) $(HELPERS)
	@EFSAP_BUILD=$(abspath $(B)) sh tests/integration/run.sh

# The unit runner comes last so that `make check` ends with Check's summary.
check: all $(HELPERS) $(UNIT)
	@EFSAP_BUILD=$(abspath $(B)) sh tests/integration/run.sh
	$(UNIT)

demo: all
	@EFSAP_BUILD=$(abspath $(B)) sh conf/demo/run.sh

bench: all
	@EFSAP_BUILD=$(abspath $(B)) sh tests/bench/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGLIBDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 0755 $(TOOL) $(DESTDIR)$(BINDIR)/efsap
	install -m 0755 $(LIB) $(DESTDIR)$(PKGLIBDIR)/libefsap.so
	install -m 0644 tools/efsap.1 $(DESTDIR)$(MANDIR)/man1/efsap.1
	install -m 0644 tools/efsap.conf.5 $(DESTDIR)$(MANDIR)/man5/efsap.conf.5

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/efsap $(DESTDIR)$(PKGLIBDIR)/libefsap.so \
		$(DESTDIR)$(MANDIR)/man1/efsap.1 $(DESTDIR)$(MANDIR)/man5/efsap.conf.5
	-rmdir $(DESTDIR)$(PKGLIBDIR)

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
