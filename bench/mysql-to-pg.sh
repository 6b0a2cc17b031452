#!/usr/bin/env bash
# MariaDB -> PostgreSQL full refresh of one orders table: a Sluice sync (mysql source, postgres destination)
# against pgloader. Both results are checked equal to the source (row count and an md5 over canonical row text).
# Usage: bench/mysql-to-pg.sh [ROWS]   (default 5000000). ROUNDS=n repeats each tool and takes medians (default 1).
#   BENCH_LOG_DIR (default /tmp/sluice-bench-mysql-logs) keeps pgloader's and Sluice's logs after the temp dir is gone;
#   SLUICE_TRACE=/path/x.nettrace records a dotnet-trace CPU sample of the Sluice sync; SKIP_BUILD=1 uses the built binary;
#   SLUICE_B=/other/checkout/sluice also times that binary on the same data after each Sluice run (an A/B).
# Needs: mariadb-server (mariadbd, mariadb-install-db, mariadb), PostgreSQL 15 binaries and psql, pgloader, the .NET SDK.
#   SLUICE_BENCH_DEPS=1 scripts/install-deps.sh installs them.
set -euo pipefail

ROWS="${1:-5000000}"
ROUNDS="${ROUNDS:-1}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
SLUICE="$REPO/src/Sluice.Cli/bin/Release/net10.0/sluice"
WORK="$(mktemp -d /tmp/sluice-bench-mysql-XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PGPORT="$(free_port)"
MYPORT="$(free_port)"
export BENCH_PASSWORD="bench$$"
export PGPASSWORD="$BENCH_PASSWORD" PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGTZ=UTC PGOPTIONS="-c client_min_messages=warning"

for tool in "$MARIADBD" mariadb-install-db mariadb pgloader "$PGBIN/initdb" psql dotnet python3 bc; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run SLUICE_BENCH_DEPS=1 scripts/install-deps.sh" >&2; exit 1; }
done

