#!/usr/bin/env bash
# Queue throughput: TASKS no-op tasks through Sluice's PostgreSQL queue with 2 `sluice worker` processes, against
# graphile-worker running TASKS no-op jobs with 2 worker processes of the same concurrency, on the same throwaway
# PostgreSQL. Prints throughput and claim-to-start latency (median, p99) for both, and a last line
# `ratio=<sluice tasks per s / graphile-worker jobs per s>` (above 1 means Sluice is faster).
# The run is ROUNDS rounds (3 by default), each a graphile-worker half and a Sluice half on fresh databases, the order
# alternating (graphile first, then Sluice first, ...): on a shared machine the same half varies by up to 1.5x from one
# minute to the next, so one pair of halves said little. The ratio is of the two medians; each round's own ratio is
# printed too.
# Both no-ops run in the worker's own process: graphile's is a JavaScript function, Sluice's a `type: noop` task
# (it succeeds at once; it still goes through the queue, a claim, the attempt's log and the conditional report).
# Sluice's exactly-once check reads the store: every task succeeded at attempt 1 on its first try, and every
# attempt's log has exactly one start line (a task run twice would have two, or a second attempt).
# TASK_KIND=http makes each task an `http` call to a local endpoint answering 204 (bench/noop-http.mjs, which also
# counts the calls: each must come exactly once); TASK_KIND=command runs `command: "true"` (a process start per task).
# Usage: bench/queue.sh   (TASKS=20000, SLOTS=8 per worker process, ROUNDS=3; needs the .NET 10 SDK, node 20 + npm, python3)
# SKIP_BUILD=1 uses the CLI as built; SLUICE_ONLY=1 skips the graphile halves (no ratio); PROFILE=1 also prints the CPU
# seconds of the workers, the scheduler and PostgreSQL during each Sluice half, and statements per task
# (pg_stat_statements; it costs a little, so leave it off for the figures). TIMELINE=1 prints Sluice's tasks ended per
# second since the first claim. DEPLOYED=0 runs the scheduler and workers with the runtime's defaults instead of the
# settings deploy/ gives them (see below); RUNTIME_ENV="NAME=value ..." runs them with those variables instead.
# SLUICE_TRACE: see below.
set -euo pipefail

TASKS="${TASKS:-20000}"
SLOTS="${SLOTS:-8}"
ROUNDS="${ROUNDS:-3}"
TASK_KIND="${TASK_KIND:-noop}"
source "$(dirname "$0")/lib-pg.sh"
BENCH="$REPO/bench"
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; cleanup; }
trap stop_all EXIT

psql -q -d postgres -c "alter system set max_connections = 300" >/dev/null
PRELOAD=""; [ -n "${PROFILE:-}" ] && PRELOAD="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
as_pg "'$PGBIN/pg_ctl' -D '$WORK/data' -l '$WORK/server.log' -w -m fast restart -o '-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=512MB $PRELOAD ${PG_EXTRA_OPTS:-}'" >/dev/null
url() { echo "postgres://postgres:$PGPASSWORD@127.0.0.1:$PORT/$1"; }

# Both sides report one "claimed_ms<TAB>started_ms" line per task, and the time span of the whole batch.
report() { # name file first_start_ms last_end_ms
  python3 - "$@" <<'PY'
import statistics, sys
name, path, first, last = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
lat = sorted(float(s) - float(c) for c, s in (l.split("\t") for l in open(path) if l.strip()))
n = len(lat)
secs = (last - first) / 1000
print(f"{name}: {n} tasks in {secs:.2f} s = {n / secs:.0f} per s; claim-to-start median {statistics.median(lat):.1f} ms, p99 {lat[int(n * 0.99) - 1]:.1f} ms")
print(f"{n / secs:.3f}", file=open(path + ".rate", "w"))
PY
}

# CPU seconds (user + system) of a process, and of PostgreSQL: the postmaster, its live children and its ended ones.
cpu_of() { awk -v t="$(getconf CLK_TCK)" '{ print ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() {
  local pm; pm="$(head -1 "$WORK/data/postmaster.pid")"
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for c in $(ps -o pid= --ppid "$pm"); do awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || true; done; } |
    awk -v t="$(getconf CLK_TCK)" '{ s += $1 } END { print s / t }'
}

