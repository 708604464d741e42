#!/usr/bin/env bash
# make molecule [ROLE]: the Molecule scenario of one role, or of every role that has one, with the shared
# configuration molecule/config.yml. Each scenario: create, prepare, converge, idempotence (changed=0), verify;
# then converge again in check mode on the converged target, which must report changed=0; then destroy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
role="${1:-}"
mapfile -t scenarios < <(find roles -path '*/molecule/*/molecule.yml' 2>/dev/null | sort)
if [ -n "$role" ]; then
  [ -d "roles/$role" ] || { echo "molecule: there is no role '$role' under roles/" >&2; exit 2; }
  mapfile -t scenarios < <(printf '%s\n' "${scenarios[@]}" | grep "^roles/$role/" || true)
  [ "${#scenarios[@]}" -gt 0 ] || { echo "molecule: role '$role' has no Molecule scenario" >&2; exit 2; }
fi
if [ "${#scenarios[@]}" -eq 0 ]; then
  echo "molecule: nothing yet: no role has a Molecule scenario"
  exit 0
fi
for file in "${scenarios[@]}"; do
  scenario_dir=$(dirname "$file")
  scenario=$(basename "$scenario_dir")
  role_dir=$(dirname "$(dirname "$scenario_dir")")
  args=(-c "$root/molecule/config.yml")
  [ -f "$scenario_dir/env.yml" ] && args+=(-e "$root/$scenario_dir/env.yml")
  echo "molecule: $role_dir scenario $scenario"
  start=$SECONDS
  (
    cd "$role_dir"
    trap 'molecule "${args[@]}" destroy -s "$scenario" >/dev/null 2>&1 || true' EXIT
    molecule "${args[@]}" test -s "$scenario" --destroy never
    log=$(mktemp)
    molecule "${args[@]}" converge -s "$scenario" -- --check --diff 2>&1 | tee "$log"
    # Molecule frames and colours Ansible's output: read the recap lines without the escape codes.
    recap=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -oE ': ok=[0-9]+ +changed=[0-9]+ +unreachable=[0-9]+ +failed=[0-9]+' || true)
    if [ -z "$recap" ] || printf '%s\n' "$recap" | grep -vE 'changed=0 +unreachable=0 +failed=0' >/dev/null; then
      echo "molecule: check mode on the converged target of $role_dir/$scenario reported changes or failures" >&2
      exit 1
    fi
    echo "molecule: check mode on the converged target reported changed=0"
  )
  echo "molecule: $role_dir scenario $scenario passed in $((SECONDS - start)) s"
done
