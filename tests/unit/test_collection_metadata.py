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
