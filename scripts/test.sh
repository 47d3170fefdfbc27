#!/usr/bin/env bash
# Every test the project has, in the order that fails fastest. Called by
# `make test` (after scripts/setup.sh --test) and by CI through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$SECONDS

step "formatting (cargo fmt --check)"
cargo fmt --all --check

step "lints, server side (clippy -D warnings)"
cargo clippy --all-targets -- -D warnings

step "lints, browser side (clippy -D warnings, wasm32)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

# Without PostgreSQL its tests fail, unless the run says it leaves them out.
leave_out=()
if [[ "${PORTAL_SKIP_POSTGRES:-}" == 1 ]]; then
  step "unit and integration tests (SQLite only: PORTAL_SKIP_POSTGRES=1)"
  leave_out=(-- --skip postgres)
else
  step "unit and integration tests (SQLite and PostgreSQL at $TEST_DATABASE_URL)"
fi
cargo test "${leave_out[@]}" 2>&1 | tee "$logs/cargo.log"

step "release build for the browser tests"
cargo leptos build --release --precompress 2>&1 | tail -n 5

step "browser tests (Playwright in Debian's Chromium, hydrated and no-JS)"
(cd end2end && npx playwright test) 2>&1 | tee "$logs/playwright.log"

# Adds up the counts a runner printed; no match (nothing failed) is zero.
sum() { { grep -Eo "$1" "$2" || true; } | { grep -Eo '[0-9]+' || true; } | awk '{ s += $1 } END { print s + 0 }'; }
cargo_passed=$(sum '[0-9]+ passed;' "$logs/cargo.log")
cargo_failed=$(sum '[0-9]+ failed;' "$logs/cargo.log")
cargo_skipped=$(( $(sum '[0-9]+ ignored;' "$logs/cargo.log") + $(sum '[0-9]+ filtered out' "$logs/cargo.log") ))
pw_passed=$(sum '^ *[0-9]+ passed' "$logs/playwright.log")
pw_failed=$(sum '^ *[0-9]+ failed' "$logs/playwright.log")
pw_skipped=$(sum '^ *[0-9]+ skipped' "$logs/playwright.log")

step "summary ($(( SECONDS - started )) s)"
echo "cargo test: $cargo_passed passed, $cargo_failed failed, $cargo_skipped skipped"
echo "playwright: $pw_passed passed, $pw_failed failed, $pw_skipped skipped"
echo "total: $(( cargo_passed + pw_passed )) passed, $(( cargo_failed + pw_failed )) failed, \
$(( cargo_skipped + pw_skipped )) skipped"
