# vrc: one C11 binary. `make` builds build/vrc; `make run` and `make test` set up the machine first.
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libcmark-gfm jansson libsodium libqrencode liboath zlib libdeflate libbrotlienc libbrotlidec
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
CFLAGS  ?= -O2 -g
ALLCFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) \
            -Isrc -Ibuild/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions -lstemmer -lpthread -lm
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSANFLAGS := -O1 -g -fsanitize=thread -fno-omit-frame-pointer

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
TESTS    := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
EMBED_IN := $(shell find templates i18n src/db/migrations static -type f 2>/dev/null | sort)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

.PHONY: bench-large all run test deps asan tsan unit clean format format-check bench assets
all: build/vrc

# Front-end assets: our static/ plus the parts of USWDS we use, assembled under build/static.
build/static/.stamp: $(shell find static -type f 2>/dev/null) scripts/assets package-lock.json
	scripts/assets build/static
	@touch $@

build/gen/embed.S build/gen/embed_index.c &: build/static/.stamp $(EMBED_IN) scripts/embed
	scripts/embed build/gen

build/gen/version.h: VERSION
	@mkdir -p build/gen
	printf '#define VRC_VERSION "%s"\n' "$(VERSION)" > $@

# Normal build
OBJ := $(patsubst src/%.c,build/obj/%.o,$(SRC)) build/obj/gen/embed_index.o build/obj/gen/embed.o
build/obj/%.o: src/%.c build/gen/version.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) -c $< -o $@
build/obj/gen/embed_index.o: build/gen/embed_index.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) -c $< -o $@
build/obj/gen/embed.o: build/gen/embed.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@
build/vrc: $(OBJ)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

LIB_OBJ := $(filter-out build/obj/main.o,$(OBJ))
build/test/%: tests/unit/%.c $(LIB_OBJ) tests/unit/test.h
	@mkdir -p build/test
	@echo "  TEST    $@"
	@$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDLIBS)
unit: $(addprefix build/test/,$(TESTS))

# A loop over site_render on a generated site: render CPU per page (bench/README.md).
build/bench-render: bench/render.c $(LIB_OBJ)
	@echo "  BENCH   $@"
	@$(CC) $(ALLCFLAGS) -o $@ $< $(LIB_OBJ) $(LDLIBS)

# Sanitizer build: the same sources with ASan + UBSan, objects apart.
ASAN_OBJ := $(patsubst src/%.c,build/asan/obj/%.o,$(SRC)) build/asan/obj/gen/embed_index.o build/obj/gen/embed.o
build/asan/obj/%.o: src/%.c build/gen/version.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) $(SANFLAGS) -c $< -o $@
build/asan/obj/gen/embed_index.o: build/gen/embed_index.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) $(SANFLAGS) -c $< -o $@
build/asan/vrc: $(ASAN_OBJ)
	@echo "  LINK    $@"
	@$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)
ASAN_LIB_OBJ := $(filter-out build/asan/obj/main.o,$(ASAN_OBJ))
build/asan/test/%: tests/unit/%.c $(ASAN_LIB_OBJ) tests/unit/test.h
	@mkdir -p build/asan/test
	@echo "  TEST    $@"
	@$(CC) $(ALLCFLAGS) $(SANFLAGS) -Itests/unit -o $@ $< $(ASAN_LIB_OBJ) $(LDLIBS)
asan: build/asan/vrc $(addprefix build/asan/test/,$(TESTS))

# ThreadSanitizer build of the tests whose code runs on several server threads at once: the page
# cache (read by every request while publishing writes it) and the template engine.
TSAN_TESTS := test_cache test_template
TSAN_OBJ := $(patsubst src/%.c,build/tsan/obj/%.o,$(LIB_SRC)) build/tsan/obj/gen/embed_index.o build/obj/gen/embed.o
build/tsan/obj/%.o: src/%.c build/gen/version.h
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) $(TSANFLAGS) -c $< -o $@
build/tsan/obj/gen/embed_index.o: build/gen/embed_index.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALLCFLAGS) $(TSANFLAGS) -c $< -o $@
build/tsan/test/%: tests/unit/%.c $(TSAN_OBJ) tests/unit/test.h
	@mkdir -p build/tsan/test
	@echo "  TEST    $@"
	@$(CC) $(ALLCFLAGS) $(TSANFLAGS) -Itests/unit -o $@ $< $(TSAN_OBJ) $(LDLIBS)
tsan: $(TSAN_OBJ) $(addprefix build/tsan/test/,$(TSAN_TESTS))

deps:
	scripts/deps

run: deps
	$(MAKE) -j$$(nproc) build/vrc
	@mkdir -p var
	build/vrc init --db var/vrc.db
	build/vrc user ensure-admin --db var/vrc.db
	build/vrc serve --db var/vrc.db --listen 127.0.0.1:8080

test: deps
	$(MAKE) -j$$(nproc) build/vrc unit asan tsan
	scripts/test-all

bench: deps
	$(MAKE) -j$$(nproc) build/vrc
	bench/run
	bench/search

# The large generated site (10,000 resources, 1,000 communities): start-up, memory, publishing, the
# export against Hugo (bench/RESULTS.md). Minutes, and a few GB of disk under /tmp.
bench-large: deps
	$(MAKE) -j$$(nproc) build/vrc
	bench/large /tmp/vrc-large

FMT_SRC = $(shell find src tests/unit -name '*.[ch]')
format:
	@clang-format -i $(FMT_SRC)
format-check:
	@clang-format --dry-run -Werror $(FMT_SRC)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
