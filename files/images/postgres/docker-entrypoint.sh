#!/usr/bin/env bash
# The official postgres image's entry point contract, for the image built from Debian's packages.
# - POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE (required unless POSTGRES_HOST_AUTH_METHOD=trust),
#   POSTGRES_USER (default postgres), POSTGRES_DB (default: POSTGRES_USER), POSTGRES_INITDB_ARGS (each also as
#   *_FILE).
# - On an empty data directory: initdb, the database, then /docker-entrypoint-initdb.d in name order (*.sh run
#   or sourced, *.sql, *.sql.gz, *.sql.xz, *.sql.zst through psql), on a temporary server that listens on the
#   Unix socket only. On a data directory that holds a cluster, none of that runs.
# - `docker-entrypoint.sh -c x=y` means `postgres -c x=y`; the server is exec'd so it gets the stop signal.
set -Eeuo pipefail

# file_env VAR [DEFAULT]: VAR from $VAR or from the file named by ${VAR}_FILE (not both).
file_env() {
  local var="$1" file_var="${1}_FILE" default="${2:-}" value
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    echo "error: both $var and $file_var are set (but are exclusive)" >&2
    exit 1
  fi
  value="$default"
  if [ -n "${!var:-}" ]; then
    value="${!var}"
  elif [ -n "${!file_var:-}" ]; then
    value="$(<"${!file_var}")"
  fi
  export "$var"="$value"
  unset "$file_var"
}

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

if [ "$1" = 'postgres' ] && [ "$(id -u)" = '0' ]; then
  # Started as root (user: 0): own what the server writes, then run this script again as postgres.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

process_init_files() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        # shellcheck disable=SC1090  # the operator's init scripts, sourced as the official image does
        if [ -x "$f" ]; then echo "entrypoint: running $f"; "$f"; else echo "entrypoint: sourcing $f"; . "$f"; fi ;;
      *.sql) echo "entrypoint: running $f"; psql_init -f "$f" ;;
      *.sql.gz) echo "entrypoint: running $f"; gunzip -c "$f" | psql_init ;;
      *.sql.xz) echo "entrypoint: running $f"; xzcat "$f" | psql_init ;;
      *.sql.zst) echo "entrypoint: running $f"; zstd -dc "$f" | psql_init ;;
      "/docker-entrypoint-initdb.d/*") ;;
      *) echo "entrypoint: ignoring $f" ;;
    esac
  done
}

psql_init() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" "$@"
}

init_cluster() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  local auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != trust ]; then
    echo "error: the database is uninitialized and no superuser password is given: set POSTGRES_PASSWORD_FILE" >&2
    echo "       (or POSTGRES_PASSWORD), or POSTGRES_HOST_AUTH_METHOD=trust to allow connections without one" >&2
    exit 1
  fi
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of arguments, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local="$auth" --auth-host="$auth" $POSTGRES_INITDB_ARGS
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

  export PGPASSWORD="$POSTGRES_PASSWORD" PGHOST=/var/run/postgresql
  # The temporary server: the operator's arguments (config_file, ...) but no TCP listener.
  pg_ctl -D "$PGDATA" -o "$(printf '%q ' "${@:2}") -c listen_addresses='' -p 5432" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" --dbname postgres \
      --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  process_init_files
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD PGHOST
  echo "entrypoint: initialization complete; starting the server"
}

if [ "$1" = 'postgres' ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  init_cluster "$@"
fi
exec "$@"
