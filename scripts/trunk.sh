#!/usr/bin/env bash
# Runs Trunk for web/ with the offline-safe toolchain: scripts/trunk.sh build --release | serve
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# web/tools/cargo routes Trunk's wasm32 cargo build to a toolchain that has wasm32 std;
# tools/web/node_modules/.bin provides a wasm-opt new enough for current rustc output.
export PATH="$root/web/tools:$root/tools/web/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cpaas/target}"
cd "$root"
exec trunk "$@"
