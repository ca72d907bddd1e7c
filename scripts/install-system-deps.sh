#!/usr/bin/env bash
# Install what the tests need outside Python, only when missing: Debian's Chromium (browser tests), a Java runtime
# and npm's vnu-jar (the W3C Nu HTML Checker, into tests/browser/node_modules from its package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -ne 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-system-deps: missing ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash scripts/install-build-deps.sh
# --ignore-scripts: vnu-jar's install script would download a Java runtime; we use Debian's.
if [ ! -f tests/browser/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
