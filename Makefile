# Fenghuo — the two commands a newcomer needs: `make run` (the demo) and `make test` (the suite).
SWIFT ?= swift
BIN := .build/debug/fenghuo
export LANG ?= C.UTF-8

.PHONY: build run test test-unit test-e2e golden clean-demo bench fuzz

build:
	$(SWIFT) build

## The demo city in the console (seeds ./demo-data, then opens the TUI). ARGS="--lang en" etc.
run: build
	$(BIN) demo $(ARGS)

## Everything: unit, golden-screen and end-to-end (tmux) tests. The fuzz properties draw from one
## fixed seed here, so a run's result depends on the code alone; `make fuzz` explores new seeds.
FUZZ_SEED ?= 20261202
test: build
	FENGHUO_FUZZ_SEED=$${FENGHUO_FUZZ_SEED:-$(FUZZ_SEED)} $(SWIFT) test

test-unit: build
	$(SWIFT) test --skip FenghuoEndToEndTests

test-e2e: build
	$(SWIFT) test --filter FenghuoEndToEndTests

## The parsers fuzzed at length: 200 times `make test`'s inputs. FENGHUO_FUZZ_SEED=N replays a failure's inputs.
fuzz: build
	FENGHUO_FUZZ_ITERATIONS=$${FENGHUO_FUZZ_ITERATIONS:-60000} $(SWIFT) test --filter FenghuoFuzzTests

## Rewrite the golden screens after a deliberate change (review the diff before committing).
golden: build
	UPDATE_GOLDEN=1 $(SWIFT) test --filter GoldenScreenTests

## Benchmarks on a release build: sync, latency, push, tui, dashboard at 1M rows (see BENCHMARKS.md).
## ARGS="sync --size 100000" picks scenarios and sizes; the stores are kept in ./bench-data.
bench:
	$(SWIFT) build -c release
	.build/release/fenghuo-bench $(ARGS)

clean-demo:
	rm -rf demo-data
