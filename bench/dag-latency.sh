#!/usr/bin/env bash
# Scheduling latency in standalone mode: a chain of 100 no-op command tasks (`true`) and a DAG of 1000 independent
# ones. Prints the median gap between a task's end and its successor's start, the wall time of the 1000, and a last
# line `gap_ms=<median gap>` (target: below 50).
# Usage: bench/dag-latency.sh   (needs the .NET 10 SDK and python3; SLUICE_WORKER_SLOTS sets the worker's slots)
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SLUICE="$REPO/src/Sluice.Cli/bin/Release/net10.0/sluice"
WORK="$(mktemp -d /tmp/sluice-dag-bench-XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== building the Sluice CLI (Release)"
dotnet build -c Release "$REPO/src/Sluice.Cli" -v q -nologo >/dev/null
[ -x "$SLUICE" ] || { echo "sluice binary not found at $SLUICE" >&2; exit 1; }

python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
with open(f"{work}/chain.yaml", "w") as f:
    f.write("name: chain100\nmax_active_tasks: 4\ntasks:\n")
    for i in range(1, 101):
        f.write(f"  - id: t{i:03}\n    type: command\n    command: \"true\"\n")
        if i > 1:
            f.write(f"    depends_on: [t{i-1:03}]\n")
with open(f"{work}/wide.yaml", "w") as f:
    f.write("name: wide1000\nmax_active_tasks: 1000\ntasks:\n")
    for i in range(1, 1001):
        f.write(f"  - id: t{i:04}\n    type: command\n    command: \"true\"\n")
PY

echo "== starting sluice standalone on 127.0.0.1:$PORT (data in $WORK)"
"$SLUICE" standalone --data-dir "$WORK/data" --port "$PORT" --no-demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done

"$SLUICE" --data-dir "$WORK/data" dags apply -f "$WORK/chain.yaml"
"$SLUICE" --data-dir "$WORK/data" dags apply -f "$WORK/wide.yaml"

# Waits for the latest run of a DAG to finish and prints its id.
wait_run() {
  python3 - "$WORK/data/sluice.db" "$1" <<'PY'
import sqlite3, sys, time
db, dag = sys.argv[1], sys.argv[2]
deadline = time.time() + 600
while time.time() < deadline:
    con = sqlite3.connect(db, timeout=30)
    row = con.execute("select id, state from dag_runs where dag = ? order by id desc limit 1", (dag,)).fetchone()
    con.close()
    if row and row[1] in ("success", "failed"):
        print(row[0]); sys.exit(0 if row[1] == "success" else 1)
    time.sleep(0.2)
sys.exit("timed out waiting for " + dag)
PY
}

echo "== chain of 100"
"$SLUICE" --data-dir "$WORK/data" dags trigger chain100 >/dev/null
CHAIN_RUN="$(wait_run chain100)"
echo "== 1000 independent"
"$SLUICE" --data-dir "$WORK/data" dags trigger wide1000 >/dev/null
WIDE_RUN="$(wait_run wide1000)"

python3 - "$WORK/data/sluice.db" "$CHAIN_RUN" "$WIDE_RUN" <<'PY'
import sqlite3, statistics, sys
from datetime import datetime
db, chain, wide = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = datetime.fromisoformat
con = sqlite3.connect(db)
rows = con.execute("select task_id, started_at, ended_at from task_instances where run_id = ? order by task_id", (chain,)).fetchall()
gaps = [(t(rows[i][1]) - t(rows[i - 1][2])).total_seconds() * 1000 for i in range(1, len(rows))]
wide_rows = con.execute("select min(started_at), max(ended_at), count(*) from task_instances where run_id = ? and state = 'success'", (wide,)).fetchone()
run = con.execute("select created_at from dag_runs where id = ?", (wide,)).fetchone()
wall = (t(wide_rows[1]) - t(run[0])).total_seconds()
print(f"chain of 100: median gap {statistics.median(gaps):.1f} ms, p90 {sorted(gaps)[int(len(gaps) * 0.9)]:.1f} ms, max {max(gaps):.1f} ms")
print(f"1000 independent: {wide_rows[2]} succeeded, wall time {wall:.2f} s from trigger to last end ({wide_rows[2] / wall:.0f} tasks/s)")
print(f"gap_ms={statistics.median(gaps):.1f}")
PY
