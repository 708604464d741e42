#!/usr/bin/env bash
# Healthy when the registry's debug server (http.debug.addr, 127.0.0.1:5001) answers 200 on /debug/health,
# which also fails while the storage driver health check fails. Needs only bash.
set -u
exec 3<>"/dev/tcp/127.0.0.1/${REGISTRY_DEBUG_PORT:-5001}" || exit 1
printf 'GET /debug/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
case "$status" in
  *" 200 "*) exit 0 ;;
  *) echo "registry health: $status"; exit 1 ;;
esac
