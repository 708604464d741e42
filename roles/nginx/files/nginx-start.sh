#!/bin/sh
# Start wrapper for nginx in either image (POSIX sh, awk, mkfifo): nginx writes its error log into a FIFO, and awk
# turns each line into one JSON object on stderr ({"time", "level", "pid", "connection", "message"}), so that both
# logs are JSON. Then nginx replaces this shell, in the foreground. Usage: nginx-start.sh <nginx arguments>
set -eu
fifo="${POCKET_POS_NGINX_ERROR_FIFO:-/var/run/nginx-error.fifo}"
rm -f "$fifo"
mkfifo -m 0600 "$fifo"
# mawk (Debian's awk) reads a pipe in blocks unless told to read line by line.
interactive=
if awk -W version 2>/dev/null | grep -q mawk; then interactive="-W interactive"; fi
# An error line: "2026/11/26 21:08:09 [warn] 7#7: *3 message, client: ...".
# shellcheck disable=SC2086  # $interactive is empty or two words on purpose
awk $interactive '
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); gsub(/\r/, "\\r", s); return s }
{
  line = $0; level = ""; pid = ""; conn = ""; time = ""
  if (match(line, /^[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] \[[a-z]+\] /)) {
    time = substr(line, 1, 4) "-" substr(line, 6, 2) "-" substr(line, 9, 2) "T" substr(line, 12, 8)
    rest = substr(line, RLENGTH + 1)
    level = substr(line, 22, RLENGTH - 23)
    if (match(rest, /^[0-9]+#[0-9]+: /)) { pid = substr(rest, 1, index(rest, "#") - 1); rest = substr(rest, RLENGTH + 1) }
    if (match(rest, /^\*[0-9]+ /)) { conn = substr(rest, 2, RLENGTH - 2); rest = substr(rest, RLENGTH + 1) }
    line = rest
  }
  printf "{\"time\":\"%s\",\"level\":\"%s\",\"pid\":\"%s\",\"connection\":\"%s\",\"message\":\"%s\"}\n", time, level, pid, conn, esc(line)
  fflush()
}' < "$fifo" >&2 &
exec nginx "$@"
