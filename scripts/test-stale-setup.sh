#!/usr/bin/env bash
# Proves that scripts/setup.sh recovers on a machine as stale as a freshly made one: its Rust
# web toolchain is the too-old one Debian 12's main archive offers (1.85, whose cargo cannot
# build the SPA) and its package lists do not yet know the newer one from the security archive.
# Setup must refresh the lists and end with rustc-web, cargo-web and rust-web-src 1.96 or newer,
# of one version. Changes the machine's packages (as setup itself does); run as root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
at_least() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]; }
installed() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null | sed 's/+.*//'; }

apt-get update -qq
old=$(apt-cache madison rustc-web | awk '{print $3}' | sort -V | head -n1)
if [ -z "$old" ] || at_least "${old%%+*}" 1.96; then
  echo "stale-setup: Debian offers no rustc-web older than 1.96 ($old) to start from" >&2
  exit 1
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --allow-downgrades \
  "rustc-web=$old" "cargo-web=$old" "rust-web-src=$old" "libstd-rust-web-dev=$old" >/dev/null
[ "$(installed rustc-web)" = "${old%%+*}" ] || { echo "stale-setup: the downgrade did not take" >&2; exit 1; }
# Package lists as a new machine has them: without the security archive's newer toolchain.
rm -f /var/lib/apt/lists/*security*
before=$(installed rustc-web)
"$root/scripts/setup.sh" >/dev/null
after=$(installed rustc-web)
at_least "$after" 1.96 && [ "$(installed cargo-web)" = "$after" ] && [ "$(installed rust-web-src)" = "$after" ] || {
  echo "stale-setup: setup left rustc-web $after, cargo-web $(installed cargo-web), rust-web-src $(installed rust-web-src)" >&2
  exit 1
}
echo "stale-setup: setup recovered a stale machine (rustc-web $before -> $after)"
