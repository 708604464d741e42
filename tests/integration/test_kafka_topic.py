"""pocket_pos.platform.kafka_topic against a real broker, in KRaft and in ZooKeeper mode: check mode and diff equal
to the real run, idempotence, partition increase, config change and removal back to the default, refusals that
change nothing, deletion, authentication errors and bad input. The broker runs from the air-gapped image that
make testbed builds."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pytest
import yaml
from confluent_kafka.admin import ConfigResource, ResourceType

from . import kafka_broker
from .helpers import run


@pytest.fixture(scope="module", params=["kraft", "zookeeper"])
def broker(request, tmp_path_factory):
    started = kafka_broker.start(request.param, tmp_path_factory.mktemp(request.param))
    yield started
    kafka_broker.stop(request.param)


def kafka_topic(tmp_path: Path, broker: kafka_broker.Broker, args: dict, check: bool = False, connection: dict | None = None) -> dict:
    """Run the module in a one-task play, as an operator's playbook does; return the task's result."""
    params = dict(broker.connection, **(connection or {}))
    params.update(args)
    play = [
        {
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [{"name": "kafka_topic", "pocket_pos.platform.kafka_topic": params, "check_mode": check, "diff": True}],
        }
    ]
    playbook = tmp_path / f"play-{uuid.uuid4().hex[:8]}.yml"
    playbook.write_text(yaml.safe_dump(play))
    env = {"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.json"}
    result = run("ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", str(playbook), env=env)
    output = json.loads(result.stdout)
    return output["plays"][0]["tasks"][0]["hosts"]["localhost"]


def topic_state(broker: kafka_broker.Broker, name: str) -> tuple[int, dict[str, str]] | None:
    """(partitions, configs set on the topic), read with the Kafka client directly; None when the topic is absent."""
    admin = broker.admin()
    topic = admin.list_topics(timeout=10).topics.get(name)
    if topic is None or topic.error is not None:
        return None
    entries = next(iter(admin.describe_configs([ConfigResource(ResourceType.TOPIC, name)]).values())).result()
    dynamic = {key: entry.value for key, entry in entries.items() if entry.source == 1}  # DYNAMIC_TOPIC_CONFIG
    return len(topic.partitions), dynamic


def new_name() -> str:
    return f"it-{uuid.uuid4().hex[:10]}"


def test_create_check_apply_and_idempotence(tmp_path: Path, broker) -> None:
    name = new_name()
    args = {"name": name, "partitions": 3, "replication_factor": 1, "config": {"retention.ms": 3600000, "cleanup.policy": "delete"}}
    checked = kafka_topic(tmp_path, broker, args, check=True)
    assert checked["changed"] and topic_state(broker, name) is None, "check mode created the topic"
    applied = kafka_topic(tmp_path, broker, args)
    assert applied["changed"] and applied["diff"] == checked["diff"]
    assert topic_state(broker, name) == (3, {"retention.ms": "3600000", "cleanup.policy": "delete"})
    again = kafka_topic(tmp_path, broker, args)
    assert not again["changed"] and again["topics"][0]["action"] == "none"
    assert not kafka_topic(tmp_path, broker, args, check=True)["changed"]


def test_partitions_increase_and_configs_change_and_go_back_to_default(tmp_path: Path, broker) -> None:
    name = new_name()
    kafka_topic(tmp_path, broker, {"name": name, "partitions": 2, "replication_factor": 1, "config": {"retention.ms": 3600000}})
    change = {"name": name, "partitions": 4, "replication_factor": 1, "config": {"segment.bytes": 10485760}}
    checked = kafka_topic(tmp_path, broker, change, check=True)
    assert checked["changed"] and topic_state(broker, name) == (2, {"retention.ms": "3600000"})
    assert checked["drift"][name] == {"differs": {"segment.bytes": {"declared": "10485760", "actual": None}}, "undeclared": {"retention.ms": "3600000"}}
    applied = kafka_topic(tmp_path, broker, change)
    assert applied["diff"] == checked["diff"] and applied["topics"][0]["changes"] == ["partitions", "config"]
    # retention.ms was removed from the declaration: the topic is back on the broker's default.
    assert topic_state(broker, name) == (4, {"segment.bytes": "10485760"})
    assert not kafka_topic(tmp_path, broker, change)["changed"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"partitions": 1}, "topic '{name}': partitions cannot decrease from 2 to 1"),
        ({"replication_factor": 2}, "topic '{name}': replication_factor cannot change from 1 to 2"),
        ({"config": {"retention.forever": 1}}, "topic '{name}': unknown config key(s) retention.forever"),
    ],
)
def test_refusals_name_the_topic_and_change_nothing(tmp_path: Path, broker, change: dict, message: str) -> None:
    name = new_name()
    other = new_name()
    kafka_topic(tmp_path, broker, {"name": name, "partitions": 2, "replication_factor": 1})
    declared = dict({"name": name, "partitions": 2, "replication_factor": 1}, **change)
    result = kafka_topic(tmp_path, broker, {"topics": [declared, {"name": other, "partitions": 1}], "replication_factor": 1})
    assert result.get("failed") and message.format(name=name) in result["msg"]
    assert topic_state(broker, name) == (2, {}) and topic_state(broker, other) is None, "a refused batch changed something"


def test_delete_only_with_state_absent(tmp_path: Path, broker) -> None:
    name = new_name()
    kafka_topic(tmp_path, broker, {"name": name, "partitions": 1, "replication_factor": 1})
    checked = kafka_topic(tmp_path, broker, {"name": name, "state": "absent"}, check=True)
    assert checked["changed"] and topic_state(broker, name) is not None
    deleted = kafka_topic(tmp_path, broker, {"name": name, "state": "absent"})
    assert deleted["changed"] and deleted["diff"] == checked["diff"]
    assert topic_state(broker, name) is None
    assert not kafka_topic(tmp_path, broker, {"name": name, "state": "absent"})["changed"]


def test_many_topics_in_one_call(tmp_path: Path, broker) -> None:
    prefix = new_name()
    topics = [{"name": f"{prefix}-{i}", "partitions": 1 + i % 3} for i in range(20)]
    created = kafka_topic(tmp_path, broker, {"topics": topics, "replication_factor": 1, "config": {"retention.ms": 7200000}})
    assert created["changed"] and [t["action"] for t in created["topics"]] == ["created"] * 20
    assert all(topic_state(broker, t["name"]) == (t["partitions"], {"retention.ms": "7200000"}) for t in topics)
    assert not kafka_topic(tmp_path, broker, {"topics": topics, "replication_factor": 1, "config": {"retention.ms": 7200000}})["changed"]


def test_wrong_password_is_an_authentication_error(tmp_path: Path, broker) -> None:
    result = kafka_topic(
        tmp_path, broker, {"name": new_name(), "partitions": 1, "replication_factor": 1}, connection={"sasl_password": "not-the-password", "request_timeout": 5}
    )
    assert result.get("failed")
    assert "SASL authentication error" in result["msg"] and "not-the-password" not in json.dumps(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"name": "neg", "partitions": -1, "replication_factor": 1}, "topic 'neg': partitions must be 1 or more, got -1"),
        ({"name": "bad topic!", "partitions": 1, "replication_factor": 1}, "topic name 'bad topic!' is not legal"),
        ({"name": "{new}", "partitions": 1, "replication_factor": 1, "config": {"retention.forever": 1}}, "Unknown topic config name: retention.forever"),
        ({"name": "{new}", "partitions": 1, "replication_factor": 3}, "replication_factor 3 is more than the 1 broker(s)"),
    ],
)
def test_bad_input_is_refused_before_any_change(tmp_path: Path, broker, args: dict, message: str) -> None:
    name = new_name()
    args = {key: value.replace("{new}", name) if isinstance(value, str) else value for key, value in args.items()}
    result = kafka_topic(tmp_path, broker, args)
    assert result.get("failed") and message in result["msg"], result.get("msg")
    assert topic_state(broker, name) is None
