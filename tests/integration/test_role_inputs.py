"""Roles refuse bad input before they change anything, naming the variable (meta/argument_specs.yml and the
roles' own input checks). No Docker is needed: the refusal comes first."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .helpers import run


def apply_role(tmp_path: Path, role: str, variables: dict, tasks_from: str = "main") -> tuple[int, str]:
    marker = tmp_path / "touched"
    play = [
        {
            "name": "Apply a role with the given variables",
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [
                {"name": "Apply the role", "ansible.builtin.include_role": {"name": role, "tasks_from": tasks_from}, "vars": variables},
                {"name": "Mark that the role returned", "ansible.builtin.file": {"path": str(marker), "state": "touch", "mode": "0644"}},
            ],
        }
    ]
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump(play, sort_keys=False))
    result = run("ansible-playbook", "-i", "localhost,", "-c", "local", str(playbook))
    assert not marker.exists() or result.returncode == 0
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("role", "variables", "tasks_from", "message"),
    [
        (
            "pocket_pos.platform.registry",
            {"registry_port": "five-thousand"},
            "main",
            "registry_port",
        ),
        (
            "pocket_pos.platform.registry",
            {"registry_cpus": "half"},
            "main",
            "registry_cpus",
        ),
        (
            "pocket_pos.platform.registry",
            {"registry_client_address": "172.17.0.1:5000", "registry_client_username": "u", "registry_client_password": "p"},
            "client",
            "missing required arguments: registry_client_ca_certificate",
        ),
        (
            "pocket_pos.platform.images",
            {"images_build": [{"name": "registry", "version": "latest", "base": "debian12"}]},
            "main",
            "images_build entry 'registry': the version must be a pinned tag (not latest)",
        ),
        (
            "pocket_pos.platform.images",
            {"images_base_releases": [{"name": "debian11", "suite": "bullseye"}]},
            "main",
            "images_base_releases",
        ),
        (
            "pocket_pos.platform.images",
            {"images_registry": "127.0.0.1:5000", "images_registry_password": ""},
            "main",
            "images_registry_password is required when images_registry (127.0.0.1:5000) is set",
        ),
    ],
)
def test_bad_input_is_refused_by_name(tmp_path: Path, role: str, variables: dict, tasks_from: str, message: str) -> None:
    code, out = apply_role(tmp_path, role, variables, tasks_from)
    assert code != 0, out
    assert message in out, out
    assert not (tmp_path / "touched").exists()
