"""deploy.yml's preflight: a good inventory passes; a bad one fails before any change, naming the problem."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from .helpers import run

LOCAL_HOST = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}


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
    variables = {"pos_environment": "test", "pos_image_source": "registry", "pos_app_registry": "registry.example.com"}
    inv = inventory(tmp_path, {"pos_stack": {"hosts": {"localhost": LOCAL_HOST}}}, variables)
    code, out = deploy(inv)
    assert code == 0, out


def test_registry_images_without_an_application_registry_are_refused_up_front(tmp_path: Path) -> None:
    inv = inventory(tmp_path, {"pos_stack": {"hosts": {"localhost": LOCAL_HOST}}}, {"pos_environment": "test", "pos_image_source": "registry"})
    code, out = deploy(inv)
    assert code != 0
    assert "api_image must be <registry>/<name>:<pinned tag> (got '/pocket-pos/api:0.1.0'; set pos_app_registry or api_image)" in " ".join(out.split())


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


# Bad inventory input, each refused by deploy.yml (the whole playbook, no tags) before any change, with a message
# that names the variable. The project directory is a fresh path, so a role that ran would leave it behind; Docker
# is pointed at a socket that does not exist, so nothing could reach this machine's engine either.
BAD_INPUTS = {
    "port out of range": ({"nginx_https_port": 70000}, "nginx_https_port: a port must be 1-65535 (got 70000)"),
    "duplicate fixed address": (
        {"stack_addresses": {"postgres": {"backend": "172.30.20.10"}, "redis": {"backend": "172.30.20.10"}}},
        "stack_addresses.redis.backend: 172.30.20.10 is already the address of postgres on backend (duplicate address)",
    ),
    "address outside its subnet": ({"stack_addresses": {"kafka": {"backend": "172.30.10.12"}}}, "stack_addresses.kafka.backend: 172.30.10.12 is outside"),
    "subnet overlap": ({"stack_backend_subnet": "172.30.0.0/16"}, "stack_frontend_subnet and stack_backend_subnet overlap"),
    "weak supplied password": ({"redis_app_password": "letmein"}, "redis_app_password: a supplied password needs at least"),
    "unknown environment": ({"pos_environment": "staging"}, "pos_environment must be one of: development, production, test, got: staging"),
    "placeholder secret": ({"kafka_api_password": "VAULT-PLACEHOLDER: set it"}, "still the value of kafka_api_password on localhost"),
    "last role's input": ({"nginx_server_names": ["bad name!"]}, "nginx_server_names must be a non-empty list of host names"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused_before_any_change(tmp_path: Path, case: str) -> None:
    variables, message = BAD_INPUTS[case]
    project = tmp_path / "project"
    extra = tmp_path / "extra.yml"
    extra.write_text(yaml.safe_dump({**variables, "stack_base_dir": str(project)}))
    result = run("ansible-playbook", "deploy.yml", "-i", "inventories/local", "-e", f"@{extra}", env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"})
    out = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0, out[-3000:]
    assert message in out, out[-3000:]
    assert "PLAY [Pocket POS stack]" not in out and "PLAY [Docker engine]" not in out
    assert "changed=0" in out and "changed: [" not in out
    assert not project.exists()


def test_prod_inventory_placeholders_are_refused() -> None:
    code, out = deploy("inventories/prod")
    out = " ".join(out.split())
    assert code != 0
    names = "pos_app_registry_password, nginx_tls_private_key, nginx_tls_certificate, postgres_backup_encrypt_certificate"
    assert f"The placeholder the example inventory ships is still the value of {names} on pos-prod-01" in out, out[-3000:]
    assert "VAULT-PLACEHOLDER:" not in out


def pem_material(tmp_path: Path, name: str) -> dict[str, str]:
    """A key and a self-signed certificate for name, valid for 90 days, as an operator would bring (PEM)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False).sign(key, hashes.SHA256())
    )  # fmt: skip
    return {
        "certificate": cert.public_bytes(serialization.Encoding.PEM).decode(),
        "key": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(),
    }


def test_prod_inventory_with_its_secrets_set_passes_the_preflight(tmp_path: Path) -> None:
    """The example production inventory is complete: with real values in its vault (and this machine standing in
    for its host) every role's checks pass, the operator's certificate included."""
    tls = pem_material(tmp_path, "pos.example.com")
    backup = pem_material(tmp_path, "backup recipient")
    vault = tmp_path / "vault.yml"
    vault.write_text(
        yaml.safe_dump(
            {
                "vault_pos_app_registry_password": "s3cretRegistryPassword",
                "vault_nginx_tls_certificate": tls["certificate"],
                "vault_nginx_tls_private_key": tls["key"],
                "vault_postgres_backup_encrypt_certificate": backup["certificate"],
                "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable,
                # This machine runs the tests as root and has no sudo: ansible-core's local connection ran these
                # checks without it, while Mitogen (ansible.cfg's strategy) starts sudo whenever become is set.
                "ansible_become": False,
            }
        )
    )
    code, out = deploy("inventories/prod", "-e", f"@{vault}")
    assert code == 0, out[-4000:]
    assert "Validating arguments against arg spec 'assert'" in out
    assert "pocket_pos.platform.nginx : Refuse a certificate that does not cover every server name" in out
    assert tls["key"].splitlines()[1] not in out
