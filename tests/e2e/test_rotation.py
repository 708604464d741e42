"""playbooks/rotate-secrets.yml on the deployed stack: every generated password of PostgreSQL, Redis and Kafka and
the API's copies change, the old ones stop working, and the applications reconnect (the health gate's API readiness,
then an order through nginx into PostgreSQL and the orders topic). Runs after the health tests (name order)."""

from __future__ import annotations

import logging
import subprocess

import pytest
from integration.helpers import run

from e2e.stack import BASE, as_declared, deploy, fingerprint, https, kafka_config, orders_topic_messages, psql, recap, redis_cli, secret, secrets

ROTATED = [
    "postgres_superuser_password", "postgres_owner_password", "postgres_app_password",
    "redis_admin_password", "redis_app_password", "redis_monitor_password", "kafka_admin_password", "kafka_api_password",
    "api_postgres_password", "api_postgres_migrator_password", "api_redis_password", "api_kafka_password",
]  # fmt: skip


@pytest.fixture(scope="module")
def rotation(stack):
    if not as_declared():  # an earlier test deployed a changed variable (the upgrade test, last before, does not)
        deploy()
    before, data, old = secrets(), fingerprint(), {name: secret(name) for name in ROTATED}
    result = run("ansible-playbook", "playbooks/rotate-secrets.yml", "-i", "inventories/local", timeout=1200)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-6000:]
    return before, data, old, out


def test_every_generated_secret_changes_and_the_api_copies_follow(rotation) -> None:
    before, _data, _old, out = rotation
    after = secrets()
    assert sorted(name for name in after if after[name] != before[name]) == sorted(ROTATED)
    assert secret("api_postgres_password") == secret("postgres_app_password")
    assert secret("api_redis_password") == secret("redis_app_password")
    assert secret("api_kafka_password") == secret("kafka_api_password")
    for name in ROTATED:
        assert secret(name) not in out, f"{name} printed"
    assert recap(out)["failed"] == 0


def test_the_old_passwords_are_refused_and_the_new_ones_work(rotation) -> None:
    _before, _data, old, _out = rotation
    login = subprocess.run(
        ["docker", "exec", "-e", f"PGPASSWORD={old['postgres_app_password']}", "pocket-pos-postgres-1",
         "psql", "-h", "127.0.0.1", "-U", "pos_app", "-d", "pocket_pos", "-XtAc", "SELECT 1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert login.returncode != 0 and "password authentication failed" in login.stderr, login.stderr
    assert psql("SELECT 1") == "1"
    auth = subprocess.run(
        ["docker", "exec", "-e", f"REDISCLI_AUTH={old['redis_admin_password']}", "pocket-pos-redis-1",
         "redis-cli", "--no-auth-warning", "--user", "pos-admin", "PING"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "WRONGPASS" in auth.stdout + auth.stderr, auth.stdout + auth.stderr
    assert redis_cli("PING") == "PONG"
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    # librdkafka's log, served to a Python logger on poll(): the broker's answer to the old password.
    said: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())
    logger = logging.getLogger("e2e.kafka.stale")
    logger.addHandler(handler)
    stale = AdminClient(kafka_config(**{"sasl.password": old["kafka_admin_password"], "logger": logger}))
    with pytest.raises(KafkaException):
        stale.list_topics(timeout=15)
    stale.poll(1)
    assert any("Authentication failed" in line for line in said), said[-5:]
    assert "pos.orders" in AdminClient(kafka_config()).list_topics(timeout=15).topics


def test_the_applications_reconnect_and_orders_flow(rotation) -> None:
    _before, data, _old, out = rotation
    assert "api" in out and "GET /api/health/ready: HTTP 200" in out, out[-3000:]
    assert fingerprint() == data, "nothing lost across the restarts"
    status, order = https("/api/orders", {"items": [{"productId": 3, "quantity": 2}]})
    assert status == 201 and order["published"] is True, order
    assert psql(f"SELECT total_cents FROM orders WHERE id = {int(order['id'])}") == str(order["totalCents"])  # noqa: S608  an integer id
    assert str(order["id"]) in {key for key, _value in orders_topic_messages()}


def test_a_deploy_after_the_rotation_changes_nothing(rotation) -> None:
    before = secrets()
    counts, out = deploy()
    assert counts["changed"] == 0, out[-3000:]
    assert secrets() == before


def test_the_rotation_flag_is_refused_outside_the_playbook(stack) -> None:
    result = run("ansible-playbook", "deploy.yml", "-i", "inventories/local", "-e", "pos_rotate_secrets=true", timeout=300)
    out = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "pos_rotate_secrets is set for localhost" in out, out[-2000:]
    assert (BASE / "secrets").exists()
