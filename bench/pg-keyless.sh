#!/usr/bin/env bash
# A full refresh of a PostgreSQL table WITHOUT a primary key (read in ctid ranges since they exist) against an older
# build that read it in one piece: `sluice sync` into Parquet and `sluice connector read` into /dev/null, rounds
# alternating between the two builds, plus `psql copy ... to /dev/null` as the read limit.
# Usage: SLUICE_BEFORE=/path/to/old/sluice bench/pg-keyless.sh [ROWS] (default 2000000; without SLUICE_BEFORE only this
# build is timed). MODE=append (default: the file destination commits a Parquet part at every checkpoint, so a ranged
# read writes one part per range) or MODE=overwrite (one part, checkpoints pass through).
# Needs PostgreSQL 14+ binaries, psql, the .NET SDK and GNU time. SKIP_BUILD=1 as in lib-pg.sh.
set -euo pipefail

ROWS="${1:-2000000}"
ROUNDS="${ROUNDS:-3}"
MODE="${MODE:-append}"
source "$(dirname "$0")/lib-pg.sh"

psql -q -d postgres -c "create database src"
echo "== generating $ROWS rows (no primary key)"
create_orders src "$ROWS" "not null"
echo "table: $(psql -Atq -d src -c "select pg_size_pretty(pg_relation_size('orders')) || ', ' || relpages || ' pages' from pg_class where relname = 'orders'")"

declare -A BUILDS=([after]="$SLUICE")
[ -n "${SLUICE_BEFORE:-}" ] && BUILDS[before]="$SLUICE_BEFORE"
echo "{\"host\": \"127.0.0.1\", \"port\": $PORT, \"database\": \"src\", \"username\": \"postgres\", \"password\": \"$PGPASSWORD\", \"schemas\": [\"public\"]}" > "$WORK/source.json"
for build in "${!BUILDS[@]}"; do
  mkdir -p "$WORK/out-$build"
  cat > "$WORK/sluice-$build.yaml" <<YAML
sources:
  - name: src
    connector: postgres
    config: {host: 127.0.0.1, port: $PORT, database: src, username: postgres, password: "\${env:PGPASSWORD}", schemas: [public]}
destinations:
  - name: lake
    connector: file
    config: {root: "$WORK/out-$build", path: ".", format: parquet, max_file_bytes: 1073741824}
connections:
  - name: orders
    source: src
    destination: lake
    streams:
      - name: orders
        namespace: public
        destination_sync_mode: $MODE
YAML
  "${BUILDS[$build]}" apply -f "$WORK/sluice-$build.yaml" --data-dir "$WORK/sluice-$build" >/dev/null
done

now() { date +%s.%N; }
declare -A SYNC READ
COPY_TIMES=()
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now); psql -q -d src -c "copy orders to stdout (format binary)" > /dev/null; t1=$(now)
  COPY_TIMES+=("$(echo "$t1 - $t0" | bc)")
  line="round $round: copy-out ${COPY_TIMES[-1]}s"
  for build in $(printf '%s\n' "${!BUILDS[@]}" | sort); do
    bin="${BUILDS[$build]}"
    t0=$(now)
    /usr/bin/time -v -o "$WORK/time.txt" "$bin" sync orders --data-dir "$WORK/sluice-$build" >"$WORK/sync.log" 2>&1 || { cat "$WORK/sync.log" >&2; exit 1; }
    t1=$(now)
    committed=$(grep -Eo '[0-9,]+ records' "$WORK/sync.log" | head -1 | tr -d ', records')
    [ "$committed" = "$ROWS" ] || { echo "MISMATCH ($build): sluice committed $committed rows, source has $ROWS" >&2; cat "$WORK/sync.log" >&2; exit 1; }
    cpu=$(awk -F: '/User time|System time/ {s+=$2} END {print s}' "$WORK/time.txt")
    SYNC[$build]+="$(echo "$t1 - $t0" | bc) "
    t0=$(now)
    "$bin" connector read postgres --config "$WORK/source.json" > "$WORK/read.jsonl"
    t1=$(now)
    READ[$build]+="$(echo "$t1 - $t0" | bc) "
    records=$(grep -c '"type":"RECORD"' "$WORK/read.jsonl" || true)
    states=$(grep -c '"type":"STATE"' "$WORK/read.jsonl" || true)
    rm -f "$WORK/read.jsonl"
    line+=", $build: sync $(echo "${SYNC[$build]}" | awk '{print $NF}')s (CPU ${cpu}s), connector read $(echo "${READ[$build]}" | awk '{print $NF}')s ($records records, $states states)"
  done
  echo "$line"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "rows=$ROWS mode=$MODE copy_out_median_s=$(median "${COPY_TIMES[@]}")"
for build in $(printf '%s\n' "${!BUILDS[@]}" | sort); do
  # shellcheck disable=SC2086
  echo "$build: sync_median_s=$(median ${SYNC[$build]}) connector_read_median_s=$(median ${READ[$build]})"
done
