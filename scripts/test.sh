#!/usr/bin/env bash
# Every test suite: unit tests, the API suite on SQLite and again on a throwaway PostgreSQL,
# the browser suite in headless Chromium against the release-built SPA, and the OpenAPI
# contract test (schemathesis against a served instance).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cpaas/target}"

scripts/setup.sh
scripts/setup-test.sh
scripts/web-build.sh

pgdir=$(mktemp -d /tmp/cpaas-pg.XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
pg_url=$(scripts/pg.sh start "$pgdir")

log="$pgdir/test.log"
suite() { cargo test --locked 2>&1 | tee -a "$log"; }

# The same command twice (the same build), once per database.
echo "== every suite on SQLite"
suite
echo "== every suite on PostgreSQL"
TEST_DATABASE_URL="$pg_url" suite

count() { grep -oE "test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed" "$log" |
  awk -v f="$1" '{ p += $4; x += $6 } END { print (f == "passed" ? p : x) + 0 }'; }
echo "== the OpenAPI contract (schemathesis)"
if scripts/contract-test.sh >"$pgdir/contract.log" 2>&1; then contract=passed; else contract=FAILED; fi
grep -E "^== |^  (❌|🚫)|generated, " "$pgdir/contract.log" || true
echo "tests: $(count passed) passed, $(count failed) failed; contract test $contract"
[ "$contract" = passed ] || { tail -n 200 "$pgdir/contract.log"; exit 1; }
