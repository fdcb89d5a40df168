#!/usr/bin/env bash
# Installs what building and running CPaaS Bridge needs on a fresh Debian 12 machine that
# reaches only the package registries (crates.io, PyPI, Debian, npm). Idempotent; run as root.
# Native crates need only rustup's toolchain (rust-toolchain.toml); the rest is for the SPA.
# Every tool is checked by version, not presence: a machine's stale package lists offer tools
# too old to work (rustc-web 1.85), so the lists are refreshed whenever a required version is
# not installed, and setup stops with one line naming what is missing and why.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
TRUNK_VERSION=${TRUNK_VERSION:-0.21.14}   # trunk 0.22 needs rustc >= 1.96.1
WEB_RUST_MIN=1.96                         # older cargo cannot read CARGO_UNSTABLE_BUILD_STD=std,panic_abort
WASM_OPT_VERSION=132                      # Debian's binaryen 108 cannot read current wasm

die() { echo "setup: $*" >&2; exit 1; }
deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null | sed 's/^[0-9]*://; s/+.*//; s/-.*//'; }
at_least() { [ -n "$1" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }
refreshed=
apt_install() {
  [ -n "$refreshed" ] || { apt-get update -qq; refreshed=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/ *Candidate: //p'; }

# 1. Debian's Rust "web" toolchain (rustc-web, cargo-web, rust-web-src of one version, 1.96 or
#    newer): /usr/bin/rustc + /usr/bin/cargo with the std sources that -Zbuild-std compiles for
#    wasm32. rustup's cargo/rustc stay first on PATH and do every native build.
web_ok() {
  local v; v=$(deb_version rustc-web)
  at_least "$v" "$WEB_RUST_MIN" && [ "$(deb_version cargo-web)" = "$v" ] && [ "$(deb_version rust-web-src)" = "$v" ]
}
web_ok || apt_install rustc-web cargo-web rust-web-src
web_ok || die "rustc-web, cargo-web and rust-web-src $WEB_RUST_MIN or newer, of one version, are needed to build the SPA; installed: $(deb_version rustc-web)/$(deb_version cargo-web)/$(deb_version rust-web-src), Debian offers $(candidate rustc-web)"

# 2. wasm-ld of rustc-web's LLVM major (22 for 1.96).
llvm_major=$(/usr/bin/rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
[ -n "$llvm_major" ] || die "/usr/bin/rustc (rustc-web) does not report its LLVM version"
"wasm-ld-$llvm_major" --version >/dev/null 2>&1 || apt_install "lld-$llvm_major"
"wasm-ld-$llvm_major" --version >/dev/null 2>&1 ||
  die "wasm-ld-$llvm_major (Debian's lld-$llvm_major) is needed to link the SPA for rustc-web's LLVM $llvm_major"

# 3. wasm-bindgen CLI: exactly the wasm-bindgen crate version in Cargo.lock, else Trunk tries
#    to download one. Not --locked: its lockfile pins a crate version the registry lacks.
wbg=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q;}' "$root/Cargo.lock")
[ -n "$wbg" ] || die "Cargo.lock names no wasm-bindgen version"
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wbg" ] ||
  cargo install -q --force wasm-bindgen-cli --version "$wbg"
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wbg" ] ||
  die "wasm-bindgen $wbg (the crate's version in Cargo.lock) is needed; found: $(wasm-bindgen --version 2>&1 | head -n1)"

# 4. Trunk (~9 minutes to compile on 2 cores; kept in ~/.cargo/bin across runs).
[ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] ||
  cargo install -q --force trunk --version "$TRUNK_VERSION" --locked
[ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] ||
  die "trunk $TRUNK_VERSION is needed; found: $(trunk --version 2>&1 | head -n1)"

# 5. wasm-opt (binaryen 132 as a Node.js package) into tools/web/node_modules/.bin.
wasm_opt="$root/tools/web/node_modules/.bin/wasm-opt"
if [ "$("$wasm_opt" --version 2>/dev/null | cut -d' ' -f3)" != "$WASM_OPT_VERSION" ]; then
  command -v npm >/dev/null || apt_install npm
  npm ci --prefix "$root/tools/web" --no-audit --no-fund --loglevel=error
fi
[ "$("$wasm_opt" --version 2>/dev/null | cut -d' ' -f3)" = "$WASM_OPT_VERSION" ] ||
  die "wasm-opt $WASM_OPT_VERSION (npm binaryen, tools/web) is needed; found: $("$wasm_opt" --version 2>&1 | head -n1)"

# 6. Every crate both builds need, std's own dependencies included, so Trunk can run offline.
(cd "$root" && cargo fetch -q)
(cd "$root/web" && RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc /usr/bin/cargo fetch -q \
   --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
echo "toolchain ready: $(rustc --version | cut -d' ' -f1-2) native, $(/usr/bin/rustc --version | cut -d' ' -f1-2) (Debian) for wasm, wasm-ld-$llvm_major, $(wasm-bindgen --version), $(trunk --version), wasm-opt $WASM_OPT_VERSION"
