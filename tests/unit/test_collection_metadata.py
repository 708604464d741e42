"""Invariants between the collection's metadata files, which would otherwise drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from ansible.module_utils.compat.version import LooseVersion

ROOT = Path(__file__).resolve().parents[2]


def load(path: str):
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def test_preflight_minimum_matches_runtime() -> None:
    requires = load("meta/runtime.yml")["requires_ansible"]
    minimum = re.fullmatch(r">=\s*([0-9.]+)", requires).group(1)
    plays = load("playbooks/preflight.yml")
    assert plays[0]["vars"]["pos_preflight_min_ansible"] == minimum


def test_galaxy_dependencies_are_pinned_in_requirements() -> None:
    galaxy = load("galaxy.yml")
    pins = {c["name"]: str(c["version"]) for c in load("requirements.yml")["collections"]}
    assert galaxy["dependencies"], "galaxy.yml names the collections it depends on"
    for name, spec in galaxy["dependencies"].items():
        assert name in pins, f"{name} is a dependency in galaxy.yml but not pinned in requirements.yml"
        minimum = re.fullmatch(r">=\s*([0-9.]+)", spec).group(1)
        assert LooseVersion(pins[name]) >= LooseVersion(minimum), f"{name}: pinned {pins[name]} < required {spec}"


def test_galaxy_identity() -> None:
    galaxy = load("galaxy.yml")
    assert (galaxy["namespace"], galaxy["name"]) == ("pocket_pos", "platform")
    assert re.fullmatch(r"\d+\.\d+\.\d+", galaxy["version"])


@pytest.mark.parametrize("path", ["requirements.txt"])
def test_python_requirements_are_pinned(path: str) -> None:
    lines = [line.split("#")[0].strip() for line in (ROOT / path).read_text().splitlines()]
    requirements = [line for line in lines if line]
    assert requirements
    for line in requirements:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.+\-]*", line), f"not pinned: {line}"


@pytest.mark.parametrize("service", ["postgres", "redis", "kafka"])
def test_service_version_matches_the_air_gapped_build(service: str) -> None:
    """A service role's <role>_version is the tag of the image the images role builds for it, in both places the
    images role declares its recipes (defaults and argument spec), and the recipe's VERSION default."""
    version = str(load(f"roles/{service}/defaults/main.yml")[f"{service}_version"])
    builds = {b["name"]: str(b["version"]) for b in load("roles/images/defaults/main.yml")["images_build"]}
    spec = load("roles/images/meta/argument_specs.yml")["argument_specs"]["main"]["options"]["images_build"]["default"]
    documented = {b["name"]: str(b["version"]) for b in spec}
    dockerfile = (ROOT / "files/images" / service / "Dockerfile").read_text(encoding="utf-8")
    assert builds[service] == version
    assert documented[service] == version
    assert f"ARG VERSION={version}\n" in dockerfile
    assert "latest" not in version


def test_preflight_checks_every_secret_input_for_placeholders() -> None:
    """Every option a role's argument spec marks no_log (or names a password or private key), and every secret of
    the inventory contract, is in the list the preflight reads for placeholders; every vault_* variable the
    example production inventory references feeds one of them."""
    spec = load("playbooks/vars/inventory_spec.yml")
    listed = set(spec["pos_preflight_vault_variables"])
    secrets = {name for name, option in spec["pos_inventory_argument_spec"].items() if option.get("no_log")}
    for spec_file in ROOT.glob("roles/*/meta/argument_specs.yml"):
        for entry in yaml.safe_load(spec_file.read_text(encoding="utf-8"))["argument_specs"].values():
            for name, option in (entry.get("options") or {}).items():
                if option.get("no_log") or re.search(r"_(password|private_key)$", name):
                    secrets.add(name)
    assert secrets, "the roles declare secret inputs"
    assert not secrets - listed, f"secret inputs the preflight does not check for placeholders: {sorted(secrets - listed)}"
    prod = (ROOT / "inventories/prod/group_vars/all/main.yml").read_text(encoding="utf-8")
    referenced = dict(re.findall(r"^([a-z_]+): \"\{\{ (vault_[a-z_]+) \}\}\"$", prod, flags=re.MULTILINE))
    vault = load("inventories/prod/group_vars/all/vault.yml")
    assert set(referenced.values()) == set(vault), "the example vault holds exactly the vault_* variables main.yml uses"
    assert set(referenced) <= listed, f"vault-fed inputs the preflight does not check: {sorted(set(referenced) - listed)}"
    assert all(str(value).startswith("VAULT-PLACEHOLDER") for value in vault.values())


def test_service_roles_offer_an_assert_entry_point_with_the_main_inputs() -> None:
    """deploy.yml's preflight runs each role's assert entry point: it validates exactly what main validates."""
    plays = load("playbooks/preflight.yml")
    tasks = [task for play in plays for task in play.get("tasks", [])]
    checked = {"docker_engine", "stack"} | set(next(t for t in tasks if t["name"] == "Check each service role's inputs")["loop"])
    assert checked == {"docker_engine", "stack", "postgres", "redis", "kafka", "api", "web", "mobile", "nginx"}
    for role in checked:
        specs = load(f"roles/{role}/meta/argument_specs.yml")["argument_specs"]
        assert specs["assert"]["options"] == specs["main"]["options"], role
        assert (ROOT / "roles" / role / "tasks" / "assert.yml").is_file()
