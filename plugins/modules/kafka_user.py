#!/usr/bin/python
# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: kafka_user
short_description: Declare Kafka SCRAM users and set their passwords
version_added: 0.2.0
description:
  - Makes each user in O(users) have a SCRAM credential for its mechanism, through the Admin API
    (describe and alter user SCRAM credentials, KIP-554), in one batched request. Works with KRaft and ZooKeeper
    clusters alike.
  - A user without a credential for the mechanism is created. Kafka keeps only a salted hash, so a password
    cannot be compared. An existing user's password is set again only with O(update_password=always), which a
    rotation uses.
  - Passwords never appear in the module's result or messages.
author:
  - Pocket POS platform team (@pocket-pos)
options:
  users:
    description:
      - The users.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: The user.
        type: str
        required: true
      password:
        description: The password.
        type: str
        required: true
      mechanism:
        description: The SCRAM mechanism of the credential.
        type: str
        choices: [SCRAM-SHA-256, SCRAM-SHA-512]
        default: SCRAM-SHA-512
      iterations:
        description: Iterations of the salted hash (Kafka's minimum is 4096).
        type: int
        default: 4096
  update_password:
    description:
      - V(on_create) sets the password of a new credential only; V(always) sets it for every user given.
    type: str
    choices: [always, on_create]
    default: on_create
extends_documentation_fragment:
  - pocket_pos.platform.kafka
attributes:
  check_mode:
    support: full
    description: Reads the cluster and reports which users would be created or updated; sends no change.
  diff_mode:
    support: none
    description: A password has no diff to show.
"""

EXAMPLES = r"""
- name: Rotate the API user's password
  pocket_pos.platform.kafka_user:
    bootstrap_servers: ["127.0.0.1:9094"]
    security_protocol: SASL_PLAINTEXT
    sasl_username: admin
    sasl_password: "{{ admin_password }}"
    users:
      - name: pos-api
        password: "{{ new_api_password }}"
    update_password: always
  no_log: true
"""

RETURN = r"""
created:
  description: Users that got a credential for their mechanism (or would, in check mode).
  returned: always
  type: list
  elements: str
updated:
  description: Existing users whose password was set again (or would be, in check mode).
  returned: always
  type: list
  elements: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.pocket_pos.platform.plugins.module_utils.pythonpath import use_pythonpath

# Before confluent-kafka is imported, here and by module_utils.kafka: the library set on the task's PYTHONPATH.
use_pythonpath()

from ansible_collections.pocket_pos.platform.plugins.module_utils.kafka import admin_client, kafka_argument_spec

try:
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import ScramCredentialInfo, ScramMechanism, UserScramCredentialUpsertion
except ImportError:
    KafkaException = Exception  # admin_client() fails the module with the missing-library message first


def user_problems(users: list[dict]) -> list[str]:
    """What is wrong with the declared users, each problem naming the user."""
    problems, seen = [], set()
    for index, user in enumerate(users):
        where = f"users[{index}] ({user['name']})"
        if not user["name"]:
            problems.append(f"users[{index}].name: empty")
        if (user["name"], user["mechanism"]) in seen:
            problems.append(f"{where}: given twice for {user['mechanism']}")
        seen.add((user["name"], user["mechanism"]))
        if not user["password"]:
            problems.append(f"{where}: empty password")
        if user["iterations"] < 4096:
            problems.append(f"{where}: iterations must be 4096 or more, got {user['iterations']}")
    return problems


def existing_mechanisms(client, names: list[str], timeout: float) -> dict[str, set[str]]:
    """User -> the SCRAM mechanisms it has a credential for (a user without any is absent)."""
    found: dict[str, set[str]] = {}
    futures = client.describe_user_scram_credentials(names, request_timeout=timeout)
    for name, future in futures.items():
        try:
            description = future.result(timeout=timeout + 1)
        except KafkaException as error:
            if "RESOURCE_NOT_FOUND" in str(error) or "does not exist" in str(error).lower():
                continue
            raise
        found[name] = {info.mechanism.name.replace("_", "-") for info in description.scram_credential_infos}
    return found


def main() -> None:
    user_options = dict(
        name=dict(type="str", required=True),
        password=dict(type="str", required=True, no_log=True),
        mechanism=dict(type="str", default="SCRAM-SHA-512", choices=["SCRAM-SHA-256", "SCRAM-SHA-512"]),
        iterations=dict(type="int", default=4096),
    )
    argument_spec = kafka_argument_spec()
    argument_spec.update(
        users=dict(type="list", elements="dict", required=True, options=user_options),
        update_password=dict(type="str", default="on_create", choices=["always", "on_create"], no_log=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    problems = user_problems(params["users"])
    if problems:
        module.fail_json(msg="; ".join(problems))
    client = admin_client(module)
    timeout = params["request_timeout"]
    try:
        existing = existing_mechanisms(client, sorted({user["name"] for user in params["users"]}), timeout)
        created = [user for user in params["users"] if user["mechanism"] not in existing.get(user["name"], set())]
        always = params["update_password"] == "always"  # noqa: S105  the option's choice, not a password
        updated = [user for user in params["users"] if user not in created and always]
        if (created or updated) and not module.check_mode:
            upserts = [
                UserScramCredentialUpsertion(
                    user["name"],
                    ScramCredentialInfo(getattr(ScramMechanism, user["mechanism"].replace("-", "_")), user["iterations"]),
                    user["password"].encode("utf-8"),
                    os.urandom(32),
                )
                for user in created + updated
            ]
            for name, future in client.alter_user_scram_credentials(upserts, request_timeout=timeout).items():
                try:
                    future.result(timeout=timeout + 1)
                except KafkaException as error:
                    module.fail_json(msg=f"users ({name}): the cluster refused the credential: {error}")
    except KafkaException as error:
        errors = getattr(client, "pocket_pos_errors", [])
        module.fail_json(msg=f"Kafka: {error}" + (f" ({errors[0]})" if errors else ""))
    module.exit_json(
        changed=bool(created or updated),
        created=sorted({user["name"] for user in created}),
        updated=sorted({user["name"] for user in updated}),
    )


if __name__ == "__main__":
    main()