as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
maria() { mariadb --protocol=TCP -h 127.0.0.1 -P "$MYPORT" -uroot -p"$BENCH_PASSWORD" "$@"; }
MARIA_PID=""
# Logs that explain a failure outlive the temp dir (it is deleted on exit): pgloader's and Sluice's go here.
KEEP="${BENCH_LOG_DIR:-/tmp/sluice-bench-mysql-logs}"
mkdir -p "$KEEP"
cleanup() {
  for f in pgloader.log pgloader-summary.txt sync.log sync-b.log maria/error.log pg/server.log; do
    [ -f "$WORK/$f" ] && cp "$WORK/$f" "$KEEP/$(echo "$f" | tr / -)" 2>/dev/null || true
  done
  as_pg "'$PGBIN/pg_ctl' -D '$WORK/pg' -m immediate stop" >/dev/null 2>&1 || true
  [ -n "$MARIA_PID" ] && kill "$MARIA_PID" 2>/dev/null && wait "$MARIA_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building the Sluice CLI (Release)"
# SKIP_BUILD=1 uses the binary already built (e.g. while another build of the same tree runs).
[ -n "${SKIP_BUILD:-}" ] || dotnet build -c Release "$REPO/src/Sluice.Cli" -v q -nologo >"$WORK/build.log" 2>&1 || { grep -E "error|rror:" "$WORK/build.log" | sort -u | head -20 >&2; exit 1; }
[ -x "$SLUICE" ] || { echo "sluice binary not found at $SLUICE" >&2; exit 1; }

echo "== starting a throwaway MariaDB on 127.0.0.1:$MYPORT"
chmod 755 "$WORK"
mkdir -p "$WORK/maria"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then chown -R mysql:mysql "$WORK/maria"; RUN_AS=(--user=mysql); fi
mariadb-install-db --no-defaults --datadir="$WORK/maria/data" --auth-root-authentication-method=normal --skip-test-db \
  --skip-name-resolve "${RUN_AS[@]}" >"$WORK/maria-install.log" 2>&1 || { cat "$WORK/maria-install.log" >&2; exit 1; }
# No binary log (nothing here needs CDC) and no durability: both tools read the same source.
"$MARIADBD" --no-defaults "${RUN_AS[@]}" --datadir="$WORK/maria/data" --socket="$WORK/maria/sock" --pid-file="$WORK/maria/pid" \
  --log-error="$WORK/maria/error.log" --port="$MYPORT" --bind-address=127.0.0.1 --skip-name-resolve --skip-log-bin \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=2G --innodb-log-file-size=512M \
  --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0 --innodb-flush-method=nosync --performance-schema=0 2>"$WORK/maria-stderr.log" &
MARIA_PID=$!
for _ in $(seq 1 120); do
  mariadb --socket="$WORK/maria/sock" -uroot -e "select 1" >/dev/null 2>&1 && break
  kill -0 "$MARIA_PID" 2>/dev/null || { echo "mariadbd exited:" >&2; tail -30 "$WORK/maria/error.log" >&2; exit 1; }
  sleep 0.5
done
mariadb --socket="$WORK/maria/sock" -uroot -e "create user if not exists 'root'@'127.0.0.1'; alter user 'root'@'127.0.0.1' identified by '$BENCH_PASSWORD'; grant all on *.* to 'root'@'127.0.0.1' with grant option; create database bench character set utf8mb4"

echo "== starting a throwaway PostgreSQL on 127.0.0.1:$PGPORT"
mkdir -p "$WORK/pgroot" "$WORK/pg" && chmod 700 "$WORK/pg" && echo "$PGPASSWORD" > "$WORK/pgroot/pw"
[ "$(id -u)" = 0 ] && chown -R postgres "$WORK/pgroot" "$WORK/pg"
as_pg "'$PGBIN/initdb' -D '$WORK/pg' -U postgres --pwfile '$WORK/pgroot/pw' -A scram-sha-256 -E UTF8 --locale C.UTF-8 --no-sync" >/dev/null
as_pg "'$PGBIN/pg_ctl' -D '$WORK/pg' -l '$WORK/pg/server.log' -w -o '-p $PGPORT -k $WORK/pgroot -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=4GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off' start" >/dev/null
psql -q -d postgres -c "create database pgl" -c "create database slc"

echo "== generating $ROWS rows in MariaDB"
maria bench -e "create table orders (id bigint primary key, customer_id int not null, created_at timestamp(6) not null, amount decimal(12,2),
  status text, note text, payload json, paid boolean, ref char(36))"
# The PostgreSQL generator of bench/pg-to-pg.sh, term for term, over the SEQUENCE engine's seq_A_to_B tables, a million rows a statement.
for ((lo = 1; lo <= ROWS; lo += 1000000)); do
  hi=$((lo + 999999 < ROWS ? lo + 999999 : ROWS))
  maria bench -e "insert into orders select seq, (seq * 7919) % 100000, now(6) - interval seq second, (seq % 100000) / 100.0,
    elt(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'), concat(md5(seq), md5(seq + 1)),
    json_object('k', seq, 'tags', json_array('a', 'b')), seq % 3 = 0,
    concat_ws('-', substr(md5(seq), 1, 8), substr(md5(seq), 9, 4), substr(md5(seq), 13, 4), substr(md5(seq), 17, 4), substr(md5(seq), 21, 12))
    from seq_${lo}_to_${hi}"
done
maria bench -e "analyze table orders" >/dev/null

# Canonical row text, ordered by id, hashed as one stream; JSON goes through jsonb on the PostgreSQL side, where
# pgloader leaves MariaDB's JSON (a LONGTEXT) as text and Sluice makes it jsonb.
source_sum() {
  { maria -N -B bench -e "set time_zone = '+00:00'; select count(*) from orders" | tr -d '\n'; echo -n ' '
    maria -N -B --quick bench -e "set time_zone = '+00:00'; select concat_ws('|', id, customer_id, date_format(created_at, '%Y-%m-%d %H:%i:%s.%f'),
      amount, status, note, payload, if(paid, 't', 'f'), ref) from orders order by id" | md5sum | cut -d' ' -f1; }
}
target_sum() {
  local db=$1 schema; schema="$(psql -Atq -d "$db" -c "select table_schema from information_schema.tables where table_name = 'orders' limit 1")"
  [ -n "$schema" ] || { echo "no orders table in $db"; return; }
  { psql -Atq -d "$db" -c "select count(*) from \"$schema\".orders" | tr -d '\n'; echo -n ' '
    psql -Atq -d "$db" -c "select concat_ws('|', id, customer_id, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.US'), amount, status, note,
      payload::jsonb::text, case when paid::text in ('true', '1') then 't' else 'f' end, ref) from \"$schema\".orders order by id" | md5sum | cut -d' ' -f1; }
}
SOURCE_SUM="$(source_sum)"
echo "source: $SOURCE_SUM"
check() {
  local got; got="$(target_sum "$1")"
  [ "$got" = "$SOURCE_SUM" ] || { echo "MISMATCH after $2: source '$SOURCE_SUM', destination '$got'" >&2; exit 1; }
}

