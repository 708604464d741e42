#!/usr/bin/env bash
# The official redis image's entry point contract: `docker-entrypoint.sh /path/redis.conf` or `... --port 1`
# means `redis-server ...`; the server is exec'd so it gets the stop signal. Started as root it drops to the
# redis user with setpriv after taking ownership of /data.
set -Eeuo pipefail
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "${BASH_SOURCE[0]}" "$@"
fi
umask 0077
exec "$@"
