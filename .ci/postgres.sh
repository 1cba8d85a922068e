# Sourced by .ci/run: start a throwaway PostgreSQL on loopback and export TEST_POSTGRES_URL.
# The cluster lives in a temp dir, runs as a non-root user (postgres, or nobody), and is stopped on exit.
_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$_pg_bin" ] || [ ! -x "$_pg_bin/initdb" ]; then
  echo "postgres.sh: no initdb under /usr/lib/postgresql/*/bin (is Debian's postgresql installed?)" >&2
  return 1
fi
_pg_dir=$(mktemp -d /tmp/sagi-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  _pg_user=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
  chown "$_pg_user" "$_pg_dir"
  _pg_as() { runuser -u "$_pg_user" -- "$@"; }
else
  _pg_as() { "$@"; }
fi
_pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
  2>/dev/null || echo 54329)
_pg_as "$_pg_bin/initdb" -D "$_pg_dir/data" -U sagi --auth=trust -E UTF8 --no-locale >"$_pg_dir/initdb.log" 2>&1 \
  || { cat "$_pg_dir/initdb.log" >&2; return 1; }
# fsync off: a throwaway test cluster; the durability tests kill client processes, not the server.
_pg_as "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -l "$_pg_dir/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $_pg_port -k $_pg_dir -c fsync=off -c full_page_writes=off -c max_connections=200" \
  >/dev/null || { cat "$_pg_dir/server.log" >&2; return 1; }
trap '_pg_as "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$_pg_dir"' EXIT
for _ in $(seq 1 60); do
  "$_pg_bin/pg_isready" -q -h 127.0.0.1 -p "$_pg_port" && break
  sleep 0.5
done
"$_pg_bin/pg_isready" -q -h 127.0.0.1 -p "$_pg_port" || { echo "postgres.sh: server not ready" >&2; return 1; }
"$_pg_bin/createdb" -h 127.0.0.1 -p "$_pg_port" -U sagi sagi_test
export TEST_POSTGRES_URL="postgresql+psycopg://sagi@127.0.0.1:$_pg_port/sagi_test"
echo "postgres.sh: PostgreSQL $("$_pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$_pg_port"
