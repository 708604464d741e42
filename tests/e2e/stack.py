"""What the end-to-end tests share: deploy.yml and the health playbook run as an operator runs them, requests through
nginx over HTTPS (validated against the exported local CA), and fingerprints of the data in PostgreSQL, Redis and
Kafka (counts and checksums) to show that nothing is lost."""

from __future__ import annotations

import hashlib
import json
import re
import ssl
import subprocess
import urllib.request
from pathlib import Path

from integration.helpers import run

BASE = Path("/opt/pocket-pos")
CA = Path.home() / ".cache" / "pocket-pos" / "localhost-nginx-ca.crt"
KAFKA_ADMIN = "127.0.0.1:9094"
ORDERS_TOPIC = "pos.orders"


# The span (start, end, as time.time()) of the session's first deploy, which created and started every container.
FIRST_DEPLOY: dict[str, tuple[float, float]] = {}


def container_events(since: float, until: float, event: str = "start") -> list[tuple[int, str, str, str]]:
    """(nanoseconds, container name, compose service, action) of each container event of the kind the Docker engine
    saw in the span: start, destroy, health_status (its action names the status)."""
    result = subprocess.run(
        ["docker", "events", "--since", f"{since:.3f}", "--until", f"{until:.3f}", "--filter", "type=container", "--filter", f"event={event}",
         "--format", '{{.TimeNano}}\t{{.Actor.Attributes.name}}\t{{index .Actor.Attributes "com.docker.compose.service"}}\t{{.Action}}'],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return [
        (int(nanos), name, service, action) for nanos, name, service, action in (line.split("\t", 3) for line in result.stdout.splitlines() if line.strip())
    ]


# Whether the stack runs as the inventory declares it: set by a whole deploy without extra variables, cleared by a
# deploy of changed variables (mark_changed() for one a test runs itself). Check mode leaves it as it was.
_STATE = {"as_declared": False}


def deploy(*extra: str) -> tuple[dict[str, int], str]:
    check = "--check" in extra
    before = _STATE["as_declared"]
    if not check:
        _STATE["as_declared"] = False
    result = run("ansible-playbook", "deploy.yml", "-i", "inventories/local", *extra, env={"ANSIBLE_TIMEOUT": "60"}, timeout=1500)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-6000:]
    _STATE["as_declared"] = before if check else not extra
    return recap(out), out


def mark_changed() -> None:
    _STATE["as_declared"] = False


def as_declared() -> bool:
    return _STATE["as_declared"]


def recap(out: str) -> dict[str, int]:
    found = re.search(r"localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", out)
    assert found, out[-3000:]
    return dict(zip(("ok", "changed", "unreachable", "failed"), map(int, found.groups()), strict=True))


def health(wait: int = 0, *extra: str) -> tuple[int, str]:
    """playbooks/health.yml: (exit code, output)."""
    result = run("ansible-playbook", "playbooks/health.yml", "-i", "inventories/local", "-e", f"stack_health_wait={wait}", *extra, timeout=900)
    return result.returncode, result.stdout + result.stderr


def secrets() -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted((BASE / "secrets").iterdir())}


def secret(name: str) -> str:
    return (BASE / "secrets" / name).read_text().strip()


def https(path: str, body: dict | None = None) -> tuple[int, dict]:
    context = ssl.create_default_context(cafile=str(CA))
    request = urllib.request.Request(f"https://localhost{path}", data=json.dumps(body).encode() if body else None, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=context, timeout=30) as response:  # noqa: S310  a fixed https URL
        return response.status, json.loads(response.read() or b"{}")


def psql(query: str) -> str:
    """A query as the application role, inside the postgres container; the password goes in the environment."""
    result = subprocess.run(
        ["docker", "exec", "-e", f"PGPASSWORD={secret('postgres_app_password')}", "pocket-pos-postgres-1",
         "psql", "-h", "127.0.0.1", "-U", "pos_app", "-d", "pocket_pos", "-XtAc", query],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def redis_cli(*command: str) -> str:
    """A command as the Redis admin user, inside the redis container (REDISCLI_AUTH keeps the password off argv)."""
    result = subprocess.run(
        ["docker", "exec", "-e", f"REDISCLI_AUTH={secret('redis_admin_password')}", "pocket-pos-redis-1",
         "redis-cli", "--no-auth-warning", "--user", "pos-admin", *command],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def kafka_config(**extra: object) -> dict:
    return {
        "bootstrap.servers": KAFKA_ADMIN,
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "admin",
        "sasl.password": secret("kafka_admin_password"),
        **extra,
    }


def orders_topic_messages() -> list[tuple[str, str]]:
    """Every message of the orders topic as (key, value), read from the beginning with confluent-kafka (librdkafka:
    not the API's kafkajs), partition by partition up to the high watermark."""
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer(kafka_config(**{"group.id": "pocket-pos-e2e", "enable.auto.commit": False, "auto.offset.reset": "earliest"}))
    try:
        partitions = consumer.list_topics(ORDERS_TOPIC, timeout=30).topics[ORDERS_TOPIC].partitions
        ends = {partition: consumer.get_watermark_offsets(TopicPartition(ORDERS_TOPIC, partition), timeout=30) for partition in partitions}
        wanted = {partition: high for partition, (low, high) in ends.items() if high > low}
        consumer.assign([TopicPartition(ORDERS_TOPIC, partition, ends[partition][0]) for partition in wanted])
        messages: list[tuple[str, str]] = []
        while wanted:
            message = consumer.poll(30)
            assert message is not None, f"no message within 30 s; still waiting for partitions {sorted(wanted)}"
            assert message.error() is None, message.error()
            messages.append((message.key().decode(), message.value().decode()))
            if message.offset() + 1 >= wanted.get(message.partition(), 0):
                wanted.pop(message.partition(), None)
        return sorted(messages)
    finally:
        consumer.close()


def fingerprint() -> dict[str, str]:
    """Counts and checksums of the orders in PostgreSQL, the e2e keys in Redis and the orders topic in Kafka."""
    messages = orders_topic_messages()
    keys = sorted(key for key in redis_cli("--scan", "--pattern", "e2e:*").splitlines() if key)
    values = [redis_cli("GET", key) for key in keys]
    return {
        "postgres": psql("SELECT count(*) || ' ' || md5(coalesce(string_agg(id || ':' || total_cents, ',' ORDER BY id), '')) FROM orders"),
        "redis": f"{len(keys)} " + hashlib.sha256("\n".join(f"{key}={value}" for key, value in zip(keys, values, strict=True)).encode()).hexdigest(),
        "kafka": f"{len(messages)} " + hashlib.sha256(repr(messages).encode()).hexdigest(),
    }


def containers() -> dict[str, str]:
    """Container name -> id of every container of the project."""
    result = subprocess.run(
        ["docker", "ps", "--all", "--filter", "label=com.docker.compose.project=pocket-pos", "--format", "{{.Names}} {{.ID}}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(line.split() for line in result.stdout.splitlines())
