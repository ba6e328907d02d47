# Sourced by .ci/run: a throwaway PostgreSQL 15 for the PostgreSQL store tests, exported as BERTH_TEST_POSTGRES.
# Installs Debian's postgresql-15 when its binaries are missing, initdb's a data dir under a temp dir (as the
# postgres user, since initdb refuses root), listens only on 127.0.0.1 at a free port, and stops with the CI shell.
pg_bin=/usr/lib/postgresql/15/bin
if [ ! -x "$pg_bin/initdb" ]; then
  echo "ci: installing postgresql-15"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi
pg_dir=$(mktemp -d /tmp/berth-ci-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_run=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pg_dir"
  pg_run=(runuser -u postgres --)
fi
"${pg_run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U berth --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
# Durability is not under test here: fsync off keeps CREATE DATABASE per test class fast.
"${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-h 127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
trap '"${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
export BERTH_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=berth;Database=postgres"
echo "ci: PostgreSQL 15 on 127.0.0.1:$pg_port"
