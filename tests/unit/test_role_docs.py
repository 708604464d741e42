"""Every role's README is what its argument specs give, and every role has argument specs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_role_has_argument_specs_and_defaults_they_cover() -> None:
    import yaml

    roles = [p for p in (ROOT / "roles").iterdir() if p.is_dir()]
    assert roles
    for role in roles:
        spec_file = role / "meta" / "argument_specs.yml"
        assert spec_file.is_file(), f"{role.name} has no meta/argument_specs.yml"
        # Every default is some entry point's option (main's, or for example images' app).
        specs = yaml.safe_load(spec_file.read_text())["argument_specs"]
        assert "main" in specs, f"{role.name} has no main entry point in meta/argument_specs.yml"
        options = {name for spec in specs.values() for name in (spec.get("options") or {})}
        defaults_file = role / "defaults" / "main.yml"
        defaults = yaml.safe_load(defaults_file.read_text()) if defaults_file.is_file() else {}
        missing = sorted(set(defaults or {}) - set(options))
        assert not missing, f"{role.name}: defaults without an argument spec: {missing}"
        for name in defaults or {}:
            assert name.startswith(role.name + "_"), f"{role.name}: {name} lacks the role prefix"


def test_role_readmes_are_current() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "role_docs.py"), "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
