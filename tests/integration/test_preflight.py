"""deploy.yml's preflight: a good inventory passes; a bad one fails before any change, naming the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .helpers import run

LOCAL_HOST = {"ansible_connection": "local"}


def inventory(tmp_path: Path, groups: dict, all_vars: dict | None = None) -> str:
    path = tmp_path / "hosts.yml"
    data = dict(groups)
    data["all"] = {"vars": all_vars or {}}
    path.write_text(yaml.safe_dump(data))
    return str(path)


def deploy(inv: str, *extra: str):
    """deploy.yml as far as its preflight (tagged preflight and always: it runs whatever tags are asked for)."""
    result = run("ansible-playbook", "deploy.yml", "-i", inv, "--tags", "preflight", *extra)
    return result.returncode, result.stdout + result.stderr


def test_local_inventory_passes() -> None:
    code, out = deploy("inventories/local")
    assert code == 0, out
    assert "Validate the inventory variables" in out


def test_missing_group_is_named(tmp_path: Path) -> None:
    inv = inventory(tmp_path, {"webservers": {"hosts": {"localhost": LOCAL_HOST}}}, {"pos_environment": "test", "pos_image_source": "build"})
    code, out = deploy(inv)
    assert code != 0
    assert "The inventory has no hosts in the group 'pos_stack'" in out


def test_build_without_registry_host_is_named(tmp_path: Path) -> None:
    inv = inventory(tmp_path, {"pos_stack": {"hosts": {"localhost": LOCAL_HOST}}}, {"pos_environment": "test", "pos_image_source": "build"})
    code, out = deploy(inv)
    assert code != 0
    assert "pos_image_source is 'build' for localhost, but the inventory has no hosts in the group 'pos_registry'" in out


def test_registry_images_need_no_registry_host(tmp_path: Path) -> None:
    inv = inventory(tmp_path, {"pos_stack": {"hosts": {"localhost": LOCAL_HOST}}}, {"pos_environment": "test", "pos_image_source": "registry"})
    code, out = deploy(inv)
    assert code == 0, out


def test_unknown_environment_is_named(tmp_path: Path) -> None:
    inv = inventory(tmp_path, {"pos_stack": {"hosts": {"localhost": LOCAL_HOST}}}, {"pos_environment": "staging", "pos_image_source": "registry"})
    code, out = deploy(inv)
    assert code != 0
    assert "pos_environment must be one of: development, production, test, got: staging" in out


def test_missing_variable_is_named(tmp_path: Path) -> None:
    inv = inventory(tmp_path, {"pos_stack": {"hosts": {"localhost": LOCAL_HOST}}}, {"pos_environment": "test"})
    code, out = deploy(inv)
    assert code != 0
    assert "missing required arguments: pos_image_source" in out


def test_unsupported_ansible_is_named() -> None:
    code, out = deploy("inventories/local", "-e", "pos_preflight_min_ansible=99.0.0")
    assert code != 0
    assert "is not supported: pocket_pos.platform needs ansible-core >= 99.0.0" in out


@pytest.mark.parametrize("inv", ["inventories/local", "inventories/prod"])
def test_shipped_inventories_list_the_stack_group(inv: str) -> None:
    result = run("ansible-inventory", "-i", inv, "--graph", "pos_stack")
    assert result.returncode == 0, result.stderr
    assert "@pos_stack:" in result.stdout
    assert "|--" in result.stdout


def test_build_without_image_registry_is_named(tmp_path: Path) -> None:
    groups = {"pos_stack": {"hosts": {"localhost": LOCAL_HOST}}, "pos_registry": {"hosts": {"localhost": LOCAL_HOST}}}
    inv = inventory(tmp_path, groups, {"pos_environment": "test", "pos_image_source": "build"})
    code, out = deploy(inv)
    assert code != 0
    assert "pos_image_registry: localhost has pos_image_source 'build' but no pos_image_registry" in out
