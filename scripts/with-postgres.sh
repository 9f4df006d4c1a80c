#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in DIR, start on 127.0.0.1:PORT,
# export DATABASE_URL, run, then stop the server and delete the cluster whatever happened.
# Usage: scripts/with-postgres.sh DIR PORT COMMAND [ARGS...]
set -euo pipefail
dir=$1 port=$2; shift 2

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found; run 'make system-deps'." >&2; exit 2; }

as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root.
  as_postgres=(runuser -u postgres --)
  install -d -o postgres -g postgres "$dir"
else
  mkdir -p "$dir"
fi
rm -rf "$dir/data" "$dir/sock"
# The server's Unix socket lives in a short temporary folder: a socket path may be at most 107
# bytes, and one under DIR fails to start when the checkout sits in a deep folder.
sock=$(mktemp -d /tmp/irp-pg.XXXXXX)

stop() {
  "${as_postgres[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir/data" "$sock"
}
trap stop EXIT
[ ${#as_postgres[@]} -eq 0 ] || chown postgres:postgres "$sock"

"${as_postgres[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${as_postgres[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE irp" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/irp"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
