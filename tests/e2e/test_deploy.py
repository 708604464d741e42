"""The whole stack deployed on this machine with deploy.yml and inventories/local, as `make local` does: a full
deploy, an order through nginx over HTTPS (validated against the exported local CA) that reaches PostgreSQL, the
Redis cache and the orders topic, a second run that changes nothing and keeps every secret, and a check-mode run with --diff on the
converged host that changes nothing."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml
from integration.helpers import ROOT, run

from e2e.stack import BASE, CA, FIRST_DEPLOY, container_events, containers, deploy, https, orders_topic_messages, psql, recap, redis_cli, secret, secrets


def test_first_deploy_brings_every_service_up_healthy(stack) -> None:
    counts, out = stack
    assert counts["failed"] == 0
    summary = out[out.index("Where each service answers") :]
    for service in ("api", "kafka", "mobile", "nginx", "postgres", "redis", "web"):
        assert re.search(rf"pocket-pos-{service}-1\s+healthy", summary), summary[:3000]


def test_the_migrations_run_while_compose_still_brings_the_stack_up(stack) -> None:
    """deploy.yml runs the API's migration job as soon as PostgreSQL is healthy, while compose still waits for the web
    client (the slowest to start: its first page compiles) before it starts nginx, which depends on it. So the job's
    one-off container started before nginx's did, in the first deploy; run after compose's wait, it would start after."""
    starts = container_events(*FIRST_DEPLOY["span"])
    migration = [nanos for nanos, _name, service, _action in starts if service == "api-migrate"]
    nginx = [nanos for nanos, name, _service, _action in starts if name == "pocket-pos-nginx-1"]
    assert migration and nginx, starts
    assert migration[0] < nginx[0], starts
    # Nor was the nginx compose had just started reloaded: it resolved its upstreams when it started.
    reload = r"TASK \[Reload nginx after the deploy recreated containers\][^\n]*\n(?:[^\n]*\d{2}:\d{2}:\d{2}[^\n]*\n)?skipping:"
    assert re.search(reload, stack[1]), stack[1][-3000:]


def test_the_migration_job_container_is_removed_only_once_compose_has_ended(stack) -> None:
    """docker_compose_v2 ends with `compose ps --all`, which inspects each container of the project, one-off jobs
    included: the job's container, removed as it exited (`run --rm`) while compose still ran, once fell between that
    list and its inspection and failed a rerun with "No such container". So deploy.yml keeps it until compose has
    ended and settle removes it then. Compose's wait ended after each service had first reported healthy; in the
    first deploy the job ran long before the last of them (the web client's first compile), so a removal as it
    exited comes first, and this fails."""
    span = FIRST_DEPLOY["span"]
    healthy: dict[str, int] = {}
    for nanos, name, _service, action in container_events(*span, event="health_status"):
        if action.endswith(": healthy"):
            healthy.setdefault(name, nanos)
    destroyed = [nanos for nanos, _name, service, _action in container_events(*span, event="destroy") if service == "api-migrate"]
    assert len(healthy) == 7 and len(destroyed) == 1, (healthy, destroyed)
    assert destroyed[0] > max(healthy.values()), (healthy, destroyed)
    left = subprocess.run(["docker", "ps", "-aq", "--filter", "label=org.pocket-pos.job"], capture_output=True, text=True, check=True)
    assert left.stdout.strip() == "", left.stdout


def test_an_order_through_nginx_reaches_the_database_the_cache_and_the_topic(stack) -> None:
    """The row in PostgreSQL, the product cached in Redis, and the order event read from the orders topic by a
    consumer built on another client library (confluent-kafka) than the API's (kafkajs)."""
    status, ready = https("/api/health/ready")
    assert status == 200 and ready["status"] == "ready", ready
    redis_cli("DEL", "pos:product:2")
    status, order = https("/api/orders", {"items": [{"productId": 2, "quantity": 3}]})
    assert status == 201 and order["published"] is True, order
    order_id = int(order["id"])
    assert psql(f"SELECT total_cents FROM orders WHERE id = {order_id}") == str(order["totalCents"])  # noqa: S608  an integer id
    cached = json.loads(redis_cli("GET", "pos:product:2"))
    assert cached["id"] == 2 and cached["priceCents"] * 3 == order["totalCents"], cached
    events = [json.loads(value) for key, value in orders_topic_messages() if key == str(order_id)]
    assert len(events) == 1 and events[0]["totalCents"] == order["totalCents"], events


def test_a_second_run_changes_nothing_and_keeps_the_secrets(stack) -> None:
    before = secrets()
    counts, out = deploy()
    assert counts["changed"] == 0, re.findall(r"changed: \[localhost\].*", out)[:20]
    assert secrets() == before


def test_a_deploy_with_a_debian_host_python_reaches_every_module_s_libraries_and_changes_nothing(stack, host_python) -> None:
    """The host's Python as the roles leave Debian's (requests and cryptography; 3.11.2 on bookworm), not this
    machine's, which has the Docker SDK: the waits, settle, the topics and the health gate import the Docker SDK,
    psycopg, redis and confluent-kafka from the library sets on PYTHONPATH alone. Mitogen runs the modules in its
    long-lived interpreter, where PYTHONPATH reached os.environ but not sys.path; and redis needs async-timeout on a
    Python before 3.11.3, which the stack's set lacked."""
    result = run("ansible-playbook", "deploy.yml", "-i", "inventories/local", "-e", f"ansible_python_interpreter={host_python}", timeout=1500)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-6000:]
    counts = recap(out)
    assert counts["failed"] == 0 and counts["changed"] == 0, out[-6000:]
    for service in ("postgres", "redis", "kafka", "api", "web", "nginx"):
        assert re.search(rf"pocket-pos-{service}-1\s+healthy", out), out[-3000:]


