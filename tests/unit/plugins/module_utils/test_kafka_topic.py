"""The kafka_topic module's pure logic: names, normalisation, input checks and the plan against observed topics."""

from __future__ import annotations

import pytest

from ansible_collections.pocket_pos.platform.plugins.module_utils.kafka_topic import (
    Observed,
    config_value,
    input_problems,
    normalize,
    plan,
    topic_name_problem,
)

DEFAULTS = {"partitions": None, "replication_factor": None, "config": None, "state": "present"}
KNOWN = frozenset({"retention.ms", "cleanup.policy", "segment.bytes", "min.insync.replicas"})


def topic(name="orders", partitions=3, replication_factor=1, config=None, state="present"):
    return normalize({"name": name, "partitions": partitions, "replication_factor": replication_factor, "config": config or {}, "state": state}, DEFAULTS)


@pytest.mark.parametrize("name", ["orders", "pos.orders-v2", "a" * 249, "A_b.c-D"])
def test_legal_topic_names(name: str) -> None:
    assert topic_name_problem(name) == ""


@pytest.mark.parametrize("name", ["", "orders!", "with space", "a" * 250, ".", "..", None, "ordérs"])
def test_illegal_topic_names(name: object) -> None:
    assert "is not legal" in topic_name_problem(name)


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "true"), (False, "false"), (604800000, "604800000"), ("compact", "compact"), (["compact", "delete"], "compact,delete"), (0.5, "0.5")],
)
def test_config_values_are_compared_as_the_broker_reports_them(value: object, text: str) -> None:
    assert config_value(value) == text


def test_normalize_takes_module_defaults_for_missing_keys() -> None:
    defaults = {"partitions": 6, "replication_factor": 1, "config": {"retention.ms": 1000}, "state": "present"}
    assert normalize({"name": "orders"}, defaults) == {
        "name": "orders",
        "partitions": 6,
        "replication_factor": 1,
        "state": "present",
        "config": {"retention.ms": "1000"},
    }
    own = normalize({"name": "audit", "partitions": 2, "config": {}}, defaults)
    assert own["partitions"] == 2 and own["config"] == {}


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        ([topic(partitions=-1)], "topic 'orders': partitions must be 1 or more, got -1"),
        ([topic(partitions=0)], "topic 'orders': partitions must be 1 or more, got 0"),
        ([topic(replication_factor=0)], "topic 'orders': replication_factor must be 1 or more, got 0"),
        ([topic(name="bad name")], "topic name 'bad name' is not legal"),
        ([topic(), topic()], "topic 'orders' is declared more than once"),
    ],
)
def test_input_problems_name_the_topic(topics: list, message: str) -> None:
    assert message in "; ".join(input_problems(topics))


def test_absent_topics_need_no_partitions() -> None:
    assert input_problems([topic(partitions=None, replication_factor=None, state="absent")]) == []


def test_missing_topic_is_created() -> None:
    todo = plan([topic(config={"retention.ms": 1000})], {})
    assert todo.changed and [t["name"] for t in todo.create] == ["orders"]
    assert todo.before == {"orders": None}
    assert todo.after == {"orders": {"partitions": 3, "replication_factor": 1, "config": {"retention.ms": "1000"}}}
    assert todo.results[0]["action"] == "created"


def test_matching_topic_is_left_alone() -> None:
    observed = {"orders": Observed(3, 1, {"retention.ms": "1000"}, KNOWN)}
    todo = plan([topic(config={"retention.ms": 1000})], observed)
    assert not todo.changed
    assert todo.drift == {} and todo.before == todo.after
    assert todo.results[0]["action"] == "none"


def test_partitions_are_increased() -> None:
    todo = plan([topic(partitions=6)], {"orders": Observed(3, 1, {}, KNOWN)})
    assert todo.add_partitions == {"orders": 6} and todo.results[0]["changes"] == ["partitions"]


@pytest.mark.parametrize(
    ("declared", "observed", "message"),
    [
        (topic(partitions=2), Observed(3, 1, {}, KNOWN), "topic 'orders': partitions cannot decrease from 3 to 2"),
        (topic(replication_factor=3), Observed(3, 1, {}, KNOWN), "topic 'orders': replication_factor cannot change from 1 to 3"),
        (topic(config={"retention.forever": 1}), Observed(3, 1, {}, KNOWN), "topic 'orders': unknown config key(s) retention.forever"),
    ],
)
def test_refusals_name_the_topic_and_change_nothing(declared: dict, observed: Observed, message: str) -> None:
    todo = plan([declared, topic(name="payments")], {"orders": observed})
    assert message in todo.refusals[0]
    # The refusal does not stop the plan from describing the rest, but the module sends nothing when any is refused.
    assert not todo.add_partitions and not todo.set_configs and [t["name"] for t in todo.create] == ["payments"]


def test_replication_above_broker_count_is_refused_for_a_new_topic() -> None:
    todo = plan([topic(replication_factor=3)], {}, broker_count=1)
    assert todo.refusals == ["topic 'orders': replication_factor 3 is more than the 1 broker(s) in the cluster"]
    assert not todo.create


def test_configs_are_set_and_undeclared_ones_go_back_to_default() -> None:
    observed = {"orders": Observed(3, 1, {"retention.ms": "1000", "segment.bytes": "1048576"}, KNOWN)}
    todo = plan([topic(config={"retention.ms": 2000, "cleanup.policy": "compact"})], observed)
    assert todo.set_configs == {"orders": {"retention.ms": "2000", "cleanup.policy": "compact"}}
    assert todo.delete_configs == {"orders": ["segment.bytes"]}
    assert todo.drift == {
        "orders": {
            "differs": {"cleanup.policy": {"declared": "compact", "actual": None}, "retention.ms": {"declared": "2000", "actual": "1000"}},
            "undeclared": {"segment.bytes": "1048576"},
        }
    }
    assert todo.before["orders"]["config"] == {"retention.ms": "1000", "segment.bytes": "1048576"}
    assert todo.after["orders"]["config"] == {"cleanup.policy": "compact", "retention.ms": "2000"}


def test_only_config_removal_is_a_change() -> None:
    todo = plan([topic()], {"orders": Observed(3, 1, {"retention.ms": "1000"}, KNOWN)})
    assert todo.changed and todo.delete_configs == {"orders": ["retention.ms"]} and not todo.set_configs
    assert todo.results[0]["changes"] == ["config"]


@pytest.mark.parametrize(("exists", "changed"), [(True, True), (False, False)])
def test_absent_deletes_only_an_existing_topic(exists: bool, changed: bool) -> None:
    observed = {"orders": Observed(3, 1, {}, KNOWN)} if exists else {}
    todo = plan([topic(state="absent")], observed)
    assert todo.changed is changed
    assert todo.delete == (["orders"] if exists else [])
    assert todo.after == {"orders": None}


def test_many_topics_are_planned_in_one_pass() -> None:
    declared = [topic(name=f"t{i}", partitions=2) for i in range(100)]
    observed = {f"t{i}": Observed(2, 1, {}, KNOWN) for i in range(50)}
    todo = plan(declared, observed)
    assert len(todo.create) == 50 and not todo.add_partitions and not todo.set_configs
