#!/usr/bin/env bash
# Prepares a fresh machine for koa-fleet: the Debian packages its tests start for real
# (redis-server, nginx, haproxy; chromium for the browser tests; wrk for benchmarks), pnpm at exactly the version package.json pins
# (pnpm refuses to switch to a version it cannot verify), then the locked dependencies.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
for extra in ${KOA_FLEET_EXTRA_APT:-}; do
  command -v "$extra" >/dev/null 2>&1 || missing+=("$extra")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # Tests start their own servers on free ports; the packages' default services are not needed.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

want="$(node -p "require('./package.json').packageManager.split('@')[1]")"
have="$(pnpm --version 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  echo "bootstrap: installing pnpm@$want (found: ${have:-none})"
  npm install -g --no-fund --no-audit "pnpm@$want" >/dev/null
fi

pnpm install --frozen-lockfile
