# Booking Hub — the two commands a new machine needs (README "Quick start"):
#   make run    install dependencies, build, start the whole hub with the example trust
#   make test   install dependencies, build with ASan+UBSan, run every test
# Also: make bench (benchmarks, release build), make build (release build only), make fuzz,
# make clean.

JOBS ?= $(shell nproc)
ASAN_DIR := build/asan
REL_DIR  := build/release
CMAKE_GEN := -G Ninja

.PHONY: deps build test run bench fuzz clean

deps:
	scripts/install-deps

$(ASAN_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(ASAN_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUB_SANITIZE=ON -DHUB_BUILD_TESTS=ON

$(REL_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(REL_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DHUB_BUILD_TESTS=ON -DHUB_BUILD_BENCH=ON

build: deps $(REL_DIR)/build.ninja
	cmake --build $(REL_DIR) -j $(JOBS) --target hub

test: deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

run: build
	$(REL_DIR)/bin/hub up --config config/hub.toml

bench: deps $(REL_DIR)/build.ninja
	cmake --build $(REL_DIR) -j $(JOBS)
	bench/run.sh $(REL_DIR)

# libFuzzer targets (clang), 60 s each on a copy of the committed corpus.
fuzz: deps
	CXX=clang++ cmake -S . -B build/fuzz $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUB_SANITIZE=ON -DHUB_BUILD_TESTS=OFF -DHUB_BUILD_FUZZ=ON
	cmake --build build/fuzz -j $(JOBS)
	mkdir -p build/fuzz/corpus/envelope && cp tests/fuzz/corpus/envelope/* build/fuzz/corpus/envelope/
	build/fuzz/tests/fuzz/envelope_fuzz build/fuzz/corpus/envelope -max_total_time=60

clean:
	rm -rf build
