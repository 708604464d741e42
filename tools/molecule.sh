#!/usr/bin/env bash
# make molecule [ROLE]: runs the Molecule scenario of one role, or of every role that has one.
set -euo pipefail
cd "$(dirname "$0")/.."
role="${1:-}"
mapfile -t scenarios < <(find roles -path '*/molecule/*/molecule.yml' 2>/dev/null | sort)
if [ -n "$role" ]; then
  [ -d "roles/$role" ] || { echo "molecule: there is no role '$role' under roles/" >&2; exit 2; }
  mapfile -t scenarios < <(printf '%s\n' "${scenarios[@]}" | grep "^roles/$role/" || true)
  [ "${#scenarios[@]}" -gt 0 ] || { echo "molecule: role '$role' has no Molecule scenario" >&2; exit 2; }
fi
if [ "${#scenarios[@]}" -eq 0 ]; then
  echo "molecule: nothing yet: no role has a Molecule scenario (the first arrive with the test-bed, issue #3)"
  exit 0
fi
for file in "${scenarios[@]}"; do
  dir=$(dirname "$(dirname "$(dirname "$file")")")
  scenario=$(basename "$(dirname "$file")")
  echo "molecule: $dir scenario $scenario"
  (cd "$dir" && molecule test -s "$scenario")
done