graphile_round() { # round
  local r="$1" db="graphile_$1" w pids=()
  psql -q -d postgres -c "create database $db"
  export DATABASE_URL; DATABASE_URL="$(url "$db")"
  node "$BENCH/graphile/bench.mjs" migrate >/dev/null
  echo "== round $r, graphile-worker: $TASKS no-op jobs, 2 processes x concurrency $SLOTS"
  psql -q -d "$db" -c "select graphile_worker.add_job('noop', json_build_object('i', i)) from generate_series(1, $TASKS) i" >/dev/null
  for w in 1 2; do node "$BENCH/graphile/bench.mjs" work "$SLOTS" "$WORK/gw$r-$w.tsv" & pids+=($!); done
  wait "${pids[@]}"
  grep -hv '^done' "$WORK/gw$r-1.tsv" "$WORK/gw$r-2.tsv" > "$WORK/gw$r.tsv"
  # The smallest start time; awk reads all its input, where `sort | head -1` would end in SIGPIPE under pipefail.
  local first last
  first="$(awk -F'\t' 'NR == 1 || $2 + 0 < m { m = $2 + 0; v = $2 } END { print v }' "$WORK/gw$r.tsv")"
  last="$(grep -h '^done' "$WORK/gw$r-1.tsv" "$WORK/gw$r-2.tsv" | cut -f2 | sort -n | head -1)"
  [ "$(wc -l < "$WORK/gw$r.tsv")" = "$TASKS" ] || { echo "graphile-worker ran $(wc -l < "$WORK/gw$r.tsv") jobs, not $TASKS" >&2; exit 1; }
  report graphile-worker "$WORK/gw$r.tsv" "$first" "$last" | tee "$WORK/gw$r.report"
  psql -q -d postgres -c "drop database $db"
}

