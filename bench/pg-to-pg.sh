#!/usr/bin/env bash
# PostgreSQL -> PostgreSQL full refresh: Sluice (direct binary COPY transfer) against the psql binary COPY pipe.
# Usage: bench/pg-to-pg.sh [ROWS]   (default 5000000). Needs PostgreSQL 15 binaries, psql, the .NET SDK and GNU time.
set -euo pipefail

ROWS="${1:-5000000}"
ROUNDS=3
PG_EXTRA_OPTS="-c max_wal_size=4GB"
source "$(dirname "$0")/lib-pg.sh"

psql -q -d postgres -c "create database src" -c "create database dst"
TABLE_DDL="$(orders_ddl)"
echo "== generating $ROWS rows"
create_orders src "$ROWS"

MD5_SQL="select count(*) || ' ' || md5(string_agg(md5(t::text), '' order by id)) from (select id, customer_id, created_at, amount, status, note, payload, paid, ref from orders) t"
SOURCE_MD5="$(psql -Atq -d src -c "$MD5_SQL")"

cat > "$WORK/sluice.yaml" <<YAML
sources:
  - name: src
    connector: postgres
    config: {host: 127.0.0.1, port: $PORT, database: src, username: postgres, password: "\${env:PGPASSWORD}", schemas: [public]}
destinations:
  - name: dst
    connector: postgres
    config: {host: 127.0.0.1, port: $PORT, database: dst, username: postgres, password: "\${env:PGPASSWORD}", schema: public}
connections:
  - name: orders
    source: src
    destination: dst
    streams:
      - name: orders
        namespace: public
        sync_mode: full_refresh
        destination_sync_mode: overwrite
YAML
"$SLUICE" apply -f "$WORK/sluice.yaml" --data-dir "$WORK/sluice" >/dev/null

now() { date +%s.%N; }
check() {
  local got; got="$(psql -Atq -d dst -c "$MD5_SQL")"
  [ "$got" = "$SOURCE_MD5" ] || { echo "MISMATCH after $1: source '$SOURCE_MD5', destination '$got'" >&2; exit 1; }
}

PSQL_TIMES=() SLUICE_TIMES=() PEAK_RSS_KB=0
for round in $(seq 1 $ROUNDS); do
  psql -q -d dst -c "drop table if exists orders" -c "$TABLE_DDL"
  t0=$(now)
  psql -q -d src -c "copy orders to stdout (format binary)" | psql -q -d dst -c "copy orders from stdin (format binary)"
  t1=$(now)
  PSQL_TIMES+=("$(echo "$t1 - $t0" | bc)")
  check "psql pipe"

  psql -q -d dst -c "drop table if exists orders" -c "$TABLE_DDL"
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" "$SLUICE" sync orders --data-dir "$WORK/sluice" >"$WORK/sync.log" 2>&1 || { cat "$WORK/sync.log" >&2; exit 1; }
  t1=$(now)
  SLUICE_TIMES+=("$(echo "$t1 - $t0" | bc)")
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")
  [ "$rss" -gt "$PEAK_RSS_KB" ] && PEAK_RSS_KB=$rss
  check "sluice sync"
  echo "round $round: psql pipe ${PSQL_TIMES[-1]}s, sluice ${SLUICE_TIMES[-1]}s"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
PSQL_MED=$(median "${PSQL_TIMES[@]}")
SLUICE_MED=$(median "${SLUICE_TIMES[@]}")
echo "rows=$ROWS"
echo "psql_pipe_median_s=$PSQL_MED ($(echo "$ROWS / $PSQL_MED" | bc) rows/s)"
echo "sluice_median_s=$SLUICE_MED ($(echo "$ROWS / $SLUICE_MED" | bc) rows/s)"
echo "sluice_peak_rss_mb=$((PEAK_RSS_KB / 1024))"
echo "ratio=$(echo "scale=3; $SLUICE_MED / $PSQL_MED" | bc)"
