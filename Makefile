# lean-merchant: `make run` serves the app, `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/wasm-opt/node_modules/.bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)
# Server rendering of the larger pages in debug builds needs more stack than threads get by default
# (tests run the app on their own runtime's threads).
export RUST_MIN_STACK := 8388608

CARGO_LEPTOS_VERSION := 0.3.10
# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/"/, "", $$3); print $$3; exit}' Cargo.lock)

.PHONY: run test tools test-tools build rust-test e2e fmt lint clean-data bench bench-tools soak

## run: install tools, build, and serve on http://127.0.0.1:3000 (embedded Lean sandbox on :4010)
run: tools
	cargo leptos serve --split

## test: every Rust test and the Playwright suite in Chromium
test: test-tools rust-test e2e

# The slow steps say what they do and roughly how long they take (measured on 2 cores).
tools:
	if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
	  echo "==> adding the Rust target wasm32-unknown-unknown (a download, about a minute, once)"
	  rustup target add wasm32-unknown-unknown
	fi
	if ! cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then
	  # Pinned: the lock of cargo-leptos 0.3.11 pins cargo-util-schemas 0.14.2, which needs rustc 1.96,
	  # so `cargo install --locked` of 0.3.11 fails on rustc 1.95; 0.3.10's lock builds there.
	  echo "==> building cargo-leptos $(CARGO_LEPTOS_VERSION) from source (about 14 minutes on 2 cores, once)"
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	fi
	[ -f Cargo.lock ] || cargo generate-lockfile
	want="$(WASM_BINDGEN_VERSION)"
	if ! wasm-bindgen --version 2>/dev/null | grep -q "$$want"; then
	  # Without --locked on purpose: the CLI's own lock pins a yanked crate.
	  echo "==> building wasm-bindgen-cli $$want from source (about 2 minutes on 2 cores, once)"
	  cargo install wasm-bindgen-cli --version "$$want"
	fi

test-tools: tools
	if [ ! -x /usr/bin/chromium ] || ! command -v openssl >/dev/null; then
	  # openssl makes the certificate of the hosted-demo test's TLS proxy.
	  echo "==> installing Debian's chromium (and openssl) for the browser tests (apt-get, a few minutes, once)"
	  sudo_cmd=""; [ "$$(id -u)" = 0 ] || sudo_cmd="sudo"
	  $$sudo_cmd apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -qq chromium openssl
	fi
	echo "==> installing the browser tests' npm packages (npm ci in end2end/, under a minute)"
	cd end2end && npm ci --no-audit --no-fund

# --split: every island but the dashboard's is a wasm chunk of its own (`#[island(lazy)]`). The lazy
# islands are wasm imports that only the split build resolves, so every build of the app needs it.
build: tools
	cargo leptos build --split

PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

# The sandbox's contract test checks it against Lean's OpenAPI exports and webhook samples, which are
# not in the repository: LEAN_EXPORTS_DIR names the folder that holds their openapi/ and webhooks/
# (absolute, or relative to this folder). Without it that check is skipped, loudly.
rust-test:
	@if [ -n "$${LEAN_EXPORTS_DIR:-}" ]; then
	  echo "==> the sandbox's contract test checks against Lean's exports in $$LEAN_EXPORTS_DIR"
	else
	  echo "!!! LEAN_EXPORTS_DIR is not set: the sandbox's contract check against Lean's OpenAPI exports is SKIPPED !!!"
	fi
	cargo test -p lean-sandbox
	cargo test -p lean-merchant --features ssr
	# The same suite on PostgreSQL (each test creates and drops a database of its own).
	if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
	  TEST_DATABASE_URL="$(PG_TEST_URL)" cargo test -p lean-merchant --features ssr --tests
	else
	  echo "!!! PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL run of the Rust suite is SKIPPED !!!"
	fi

# Built by cargo-leptos right before the browser tests: `cargo test` rebuilds target/debug/lean-merchant
# with other flags, and a server built that way does not hydrate with cargo-leptos's wasm.
e2e: build
	cd end2end && npx playwright test

## bench: release build, then measure (prints a table and writes BENCHMARKS.md)
bench: tools bench-tools
	cargo leptos build --release --split
	cargo run --release -p lean-bench

## soak: release build, then kill -9 the app during a 10,000-webhook flood and count (writes SOAK.md)
# The same release app as bench (built by cargo-leptos, so the two targets share it), beside the
# standalone sandbox it is pointed at, so the kill takes down the app alone.
soak: tools bench-tools
	cargo leptos build --release --split
	cargo build --release -p lean-sandbox --bin lean-sandbox
	cargo run --release -p lean-bench -- soak

# cargo-leptos optimises release wasm with the wasm-opt it finds on PATH; it would otherwise try to
# download one from GitHub. It is binaryen's from npm (tools/wasm-opt), not Debian's: Debian's version 108
# points the wasm-bindgen externref table's export at the function table of a split build, and the page
# then fails to start (`WebAssembly.Table.set(): Argument 1 is invalid`).
#
# wrk (Debian's) drives the webhook-ingest figures from a core of its own (see bench/src/wrk.rs).
bench-tools:
	cd tools/wasm-opt && npm ci --no-audit --no-fund
	wasm-opt --version | grep "version 132"
	if ! command -v wrk >/dev/null || ! command -v taskset >/dev/null; then
	  echo "==> installing Debian's wrk (the load generator) and util-linux (taskset) for the bench"
	  sudo_cmd=""; [ "$$(id -u)" = 0 ] || sudo_cmd="sudo"
	  $$sudo_cmd apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -qq wrk util-linux
	fi

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy -p lean-sandbox --all-targets -- -D warnings
	cargo clippy -p lean-bench --all-targets -- -D warnings
	cargo clippy -p lean-merchant --features ssr --all-targets -- -D warnings
	cargo clippy -p lean-merchant --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

## clean-data: forget every local user, session, customer and sandbox state
clean-data:
	rm -rf data