def test_the_host_has_the_shared_file_the_environments_file_and_an_env_without_secrets(stack) -> None:
    """docker-compose.yml holds what every environment shares, docker-compose.dev.yml development's part (limits,
    restart policy, hot reload mounts, debug ports on 127.0.0.1), each key in one file only; the .env names both, so
    that `docker compose ps` in the project directory, with no -f, sees every service; it holds no secret."""
    shared = yaml.safe_load((BASE / "docker-compose.yml").read_text())["services"]
    development = yaml.safe_load((BASE / "docker-compose.dev.yml").read_text())["services"]
    assert not (BASE / "docker-compose.prod.yml").exists() and not (BASE / "docker-compose.test.yml").exists()
    for service, keys in development.items():
        assert not set(keys) & set(shared[service]), service
    assert "restart" not in shared["postgres"] and development["postgres"]["restart"] == "unless-stopped"
    assert any(port.startswith("127.0.0.1:") and port.endswith(":9229") for port in development["api"]["ports"])
    assert any(volume.endswith(":/src/src:ro") for volume in development["api"]["volumes"])
    assert "ports" not in shared["api"] and "volumes" not in shared["api"]

    dotenv = dict(line.split("=", 1) for line in (BASE / ".env").read_text().splitlines() if line and not line.startswith("#"))
    assert dotenv == {
        "COMPOSE_PROJECT_NAME": "pocket-pos",
        "COMPOSE_FILE": f"{BASE}/docker-compose.yml:{BASE}/docker-compose.dev.yml",
        "POS_ENVIRONMENT": "development",
    }
    documented = (BASE / ".env.example").read_text()
    assert all(re.search(rf"^{name}=", documented, re.MULTILINE) for name in dotenv)
    env_text = (BASE / ".env").read_text()
    assert not [name for name in secrets() if secret(name) in env_text]

    listed = subprocess.run(["docker", "compose", "ps", "--format", "{{.Service}}"], cwd=BASE, capture_output=True, text=True, check=True).stdout
    assert set(listed.split()) == {"api", "kafka", "mobile", "nginx", "postgres", "redis", "web"}, listed
    # What compose reads from the pair is the project the deploy started: no container would be recreated.
    hashes = subprocess.run(["docker", "compose", "config", "--hash", "*"], cwd=BASE, capture_output=True, text=True, check=True).stdout
    label = '{{.Label "com.docker.compose.service"}} {{.Label "com.docker.compose.config-hash"}}'
    running = subprocess.run(
        ["docker", "ps", "--filter", "label=com.docker.compose.project=pocket-pos", "--format", label],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert set(running.splitlines()) <= set(hashes.splitlines()), (running, hashes)


def test_check_mode_with_diff_on_the_converged_host_changes_nothing(stack) -> None:
    counts, out = deploy("--check", "--diff")
    assert counts["changed"] == 0, out[-4000:]


def test_ca_is_exported_where_the_summary_says(stack) -> None:
    _counts, out = stack
    assert f"Trust the local CA: {CA}" in out
    assert CA.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert ROOT.exists()


def test_a_changed_variable_shows_in_check_mode_and_changes_nothing_until_the_real_run(stack, tmp_path: Path) -> None:
    """Runs last: it leaves Redis with the changed limit and no Expo container (later tests deploy the inventory's
    settings again). The Expo container turned off is a fragment removed: check mode names it among the services
    a real run removes, though it removes no file."""
    change = tmp_path / "change.yml"
    change.write_text("redis_memory_limit_mb: 640\nmobile_enabled: false\nnginx_mobile_enabled: false\n")
    # Redis's memory limit is development's: docker-compose.dev.yml shows the change.
    compose_files = [BASE / "docker-compose.yml", BASE / "docker-compose.dev.yml"]
    before_files, before_ids = [path.read_bytes() for path in compose_files], containers()

    counts, out = deploy("--check", "--diff", "-e", f"@{change}")
    assert counts["changed"] > 0, out[-3000:]
    # The callback wraps a long message over lines: compare with the white space folded.
    # nginx loses its Expo port and its dependency on the Expo container.
    assert "Would create: none; recreate: nginx, redis; remove: mobile" in " ".join(out.split()), out[-6000:]
    assert re.search(r"^-\s+mem_limit: 512m$", out, re.MULTILINE) and re.search(r"^\+\s+mem_limit: 640m$", out, re.MULTILINE), out[-6000:]
    assert [path.read_bytes() for path in compose_files] == before_files
    assert containers() == before_ids

    counts, out = deploy("-e", f"@{change}")
    assert "Will create: none; recreate: nginx, redis; remove: mobile" in " ".join(out.split()), out[-6000:]
    after_ids = containers()
    recreated = {"pocket-pos-redis-1", "pocket-pos-nginx-1"}
    assert all(after_ids[name] != before_ids[name] for name in recreated)
    assert "pocket-pos-mobile-1" in before_ids and "pocket-pos-mobile-1" not in after_ids
    assert not (BASE / "compose.d" / "mobile.yml").exists()
    assert {name: cid for name, cid in after_ids.items() if name not in recreated} == {
        name: cid for name, cid in before_ids.items() if name not in recreated | {"pocket-pos-mobile-1"}
    }
    status, order = https("/api/orders", {"items": [{"productId": 1, "quantity": 1}]})
    assert status == 201 and order["published"] is True, order
