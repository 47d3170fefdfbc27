# Child Support Portal: `make run` to try it, `make test` to prove it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# wasm-opt from npm's binaryen comes first (Debian's breaks hydration).
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
SERVER := $(TARGET_DIR)/release/server
# Written after each release build; `make run` rebuilds only if a source is newer.
STAMP := target/site/.built
SOURCES := app frontend server entity migration style public Cargo.toml Cargo.lock

.PHONY: help setup build build-if-changed run test verify-deep bench fmt

help:
	@echo "make run    build (release) and serve the portal at http://127.0.0.1:3000 on SQLite"
	@echo "make test   every test: fmt, clippy, unit, SQLite + Postgres integration, Playwright"
	@echo "make build  release build only (server + wasm bundle + css)"
	@echo "make verify-deep  the ledger's property tests on 200,000 random cases each (release build)"
	@echo "make bench  performance budgets: criterion (statement, advice search), Lighthouse, client size,"
	@echo "            100k-case PostgreSQL seed, wrk load and a 10-minute soak (docs/BENCHMARKS.md)"

setup:
	@scripts/setup.sh

# --precompress writes .br and .gz beside each file of the site; the server
# sends them to browsers that accept them.
build: setup
	cargo leptos build --release --precompress
	@touch $(STAMP)

# A server binary newer than the stamp was built by another command (`cargo
# bench` builds it with other features): the release build is made again.
build-if-changed: setup
	@if [ ! -x "$(SERVER)" ] || [ ! -f $(STAMP) ] || [ "$(SERVER)" -nt $(STAMP) ] || \
	    [ -n "$$(find $(SOURCES) -newer $(STAMP) -print -quit)" ]; then \
	  $(MAKE) --no-print-directory build; \
	else echo "release build is up to date"; fi

run: build-if-changed
	@mkdir -p data
	$(SERVER) seed --demo --if-empty
	$(SERVER) serve

test:
	@scripts/setup.sh --test
	@scripts/test.sh

# Nightly-style: every ledger property on twenty times the cases of `make test`.
verify-deep:
	LEDGER_PROPTEST_CASES=200000 cargo test --release -p app --lib ledger::

bench:
	@scripts/setup.sh --bench
	cargo bench -p app --bench statement
	cargo bench -p server --bench advice_search
	@$(MAKE) --no-print-directory build-if-changed
	cd end2end && npx playwright test --config lighthouse.config.ts
	cargo bench -p server --bench load

fmt:
	cargo fmt --all
