"""The whole stack deployed on this machine with deploy.yml and inventories/local, as `make local` does: a full
deploy, an order through nginx over HTTPS (validated against the exported local CA) that reaches PostgreSQL and
the orders topic, a second run that changes nothing and keeps every secret, and a check-mode run with --diff on the
converged host that changes nothing. The project is taken down at the end (its volumes stay)."""

from __future__ import annotations

import hashlib
import json
import re
import ssl
import subprocess
import urllib.request
from pathlib import Path

import pytest
from integration.helpers import ROOT, run

BASE = Path("/opt/pocket-pos")
CA = Path.home() / ".cache" / "pocket-pos" / "localhost-nginx-ca.crt"


def deploy(*extra: str) -> tuple[dict[str, int], str]:
    result = run("ansible-playbook", "deploy.yml", "-i", "inventories/local", *extra, env={"ANSIBLE_TIMEOUT": "60"}, timeout=1500)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-6000:]
    recap = re.search(r"localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", out)
    assert recap, out[-3000:]
    return dict(zip(("ok", "changed", "unreachable", "failed"), map(int, recap.groups()), strict=True)), out


def secrets() -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted((BASE / "secrets").iterdir())}


def https(path: str, body: dict | None = None) -> tuple[int, dict]:
    context = ssl.create_default_context(cafile=str(CA))
    request = urllib.request.Request(f"https://localhost{path}", data=json.dumps(body).encode() if body else None, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=context, timeout=30) as response:  # noqa: S310  a fixed https URL
        return response.status, json.loads(response.read() or b"{}")


@pytest.fixture(scope="module")
def stack():
    counts, out = deploy()
    yield counts, out
    subprocess.run(["docker", "compose", "--project-directory", str(BASE), "down", "--remove-orphans"], capture_output=True, check=False)


def test_first_deploy_brings_every_service_up_healthy(stack) -> None:
    counts, out = stack
    assert counts["failed"] == 0
    summary = out[out.index("Where each service answers") :]
    for service in ("api", "kafka", "mobile", "nginx", "postgres", "redis", "web"):
        assert re.search(rf"pocket-pos-{service}-1\s+healthy", summary), summary[:3000]


def test_an_order_through_nginx_reaches_the_database_and_the_topic(stack) -> None:
    status, ready = https("/api/health/ready")
    assert status == 200 and ready["status"] == "ready", ready
    status, order = https("/api/orders", {"items": [{"productId": 1, "quantity": 3}]})
    assert status == 201 and order["published"] is True, order
    password = (BASE / "secrets" / "postgres_app_password").read_text().strip()
    psql = subprocess.run(
        ["docker", "exec", "-e", f"PGPASSWORD={password}", "pocket-pos-postgres-1", "psql", "-h", "127.0.0.1", "-U", "pos_app", "-d", "pocket_pos",
         "-tAc", f"select total_cents from orders where id = {int(order['id'])}"],  # noqa: S608  an integer id
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert psql.stdout.strip() == str(order["totalCents"]), psql.stdout + psql.stderr


def test_a_second_run_changes_nothing_and_keeps_the_secrets(stack) -> None:
    before = secrets()
    counts, out = deploy()
    assert counts["changed"] == 0, re.findall(r"changed: \[localhost\].*", out)[:20]
    assert secrets() == before


def test_check_mode_with_diff_on_the_converged_host_changes_nothing(stack) -> None:
    counts, out = deploy("--check", "--diff")
    assert counts["changed"] == 0, out[-4000:]


def test_ca_is_exported_where_the_summary_says(stack) -> None:
    _counts, out = stack
    assert f"Trust the local CA: {CA}" in out
    assert CA.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert ROOT.exists()


def containers() -> dict[str, str]:
    """Container name -> id of every container of the project."""
    result = subprocess.run(
        ["docker", "ps", "--all", "--filter", "label=com.docker.compose.project=pocket-pos", "--format", "{{.Names}} {{.ID}}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(line.split() for line in result.stdout.splitlines())


def test_a_changed_variable_shows_in_check_mode_and_changes_nothing_until_the_real_run(stack, tmp_path: Path) -> None:
    """Runs last: it leaves Redis with the changed limit (the fixture takes the project down after it)."""
    change = tmp_path / "change.yml"
    change.write_text("redis_memory_limit_mb: 640\n")
    compose_file = BASE / "docker-compose.yml"
    before_file, before_ids = compose_file.read_bytes(), containers()

    counts, out = deploy("--check", "--diff", "-e", f"@{change}")
    assert counts["changed"] > 0, out[-3000:]
    # The callback wraps a long message over lines: compare with the white space folded.
    assert "Would create: none; recreate: redis; remove: none" in " ".join(out.split()), out[-6000:]
    assert re.search(r"^-\s+mem_limit: 512m$", out, re.MULTILINE) and re.search(r"^\+\s+mem_limit: 640m$", out, re.MULTILINE), out[-6000:]
    assert compose_file.read_bytes() == before_file
    assert containers() == before_ids

    counts, out = deploy("-e", f"@{change}")
    assert "Will create: none; recreate: redis; remove: none" in " ".join(out.split()), out[-6000:]
    after_ids = containers()
    assert after_ids["pocket-pos-redis-1"] != before_ids["pocket-pos-redis-1"]
    assert {name: cid for name, cid in after_ids.items() if name != "pocket-pos-redis-1"} == {
        name: cid for name, cid in before_ids.items() if name != "pocket-pos-redis-1"
    }
    status, order = https("/api/orders", {"items": [{"productId": 1, "quantity": 1}]})
    assert status == 201 and order["published"] is True, order
