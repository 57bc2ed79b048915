# Two commands for a fresh Debian 12 machine:
#   make run   installs what is missing, builds, solves the bundled default
#   make test  installs what is missing, builds, runs every test: ctest, then pytest
BUILD ?= build
JOBS ?= $(shell nproc)
GRAPH ?= zoo:resnet50
PLATFORM ?= zoo:paper
SOLVER ?= split

.PHONY: all setup configure build run test test-asan time-limit-sweep fuzz bench bench-suite bench-run bench-report zoo clean venv

all: build

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/diviml bound --graph $(GRAPH) --platform $(PLATFORM)
	./$(BUILD)/diviml solve --graph $(GRAPH) --platform $(PLATFORM) --solver $(SOLVER) \
	  --out $(BUILD)/plan.json --gantt $(BUILD)/plan.svg --report $(BUILD)/plan.html
	@echo "plan: $(BUILD)/plan.json  gantt chart: $(BUILD)/plan.svg  report: $(BUILD)/plan.html (open it in a browser)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@bash scripts/setup-venv.sh $(BUILD)/venv
	$(BUILD)/venv/bin/python -m pytest -q python/tests

# The Python package in build/venv (scripts/setup-venv.sh).
venv:
	@bash scripts/setup-venv.sh $(BUILD)/venv

# The whole suite again under ASan + UBSan + LeakSanitizer (README,
# "Reliability"), less the wall-clock tests (TimeLimit.*: sanitizers slow
# the code they time); .ci/run runs it after `make test`.
ASAN_BUILD ?= build-asan
test-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Asan -DDIVIML_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -E 'TimeLimit\.'

# libFuzzer on every reader (fuzz/targets.h), each until FUZZ_RUNS executions
# or FUZZ_SECONDS (whichever first), one after the other, seeded from tests/data, zoo/ and tests/fuzz/; findings are
# written to $(FUZZ_BUILD)/findings/<target>/ (README, "Reliability").
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_RUNS ?= 1000000
FUZZ_TARGETS ?= graph_json platform_json plan_json profile_json profile_csv stg onnx specs llm_config
fuzz: setup
	@bash scripts/setup-fuzz.sh
	@CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Asan -DDIVIML_BUILD_FUZZ=ON \
	  -DDIVIML_BUILD_TESTS=OFF -DDIVIML_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	bash scripts/run-fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_RUNS) $(FUZZ_TARGETS)

# Every latency solver against --time-limit on the zoo and RandWire graphs.
time-limit-sweep: build
	bash scripts/time-limit-sweep.sh $(BUILD)

bench: build
	./$(BUILD)/diviml_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

# The `diviml bench` suite (every zoo model and RandWire ER/BA/WS small and
# regular on the paper and modern platforms; about 15 min on 2 cores).
bench-suite: build
	./$(BUILD)/diviml bench --csv $(BUILD)/bench.csv --json $(BUILD)/bench.json

# Predicted vs measured latency of every zoo model on host:2x1 with ONNX
# Runtime (docs/runtime.md; ~15 min on 2 cores; writes docs/runtime-fidelity.md).
bench-run: build venv
	$(BUILD)/venv/bin/python scripts/bench_run.py --out $(BUILD)/fidelity

# Load time of the HTML report of bert_base (610 nodes) in headless Chromium,
# 10 loads, and its size (docs/report.md).
bench-report: build
	./$(BUILD)/diviml solve --graph zoo:bert_base --platform $(PLATFORM) --solver split --time-limit 10 -q \
	  --report $(BUILD)/bert_base.html >/dev/null
	node tests/browser/report_check.mjs $(BUILD)/bert_base.html --measure 10

# Re-exports the ONNX model zoo with Debian's torch (not needed to build or test).
zoo:
	bash scripts/setup-python.sh
	/usr/bin/python3 scripts/zoo/export_zoo.py
	/usr/bin/python3 scripts/zoo/reference_flops.py

clean:
	rm -rf $(BUILD)
