#!/usr/bin/env bash
# make setup: the pinned Python toolchain in .venv and the collections path, reusing ~/.cache/pocket-pos.
# Idempotent: a second run with nothing changed only checks hashes.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${POS_CACHE:-$HOME/.cache/pocket-pos}"
bundle="${POS_ANSIBLE_BUNDLE:?POS_ANSIBLE_BUNDLE (version of the PyPI ansible package) is required}"
mkdir -p "$cache"

pick_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    # The interpreter's own path, not its name: a name found first in the .venv/bin being replaced (make puts it on
    # PATH) would be gone once the old .venv is removed.
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
      "$candidate" -c 'import os, sys; print(os.path.realpath(sys.executable))'
      return 0
    fi
  done
  echo "setup: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

want=$(sha256sum requirements.txt | cut -d' ' -f1)
have=$(cat .venv/.requirements.sha256 2>/dev/null || true)
if [ "$want" != "$have" ] || [ ! -x .venv/bin/python ]; then
  python=$(pick_python)
  if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' 2>/dev/null; then
    # Debian and Ubuntu ship venv/ensurepip separately.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else
      echo "setup: $python cannot create virtual environments: install python3-venv" >&2
      exit 1
    fi
  fi
  echo "setup: creating .venv with $python ($("$python" --version))"
  rm -rf .venv
  "$python" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > .venv/.requirements.sha256
fi

# sslyze (the nginx scenario's Mozilla profile check) pins cryptography below the toolchain's: its own venv.
want_sslyze=$(sha256sum tests/requirements-sslyze.txt | cut -d' ' -f1)
if [ "$want_sslyze" != "$(cat .venv/sslyze/.requirements.sha256 2>/dev/null || true)" ]; then
  echo "setup: creating .venv/sslyze"
  rm -rf .venv/sslyze
  "$(pick_python)" -m venv .venv/sslyze
  .venv/sslyze/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements-sslyze.txt
  echo "$want_sslyze" > .venv/sslyze/.requirements.sha256
fi

.venv/bin/python tools/install_collections.py --bundle "$bundle" --cache "$cache" --target .collections

# Run the collection in place: .collections/ansible_collections/pocket_pos/platform -> this checkout.
link=.collections/ansible_collections/pocket_pos/platform
mkdir -p "$(dirname "$link")"
if [ "$(readlink "$link" 2>/dev/null)" != "../../.." ]; then
  rm -rf "$link"
  ln -s ../../.. "$link"
fi

# ansible-test bootstraps pip in its sanity venvs with a script from a host that cannot be reached here;
# give it the stand-in that does the same from ensurepip's wheel and the package index.
pip_version=$(.venv/bin/python - <<'PY'
import re, ansible_test, pathlib
src = (pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py").read_text()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
get_pip="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
if ! cmp -s tools/get_pip.py "$get_pip"; then
  mkdir -p "$(dirname "$get_pip")"
  cp tools/get_pip.py "$get_pip"
fi

# ansible-test sanity runs shellcheck on the collection's shell scripts only when the program is there.
if ! command -v shellcheck >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing shellcheck (ansible-test sanity's shellcheck test)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  else
    echo "setup: shellcheck is missing, so ansible-test sanity will skip its shellcheck test: install shellcheck" >&2
  fi
fi
ansible_version="$(.venv/bin/ansible --version)"
echo "setup: ready (${ansible_version%%$'\n'*}, collections in .collections)"
