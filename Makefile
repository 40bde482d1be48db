# lsu: build, test, check and measure.  See README.md.
#
#   make            build ./lsu and ./lsu-gen
#   make test       unit, golden end-to-end and conformance tests, fuzz seeds replayed
#   make case NAME=reg025-xxx SED='s|...|...|'  a new golden case (see tests/run.sh)
#   make asan       build and test with address + undefined sanitizers
#   make valgrind   run the golden cases under valgrind (CASES="xsd* reg*": some of them)
#   make fuzz       build and run the libFuzzer target for a short while
#   make valgrind-corpus  lsu check under valgrind on the fuzz corpus, samples, cases
#   make fuzz-onde  the same for the ONDE and teachers' CSV readers
#   make fuzz-dates, fuzz-sync, fuzz-edit, fuzz-batch, fuzz-report, fuzz-entry_csv, fuzz-serve  the other targets
#   make fuzz-long  every fuzz target in turn, FUZZ_SECONDS (3600) each: a nightly job
#   make lint       cppcheck + clang-tidy;  make format-check  clang-format 14
#   make bench      lsu against the peer tools (BENCHMARKS.md); BENCH=batch: lsu batch only, BENCH=entry: entry vs import, BENCH=serve: lsu serve under load (tools/load-serve.sh)
#   make docs       regenerate docs/DIAGNOSTICS.md from src/catalog.def

CC ?= cc
PKGS = libxml-2.0 libxslt libexslt libzip nettle sqlite3 libsodium xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libmicrohttpd 2>/dev/null || echo -I/usr/include/libxml2)
# libhpdf and libcsv ship no pkg-config file; libmicrohttpd is loaded by lsu
# serve (src/serve/mhd.c), only its header is needed here
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lexslt -lxslt -lxml2 -lzip -lnettle -lsqlite3 -lsodium -lxlsxwriter) -lhpdf -lcsv -lz -ldl
WARN = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
ifeq ($(CI),true)
WERROR = -Werror
endif
OPT ?= -O2 -g
SANITIZE ?=
# jemalloc by default, as redis does: libxml2 and libxslt allocate and free
# millions of small blocks, and glibc's malloc costs a quarter of the run
# time there.  MALLOC=libc builds without it (and sanitizer builds do).
MALLOC ?= jemalloc
ifeq ($(MALLOC),jemalloc)
MALLOC_LIBS = -ljemalloc
MALLOC_FLAGS = -DLSU_JEMALLOC
endif
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(WERROR) $(SANITIZE) $(MALLOC_FLAGS) $(PKG_CFLAGS) -Isrc -Ibuild $(CFLAGS)
LDLIBS_ALL = $(SANITIZE) $(PKG_LIBS) -lm $(MALLOC_LIBS) $(LDFLAGS) $(LDLIBS)
BUILD ?= build

