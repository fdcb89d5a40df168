#!/usr/bin/env bash
# The OpenAPI contract test: schemathesis (pinned in tests/contract/requirements.txt, from PyPI)
# against a served instance with the demo data, every check on, once as an end user's client,
# once as a provider-level admin and once as an operator. Any failure fails the run.
#   CONTRACT_EXAMPLES  test cases per operation and phase (default 30)
#   CONTRACT_SEED      the generator's seed (default fixed, so a CI failure can be replayed)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cpaas/target}"
examples=${CONTRACT_EXAMPLES:-30}
seed=${CONTRACT_SEED:-20261206}

venv="$HOME/.cache/cpaas/schemathesis"
want=$(sed -n 's/^schemathesis==//p' tests/contract/requirements.txt)
have() { "$venv/bin/st" --version 2>/dev/null | awk '{ print $NF }'; }
if [ "$(have)" != "$want" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/contract/requirements.txt
fi
[ "$(have)" = "$want" ] || { echo "contract-test: schemathesis $want is needed; found '$(have)'" >&2; exit 1; }

cargo build --locked --quiet -p cpaas-api --bin cpaas
bin="$CARGO_TARGET_DIR/debug/cpaas"
work=$(mktemp -d /tmp/cpaas-contract.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export CPAAS_DATA_DIR="$work/data" CPAAS_BIND="127.0.0.1:$port" CPAAS_WEB_DIR="$work/no-spa"
export RUST_LOG=warn
# One generator on one address passes the per-address limits within seconds; the API suite
# tests those limits, so here they are raised to let every case reach the handlers.
export CPAAS_SIGN_IN_LIMIT_PER_MINUTE=1000000 CPAAS_WEBHOOK_REFUSAL_LIMIT_PER_MINUTE=1000000
"$bin" demo >/dev/null 2>&1
"$bin" serve >"$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done

eval "$("$venv/bin/python" tests/contract/tokens.py "$base")"

cat tests/contract/schemathesis.toml tests/contract/demo-ids.toml >"$work/with-ids.toml"
status=0
run() { # name config token schemathesis-options...
  local name=$1 config=$2 token=$3; shift 3
  echo "== contract as $name"
  "$venv/bin/st" --no-color --config-file "$config" run "$base/api/openapi.json" \
    --header "Authorization: Bearer $token" --checks all --max-examples "$examples" \
    --seed "$seed" --workers 1 "$@" || status=1
}
# Any request at random ids first, then valid ones at the demo records; the operator's last,
# as it may delete them. Signing out would end the token the rest of a run uses.
all=tests/contract/schemathesis.toml ids="$work/with-ids.toml"
client=(--include-path-regex '^/api/v1/client/')
portal=(--exclude-path-regex '^/api/v1/client/' --exclude-path /api/v1/auth/logout)
run client "$all" "$CLIENT_TOKEN" "${client[@]}"
run "client at the demo records" "$ids" "$CLIENT_TOKEN" "${client[@]}" --mode positive
run provider-admin "$all" "$PROVIDER_TOKEN" "${portal[@]}"
run operator "$all" "$OPERATOR_TOKEN" "${portal[@]}"
run "operator at the demo records" "$ids" "$OPERATOR_TOKEN" "${portal[@]}" --mode positive
if grep -q "panicked" "$work/serve.log"; then echo "contract-test: the server panicked" >&2; status=1; fi
exit $status