cat > "$WORK/orders.load" <<LOAD
LOAD DATABASE
  FROM mysql://root:$BENCH_PASSWORD@127.0.0.1:$MYPORT/bench
  INTO postgresql://postgres:$BENCH_PASSWORD@127.0.0.1:$PGPORT/pgl
WITH include drop, create tables, create indexes, reset sequences, batch rows = 25000
ALTER SCHEMA 'bench' RENAME TO 'public';
LOAD

cat > "$WORK/sluice.yaml" <<YAML
sources:
  - name: maria
    connector: mysql
    config: {host: 127.0.0.1, port: $MYPORT, database: bench, username: root, password: "\${env:BENCH_PASSWORD}", ssl_mode: disabled}
destinations:
  - name: pg
    connector: postgres
    config: {host: 127.0.0.1, port: $PGPORT, database: slc, username: postgres, password: "\${env:BENCH_PASSWORD}", schema: public}
connections:
  - name: orders
    source: maria
    destination: pg
    streams:
      - name: orders
        namespace: bench
        sync_mode: full_refresh
        destination_sync_mode: overwrite
YAML
"$SLUICE" apply -f "$WORK/sluice.yaml" --data-dir "$WORK/sluice" >/dev/null

now() { date +%s.%N; }
# CPU seconds (user+sys) used so far by MariaDB (all its threads) and by PostgreSQL (the postmaster with its ended and
# live backends), printed as "maria pg": the difference around a run is what the databases spent on that tool.
db_cpu() {
  python3 - "$MARIA_PID" "$(head -1 "$WORK/pg/postmaster.pid")" <<'PY'
import os, sys
tck = os.sysconf("SC_CLK_TCK")
def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()
maria, pm = sys.argv[1], sys.argv[2]
m = stat(maria); p = stat(pm)
pg = sum(int(x) for x in p[11:15])
for d in os.listdir("/proc"):
    if d.isdigit():
        try:
            s = stat(d)
        except OSError:
            continue
        if s[1] == pm:
            pg += int(s[11]) + int(s[12])
print(f"{(int(m[11]) + int(m[12])) / tck:.2f} {pg / tck:.2f}")
PY
}
db_delta() { python3 -c "import sys; a=sys.argv[1].split(); b=sys.argv[2].split(); print(f'mariadb CPU {float(b[0])-float(a[0]):.1f} s, postgres CPU {float(b[1])-float(a[1]):.1f} s')" "$1" "$2"; }
# CPU seconds of each tool's own process (not the databases'): on a shared machine these move far less than wall time.
TIMEFORMAT='%U+%S'

