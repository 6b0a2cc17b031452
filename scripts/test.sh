#!/usr/bin/env bash
# Installs what the tests need (PostgreSQL, MariaDB, Chromium from Debian) and runs every test.
# The tests start their own throwaway servers on loopback; nothing else needs to be running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/install-deps.sh
dotnet build Sluice.slnx -c Release --nologo -v q
log=$(mktemp)
set +e
dotnet test Sluice.slnx -c Release --no-build --nologo --blame-hang-timeout 8m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summary line over all test assemblies.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