sluice_round() { # round
  local r="$1" db="sluice_$1" w noop="" body workers=() sched
  psql -q -d postgres -c "create database $db"
  echo "== round $r, sluice: $TASKS no-op tasks ($TASK_KIND), 2 worker processes x $SLOTS slots"
  export SLUICE_STORE; SLUICE_STORE="$(url "$db")"
  "$SLUICE" migrate >/dev/null
  if [ "$TASK_KIND" = http ]; then
    node "$BENCH/noop-http.mjs" "$WORK/hits$r.tsv" > "$WORK/noop$r.port" & noop=$!; PIDS+=($noop)
    for _ in $(seq 1 100); do [ -s "$WORK/noop$r.port" ] && break; sleep 0.1; done
    body="type: http\n    url: \"http://127.0.0.1:$(cat "$WORK/noop$r.port")/{{ task_id }}\"\n    expected_status: [204]"
  elif [ "$TASK_KIND" = command ]; then
    body='type: command\n    command: "true"'
  else
    body='type: noop'
  fi
  python3 - "$WORK/wide.yaml" "$TASKS" "$body" <<'PY'
import sys
path, n, body = sys.argv[1], int(sys.argv[2]), sys.argv[3].replace("\\n", "\n")
with open(path, "w") as f:
    f.write(f"name: queue_bench\nmax_active_tasks: {n}\ntasks:\n")
    for i in range(n):
        f.write(f"  - id: t{i:05}\n    {body}\n")
PY
  "$SLUICE" dags apply -f "$WORK/wide.yaml" >/dev/null
  # The default pool would hold the queue to 128 at a time: the benchmark wants all of it queued at once, as graphile's.
  psql -q -d "$db" -c "update pools set slots = $TASKS where name = 'default'"
  $DEPLOYED_ENV "$SLUICE" scheduler --id "bench-scheduler-$r" > "$WORK/scheduler$r.log" 2>&1 & sched=$!; PIDS+=($sched)
  local queue_from queued
  queue_from="$(date +%s.%N)"
  "$SLUICE" dags trigger queue_bench >/dev/null
  for _ in $(seq 1 1200); do
    [ "$(psql -Atq -d "$db" -c "select count(*) from task_instances where state = 'queued'")" = "$TASKS" ] && break
    sleep 0.25
  done
  queued="$(psql -Atq -d "$db" -c "select count(*) from task_instances where state = 'queued'")"
  [ "$queued" = "$TASKS" ] || { echo "sluice: the scheduler queued only $queued of $TASKS tasks in 5 minutes" >&2; tail -20 "$WORK/scheduler$r.log" >&2; exit 1; }
  echo "sluice: the scheduler queued all $TASKS tasks $(python3 -c "import time; print(f'{time.time() - $queue_from:.1f}')") s after the trigger"
  local cpu0=""
  if [ -n "${PROFILE:-}" ]; then
    psql -q -d "$db" -c "create extension if not exists pg_stat_statements" -c "select pg_stat_statements_reset()" >/dev/null
    cpu0="$(cpu_of "$sched") $(pg_cpu)"
  fi
  for w in 1 2; do
    # SLUICE_TRACE=file.nettrace samples worker 1's CPU for its first 20 s with dotnet-trace (its figures then include the tracer).
    local trace=(); [ "$w" = 1 ] && [ -n "${SLUICE_TRACE:-}" ] && trace=(dotnet-trace collect --profile dotnet-sampled-thread-time --duration 00:00:00:20 -o "$SLUICE_TRACE.$r" --)
    $DEPLOYED_ENV "${trace[@]}" "$SLUICE" worker --id "bench-worker-$w" --slots "$SLOTS" > "$WORK/worker$r-$w.log" 2>&1 & workers+=($!); PIDS+=($!)
  done
  for _ in $(seq 1 3600); do
    [ "$(psql -Atq -d "$db" -c "select count(*) from task_instances where state in ('success', 'failed')")" = "$TASKS" ] && break
    sleep 0.5
  done
  if [ -n "${PROFILE:-}" ]; then
    local s0 p0; read -r s0 p0 <<< "$cpu0"
    echo "sluice CPU s during the Sluice half (from worker start to the last end, poll included): worker 1 $(cpu_of "${workers[0]}"), worker 2 $(cpu_of "${workers[1]}"),"\
      "scheduler $(python3 -c "print(round($(cpu_of "$sched") - $s0, 2))"), postgres $(python3 -c "print(round($(pg_cpu) - $p0, 2))")"
    echo "statements (pg_stat_statements, this database, most called first; calls per task):"
    psql -Atq -F ' | ' -d "$db" -c "
      select round(calls::numeric / $TASKS, 3), calls, round(total_exec_time::numeric, 0) || ' ms', left(regexp_replace(query, '\s+', ' ', 'g'), 150)
      from pg_stat_statements where dbid = (select oid from pg_database where datname = '$db') order by calls desc limit 25"
  fi
  kill -TERM "${workers[@]}" "$sched" 2>/dev/null || true
  wait "${workers[@]}" "$sched" 2>/dev/null || true
  local failed once
  failed="$(psql -Atq -d "$db" -c "select count(*) from task_instances where state <> 'success'")"
  [ "$failed" = 0 ] || { echo "sluice: $failed tasks did not succeed" >&2; tail -20 "$WORK/worker$r-1.log" >&2; exit 1; }
  # Claim: the claim statement stamps started_at; start: the attempt's first log line, written just before the executor runs.
  psql -Atq -F $'\t' -d "$db" -c "
    select (extract(epoch from t.started_at) * 1000)::bigint,
           (extract(epoch from to_timestamp(left(l.text, 23), 'YYYY-MM-DD HH24:MI:SS.MS')::timestamp at time zone 'UTC') * 1000)::bigint
    from task_instances t join task_logs l on l.task_instance_id = t.id and l.attempt = t.attempt" > "$WORK/sl$r.tsv"
  # Exactly once, from the store: one attempt, one try, one start line in its log, for every task.
  once="$(psql -Atq -d "$db" -c "
    select count(*) from task_instances t join task_logs l on l.task_instance_id = t.id
    where t.state = 'success' and t.attempt = 1 and t.try_number = 1 and l.attempt = 1
      and (length(l.text) - length(replace(l.text, ' sys attempt ', ''))) / length(' sys attempt ') = 1")"
  if [ "$once" != "$TASKS" ]; then
    echo "sluice: only $once of $TASKS tasks show exactly one execution in the store; the others (row, then log):" >&2
    psql -q -d "$db" -c "
      select t.id, t.task_id, t.state, t.attempt, t.try_number, t.worker_id, t.started_at, t.ended_at, l.attempt as log_attempt, l.text
      from task_instances t left join task_logs l on l.task_instance_id = t.id
      where not (t.state = 'success' and t.attempt = 1 and t.try_number = 1 and coalesce(l.attempt, 0) = 1
        and (length(l.text) - length(replace(l.text, ' sys attempt ', ''))) / length(' sys attempt ') = 1)
      limit 20" >&2
    for f in "$WORK/worker$r-1.log" "$WORK/worker$r-2.log" "$WORK/scheduler$r.log"; do echo "-- $(basename "$f") (last 30 lines)" >&2; tail -30 "$f" >&2; done
    exit 1
  fi
  echo "sluice: the store shows every one of the $TASKS tasks ran exactly once (one attempt, one try, one start in its log)"
  if [ -n "$noop" ]; then
    kill -TERM "$noop"; wait "$noop" 2>/dev/null || true
    awk -v n="$TASKS" '$2 != 1 { bad++ } END { if (NR != n || bad) { printf "sluice: %d tasks called the endpoint, %d of them not exactly once\n", NR, bad > "/dev/stderr"; exit 1 } }' "$WORK/hits$r.tsv"
    echo "sluice: every one of the $TASKS tasks called the no-op endpoint exactly once"
  fi
  if [ -n "${TIMELINE:-}" ]; then
    echo "tasks ended per second since the first claim (TIMELINE=1):"
    psql -Atq -d "$db" -c "
      with s as (select min(started_at) t0 from task_instances)
      select string_agg(n::text, ' ' order by sec) from (
        select floor(extract(epoch from ended_at - s.t0))::int sec, count(*) n from task_instances, s group by 1) x"
  fi
  local span
  span="$(psql -Atq -F $'\t' -d "$db" -c "select (extract(epoch from min(started_at)) * 1000)::bigint, (extract(epoch from max(ended_at)) * 1000)::bigint from task_instances")"
  # shellcheck disable=SC2086 # the span is two numbers
  report sluice "$WORK/sl$r.tsv" $span | tee "$WORK/sl$r.report"
  echo "executions per worker: $(psql -Atq -d "$db" -c "select string_agg(worker_id || ' ' || n, ', ') from (select worker_id, count(*) n from task_instances group by 1 order by 1) w")"
  psql -q -d postgres -c "drop database $db"
}