PGLOADER_TIMES=() SLUICE_TIMES=() SLUICE_B_TIMES=()
echo "load average before the timed runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  psql -q -d pgl -c "drop table if exists public.orders"
  t0=$(now)
  # --dynamic-space-size is SBCL's runtime option (4 GB heap instead of the 1 GB default); the root dir is our own, not
  # the shared /tmp/pgloader. pgloader exits 0 after many errors (a failed table is only logged), so the result is
  # checked before it is timed.
  rc=0
  db0="$(db_cpu)"
  { time pgloader --dynamic-space-size 4096 --root-dir "$WORK/pgloader-root" --logfile "$WORK/pgloader.log" \
    --summary "$WORK/pgloader-summary.txt" "$WORK/orders.load" >"$WORK/pgloader.out" 2>&1; } 2>"$WORK/pgloader.cpu" || rc=$?
  t1=$(now)
  PGLOADER_DB="$(db_delta "$db0" "$(db_cpu)")"
  cat "$WORK/pgloader.out" >>"$WORK/pgloader.log"
  pgl_rows="$(psql -Atq -d pgl -c "select count(*) from public.orders" 2>/dev/null || echo "no table")"
  if [ "$rc" != 0 ] || [ "$pgl_rows" != "$ROWS" ]; then
    echo "pgloader FAILED (exit $rc, public.orders rows: $pgl_rows, expected $ROWS); log kept in $KEEP/pgloader.log, tail:" >&2
    grep -E "Heap exhausted|KABOOM|FATAL|ERROR" "$WORK/pgloader.log" | head -20 >&2 || true
    tail -40 "$WORK/pgloader.log" >&2
    exit 1
  fi
  PGLOADER_TIMES+=("$(echo "$t1 - $t0" | bc)")
  check pgl "pgloader"

  psql -q -d slc -c "drop table if exists public.orders"
  t0=$(now)
  # SLUICE_TRACE=file.nettrace samples Sluice's CPU with dotnet-trace (the timing then includes the tracer's cost).
  TRACE=()
  [ -n "${SLUICE_TRACE:-}" ] && TRACE=(dotnet-trace collect --profile dotnet-sampled-thread-time -o "$SLUICE_TRACE" --)
  db0="$(db_cpu)"
  { time "${TRACE[@]}" "$SLUICE" sync orders --data-dir "$WORK/sluice" >"$WORK/sync.log" 2>&1; } 2>"$WORK/sluice.cpu" || { tail -40 "$WORK/sync.log" >&2; exit 1; }
  t1=$(now)
  SLUICE_DB="$(db_delta "$db0" "$(db_cpu)")"
  SLUICE_TIMES+=("$(echo "$t1 - $t0" | bc)")
  check slc "sluice sync"
  if [ -n "${SLUICE_B:-}" ]; then
    # A second Sluice build (another checkout's binary) on the same data, right after: an A/B of Sluice alone.
    psql -q -d slc -c "drop table if exists public.orders"
    t0=$(now)
    db0="$(db_cpu)"
    { time "$SLUICE_B" sync orders --data-dir "$WORK/sluice" >"$WORK/sync-b.log" 2>&1; } 2>"$WORK/sluice-b.cpu" || { tail -40 "$WORK/sync-b.log" >&2; exit 1; }
    t1=$(now)
    SLUICE_B_DB="$(db_delta "$db0" "$(db_cpu)")"
    SLUICE_B_TIMES+=("$(echo "$t1 - $t0" | bc)")
    check slc "sluice sync (SLUICE_B)"
    echo "round $round: SLUICE_B $SLUICE_B ${SLUICE_B_TIMES[-1]}s (CPU $(bc <<<"$(cat "$WORK/sluice-b.cpu")") s; $SLUICE_B_DB)"
  fi
  echo "round $round: pgloader ${PGLOADER_TIMES[-1]}s (CPU $(bc <<<"$(cat "$WORK/pgloader.cpu")") s; $PGLOADER_DB), sluice ${SLUICE_TIMES[-1]}s (CPU $(bc <<<"$(cat "$WORK/sluice.cpu")") s; $SLUICE_DB) (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
PGLOADER_MED=$(median "${PGLOADER_TIMES[@]}")
SLUICE_MED=$(median "${SLUICE_TIMES[@]}")
echo "rows=$ROWS"
echo "pgloader_median_s=$PGLOADER_MED ($(echo "$ROWS / $PGLOADER_MED" | bc) rows/s)"
echo "sluice_median_s=$SLUICE_MED ($(echo "$ROWS / $SLUICE_MED" | bc) rows/s)"
echo "ratio=$(echo "scale=3; $SLUICE_MED / $PGLOADER_MED" | bc)"
