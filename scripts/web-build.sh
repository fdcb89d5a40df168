#!/usr/bin/env bash
# Builds the SPA in release (size profile + wasm-opt) into web/dist and prints its size.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/trunk.sh" build --release --offline
cd "$root/web/dist"
raw=$(cat ./*.wasm ./*.js | wc -c)
gz=$(for f in ./*.wasm ./*.js; do gzip -9c "$f"; done | wc -c)
echo "web/dist: wasm+js $((raw / 1024)) KiB raw, $((gz / 1024)) KiB gzip"
