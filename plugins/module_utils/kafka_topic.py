# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the kafka_topic module: what declared topics need, given what the cluster has.

``plan`` takes the declared topics and the observed ones and returns every action (create, add partitions, alter
configs, delete), the refusals (a partition decrease, a replication-factor change) and the diff; the module only
reads the cluster, calls ``plan`` and carries the actions out. Unit tests call these functions directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Kafka's own rule (org.apache.kafka.common.internals.Topic): ASCII letters, digits, '.', '_' and '-', at most 249.
TOPIC_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")


def topic_name_problem(name: object) -> str:
    """Return why name is not a legal topic name, or an empty string."""
    if not isinstance(name, str) or not TOPIC_NAME.match(name):
        return f"topic name '{name}' is not legal: use 1 to 249 ASCII letters, digits, '.', '_' or '-'"
    if name in (".", ".."):
        return f"topic name '{name}' is not legal: it cannot be '.' or '..'"
    return ""


def config_value(value: object) -> str:
    """A declared config value as the broker reports it: booleans as true/false, numbers and strings as text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(config_value(item) for item in value)
    return str(value)


@dataclass
class Observed:
    """A topic as the cluster has it. ``config`` holds the values set on the topic (not broker defaults);
    ``known_keys`` every topic config key the broker described (to refuse unknown keys before any change)."""

    partitions: int
    replication_factor: int
    config: dict[str, str] = field(default_factory=dict)
    known_keys: frozenset[str] = frozenset()


@dataclass
class Plan:
    create: list[dict] = field(default_factory=list)
    add_partitions: dict[str, int] = field(default_factory=dict)
    set_configs: dict[str, dict[str, str]] = field(default_factory=dict)
    delete_configs: dict[str, list[str]] = field(default_factory=dict)
    delete: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    drift: dict[str, dict] = field(default_factory=dict)
    before: dict[str, dict] = field(default_factory=dict)
    after: dict[str, dict] = field(default_factory=dict)
    results: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.create or self.add_partitions or self.set_configs or self.delete_configs or self.delete)


def normalize(topic: dict, defaults: dict) -> dict:
    """A declared topic with the module-level defaults filled in and config values as text."""
    merged = {key: topic.get(key) if topic.get(key) is not None else defaults.get(key) for key in ("partitions", "replication_factor", "state")}
    merged["name"] = topic.get("name")
    merged["state"] = merged["state"] or "present"
    config = topic.get("config")
    if config is None:
        config = defaults.get("config") or {}
    merged["config"] = {str(key): config_value(value) for key, value in config.items()}
    return merged


def input_problems(topics: list[dict]) -> list[str]:
    """What is wrong with the declared topics before the cluster is asked anything."""
    problems = []
    seen = set()
    for topic in topics:
        name = topic["name"]
        problem = topic_name_problem(name)
        if problem:
            problems.append(problem)
            continue
        if name in seen:
            problems.append(f"topic '{name}' is declared more than once")
        seen.add(name)
        if topic["state"] == "absent":
            continue
        partitions = topic.get("partitions")
        if partitions is None or partitions < 1:
            problems.append(f"topic '{name}': partitions must be 1 or more, got {partitions}")
        replication = topic.get("replication_factor")
        if replication is None or replication < 1:
            problems.append(f"topic '{name}': replication_factor must be 1 or more, got {replication}")
    return problems


def describe(topic: dict) -> dict:
    """The diff view of a declared topic."""
    return {"partitions": topic["partitions"], "replication_factor": topic["replication_factor"], "config": dict(sorted(topic["config"].items()))}


def plan(topics: list[dict], observed: dict[str, Observed], broker_count: int | None = None) -> Plan:
    """Everything the declared topics need, given the observed ones (name -> Observed; missing: absent)."""
    result = Plan()
    for topic in topics:
        name = topic["name"]
        current = observed.get(name)
        before = (
            None
            if current is None
            else {"partitions": current.partitions, "replication_factor": current.replication_factor, "config": dict(sorted(current.config.items()))}
        )
        if topic["state"] == "absent":
            if current is not None:
                result.delete.append(name)
            result.before[name] = before
            result.after[name] = None
            result.results.append({"name": name, "state": "absent", "action": "deleted" if current is not None else "none"})
            continue

        if current is None:
            if broker_count is not None and topic["replication_factor"] > broker_count:
                result.refusals.append(
                    f"topic '{name}': replication_factor {topic['replication_factor']} is more than the {broker_count} broker(s) in the cluster"
                )
                continue
            result.create.append(topic)
            result.before[name] = None
            result.after[name] = describe(topic)
            result.results.append({"name": name, "state": "present", "action": "created", **describe(topic)})
            continue

        refused = False
        if topic["partitions"] < current.partitions:
            result.refusals.append(
                f"topic '{name}': partitions cannot decrease from {current.partitions} to {topic['partitions']} (Kafka only adds partitions)"
            )
            refused = True
        if topic["replication_factor"] != current.replication_factor:
            result.refusals.append(
                f"topic '{name}': replication_factor cannot change from {current.replication_factor} to {topic['replication_factor']} "
                "(reassign the partitions with kafka-reassign-partitions instead)"
            )
            refused = True
        unknown = sorted(key for key in topic["config"] if current.known_keys and key not in current.known_keys)
        if unknown:
            result.refusals.append(f"topic '{name}': unknown config key(s) {', '.join(unknown)}")
            refused = True
        if refused:
            continue

        actions = []
        if topic["partitions"] > current.partitions:
            result.add_partitions[name] = topic["partitions"]
            actions.append("partitions")
        to_set = {key: value for key, value in topic["config"].items() if current.config.get(key) != value}
        to_delete = sorted(key for key in current.config if key not in topic["config"])
        if to_set:
            result.set_configs[name] = to_set
            actions.append("config")
        if to_delete:
            result.delete_configs[name] = to_delete
            if "config" not in actions:
                actions.append("config")
        if to_set or to_delete:
            result.drift[name] = {
                "differs": {key: {"declared": value, "actual": current.config.get(key)} for key, value in sorted(to_set.items())},
                "undeclared": {key: current.config[key] for key in to_delete},
            }
        result.before[name] = before
        result.after[name] = describe(topic)
        result.results.append({"name": name, "state": "present", "action": "updated" if actions else "none", "changes": actions, **describe(topic)})
    return result
