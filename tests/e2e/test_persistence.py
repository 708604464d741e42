"""Data survives the stack being taken down and brought up again, the Docker engine being restarted, and an image
upgrade of each data service: the orders' rows (count and checksum), durable keys in Redis and every message of the
orders topic are all there afterwards, and every service answers its probe again. Runs after the health tests (name
order); the upgrade, last, leaves the stack as the inventory declares it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from integration.helpers import ROOT, run

from e2e.stack import BASE, containers, deploy, fingerprint, health, https, psql, redis_cli

PREVIOUS_IMAGES = ROOT / "tests" / "e2e" / "previous-images.yml"


@pytest.fixture(scope="module")
def data(stack) -> dict[str, str]:
    status, order = https("/api/orders", {"items": [{"productId": 2, "quantity": 1}]})
    assert status == 201 and order["published"] is True, order
    redis_cli("SET", "e2e:persistence", f"order {order['id']}")
    time.sleep(2)  # Redis appends every second
    return fingerprint()


def compose(*args: str) -> None:
    result = subprocess.run(["docker", "compose", "--project-directory", str(BASE), *args], capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]


def test_down_and_up_keeps_every_row_key_and_message(data) -> None:
    compose("down")
    compose("up", "--detach", "--wait", "--wait-timeout", "300")
    code, out = health(240)
    assert code == 0, out[-4000:]
    assert fingerprint() == data


def restart_engine() -> None:
    """Restart dockerd the way it runs here: systemd's unit, or the test-bed's own daemon (TERM, then
    tools/testbed/engine.sh starts it again)."""
    if shutil.which("systemctl") and subprocess.run(["systemctl", "is-active", "--quiet", "docker"], check=False).returncode == 0:
        subprocess.run(["systemctl", "restart", "docker"], check=True, timeout=300)
        return
    pid = int(Path("/var/run/docker.pid").read_text().strip())
    os.kill(pid, signal.SIGTERM)
    for _second in range(180):
        if not Path(f"/proc/{pid}").exists():
            break
        time.sleep(1)
    else:
        pytest.fail("dockerd did not stop within 180 s")
    subprocess.run(["bash", str(ROOT / "tools" / "testbed" / "engine.sh")], check=True, timeout=300)


def test_a_docker_engine_restart_keeps_every_row_key_and_message(data) -> None:
    restart_engine()
    # Every service comes back by its restart policy (unless-stopped), with nothing run by the test.
    code, out = health(300)
    assert code == 0, out[-4000:]
    assert fingerprint() == data


def container_output(container: str, *command: str) -> str:
    result = subprocess.run(["docker", "exec", container, *command], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def versions() -> dict[str, str]:
    """What each data service runs: the server's own version, Debian's package version, the broker's jar."""
    jars = container_output("pocket-pos-kafka-1", "ls", "/opt/kafka/libs").split()
    return {
        "postgres": psql("SHOW server_version").split()[0],
        "redis": container_output("pocket-pos-redis-1", "dpkg-query", "-W", "-f", "${Version}", "redis-server"),
        "kafka": next(jar for jar in jars if jar.startswith("kafka_2.13-") and jar.endswith(".jar"))[len("kafka_2.13-") : -len(".jar")],
    }


def test_an_image_upgrade_of_each_data_service_keeps_every_row_key_and_message(data, tmp_path: Path) -> None:
    """The release before the pinned one of PostgreSQL (15.18), Redis (Debian revision 1~deb12u7) and Kafka (3.9.0),
    built from the same recipes (previous-images.yml), is deployed and written to; then deploy.yml with the
    inventory's versions recreates the three containers from the pinned images on the same volumes."""
    result = run("ansible-playbook", "playbooks/images.yml", "-i", "inventories/local", "-e", f"@{PREVIOUS_IMAGES}", timeout=1800)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    previous = tmp_path / "previous.yml"
    previous.write_text('postgres_version: "15.18"\nredis_version: 7.0.15-deb12u7\nkafka_version: 3.9.0\n')
    deploy("-e", f"@{previous}")
    assert versions() == {"postgres": "15.18", "redis": "5:7.0.15-1~deb12u7", "kafka": "3.9.0"}
    assert fingerprint() == data
    # Written by the previous release.
    status, order = https("/api/orders", {"items": [{"productId": 3, "quantity": 2}]})
    assert status == 201 and order["published"] is True, order
    redis_cli("SET", "e2e:upgrade", f"order {order['id']}")
    time.sleep(2)  # Redis appends every second
    before, before_containers = fingerprint(), containers()
    assert before != data

    counts, out = deploy()
    assert counts["failed"] == 0
    plan = re.search(r"Will create: ([^;]*); recreate: ([^;]*); remove:", " ".join(out.split()))
    assert plan and {"kafka", "postgres", "redis"} <= set(plan.group(2).split(", ")), out[-6000:]
    upgraded = versions()
    assert upgraded["postgres"] == "15.20" and upgraded["kafka"] == "3.9.1", upgraded
    assert upgraded["redis"].startswith("5:7.0.15-1~deb12u") and upgraded["redis"] != "5:7.0.15-1~deb12u7", upgraded
    after_containers = containers()
    upgraded_containers = ["pocket-pos-postgres-1", "pocket-pos-redis-1", "pocket-pos-kafka-1"]
    assert all(after_containers[name] != before_containers[name] for name in upgraded_containers), (before_containers, after_containers)
    assert fingerprint() == before
    status, order = https("/api/orders", {"items": [{"productId": 1, "quantity": 1}]})
    assert status == 201 and order["published"] is True, order