# The library: every part of src/ but the command line (src/cli/), in the
# order a file goes through them (README, "The source in pipeline order").
PARTS = base import report pdf school job batch serve
LIB_SRC := $(foreach p,$(PARTS),$(sort $(wildcard src/$(p)/*.c)))
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/resources.o
CLI_SRC := $(sort $(wildcard src/cli/*.c))
CLI_OBJ = $(CLI_SRC:src/%.c=$(BUILD)/%.o)
ALL_SRC = $(LIB_SRC) $(CLI_SRC) src/main.c
RESOURCES = xsd/lsu-1d.xsd xslt/normalise.xsl xslt/rapport-html.xsl data/aide-saisie.tsv xslt/serve-page.xsl xslt/serve.css xslt/serve-saisie.js

.PHONY: all test case case-inputs asan valgrind valgrind-corpus fuzz fuzz-onde fuzz-long $(FUZZ_NEW:%=fuzz-%) lint format format-check bench docs clean install demo fuzz-lib compdb check uninstall deb

all: lsu lsu-gen

$(BUILD):
	mkdir -p $(BUILD)

$(BUILD)/embed: tools/embed.c | $(BUILD)
	$(CC) -O1 -o $@ $<

$(BUILD)/resources.c: $(BUILD)/embed $(RESOURCES)
	$(BUILD)/embed $@ res_schema_1d=xsd/lsu-1d.xsd res_normalise=xslt/normalise.xsl \
	    res_report_html=xslt/rapport-html.xsl res_aide_saisie=data/aide-saisie.tsv res_serve_page=xslt/serve-page.xsl res_serve_css=xslt/serve.css res_serve_js=xslt/serve-saisie.js

$(BUILD)/resources.o: $(BUILD)/resources.c
	$(CC) -c -O0 -o $@ $<

# -MMD -MP: each object depends on the headers it includes, and only those
$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

$(BUILD)/liblsu.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lsu: src/main.c $(CLI_OBJ) $(BUILD)/liblsu.a
	$(CC) $(CFLAGS_ALL) -o $@ src/main.c $(CLI_OBJ) $(BUILD)/liblsu.a $(LDLIBS_ALL)

$(BUILD)/lsu-gen: tools/lsu-gen.c | $(BUILD)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(SANITIZE)

# the user-facing binaries at the top of the tree are the default build's
lsu: build/lsu
	cp build/lsu $@

lsu-gen: build/lsu-gen
	cp build/lsu-gen $@

# one unit-test binary, its groups by area in tests/unit/*.c and named in
# the table of tests/unit/main.c: `build/unit dates onde` runs two of them
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
$(BUILD)/unit: $(UNIT_SRC) tests/unit/test.h $(BUILD)/liblsu.a $(BUILD)/cli/remedy.o
	$(CC) $(CFLAGS_ALL) -o $@ $(UNIT_SRC) $(BUILD)/cli/remedy.o $(BUILD)/liblsu.a $(LDLIBS_ALL)

# The fuzz targets without libFuzzer (libxml2's fuzz/testFuzzer.c): each
# tests/fuzz_NAME.c links into build/fuzz-replay as lsu_fuzz_NAME; the
# fuzz suite of `make test` replays the seeds and tests/fuzz/regressions/
# through them.
FUZZ_TARGETS = check onde dates sync edit batch report entry_csv serve
$(BUILD)/tests/fuzz_%.o: tests/fuzz_%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DLLVMFuzzerTestOneInput=lsu_fuzz_$* -MMD -MP -c -o $@ $<

-include $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz_%.d)

FUZZ_REPLAY_OBJ = $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz_%.o)
$(BUILD)/fuzz-replay: tests/fuzz_replay.c $(FUZZ_REPLAY_OBJ) $(BUILD)/liblsu.a
	$(CC) $(CFLAGS_ALL) -o $@ tests/fuzz_replay.c $(FUZZ_REPLAY_OBJ) $(BUILD)/liblsu.a $(LDLIBS_ALL)

$(BUILD)/conformance: tests/conformance.c
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LDLIBS_ALL)

# a developer's tool: render a normalised file's bilans, time them, look at them
$(BUILD)/render_demo: tests/render_demo.c $(BUILD)/liblsu.a
	$(CC) $(CFLAGS_ALL) -o $@ tests/render_demo.c $(BUILD)/liblsu.a $(LDLIBS_ALL)

$(BUILD)/pgmdiff: tests/pgmdiff.c | $(BUILD)
	$(CC) $(CFLAGS_ALL) -o $@ $<

TEST_TOOLS = $(BUILD)/lsu $(BUILD)/lsu-gen $(BUILD)/unit $(BUILD)/conformance $(BUILD)/pgmdiff \
             $(BUILD)/render_demo $(BUILD)/fuzz-replay $(BUILD)/failalloc.so

# the faults suite's preload: the N-th allocation of a process fails
$(BUILD)/failalloc.so: tests/failalloc.c | $(BUILD)
	$(CC) -O1 -g -Wall -Wextra $(WERROR) -shared -fPIC -o $@ $< -ldl

# the GNU name for the test target
check: test

test: $(TEST_TOOLS)
	LSU=$(BUILD)/lsu LSU_GEN=$(BUILD)/lsu-gen UNIT=$(BUILD)/unit \
	    CONFORMANCE=$(BUILD)/conformance PGMDIFF=$(BUILD)/pgmdiff FUZZ_REPLAY=$(BUILD)/fuzz-replay \
	    FAILALLOC=$(BUILD)/failalloc.so \
	    bash tests/run.sh $(TESTS)

# $(1) as one shell word, taken as it is ($(value X) keeps a sed '$d')
shell_quote = '$(subst ','\'',$(1))'

# A new golden case from the base export (tests/cases/valide-aucun-diagnostic):
#   make case NAME=reg025-xxx SED='s|...|...|' [CMD='lsu_run check entree.xml']
# writes tests/cases/NAME/{entree.sed,cmd}, records what lsu does as the
# expected files (UPDATE=1) and prints them: review them, then commit.
case: $(BUILD)/lsu $(BUILD)/lsu-gen
	@test -n "$(NAME)" || { echo "usage: make case NAME=reg025-xxx SED='s|...|...|' [CMD='lsu_run check entree.xml']" >&2; exit 2; }
	@test ! -e "tests/cases/$(NAME)" || { echo "tests/cases/$(NAME) exists already" >&2; exit 2; }
	mkdir -p "tests/cases/$(NAME)"
	printf '%s\n' $(call shell_quote,$(value SED)) >"tests/cases/$(NAME)/entree.sed"
	printf '%s\n' $(call shell_quote,$(or $(value CMD),lsu_run check entree.xml)) >"tests/cases/$(NAME)/cmd"
	UPDATE=1 CASES="$(NAME)" LSU=$(BUILD)/lsu LSU_GEN=$(BUILD)/lsu-gen bash tests/run.sh golden
	@cd "tests/cases/$(NAME)" && for f in cmd entree.sed expected.*; do echo "==> $$f"; cat "$$f"; done

asan:
	LSU_SANITIZED=1 $(MAKE) BUILD=build-asan MALLOC=libc OPT="-O1 -g -fno-omit-frame-pointer" \
	    SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    TESTS="unit golden hostile pdf catalogue options store web fuzz" test

# valgrind sees allocations through glibc's malloc only: a build without jemalloc
valgrind:
	$(MAKE) BUILD=build-libc MALLOC=libc build-libc/lsu build-libc/lsu-gen
	VALGRIND=1 CASES="$(CASES)" LSU=build-libc/lsu LSU_GEN=build-libc/lsu-gen bash tests/run.sh golden

# lsu check under valgrind on the fuzz corpus (make fuzz first), the samples
# and the golden cases' inputs
valgrind-corpus: case-inputs
	$(MAKE) BUILD=build-libc MALLOC=libc build-libc/lsu
	LSU=build-libc/lsu bash tools/valgrind-corpus.sh build/fuzz-corpus samples tests/cases build/case-inputs

# the inputs of the golden cases that hold entree.sed, built from the base
# export into build/case-inputs/NAME.xml: seeds for the fuzzers and inputs
# for valgrind-corpus (tests/run.sh builds its own)
case-inputs:
	rm -rf build/case-inputs && mkdir -p build/case-inputs
	for s in tests/cases/*/entree.sed; do \
	    sed -f "$$s" tests/cases/valide-aucun-diagnostic/entree.xml \
	        >"build/case-inputs/$$(basename "$${s%/entree.sed}").xml" || exit 1; \
	done

# The fuzzers link the library built by clang with libFuzzer's coverage
# and the sanitizers (build-fuzz/), as the CLI and the tests link theirs.
FUZZ_FLAGS = -fsanitize=fuzzer-no-link,address,undefined
fuzz-lib:
	$(MAKE) CC=clang BUILD=build-fuzz MALLOC=libc OPT="-g -O1" SANITIZE="$(FUZZ_FLAGS)" build-fuzz/liblsu.a

build-fuzz/%: tests/%.c fuzz-lib
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -Isrc \
	    -o $@ $< build-fuzz/liblsu.a $(PKG_LIBS) -lm

fuzz: build-fuzz/fuzz_check case-inputs
	mkdir -p build/fuzz-corpus
	build-fuzz/fuzz_check -max_total_time=$${FUZZ_SECONDS:-60} -max_len=65536 -timeout=10 \
	    -rss_limit_mb=1024 build/fuzz-corpus samples tests/cases/*/ build/case-inputs tests/fuzz/regressions

fuzz-onde: build-fuzz/fuzz_onde
	mkdir -p build/fuzz-onde-corpus
	build-fuzz/fuzz_onde -max_total_time=$${FUZZ_SECONDS:-60} -max_len=16384 -timeout=10 \
	    build/fuzz-onde-corpus tests/cases/onde-*/ tests/fuzz/regressions

# The other targets, `make fuzz-NAME` for a while (FUZZ_SECONDS, 60 by
# default), and `make fuzz-long` for a nightly job: every target in turn,
# FUZZ_SECONDS each (3600 by default), corpora kept in build-fuzz/corpus-NAME/
# across runs; fails at the end when a target found something (crash-*,
# leak-*, timeout-* files in the current folder).  The targets that write
# files make them under $TMPDIR, a tmpfs when there is one.
FUZZ_TMP ?= $(if $(wildcard /dev/shm),/dev/shm,/tmp)
FUZZ_OPTS_check = -max_len=65536 -rss_limit_mb=1024
FUZZ_SEEDS_check = samples tests/cases/*/ build/case-inputs tests/fuzz/regressions
FUZZ_OPTS_onde = -max_len=16384
FUZZ_SEEDS_onde = tests/cases/onde-*/ tests/fuzz/regressions
FUZZ_OPTS_dates = -max_len=4096
FUZZ_SEEDS_dates = tests/fuzz/seeds/dates
FUZZ_OPTS_sync = -max_len=65536
FUZZ_SEEDS_sync = tests/fuzz/seeds/sync tests/cases/onde-*/
FUZZ_OPTS_edit = -max_len=16384
FUZZ_SEEDS_edit = tests/fuzz/seeds/edit
FUZZ_OPTS_batch = -max_len=65536
FUZZ_SEEDS_batch = tests/fuzz/seeds/batch
FUZZ_OPTS_entry_csv = -max_len=16384
FUZZ_SEEDS_entry_csv = tests/fuzz/seeds/entry_csv tests/fuzz/regressions
FUZZ_OPTS_report = -max_len=262144 -rss_limit_mb=2048
FUZZ_SEEDS_report = samples tests/cases/*/ build/case-inputs build/fuzz-report-seeds tests/fuzz/regressions
FUZZ_OPTS_serve = -max_len=8192
FUZZ_SEEDS_serve = tests/fuzz/seeds/serve
# $(call fuzz_run,NAME,DEFAULT_SECONDS): one target's run, as a shell command;
# FUZZ_ARGS adds libFuzzer options (-print_final_stats=1, -jobs=N)
fuzz_run = mkdir -p build-fuzz/corpus-$(1) && TMPDIR=$(FUZZ_TMP) build-fuzz/fuzz_$(1) \
    -max_total_time=$${FUZZ_SECONDS:-$(2)} -timeout=10 $(FUZZ_OPTS_$(1)) $(FUZZ_ARGS) build-fuzz/corpus-$(1) $(FUZZ_SEEDS_$(1))

FUZZ_NEW = dates sync edit batch report entry_csv serve
$(FUZZ_NEW:%=fuzz-%): fuzz-%: build-fuzz/fuzz_%
	$(call fuzz_run,$*,60)
fuzz-report fuzz-long: case-inputs build/fuzz-report-seeds

# two exports of about 200 KB for the report target, as the fuzz suite makes them
build/fuzz-report-seeds: build/lsu-gen
	mkdir -p $@
	build/lsu-gen --classes 2 --pupils 6 --periods 3 --seed 7 --faults 0.3 -o $@/a.xml
	build/lsu-gen --classes 3 --pupils 8 --periods 2 --seed 11 --cycle-bilans -o $@/b.xml

fuzz-long: $(FUZZ_TARGETS:%=build-fuzz/fuzz_%) case-inputs
	rc=0; $(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t),3600) || rc=1;) exit $$rc

# cppcheck, a check that no banned call is used, then clang-tidy over the
# compile database, in parallel (run-clang-tidy, .clang-tidy)
lint: compile_commands.json
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --suppress=missingIncludeSystem -Isrc src tools tests/unit
	bash tools/banned-calls.sh
	run-clang-tidy -quiet -j $$(nproc) -p . $(ALL_SRC:%=$(CURDIR)/%) >$(BUILD)/clang-tidy.log 2>&1 \
	    || { grep -E 'warning:|error:' $(BUILD)/clang-tidy.log; exit 1; }
	@! grep -E 'warning:|error:' $(BUILD)/clang-tidy.log

# compile_commands.json for clangd, clang-tidy and editors: one entry per
# source file, with the flags of the default build
compdb: compile_commands.json
compile_commands.json: Makefile $(ALL_SRC)
	@mkdir -p $(BUILD)
	@{ echo '['; sep=''; for f in $(ALL_SRC); do \
	    printf '%s{"directory": "%s", "file": "%s", "command": "%s -c %s"}\n' "$$sep" "$(CURDIR)" "$$f" \
	        "$(CC) $(CFLAGS_ALL)" "$$f"; sep=','; done; echo ']'; } >$@.tmp && mv $@.tmp $@

format:
	clang-format -i src/*.[ch] src/*/*.[ch] tools/*.c tests/*.[ch] tests/unit/*.[ch]

format-check:
	clang-format --dry-run --Werror src/*.[ch] src/*/*.[ch] tools/*.c tests/*.[ch] tests/unit/*.[ch]

docs: lsu
	./lsu codes --markdown > docs/DIAGNOSTICS.md

# BENCH=batch: only the académie section (lsu batch)
bench: all
	BENCH="$(BENCH)" bash tools/bench.sh

demo: all
	./lsu run -o out samples/*.xml samples/casse/*.xml; test $$? -le 2

# Installs the binary, its man pages, its docs and the bash completion
# under DESTDIR/PREFIX (never the test generator lsu-gen); uninstall removes
# exactly those files.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
DOCDIR = $(DESTDIR)$(PREFIX)/share/doc/lsu
COMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
DOCS = README.md HACKING.md CHANGELOG.md BENCHMARKS.md LICENSE docs/DIAGNOSTICS.md docs/NORMALISED.md docs/AIDE-SAISIE.md
MANPAGES = $(wildcard docs/*.1)

install: lsu
	install -d $(BINDIR) $(DOCDIR) $(COMPDIR)
	install -m 755 lsu $(BINDIR)/lsu
	install -m 644 $(DOCS) $(DOCDIR)/
	install -m 644 contrib/bash-completion/lsu $(COMPDIR)/lsu
	$(if $(MANPAGES),install -d $(MANDIR) && install -m 644 $(MANPAGES) $(MANDIR)/)

uninstall:
	rm -f $(BINDIR)/lsu $(COMPDIR)/lsu $(addprefix $(DOCDIR)/,$(notdir $(DOCS))) \
	    $(addprefix $(MANDIR)/,$(notdir $(MANPAGES)))
	-rmdir $(DOCDIR) 2>/dev/null

# a Debian package of lsu: build/deb/lsu_VERSION_ARCH.deb, checked by lintian
deb: lsu
	bash tools/make-deb.sh

clean:
	rm -rf build build-asan build-libc build-fuzz compile_commands.json lsu lsu-gen out/*.html out/*.json out/*.csv
