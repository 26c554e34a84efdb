# cx: build, test, install.  See README.md.
#
#   make                 build every program into bin/
#   make check           unit tests for lib/, then every command-line case
#   make asan            the whole suite under ASan + UBSan (separate build dir)
#   make valgrind        the unit tests and cases under valgrind memcheck
#   make fuzz            every fuzz target for FUZZ_TIME seconds (default 60)
#   make lint            cppcheck (warning, portability, performance)
#   make install PREFIX=/usr/local DESTDIR=
#   make demo            ingest the bundled sample and show what cx makes of it

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
VERSION := 0.1.0

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla
CFLAGS  ?= $(OPT) -g
PKGS    := libpcre2-8 gsl zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcre2-8 -lgsl -lgslcblas -lz)
# libcsv ships no .pc file on Debian.
LIBS    := -lcsv $(PKG_LIBS) -lm
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -DCX_VERSION='"$(VERSION)"' $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Ilib

LIB_SRC := $(sort $(wildcard lib/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_SRC := $(sort $(wildcard cmd/*.c))
PROGS   := $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%)
UNIT_SRC := $(sort $(wildcard testdata/unit/test_*.c))
UNITS   := $(UNIT_SRC:testdata/unit/%.c=$(BUILD)/unit/%)

all: $(PROGS)
	@mkdir -p bin && for p in $(PROGS); do ln -sf ../$$p bin/; done

$(BUILD)/lib/%.o: lib/%.c lib/*/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libcx.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/bin/%: cmd/%.c $(BUILD)/libcx.a lib/*/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcx.a $(LIBS) $(LDFLAGS)

$(BUILD)/unit/%: testdata/unit/%.c $(BUILD)/libcx.a lib/*/*.h testdata/unit/unit.h testdata/unit/testio.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcx.a $(LIBS) $(LDFLAGS)

units: $(UNITS)

check: check-deps all units
	@scripts/run-tests $(BUILD)

check-deps:
	@scripts/check-deps --quiet

# Writers killed with SIGKILL and SIGTERM at random points, full devices,
# unwritable directories: old or new files, never a part (about 40 s).
check-faults: all
	@scripts/check-faults --bin $(BUILD)/bin

asan:
	CX_SANITIZER=asan $(MAKE) BUILD=build-asan CC=clang OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check-only

check-only: $(PROGS) $(UNITS)
	@scripts/run-tests $(BUILD)

# cppcheck's warning, portability and performance checks; _Noreturn is
# spelled out because cppcheck 2.10 does not know the C11 keyword.
lint:
	cppcheck --quiet --enable=warning,portability,performance --std=c11 -D_GNU_SOURCE \
	  "-D_Noreturn=__attribute__((noreturn))" -Ilib --suppress=missingIncludeSystem \
	  --inline-suppr --error-exitcode=1 lib cmd

valgrind: all units
	@scripts/valgrind-suite $(BUILD)

fuzz:
	@scripts/fuzz --time $(or $(FUZZ_TIME),60)

deps:
	sh scripts/install-deps

demo: all
	@scripts/demo

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(wildcard man/*.5) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 completions/cx.bash $(DESTDIR)$(BASHCOMPDIR)/cx
	for p in $(PROGS:$(BUILD)/bin/%=%); do [ $$p = cx ] || ln -sf cx $(DESTDIR)$(BASHCOMPDIR)/$$p; done
	install -m 644 completions/_cx $(DESTDIR)$(ZSHCOMPDIR)/_cx

clean:
	rm -rf build build-asan bin

.PHONY: all units check check-deps check-faults asan check-only valgrind fuzz lint deps clean install demo
