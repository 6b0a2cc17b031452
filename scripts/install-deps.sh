#!/usr/bin/env bash
# Installs what Sluice's tests and benchmarks need on a fresh Debian machine.
# Idempotent: only missing packages are installed.
set -euo pipefail
need=()
command -v /usr/lib/postgresql/15/bin/initdb >/dev/null 2>&1 || need+=(postgresql-15 postgresql-client-15)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server mariadb-client)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ "${SLUICE_BENCH_DEPS:-0}" = 1 ]; then
  command -v pgloader >/dev/null 2>&1 || need+=(pgloader)
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  [ -x /usr/bin/time ] || need+=(time)
  command -v bc >/dev/null 2>&1 || need+=(bc)
fi
command -v ip >/dev/null 2>&1 || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian's packages start their system services; the tests start their own throwaway servers instead.
  $sudo systemctl disable --now mariadb >/dev/null 2>&1 || $sudo service mariadb stop >/dev/null 2>&1 || true
fi
echo "install-deps: ok"
