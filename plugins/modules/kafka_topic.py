#!/usr/bin/python
# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kafka_topic
short_description: Declare Kafka topics - partitions, replication factor and configs
version_added: 0.1.0
description:
  - Makes Kafka topics match their declaration. One topic with O(name), or many with O(topics) in one call, which
    reads the cluster once and sends each kind of change (create, add partitions, alter configs, delete) as one
    batched request.
  - Creates missing topics; adds partitions; sets configs and removes the ones not declared (a removed key goes
    back to the broker's default), with incremental alter configs; deletes topics only with O(state=absent).
  - Refuses, before any change, a partition decrease, a replication-factor change, an unknown config key and a
    replication factor above the number of brokers, naming the topic. The broker validates every create, partition
    increase and config change (validate-only requests) before the first real change is sent.
  - Reports drift, the declared configs the cluster does not have and the undeclared ones it has.
author:
  - Pocket POS platform team (@pocket-pos)
options:
  name:
    description:
      - The topic, for one topic. Mutually exclusive with O(topics).
    type: str
  partitions:
    description:
      - Number of partitions. For O(topics), the default of the entries that do not give one.
    type: int
  replication_factor:
    description:
      - Replication factor. For O(topics), the default of the entries that do not give one.
    type: int
  config:
    description:
      - Topic configs (for example C(retention.ms), C(cleanup.policy)) that differ from the broker's defaults. Keys on
        the topic that are not declared here go back to the broker's default.
      - For O(topics), the default of the entries that do not give their own.
    type: dict
  state:
    description:
      - V(present) creates or updates the topic, V(absent) deletes it. For O(topics), the default of the entries.
    type: str
    choices: [present, absent]
    default: present
  topics:
    description:
      - Many topics in one call. Each entry takes the same keys as the single-topic options.
    type: list
    elements: dict
    suboptions:
      name:
        description: The topic.
        type: str
        required: true
      partitions:
        description: Number of partitions.
        type: int
      replication_factor:
        description: Replication factor.
        type: int
      config:
        description: Topic configs.
        type: dict
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
extends_documentation_fragment:
  - pocket_pos.platform.kafka
attributes:
  check_mode:
    support: full
    description: Reads the cluster and reports exactly the changes a real run would make; sends no change.
  diff_mode:
    support: full
    description: Before and after of each declared topic (partitions, replication factor, configs set on it).
  idempotent:
    description: A second run with the same declaration reports no change.
    support: full
  platform:
    support: full
    platforms: posix
    description: Runs where confluent-kafka is installed and the brokers can be reached.
notes:
  - The pocket_pos.platform.kafka role runs it on the Docker host against the administration listener on
    127.0.0.1, with confluent-kafka unpacked from its wheel into a directory on C(PYTHONPATH) for those tasks.
"""

EXAMPLES = r"""
- name: Declare the Pocket POS topics in one call
  pocket_pos.platform.kafka_topic:
    bootstrap_servers: [127.0.0.1:9094]
    security_protocol: SASL_PLAINTEXT
    sasl_mechanism: SCRAM-SHA-512
    sasl_username: admin
    sasl_password: "{{ kafka_admin_password }}"
    replication_factor: 1
    topics:
      - {name: orders, partitions: 6, config: {retention.ms: 604800000}}
      - {name: payments, partitions: 6}
      - {name: audit, partitions: 3, config: {cleanup.policy: compact}}

- name: Delete a topic
  pocket_pos.platform.kafka_topic:
    bootstrap_servers: [127.0.0.1:9094]
    name: scratch
    state: absent
"""

RETURN = r"""
topics:
  description: Each declared topic, with what was (or in check mode would be) done to it.
  returned: always
  type: list
  elements: dict
  sample:
    - {name: orders, state: present, action: created, partitions: 6, replication_factor: 1, config: {retention.ms: "604800000"}}
    - {name: payments, state: present, action: updated, changes: [partitions], partitions: 6, replication_factor: 1, config: {}}
drift:
  description: Per topic that differs from its declaration, the configs whose value differs (declared and actual) and
    the configs set on the topic that are not declared.
  returned: always
  type: dict
  sample: {orders: {differs: {retention.ms: {declared: "604800000", actual: "86400000"}}, undeclared: {}}}
"""

import traceback

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.pocket_pos.platform.plugins.module_utils.pythonpath import use_pythonpath

# Before confluent-kafka is imported, here and by module_utils.kafka: the library set on the task's PYTHONPATH.
use_pythonpath()

from ansible_collections.pocket_pos.platform.plugins.module_utils.kafka import admin_client, kafka_argument_spec
from ansible_collections.pocket_pos.platform.plugins.module_utils.kafka_topic import Observed, input_problems, normalize, plan

try:
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AlterConfigOpType, ConfigEntry, ConfigResource, ConfigSource, NewPartitions, NewTopic, ResourceType
except ImportError:
    KafkaException = Exception  # admin_client() fails the module with the missing-library message first


def wait_all(futures: dict, what: str) -> list[str]:
    """Wait for every future of one batched request; return the errors, each naming its topic."""
    errors = []
    for key, future in futures.items():
        try:
            future.result()
        except KafkaException as exc:
            name = getattr(key, "name", key)
            errors.append(f"topic '{name}': {what} failed: {exc.args[0].str() if exc.args and hasattr(exc.args[0], 'str') else exc}")
    return errors


def read_cluster(client, names: list[str], timeout: float) -> tuple[dict, int]:
    """The observed state of the named topics, in one metadata request and one describe-configs request."""
    metadata = client.list_topics(timeout=timeout)
    observed = {}
    for name in names:
        topic = metadata.topics.get(name)
        if topic is None or topic.error is not None or not topic.partitions:
            continue
        replicas = len(next(iter(topic.partitions.values())).replicas)
        observed[name] = Observed(partitions=len(topic.partitions), replication_factor=replicas)
    if observed:
        resources = [ConfigResource(ResourceType.TOPIC, name) for name in observed]
        for resource, future in client.describe_configs(resources, request_timeout=timeout).items():
            entries = future.result()
            topic_set = ConfigSource.DYNAMIC_TOPIC_CONFIG.value
            observed[resource.name].config = {key: entry.value for key, entry in entries.items() if getattr(entry.source, "value", entry.source) == topic_set}
            observed[resource.name].known_keys = frozenset(entries)
    return observed, len(metadata.brokers)


def requests(todo) -> tuple[list, list, list]:
    new_topics = [NewTopic(t["name"], num_partitions=t["partitions"], replication_factor=t["replication_factor"], config=t["config"]) for t in todo.create]
    new_partitions = [NewPartitions(name, count) for name, count in todo.add_partitions.items()]
    alters = []
    for name in sorted(set(todo.set_configs) | set(todo.delete_configs)):
        entries = [ConfigEntry(key, value, incremental_operation=AlterConfigOpType.SET) for key, value in todo.set_configs.get(name, {}).items()]
        entries += [ConfigEntry(key, None, incremental_operation=AlterConfigOpType.DELETE) for key in todo.delete_configs.get(name, [])]
        alters.append(ConfigResource(ResourceType.TOPIC, name, incremental_configs=entries))
    return new_topics, new_partitions, alters


def apply(client, todo, timeout: float, validate_only: bool) -> list[str]:
    """Send the plan's changes, batched by kind; with validate_only the broker checks them and changes nothing."""
    new_topics, new_partitions, alters = requests(todo)
    options = dict(validate_only=validate_only, request_timeout=timeout)
    errors = []
    if new_topics:
        errors += wait_all(client.create_topics(new_topics, operation_timeout=timeout, **options), "create")
    if new_partitions:
        errors += wait_all(client.create_partitions(new_partitions, operation_timeout=timeout, **options), "adding partitions")
    if alters:
        errors += wait_all(client.incremental_alter_configs(alters, **options), "altering configs")
    if todo.delete and not validate_only:
        errors += wait_all(client.delete_topics(todo.delete, operation_timeout=timeout, request_timeout=timeout), "delete")
    return errors


def main() -> None:
    topic_options = dict(
        name=dict(type="str", required=True),
        partitions=dict(type="int"),
        replication_factor=dict(type="int"),
        config=dict(type="dict"),
        state=dict(type="str", choices=["present", "absent"]),
    )
    argument_spec = kafka_argument_spec()
    argument_spec.update(
        name=dict(type="str"),
        partitions=dict(type="int"),
        replication_factor=dict(type="int"),
        config=dict(type="dict"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        topics=dict(type="list", elements="dict", options=topic_options),
    )
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("name", "topics")],
        required_one_of=[("name", "topics")],
    )
    params = module.params
    defaults = {key: params[key] for key in ("partitions", "replication_factor", "config", "state")}
    declared = [normalize(topic, defaults) for topic in (params["topics"] if params["topics"] is not None else [{"name": params["name"]}])]
    problems = input_problems(declared)
    if problems:
        module.fail_json(msg="; ".join(problems))

    client = admin_client(module)
    timeout = params["request_timeout"]
    try:
        observed, brokers = read_cluster(client, [topic["name"] for topic in declared], timeout)
        todo = plan(declared, observed, brokers)
        if todo.refusals:
            module.fail_json(msg="; ".join(todo.refusals), topics=todo.results)
        if todo.changed and not module.check_mode:
            errors = apply(client, todo, timeout, validate_only=True)
            if errors:
                module.fail_json(msg="the brokers refused the declaration, nothing was changed: " + "; ".join(errors), topics=todo.results)
            errors = apply(client, todo, timeout, validate_only=False)
            if errors:
                module.fail_json(msg="; ".join(errors), topics=todo.results, changed=True)
    except KafkaException as exc:
        client.poll(0)  # serves error_cb: librdkafka reports authentication failures there
        reported = "; ".join(getattr(client, "pocket_pos_errors", []))
        module.fail_json(msg=f"Kafka request failed: {exc}" + (f" (client errors: {reported})" if reported else ""), exception=traceback.format_exc())

    result = dict(changed=todo.changed, topics=todo.results, drift=todo.drift)
    if module._diff:
        result["diff"] = dict(before=todo.before, after=todo.after)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
