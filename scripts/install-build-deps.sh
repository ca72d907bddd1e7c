#!/usr/bin/env bash
# Install what the site BUILD needs outside Python, only when missing: Node.js and npm (Debian packages), then
# Workbox (npm workbox-build, into scripts/relais/site/sw/node_modules from its package-lock.json), which writes
# the service workers. `make install` runs this, so `make serve` works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -ne 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-build-deps: missing ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
tool=scripts/relais/site/sw
if [ ! -f "$tool/node_modules/.package-lock.json" ] || [ "$tool/package-lock.json" -nt "$tool/node_modules/.package-lock.json" ]; then
  # --ignore-scripts: Workbox needs no install script; nothing is downloaded but the registry's packages.
  (cd "$tool" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
