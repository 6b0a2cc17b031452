#!/usr/bin/env bash
# Scheduler failover: 3 `sluice scheduler` processes and a worker on one throwaway PostgreSQL, a DAG scheduled every
# second with a few no-op tasks, and the active scheduler killed with SIGKILL KILLS times (default 10), each time
# restarted as a standby once a successor holds the lease. Prints each takeover time (kill to the lease held by
# another scheduler, read from the store), the runs created twice and the due intervals without a run, and a last
# line `max_takeover_s=<worst takeover>` (target: below 5).
# Usage: bench/failover.sh   (KILLS=10, PAUSE=4 seconds between kills; needs the .NET 10 SDK, python3)
# PRIORITY=1 runs the schedulers and the PostgreSQL server at nice -10 (as deploy/systemd and deploy/compose.yaml give
# them more CPU weight than workers and builds); it needs the right to lower a nice value (root or CAP_SYS_NICE).
set -euo pipefail

KILLS="${KILLS:-10}"
PAUSE="${PAUSE:-4}"
PRIORITY="${PRIORITY:-0}"
source "$(dirname "$0")/lib-pg.sh"
NICE=""
if [ "$PRIORITY" = 1 ]; then
  nice -n -10 true 2>/dev/null || { echo "PRIORITY=1 needs the right to lower a nice value (root or CAP_SYS_NICE)" >&2; exit 1; }
  NICE="-10"
  # The postmaster and the processes it already started; backends forked later inherit its nice value.
  POSTMASTER="$(head -1 "$WORK/data/postmaster.pid")"
  renice -n -10 -p "$POSTMASTER" $(ps -o pid= --ppid "$POSTMASTER") >/dev/null
fi
echo "== load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
WORKER=""
FINAL=""
stop_all() {
  for p in $WORKER $FINAL; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  cleanup
}
trap stop_all EXIT

psql -q -d postgres -c "create database sluice"
export SLUICE_STORE="postgres://postgres:$PGPASSWORD@127.0.0.1:$PORT/sluice"
"$SLUICE" migrate >/dev/null
cat > "$WORK/every-second.yaml" <<'YAML'
name: every_second
schedule: "@every 1s"
catchup: true
max_active_runs: 1000
tasks:
  - id: extract
    type: command
    command: "true"
  - id: load
    type: command
    command: "true"
    depends_on: [extract]
  - id: check
    type: command
    command: "true"
    depends_on: [extract]
YAML
"$SLUICE" dags apply -f "$WORK/every-second.yaml" >/dev/null
"$SLUICE" worker --id w1 --slots 16 > "$WORK/worker.log" 2>&1 & WORKER=$!
echo "== 3 schedulers, one worker; killing the active scheduler $KILLS times"

# The kill loop runs in one python process with one psql session, so polling the lease costs milliseconds.
python3 - "$SLUICE" "$WORK" "$KILLS" "$PAUSE" "$NICE" > "$WORK/takeovers.txt" <<'PY2'
import os, signal, subprocess, sys, time
sluice, work, kills, pause, nice = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
psql = subprocess.Popen(["psql", "-Atq", "-d", "sluice"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
def lease():
    psql.stdin.write("select token || '|' || holder from scheduler_lease where id = 1;\n"); psql.stdin.flush()
    token, holder = psql.stdout.readline().strip().split("|", 1)
    return holder, int(token)
def start(name):
    return subprocess.Popen((["nice", "-n", nice] if nice else []) + [sluice, "scheduler", "--id", name], stdout=open(f"{work}/{name}.log", "a"), stderr=subprocess.STDOUT)
procs = {name: start(name) for name in ("s1", "s2", "s3")}
deadline = time.time() + 120
while lease()[0] not in procs:
    if time.time() > deadline: sys.exit("no scheduler became active within 120 s")
    time.sleep(0.2)
print(f"active: {lease()[0]} (token {lease()[1]})", file=sys.stderr)
time.sleep(pause)
for i in range(1, kills + 1):
    victim, token = lease()
    os.kill(procs[victim].pid, signal.SIGKILL)
    t0 = time.monotonic()
    while True:
        holder, new = lease()
        if holder != victim and new > token: break
        if time.monotonic() - t0 > 60: sys.exit(f"kill {i}: no takeover within 60 s")
        time.sleep(0.02)
    took = time.monotonic() - t0
    print(f"kill {i}: {victim} (token {token}) killed, {holder} took over with token {new} after {took:.2f} s", file=sys.stderr)
    print(f"{took:.3f}")
    procs[victim].wait()
    readies = open(f"{work}/{victim}.log").read().count(f"scheduler {victim} ready")
    procs[victim] = start(victim)
    # Ready before the next kill: on a loaded machine a process start takes 10 s or more, and a kill while both other
    # schedulers are still starting would measure a process start, not a takeover.
    ready_by = time.time() + 120
    while open(f"{work}/{victim}.log").read().count(f"scheduler {victim} ready") <= readies:
        if time.time() > ready_by: sys.exit(f"{victim} did not start again within 120 s")
        time.sleep(0.1)
    time.sleep(pause)
for p in procs.values(): p.terminate()
for p in procs.values(): p.wait()
PY2
TAKEOVERS=($(cat "$WORK/takeovers.txt"))

echo "== letting the runs finish (one scheduler left running)"
"$SLUICE" dags pause every_second >/dev/null
"$SLUICE" scheduler --id s-final > "$WORK/s-final.log" 2>&1 & FINAL=$!
for _ in $(seq 1 480); do
  [ "$(psql -Atq -d sluice -c "select count(*) from dag_runs where state not in ('success', 'failed')")" = 0 ] && break
  sleep 0.5
done
runs_q="from dag_runs where dag = 'every_second' and run_type = 'scheduled'"
RUNS="$(psql -Atq -d sluice -c "select count(*) || ' scheduled runs from ' || to_char(min(logical_date) at time zone 'UTC', 'HH24:MI:SS') || ' to ' || to_char(max(logical_date) at time zone 'UTC', 'HH24:MI:SS') $runs_q")"
STATES="$(psql -Atq -d sluice -c "select string_agg(state || '=' || n, ', ') from (select state, count(*) n from dag_runs group by 1) s")"
DUPLICATES="$(psql -Atq -d sluice -c "select count(*) from (select logical_date $runs_q group by 1 having count(*) > 1) d")"
MISSED="$(psql -Atq -d sluice -c "select count(*) from (select generate_series(min(logical_date), max(logical_date), interval '1 second') $runs_q except select logical_date $runs_q) m")"
echo "runs: $RUNS ($STATES)"
echo "duplicates: $DUPLICATES; missed intervals: $MISSED"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)${NICE:+; schedulers and PostgreSQL at nice $NICE}"
echo "takeovers (s): ${TAKEOVERS[*]}"
echo "max_takeover_s=$(printf '%s\n' "${TAKEOVERS[@]}" | sort -g | tail -1)"
