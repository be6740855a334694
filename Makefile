# Ballast - the two commands: `make run` and `make test`. Everything else is a helper.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DB ?= ballast.db
BALLAST = $(BUILD)/ballast

.PHONY: all help deps test-deps build asan run test test-normal test-asan fuzz fuzz-build \
	fuzz-long bench clean format

all: build

help:
	@echo 'make run        build, fill ./$(DB) with demo data, run the day'"'"'s cycle (the digest),'
	@echo '                then serve the dashboard until Ctrl-C (ARGS=--no-serve: print and exit)'
	@echo 'make test       normal and ASan+UBSan builds, every test of both (SQLite and'
	@echo '                PostgreSQL), then a short fuzz smoke run (FUZZ_SECONDS=5 per target)'
	@echo 'make build      the normal build in $(BUILD)/; make asan: the sanitizer build'
	@echo 'make fuzz       libFuzzer targets in $(FUZZ_BUILD)/ (clang), FUZZ_SECONDS=10 each'
	@echo 'make fuzz-long  a fuzzing campaign: every target FUZZ_SECONDS=600 from the corpus'
	@echo '                kept in fuzz/corpus/, new inputs merged back into it, findings kept'
	@echo '                (FUZZ_PARALLEL=1 target at a time, under nice: 17 targets take 170'
	@echo '                minutes, 85 with FUZZ_PARALLEL=2; FUZZ_TARGETS="csv mustache" for'
	@echo '                some). Then commit fuzz/corpus/. docs/internals/fuzz.md'
	@echo 'make bench      benchmarks; make format: clang-format; make clean'

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBL_SANITIZE=ON

asan: test-deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The main job on the embedded SQLite store: demo data in, the day's picture out, then
# the dashboard (ballast serve) until Ctrl-C; `make run ARGS=--no-serve` prints and exits.
run: build
	@scripts/demo.sh $(BALLAST) $(DB) $(ARGS)

# Everything: normal and ASan+UBSan builds, every test of both, SQLite and a real
# PostgreSQL started and stopped by the tests.
test: test-deps build asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) fuzz FUZZ_SECONDS=$${FUZZ_SECONDS:-5}

fuzz-build: test-deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBL_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: fuzz-build
	scripts/fuzz-smoke.sh $(FUZZ_BUILD)

# Long runs from the kept corpus (docs/internals/fuzz.md); then commit fuzz/corpus/.
fuzz-long: fuzz-build
	FUZZ_SECONDS=$${FUZZ_SECONDS:-600} scripts/fuzz-long.sh $(FUZZ_BUILD) $(FUZZ_TARGETS)

bench: build
	bench/import.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