if [ -z "${SLUICE_ONLY:-}" ]; then
  echo "== graphile-worker: installing into bench/graphile/node_modules"
  (cd "$BENCH/graphile" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The scheduler and the workers run as deploy/ runs them (see docs/deploy.md): ReadyToRun code without tier-1
# recompiling (DOTNET_TieredCompilation=0). DEPLOYED=0 leaves the runtime's defaults.
DEPLOYED_ENV="env DOTNET_TieredCompilation=0"
[ "${DEPLOYED:-1}" = 0 ] && DEPLOYED_ENV="env"
# RUNTIME_ENV="NAME=value ..." replaces both (to compare runtime settings).
[ -n "${RUNTIME_ENV:-}" ] && DEPLOYED_ENV="env $RUNTIME_ENV"

for r in $(seq 1 "$ROUNDS"); do
  if [ -n "${SLUICE_ONLY:-}" ]; then
    sluice_round "$r"
  elif [ $((r % 2)) = 1 ]; then
    graphile_round "$r"; sluice_round "$r"
  else
    sluice_round "$r"; graphile_round "$r"
  fi
done

[ -n "${SLUICE_ONLY:-}" ] && exit 0
echo
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r: $(cat "$WORK/gw$r.report")"
  echo "round $r: $(cat "$WORK/sl$r.report")"
  echo "round $r: ratio $(python3 -c "print(f'{float(open(\"$WORK/sl$r.tsv.rate\").read()) / float(open(\"$WORK/gw$r.tsv.rate\").read()):.3f}')")"
done
python3 - "$WORK" "$ROUNDS" <<'PY'
import statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
gw = [float(open(f"{work}/gw{r}.tsv.rate").read()) for r in range(1, rounds + 1)]
sl = [float(open(f"{work}/sl{r}.tsv.rate").read()) for r in range(1, rounds + 1)]
print(f"median of {rounds} rounds: graphile-worker {statistics.median(gw):.0f} jobs/s, sluice {statistics.median(sl):.0f} tasks/s")
print(f"ratio={statistics.median(sl) / statistics.median(gw):.3f}")
PY
