#!/usr/bin/env bash
# Runs ansible-test on this collection. ansible-test needs the collection at
# .../ansible_collections/pocket_pos/platform, so the files git knows (tracked and new, not ignored) are copied
# into such a tree under $TMPDIR, with the dependency collections from .collections beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${TMPDIR:-/tmp}/pocket-pos-ansible-test"
tree="$root/ansible_collections/pocket_pos/platform"
rm -rf "$tree"
mkdir -p "$tree"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -xf - -C "$tree"
for dir in .collections/ansible_collections/*/*; do
  ns=$(basename "$(dirname "$dir")")
  name=$(basename "$dir")
  [ "$ns/$name" = pocket_pos/platform ] && continue
  mkdir -p "$root/ansible_collections/$ns"
  ln -sfn "$(pwd)/$dir" "$root/ansible_collections/$ns/$name"
done
cd "$tree"
export PATH="$OLDPWD/.venv/bin:$PATH"
exec ansible-test "$@"
