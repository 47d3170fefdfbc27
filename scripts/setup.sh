#!/usr/bin/env bash
# Installs what building and testing the portal needs, at pinned versions and
# only when missing, so a second run takes a second.
#
#   scripts/setup.sh          build tools: wasm target, cargo-leptos,
#                             wasm-bindgen-cli, npm packages (wasm-opt)
#   scripts/setup.sh --test   the same, plus Debian's Chromium for Playwright
#   scripts/setup.sh --bench  the same as --test, plus Debian's wrk (make bench)
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10     # 0.3.11 needs rustc 1.96
WASM_BINDGEN_VERSION=0.2.129    # must equal the wasm-bindgen pin in Cargo.toml

cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(cargo leptos --version 2>/dev/null)" != *"$CARGO_LEPTOS_VERSION"* ]]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
  # no_downloads: use the tools installed here instead of fetching binaries.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if [[ "$(wasm-bindgen --version 2>/dev/null)" != *"$WASM_BINDGEN_VERSION"* ]]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi

# npm packages: binaryen's wasm-opt (Debian's is too old and breaks hydration),
# Playwright and axe-core. Reinstalled only when the lock file changed.
if [[ ! -f end2end/node_modules/.package-lock.json ||
      end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]]; then
  say "installing npm packages in end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Debian packages, from Debian 12's archive: `name` (a command to check for).
packages=()
case "${1:-}" in
  --test) packages=(chromium) ;;
  --bench) packages=(chromium wrk) ;;
esac
missing=()
for package in "${packages[@]}"; do
  command -v "$package" >/dev/null || missing+=("$package")
done
if (( ${#missing[@]} )); then
  say "installing Debian's ${missing[*]}"
  SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi
