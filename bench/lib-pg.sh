# Sourced by the PostgreSQL benchmarks: builds the Sluice CLI (Release) and starts a throwaway PostgreSQL on a free
# loopback port, removed on exit. Sets REPO, PGBIN, SLUICE, WORK, PORT and the PG* variables psql uses.
# Extra server settings: PG_EXTRA_OPTS. SKIP_BUILD=1 uses the CLI as last built (e.g. built beforehand under a lock).

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
SLUICE="$REPO/src/Sluice.Cli/bin/Release/net10.0/sluice"
WORK="$(mktemp -d /tmp/sluice-bench-XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export PGPASSWORD="bench-$$"
export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres

as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
# The foundation issue's orders table: orders_ddl [ID_CONSTRAINT] ("primary key" by default, "not null" for a keyless
# copy); create_orders DB ROWS [ID_CONSTRAINT] creates it in DB with ROWS generated rows and analyzes it.
orders_ddl() { echo "create table orders(id bigint ${1:-primary key}, customer_id int not null, created_at timestamptz not null, amount numeric(12,2), status text, note text, payload jsonb, paid boolean, ref uuid)"; }
create_orders() {
  psql -q -d "$1" -c "$(orders_ddl "${3:-primary key}")" \
    -c "insert into orders select g, ((g::bigint*7919)%100000)::int, now() - (g||' seconds')::interval, (g%100000)/100.0, (array['new','paid','shipped','cancelled'])[1+g%4], md5(g::text)||md5((g+1)::text), jsonb_build_object('k', g, 'tags', jsonb_build_array('a','b')), g%3=0, md5(g::text)::uuid from generate_series(1,$2) g" \
    -c "vacuum analyze orders"
}
cleanup() { as_pg "'$PGBIN/pg_ctl' -D '$WORK/data' -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== building the Sluice CLI (Release)"
  dotnet build -c Release "$REPO/src/Sluice.Cli" -v q -nologo >/dev/null
fi
[ -x "$SLUICE" ] || { echo "sluice binary not found at $SLUICE" >&2; exit 1; }

echo "== starting a throwaway PostgreSQL on 127.0.0.1:$PORT"
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
echo "$PGPASSWORD" > "$WORK/pw" && { [ "$(id -u)" = 0 ] && chown postgres "$WORK/pw" || true; }
as_pg "'$PGBIN/initdb' -D '$WORK/data' -U postgres --pwfile '$WORK/pw' -A scram-sha-256 -E UTF8 --locale C.UTF-8" >/dev/null
as_pg "'$PGBIN/pg_ctl' -D '$WORK/data' -l '$WORK/server.log' -w -o '-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=512MB ${PG_EXTRA_OPTS:-}' start" >/dev/null
