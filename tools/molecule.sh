#!/usr/bin/env bash
# make molecule [ROLE]: the Molecule scenarios of one role, or of every role that has one, with the shared
# configuration molecule/config.yml. Each scenario: create, prepare, converge, idempotence (changed=0), verify;
# then converge again in check mode on the converged target, which must report changed=0; then destroy.
# MOLECULE_JOBS (default 2) scenarios run side by side; one that fails runs again, up to MOLECULE_RETRIES times
# (default 1), and the failed try's tasks are printed at the end all the same.
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
# One scenario: create, prepare, converge, idempotence, verify; check mode on the converged target; destroy.
run_scenario() {
  local file=$1 scenario_dir scenario role_dir start
  scenario_dir=$(dirname "$file")
  scenario=$(basename "$scenario_dir")
  role_dir=$(dirname "$(dirname "$scenario_dir")")
  local args=(-c "$root/molecule/config.yml")
  [ -f "$scenario_dir/env.yml" ] && args+=(-e "$root/$scenario_dir/env.yml")
  # Each scenario's target container has a name of its own, so that scenarios can run side by side.
  POS_MOLECULE_INSTANCE="pos-molecule-$(basename "$role_dir")-$scenario"
  export POS_MOLECULE_INSTANCE
  echo "molecule: $role_dir scenario $scenario"
  start=$SECONDS
  # errexit does not hold inside a subshell whose status `||` tests: each step says how it failed itself.
  (
    cd "$role_dir" || exit 1
    trap 'molecule "${args[@]}" destroy -s "$scenario" >/dev/null 2>&1 || true' EXIT
    if ! molecule "${args[@]}" test -s "$scenario" --destroy never; then
      echo "molecule: the test sequence of $role_dir/$scenario failed" >&2
      exit 1
    fi
    log=$(mktemp)
    molecule "${args[@]}" converge -s "$scenario" -- --check --diff 2>&1 | tee "$log"
    # Molecule frames, colours and wraps Ansible's output: read the counters of the recap without the escape
    # codes, wherever the line breaks fell.
    recap=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -n '/PLAY RECAP/,$p' | grep -oE '\b(ok|changed|unreachable|failed)=[0-9]+' || true)
    if ! printf '%s\n' "$recap" | grep -q '^ok=' || printf '%s\n' "$recap" | grep -qE '^(changed|unreachable|failed)=[1-9]'; then
      echo "molecule: check mode on the converged target of $role_dir/$scenario reported changes or failures" >&2
      exit 1
    fi
    echo "molecule: check mode on the converged target reported changed=0"
  ) || { echo "molecule: $role_dir scenario $scenario FAILED after $((SECONDS - start)) s"; return 1; }
  echo "molecule: $role_dir scenario $scenario passed in $((SECONDS - start)) s"
  # Kept for the order of the next run (one line a scenario; jobs append, the newest line wins).
  echo "$file $((SECONDS - start))" >> "$durations"
}

# MOLECULE_JOBS scenarios at a time (default 2): they spend much of their time waiting on containers, so two
# side by side on two cores take far less wall time than one after the other. Each one's output goes to a log,
# printed whole when it ends.
jobs_max="${MOLECULE_JOBS:-2}"
retries="${MOLECULE_RETRIES:-1}"
# Wide enough that Molecule does not wrap the recap lines.
export COLUMNS=200
# Longest first, by the durations the last runs recorded (unknown ones first): with two at a time, a long scenario
# started last would run alone at the end.
durations="${XDG_CACHE_HOME:-$HOME/.cache}/pocket-pos/molecule-durations"
mkdir -p "$(dirname "$durations")"
touch "$durations"
mapfile -t scenarios < <(for file in "${scenarios[@]}"; do
  echo "$(awk -v f="$file" '$1 == f {s = $2} END {print (s == "" ? 99999 : s)}' "$durations") $file"
done | sort -k1,1nr -k2 | cut -d' ' -f2)
logs=$(mktemp -d)
names=()
for file in "${scenarios[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do sleep 2; done
  name=$(echo "$file" | cut -d/ -f2,4)
  echo "molecule: starting ${name/\// scenario }"
  # Each job writes its own result: a finished job's pid can be reused by a later child of this shell over a long
  # run, so `wait <pid>` is no record of it.
  key=${name//\//-}
  # A scenario that fails runs again from a new target, up to MOLECULE_RETRIES more times (default 1): one CI run
  # saw two scenarios fail that passed in every run before and after. The failed try's log is kept, and its failed
  # tasks are printed at the end, so that a retry hides nothing.
  (
    try=0
    until run_scenario "$file" > "$logs/$key.log" 2>&1; do
      if [ "$try" -ge "$retries" ]; then echo 1 > "$logs/$key.status"; exit 0; fi
      try=$((try + 1))
      mv "$logs/$key.log" "$logs/$key.failed-try-$try.log"
    done
    echo 0 > "$logs/$key.status"
  ) &
  names+=("$name")
done
wait
failed=()
for name in "${names[@]}"; do
  key=${name//\//-}
  [ "$(cat "$logs/$key.status" 2>/dev/null)" = 0 ] || failed+=("$name")
  cat "$logs/$key.log"
done
grep -h "^molecule: roles/.* \(passed\|FAILED\)" "$logs"/*.log || true
# A failed scenario's log, on stderr: its failed tasks and closing lines, without colours.
failure() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E -A12 'fatal: |FAILED! =>|failed=[1-9]' | tail -n 60 >&2 || true
  sed 's/\x1b\[[0-9;]*m//g' "$1" | tail -n 15 >&2
}
# A try that failed, even when the next one passed: its failed tasks and last lines.
for tried in "$logs"/*.failed-try-*.log; do
  [ -e "$tried" ] || continue
  name=$(basename "$tried" .log)
  echo "molecule: ${name%%.failed-try-*} failed on try ${name##*.failed-try-} and ran again; that try's failed tasks and last lines:" >&2
  failure "$tried"
done
# A failed scenario's error again, last, where a log reader that keeps only the end of the output still finds it:
# the failed tasks (without colours) and the scenario's closing lines.
for name in "${failed[@]}"; do
  key=${name//\//-}
  echo "molecule: ${name/\// scenario } failed; its failed tasks and last lines:" >&2
  failure "$logs/$key.log"
done
rm -rf "$logs"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "molecule: failed: ${failed[*]}" >&2
  exit 1
fi
