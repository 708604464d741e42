"""Roles refuse bad input before they change anything, naming the variable (meta/argument_specs.yml and the
roles' own input checks). No Docker is needed: the refusal comes first. The plays run in check mode, and a marker
task after the role proves that the play stopped at the refusal."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from .helpers import apply_role_locally, run


def apply_role(tmp_path: Path, role: str, variables: dict, tasks_from: str = "main") -> tuple[int, str]:
    marker = tmp_path / "touched"
    play = [
        {
            "name": "Apply a role with the given variables",
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [
                {"name": "Apply the role", "ansible.builtin.include_role": {"name": role, "tasks_from": tasks_from}, "vars": variables},
                {
                    "name": "Mark that the role returned",
                    "ansible.builtin.file": {"path": str(marker), "state": "touch", "mode": "0644"},
                    "check_mode": False,
                },
            ],
        }
    ]
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump(play, sort_keys=False))
    # Check mode: argument specs and input checks run as always, but should a refusal ever fail to happen, the role
    # cannot go on to change this machine (the docker_engine role would otherwise remove and install packages).
    # The controller's own Python, as inventories/local does: discovery may pick an interpreter that cannot run.
    result = run("ansible-playbook", "--check", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", str(playbook))
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
            {"registry_client_address": "172.17.0.1:5000", "registry_client_username": "u"},
            "client",
            "missing required arguments: registry_client_password",
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
        (
            "pocket_pos.platform.docker_engine",
            {"docker_engine_source": "snap"},
            "main",
            "value of docker_engine_source must be one of: upstream, distro, present, got: snap",
        ),
        (
            "pocket_pos.platform.docker_engine",
            {"docker_engine_daemon_options": ["live-restore", True]},
            "main",
            "docker_engine_daemon_options",
        ),
        (
            "pocket_pos.platform.docker_engine",
            {"docker_engine_source": "present", "docker_engine_data_root": "var/lib/docker"},
            "main",
            "docker_engine_data_root must be an absolute path, got 'var/lib/docker'",
        ),
        (
            "pocket_pos.platform.stack",
            {"stack_base_dir": "opt/pocket-pos"},
            "main",
            "stack_base_dir must be an absolute path, got 'opt/pocket-pos'",
        ),
        (
            "pocket_pos.platform.stack",
            {"stack_backend_subnet": "172.30.20.1/24"},
            "main",
            "stack_backend_subnet: '172.30.20.1/24' is not a valid subnet: 172.30.20.1/24 has host bits set",
        ),
        (
            "pocket_pos.platform.stack",
            {"stack_frontend_subnet": "172.30.0.0/16", "stack_backend_subnet": "172.30.20.0/24"},
            "main",
            "stack_frontend_subnet and stack_backend_subnet overlap",
        ),
        (
            "pocket_pos.platform.stack",
            {"stack_pull_policy": "sometimes"},
            "deploy",
            "value of stack_pull_policy must be one of: missing, always, never, got: sometimes",
        ),
        (
            "pocket_pos.platform.postgres",
            {"postgres_app_password": "Sh0rtPass"},
            "main",
            "postgres_app_password: a supplied password needs at least 16 characters, letters and digits only",
        ),
        (
            "pocket_pos.platform.postgres",
            {"postgres_max_connections": "many"},
            "main",
            "postgres_max_connections",
        ),
        (
            "pocket_pos.platform.postgres",
            {"postgres_memory_limit_mb": 128},
            "main",
            "postgres_memory_limit_mb must be at least 256 (got 128)",
        ),
        (
            "pocket_pos.platform.postgres",
            {"postgres_app_role": "Pos-App"},
            "main",
            "postgres_app_role: 'Pos-App' must be a lowercase SQL identifier",
        ),
        (
            "pocket_pos.platform.postgres",
            {"postgres_client_networks": ["172.30.20.0/33"]},
            "main",
            "postgres_client_networks: '172.30.20.0/33' is not a valid subnet",
        ),
        (
            "pocket_pos.platform.postgres",
            {},
            "restore",
            "missing required arguments: postgres_restore_file",
        ),
        (
            "pocket_pos.platform.redis",
            {"redis_admin_password": "abc-def-ghi-jkl-mno"},
            "main",
            "redis_admin_password: a supplied password needs at least 16 characters, letters and digits only",
        ),
        (
            "pocket_pos.platform.redis",
            {"redis_monitor_user": "pos-admin"},
            "main",
            "redis_app_user, redis_admin_user and redis_monitor_user must be distinct names",
        ),
        (
            "pocket_pos.platform.redis",
            {"redis_maxmemory_policy": "evict-oldest"},
            "main",
            "value of redis_maxmemory_policy must be one of: noeviction, allkeys-lru",
        ),
        (
            "pocket_pos.platform.redis",
            {"redis_memory_limit_mb": 32},
            "main",
            "redis_memory_limit_mb must be at least 64 (got 32)",
        ),
        (
            "pocket_pos.platform.redis",
            {"redis_maxclients": "lots"},
            "main",
            "redis_maxclients",
        ),
        (
            "pocket_pos.platform.redis",
            {"redis_app_commands": "+@all; FLUSHALL"},
            "main",
            "redis_app_commands a list of",
        ),
        (
            "pocket_pos.platform.kafka",
            {"kafka_mode": "zk"},
            "main",
            "kafka_mode",
        ),
        (
            "pocket_pos.platform.kafka",
            {"kafka_cluster_id": "not-a-uuid"},
            "main",
            "kafka_cluster_id empty or 22 base64url characters",
        ),
        (
            "pocket_pos.platform.kafka",
            {"kafka_api_user": "admin"},
            "main",
            "kafka_admin_user and kafka_api_user must be distinct",
        ),
        (
            "pocket_pos.platform.kafka",
            {"kafka_memory_limit_mb": 256},
            "main",
            "kafka_memory_limit_mb at least 512 (got 256)",
        ),
        (
            "pocket_pos.platform.kafka",
            {"kafka_admin_bind_address": "localhost"},
            "main",
            "kafka_admin_bind_address an IP address (got 'localhost')",
        ),
        (
            "pocket_pos.platform.kafka",
            {"kafka_topics": [{"name": "pos orders"}]},
            "topics",
            "kafka_topics: every entry needs a name of 1-249 letters",
        ),
        (
            "pocket_pos.platform.kafka",
            {"kafka_topics": [{"name": "pos.orders", "partitons": 3}]},
            "main",
            "an entry holds only name, partitions, replication_factor, config and state",
        ),
        (
            "pocket_pos.platform.api",
            {"pos_app_registry": "registry.example.com", "api_shutdown_timeout_ms": 30000},
            "main",
            "api_shutdown_timeout_ms from 1000 to below api_stop_grace_period in ms",
        ),
        (
            "pocket_pos.platform.api",
            {"api_image": "pocket-pos/api:latest"},
            "main",
            "api_image must be <registry>/<name>:<pinned tag>",
        ),
        (
            "pocket_pos.platform.api",
            {"pos_app_registry": "registry.example.com", "api_source_git_repo": "https://git.example.com/api.git", "api_source_git_version": "main"},
            "main",
            "api_source_git_version must pin the build",
        ),
        (
            "pocket_pos.platform.web",
            {"pos_app_registry": "registry.example.com", "web_csp_extra": "script-src 'unsafe-inline'"},
            "main",
            "web_csp_extra",
        ),
        (
            "pocket_pos.platform.web",
            {"pos_app_registry": "registry.example.com", "web_api_url": "api:3000"},
            "main",
            "web_api_url an http(s) URL (got 'api:3000')",
        ),
        (
            "pocket_pos.platform.web",
            {"web_image": "registry.example.com/pocket-pos/web:latest"},
            "main",
            "web_image must be <registry>/<name>:<pinned tag>, never latest",
        ),
        (
            "pocket_pos.platform.nginx",
            {"nginx_server_names": ["pos example.com"], "nginx_tls_source": "local"},
            "main",
            "nginx_server_names must be a non-empty list of host names",
        ),
        (
            "pocket_pos.platform.nginx",
            {"nginx_tls_source": "acme", "nginx_server_names": ["pos.example.com"]},
            "main",
            "nginx_tls_source is acme: nginx_acme_email must be the account's contact address",
        ),
        (
            "pocket_pos.platform.nginx",
            {"pos_environment": "production"},
            "main",
            "nginx_tls_source is operator: nginx_tls_certificate (PEM",
        ),
        (
            "pocket_pos.platform.nginx",
            {"nginx_tls_source": "local", "nginx_csp_extra": {"connect-src": ["https://a.example; script-src *"]}},
            "main",
            "Content-Security-Policy directive 'connect-src'",
        ),
        (
            "pocket_pos.platform.nginx",
            {"nginx_tls_source": "letsencrypt"},
            "main",
            "nginx_tls_source",
        ),
    ],
)
def test_bad_input_is_refused_by_name(tmp_path: Path, role: str, variables: dict, tasks_from: str, message: str) -> None:
    code, out = apply_role(tmp_path, role, variables, tasks_from)
    assert code != 0, out
    assert message in out, out
    assert not (tmp_path / "touched").exists()


def test_distro_docker_on_debian_12_is_refused(tmp_path: Path) -> None:
    """Debian 12's own docker-compose is v1: the role says what to choose instead (this controller is Debian 12)."""
    release = Path("/etc/os-release").read_text()
    if 'VERSION_ID="12"' not in release or "ID=debian" not in release:
        pytest.fail("this test needs a Debian 12 controller, the machine this project is built and tested on")
    code, out = apply_role(tmp_path, "pocket_pos.platform.docker_engine", {"docker_engine_source": "distro"})
    assert code != 0, out
    assert "docker_engine_source 'distro' is not available on Debian 12" in out
    assert "its own packages have no Compose v2. Choose one of: upstream, present." in out
    assert not (tmp_path / "touched").exists()


