#!/usr/bin/env bash
# PostgreSQL -> Parquet file: a Sluice sync against `psql -c "copy orders to stdout (format binary)" > /dev/null`,
# the read limit of the source (no encoding, nothing written). Usage: bench/pg-to-parquet.sh [ROWS] (default 5000000).
set -euo pipefail

ROWS="${1:-5000000}"
ROUNDS="${ROUNDS:-3}"
source "$(dirname "$0")/lib-pg.sh"

psql -q -d postgres -c "create database src"
echo "== generating $ROWS rows"
create_orders src "$ROWS"

mkdir -p "$WORK/out"
cat > "$WORK/sluice.yaml" <<YAML
sources:
  - name: src
    connector: postgres
    config: {host: 127.0.0.1, port: $PORT, database: src, username: postgres, password: "\${env:PGPASSWORD}", schemas: [public]}
destinations:
  - name: lake
    connector: file
    config: {root: "$WORK/out", path: ".", format: parquet, max_file_bytes: 1073741824}
connections:
  - name: orders
    source: src
    destination: lake
    streams:
      - name: orders
        namespace: public
        destination_sync_mode: overwrite
YAML
"$SLUICE" apply -f "$WORK/sluice.yaml" --data-dir "$WORK/sluice" >/dev/null

now() { date +%s.%N; }
COPY_TIMES=() SLUICE_TIMES=() PEAK_RSS_KB=0
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now); psql -q -d src -c "copy orders to stdout (format binary)" > /dev/null; t1=$(now)
  COPY_TIMES+=("$(echo "$t1 - $t0" | bc)")
  t0=$(now)
  /usr/bin/time -v -o "$WORK/time.txt" "$SLUICE" sync orders --data-dir "$WORK/sluice" >"$WORK/sync.log" 2>&1 || { cat "$WORK/sync.log" >&2; exit 1; }
  t1=$(now)
  SLUICE_TIMES+=("$(echo "$t1 - $t0" | bc)")
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")
  [ "$rss" -gt "$PEAK_RSS_KB" ] && PEAK_RSS_KB=$rss
  grep -q "$(printf "%'d" "$ROWS" 2>/dev/null || echo "$ROWS") records" "$WORK/sync.log" || grep -q "succeeded" "$WORK/sync.log" || { cat "$WORK/sync.log" >&2; exit 1; }
  cpu=$(awk -F: '/User time|System time/ {s+=$2} END {print s}' "$WORK/time.txt")
  echo "round $round: copy-out ${COPY_TIMES[-1]}s, sluice ${SLUICE_TIMES[-1]}s (sluice CPU ${cpu}s, rss $((rss / 1024)) MB, load $(cut -d' ' -f1 /proc/loadavg))"
done

# The Parquet parts must hold every row: count them with DuckDB through Sluice's own duckdb-free path is not
# available here, so the check reads the row count Sluice committed and the files' total size.
parts=$(find "$WORK/out" -name '*.parquet' | wc -l)
bytes=$(find "$WORK/out" -name '*.parquet' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
committed=$(grep -Eo '[0-9,]+ records' "$WORK/sync.log" | head -1 | tr -d ', records')
[ "$committed" = "$ROWS" ] || { echo "MISMATCH: sluice committed $committed rows, source has $ROWS" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
COPY_MED=$(median "${COPY_TIMES[@]}")
SLUICE_MED=$(median "${SLUICE_TIMES[@]}")
echo "rows=$ROWS parquet_parts=$parts parquet_mb=$((bytes / 1048576))"
echo "copy_out_median_s=$COPY_MED ($(echo "$ROWS / $COPY_MED" | bc) rows/s)"
echo "sluice_median_s=$SLUICE_MED ($(echo "$ROWS / $SLUICE_MED" | bc) rows/s)"
echo "sluice_peak_rss_mb=$((PEAK_RSS_KB / 1024))"
echo "ratio=$(echo "scale=3; $SLUICE_MED / $COPY_MED" | bc)"
