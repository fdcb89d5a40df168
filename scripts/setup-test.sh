#!/usr/bin/env bash
# Installs what the test suites need beyond scripts/setup.sh: headless Chromium with its
# driver (browser suite), the PostgreSQL server binaries (PostgreSQL suite) and aiosmtpd (the
# SMTP server mail tests deliver to). Idempotent.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore aiosmtpd==1.4.6
echo "test tools ready: aiosmtpd $(python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)'), $(/usr/bin/chromium --version), $(ls -d /usr/lib/postgresql/*/bin | tail -1)"
