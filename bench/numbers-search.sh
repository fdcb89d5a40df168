#!/usr/bin/env bash
# CPaaS Numbers search over BENCH_NUMBERS numbers (default 1,000,000) on SQLite and on a
# throwaway PostgreSQL; prints p50/p95 per query and the ratio to a primary-key lookup run in
# the same invocation. Usage: bench/numbers-search.sh   (takes a few minutes per backend)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cpaas/target}"
cd "$root"
cargo bench -p cpaas-api --bench numbers_search --no-run
echo "== SQLite"
cargo bench -q -p cpaas-api --bench numbers_search
pg_dir=$(mktemp -d /tmp/cpaas-bench-pg.XXXXXX)
url=$("$root/scripts/pg.sh" start "$pg_dir")
trap '"$root/scripts/pg.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
echo "== PostgreSQL"
BENCH_DATABASE_URL="$url" cargo bench -q -p cpaas-api --bench numbers_search
