"""Data survives the stack being taken down and brought up again, and the Docker engine being restarted: the
orders' rows (count and checksum), durable keys in Redis and every message of the orders topic are all there
afterwards, and every service answers its probe again. Runs after the health tests (name order)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from integration.helpers import ROOT

from e2e.stack import BASE, fingerprint, health, https, redis_cli


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