def test_marker_is_written_when_the_role_returns(tmp_path: Path) -> None:
    """The control for the tests above: a role given valid input that does nothing returns and the marker appears."""
    code, out = apply_role(tmp_path, "pocket_pos.platform.images", {"images_build": [], "images_base_releases": []})
    assert code == 0, out
    assert (tmp_path / "touched").exists()


@pytest.mark.parametrize(
    ("role", "variable"),
    [
        ("pocket_pos.platform.postgres", "postgres_superuser_password"),
        ("pocket_pos.platform.redis", "redis_app_password"),
        ("pocket_pos.platform.kafka", "kafka_api_password"),
    ],
)
def test_a_refused_password_is_never_shown(tmp_path: Path, role: str, variable: str) -> None:
    """The refusal names the variable and leaves the value out, even at -vvv style verbosity of the message."""
    secret = "Zq9LeakCheckValue"[:12]
    code, out = apply_role(tmp_path, role, {variable: secret})
    assert code != 0, out
    assert re.search(rf"{variable}: a supplied password needs at least \d+ characters", out), out
    assert secret not in out


def test_mobile_is_removed_outside_development(tmp_path: Path) -> None:
    """The Expo container is a development tool: in production the mobile role deletes its compose fragment (so the
    stack's deploy removes the service) and deploys nothing. Run for real against a scratch project directory."""
    base = tmp_path / "stack"
    (base / "compose.d").mkdir(parents=True)
    fragment = base / "compose.d" / "mobile.yml"
    fragment.write_text("services: {mobile: {image: x}}\n")
    other = base / "compose.d" / "api.yml"
    other.write_text("services: {api: {image: y}}\n")
    result = apply_role_locally(tmp_path, "pocket_pos.platform.mobile", {"pos_environment": "production", "stack_base_dir": str(base)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert not fragment.exists()
    assert other.exists()
    assert not (base / "mobile").exists()
