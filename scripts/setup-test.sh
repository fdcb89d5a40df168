#!/usr/bin/env bash
# Installs what the test suites need beyond scripts/setup.sh, checked by version: headless
# Chromium with the driver of the same major (browser suite), PostgreSQL 13 or newer (its
# pg_trgm is trusted; the PostgreSQL suite) and aiosmtpd 1.4.6 (the SMTP server mail tests
# deliver to). Idempotent; stops with one line naming what is missing.
set -euo pipefail
CHROMIUM_MIN=120
POSTGRES_MIN=13
AIOSMTPD_VERSION=1.4.6

die() { echo "setup-test: $*" >&2; exit 1; }
major() { sed -n 's/^[^0-9]*\([0-9][0-9]*\)\..*/\1/p' | head -n1; }
chromium_major() { /usr/bin/chromium --version 2>/dev/null | major; }
driver_major() { /usr/bin/chromedriver --version 2>/dev/null | major; }
postgres_major() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$bin" ] && "$bin/initdb" --version 2>/dev/null | major
}
browser_ok() {
  local c; c=$(chromium_major)
  [ -n "$c" ] && [ "$c" -ge "$CHROMIUM_MIN" ] && [ "$(driver_major)" = "$c" ] &&
    dpkg -s fonts-dejavu-core >/dev/null 2>&1
}
postgres_ok() { local p; p=$(postgres_major); [ -n "$p" ] && [ "$p" -ge "$POSTGRES_MIN" ]; }

if ! browser_ok || ! postgres_ok; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-dejavu-core postgresql >/dev/null
fi
browser_ok || die "Chromium $CHROMIUM_MIN or newer with chromedriver of the same major is needed for the browser suite; found chromium $(chromium_major), chromedriver $(driver_major)"
postgres_ok || die "PostgreSQL $POSTGRES_MIN or newer is needed for the PostgreSQL suite; found $(postgres_major)"

aiosmtpd() { python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null; }
[ "$(aiosmtpd)" = "$AIOSMTPD_VERSION" ] ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "aiosmtpd==$AIOSMTPD_VERSION"
[ "$(aiosmtpd)" = "$AIOSMTPD_VERSION" ] || die "aiosmtpd $AIOSMTPD_VERSION (PyPI) is needed for the mail tests; found $(aiosmtpd)"
echo "test tools ready: aiosmtpd $AIOSMTPD_VERSION, Chromium $(chromium_major) with its driver, PostgreSQL $(postgres_major)"
