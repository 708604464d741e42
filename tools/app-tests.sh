#!/usr/bin/env bash
# The reference applications' own tests (files/apps/<app>/, npm test), run in a work copy under
# ~/.cache/pocket-pos/apps/<app> so that the source tree never holds node_modules or build output (the images
# role checksums it). npm ci runs again only when package-lock.json changed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cache="${POCKET_POS_CACHE:-$HOME/.cache/pocket-pos}/apps"
status=0
for dir in files/apps/*/; do
  app=$(basename "$dir")
  [ -f "$dir/package.json" ] || continue
  work="$cache/$app"
  mkdir -p "$work"
  # Refresh the copy of the source, keeping node_modules.
  find "$work" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .lock-hash -exec rm -rf {} +
  (cd "$root/$dir" && tar --exclude=node_modules --exclude=dist --exclude=build-test --exclude=.next -cf - .) | tar -C "$work" -xf -
  hash=$(sha256sum "$work/package-lock.json" | cut -d' ' -f1)
  if [ ! -d "$work/node_modules" ] || [ "$(cat "$work/.lock-hash" 2>/dev/null)" != "$hash" ]; then
    echo "app-tests: $app: npm ci"
    (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$hash" > "$work/.lock-hash"
  fi
  echo "app-tests: $app: npm test"
  if ! (cd "$work" && npm test); then
    echo "app-tests: $app: FAILED" >&2
    status=1
  fi
done
exit "$status"
