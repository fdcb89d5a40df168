#!/usr/bin/env bash
# Installs what building and running CPaaS Bridge needs on a fresh Debian 12 machine that
# reaches only the package registries (crates.io, PyPI, Debian, npm). Idempotent; run as root.
# Native crates need only rustup's toolchain (rust-toolchain.toml); the rest is for the SPA.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
TRUNK_VERSION=${TRUNK_VERSION:-0.21.14}   # trunk 0.22 needs rustc >= 1.96.1

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

# 1. Debian's Rust "web" toolchain (rustc-web, cargo-web, rust-web-src of one version):
#    /usr/bin/rustc + /usr/bin/cargo with the std sources that -Zbuild-std compiles for
#    wasm32. rustup's cargo/rustc stay first on PATH and do every native build. Older than
#    1.96, its cargo cannot read CARGO_UNSTABLE_BUILD_STD=std,panic_abort; a machine's stale
#    package lists offer 1.85, so they are refreshed until 1.96 or newer is installable.
WEB_RUST_MIN=1.96
web_rust() { dpkg-query -W -f='${Version}' rustc-web 2>/dev/null | sed 's/+.*//'; }
at_least() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }
if ! at_least "$(web_rust)" "$WEB_RUST_MIN"; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    rustc-web cargo-web rust-web-src >/dev/null
fi
at_least "$(web_rust)" "$WEB_RUST_MIN" || {
  echo "setup: rustc-web $WEB_RUST_MIN or newer is needed to build the SPA; Debian offers $(apt-cache policy rustc-web | sed -n 's/ *Candidate: //p')" >&2
  exit 1
}
v_rustc=$(dpkg-query -W -f='${Version}' rustc-web)
v_src=$(dpkg-query -W -f='${Version}' rust-web-src)
[ "$v_rustc" = "$v_src" ] || apt_install "rust-web-src=$v_rustc" "cargo-web=$v_rustc"
# 2. wasm-ld of rustc-web's LLVM major.
llvm_major=$(/usr/bin/rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
dpkg -s "lld-$llvm_major" >/dev/null 2>&1 || apt_install "lld-$llvm_major"

# 3. wasm-bindgen CLI: exactly the wasm-bindgen crate version in Cargo.lock, else Trunk tries
#    to download one. Not --locked: its lockfile pins a crate version the registry lacks.
wbg=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q;}' "$root/Cargo.lock")
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wbg" ] ||
  cargo install -q wasm-bindgen-cli --version "$wbg"

# 4. Trunk (~9 minutes to compile on 2 cores; kept in ~/.cargo/bin across runs).
[ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] ||
  cargo install -q trunk --version "$TRUNK_VERSION" --locked

# 5. wasm-opt (binaryen 132 as a Node.js package) into tools/web/node_modules/.bin.
if [ "$("$root/tools/web/node_modules/.bin/wasm-opt" --version 2>/dev/null | cut -d' ' -f3)" != 132 ]; then
  npm ci --prefix "$root/tools/web" --no-audit --no-fund --loglevel=error
fi

# 6. Every crate both builds need, std's own dependencies included, so Trunk can run offline.
(cd "$root" && cargo fetch -q)
(cd "$root/web" && RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc /usr/bin/cargo fetch -q \
   --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
echo "toolchain ready: $(rustc --version | cut -d' ' -f1-2) native, $(/usr/bin/rustc --version | cut -d' ' -f1-2) (Debian) for wasm, $(wasm-bindgen --version), $(trunk --version)"
