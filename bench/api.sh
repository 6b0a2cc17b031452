#!/usr/bin/env bash
# API throughput and latency with authentication on: wrk against GET /api/v1/connections (100 connections defined,
# bearer API token) and against /healthz, 30 s each, 32 connections, on loopback. Prints requests/s and p99 for both and
# a last line `p99_ms=<connections list p99>`.
# Usage: bench/api.sh   (needs the .NET 10 SDK, python3, curl and wrk: SLUICE_BENCH_DEPS=1 scripts/install-deps.sh)
# DURATION=10s bench/api.sh shortens the runs; SKIP_BUILD=1 uses the binary already built.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SLUICE="$REPO/src/Sluice.Cli/bin/Release/net10.0/sluice"
DURATION="${DURATION:-30s}"
WORK="$(mktemp -d /tmp/sluice-api-bench-XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
cleanup() { local rc=$?; [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; exit "$rc"; }
trap cleanup EXIT
command -v wrk >/dev/null || { echo "wrk is not installed: SLUICE_BENCH_DEPS=1 scripts/install-deps.sh" >&2; exit 1; }

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building the Sluice CLI (Release)"
  dotnet build -c Release "$REPO/src/Sluice.Cli" -v q -nologo >/dev/null
fi
[ -x "$SLUICE" ] || { echo "sluice binary not found at $SLUICE" >&2; exit 1; }

PASSWORD="bench-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
echo "== starting sluice standalone on $BASE (data in $WORK)"
SLUICE_ADMIN_PASSWORD="$PASSWORD" "$SLUICE" standalone --data-dir "$WORK/data" --port "$PORT" --no-demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done

echo "== signing in as admin and creating an API token through the API"
CSRF="$(curl -fs -c "$WORK/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrfToken"])')"
TOKEN="$(curl -fs -b "$WORK/cookies" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
  -d '{"name":"bench","role":"editor"}' "$BASE/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
AUTH="Authorization: Bearer $TOKEN"

echo "== defining 100 connections"
curl -fs -H "$AUTH" -H 'Content-Type: application/json' -d '{"name":"sample","connector":"sample","config":{}}' "$BASE/api/v1/sources" >/dev/null
curl -fs -H "$AUTH" -H 'Content-Type: application/json' -d "{\"name\":\"out\",\"connector\":\"sqlite\",\"config\":{\"path\":\"$WORK/out.db\"}}" "$BASE/api/v1/destinations" >/dev/null
for i in $(seq -w 1 100); do
  curl -fs -H "$AUTH" -H 'Content-Type: application/json' -d "{\"name\":\"c$i\",\"source\":\"sample\",\"destination\":\"out\",\"status\":\"paused\"}" "$BASE/api/v1/connections" >/dev/null
done
COUNT="$(curl -fs -H "$AUTH" "$BASE/api/v1/connections?limit=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
[ "$COUNT" = "100" ] || { echo "expected 100 connections, found $COUNT" >&2; exit 1; }

echo "single request: list $(curl -fs -o /dev/null -w '%{time_total}' -H "$AUTH" "$BASE/api/v1/connections?limit=100")s, $(curl -fs -w '%{size_download}' -o /dev/null -H "$AUTH" "$BASE/api/v1/connections?limit=100") bytes; connectors $(curl -fs -o /dev/null -w '%{time_total}' -H "$AUTH" "$BASE/api/v1/connectors")s"

# wrk prints latency as e.g. 12.34ms / 850.00us / 1.02s; convert the 99% line to milliseconds.
p99_ms() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' "$1"; }
rps() { awk '/^Requests\/sec/ { print $2 }' "$1"; }
requests() { awk '/requests in/ { print $1 }' "$1"; }

# A figure is only printed when wrk measured what it was asked to: it ran, every response was 2xx, no socket errors,
# and the report has a 99% line. Anything else fails the benchmark loudly instead of printing a number.
run_wrk() {
  local label="$1" out="$2"; shift 2
  echo "== wrk GET $label: $DURATION, 32 connections, 4 threads"
  if ! wrk -t4 -c32 -d"$DURATION" --latency "$@" >"$out" 2>&1; then
    cat "$out" >&2; echo "FAILED: wrk exited non-zero against $label" >&2; exit 2
  fi
  local non2xx errors total
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
  errors="$(grep -E '^ *Socket errors:' "$out" || true)"
  total="$(requests "$out")"
  if [ -n "$non2xx" ] && [ "$non2xx" != 0 ]; then
    cat "$out" >&2; echo "FAILED: $non2xx of $total responses from $label were not 2xx: the p99 would not be of real answers" >&2; exit 2
  fi
  if [ -n "$errors" ]; then
    cat "$out" >&2; echo "FAILED: socket errors against $label ($errors)" >&2; exit 2
  fi
  if [ -z "$total" ] || [ "$total" = 0 ] || [ -z "$(p99_ms "$out")" ]; then
    cat "$out" >&2; echo "FAILED: wrk reported no requests or no 99% latency for $label" >&2; exit 2
  fi
}

# The list is asked for all 100 connections in one page (limit=100), so each request returns every one of them.
run_wrk "/api/v1/connections?limit=100" "$WORK/list.txt" -H "$AUTH" "$BASE/api/v1/connections?limit=100"
run_wrk "/healthz" "$WORK/health.txt" "$BASE/healthz"
# A check that wrk's status counting works at all: a request the server refuses must be counted as non-2xx.
wrk -t1 -c1 -d1s "$BASE/api/v1/connections" >"$WORK/refused.txt" 2>&1 || true
grep -q "Non-2xx or 3xx responses" "$WORK/refused.txt" || { cat "$WORK/refused.txt" >&2; echo "FAILED: wrk did not count 401 answers as non-2xx; the checks above cannot be trusted" >&2; exit 2; }

printf '%-36s %12s %10s %10s\n' "endpoint" "requests/s" "p99 ms" "requests"
printf '%-36s %12s %10s %10s\n' "GET /api/v1/connections?limit=100" "$(rps "$WORK/list.txt")" "$(p99_ms "$WORK/list.txt")" "$(requests "$WORK/list.txt")"
printf '%-36s %12s %10s %10s\n' "GET /healthz" "$(rps "$WORK/health.txt")" "$(p99_ms "$WORK/health.txt")" "$(requests "$WORK/health.txt")"
echo "p99_ms=$(p99_ms "$WORK/list.txt")"
