"""Every playbook passes a syntax check against both shipped inventories."""

from __future__ import annotations

import pytest

from .helpers import ROOT, run

PLAYBOOKS = sorted(["deploy.yml", "tools/testbed/hosts.yml", *(p.relative_to(ROOT).as_posix() for p in (ROOT / "playbooks").glob("*.yml"))])


def test_playbooks_found() -> None:
    assert "deploy.yml" in PLAYBOOKS
    assert "playbooks/preflight.yml" in PLAYBOOKS


@pytest.mark.parametrize("inventory", ["inventories/local", "inventories/prod"])
@pytest.mark.parametrize("playbook", PLAYBOOKS)
def test_syntax(playbook: str, inventory: str) -> None:
    result = run("ansible-playbook", "--syntax-check", "-i", inventory, playbook)
    assert result.returncode == 0, result.stdout + result.stderr
