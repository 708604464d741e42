#!/usr/bin/python
# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: secret_file
short_description: Keep a generated or operator-supplied secret in a file on the managed host
version_added: 0.1.0
description:
  - Ensures that a file on the managed host holds a secret, for containers that read secrets from files
    (C(*_FILE) variables, compose secrets).
  - On the first run it generates a random value with a cryptographically secure generator; later runs keep
    the value, so a rerun changes nothing.
  - When O(value) is given (a secret the operator supplies, for example from Ansible Vault) it is validated
    and written if the file holds something else.
  - With O(regenerate=true) a new random value replaces the old one (secret rotation).
  - The secret never appears in the module's messages or diff; it is returned only with O(return_content=true),
    and the calling task should then set C(no_log).
author:
  - Pocket POS platform team (@pocket-pos)
options:
  path:
    description:
      - The file that holds the secret. Its directory must exist; the module does not create directories.
    type: path
    required: true
  name:
    description:
      - What the secret is, used in error messages (for example the variable it comes from).
      - Defaults to the file's name.
    type: str
  value:
    description:
      - A secret supplied by the operator. It must meet O(min_length) and O(charset).
      - When not set, the value already in the file is kept, or a new one is generated.
    type: str
  regenerate:
    description:
      - Replace the secret with a newly generated one even when the file already holds a valid secret.
      - Mutually exclusive with O(value).
    type: bool
    default: false
  length:
    description:
      - Length of a generated secret, in characters.
    type: int
    default: 32
  min_length:
    description:
      - Shortest secret accepted in O(value) or found in the file.
    type: int
    default: 16
  charset:
    description:
      - The characters a generated secret is drawn from, and the only characters a supplied or existing
        secret may contain.
    type: str
    choices: [alphanumeric, hex, urlsafe]
    default: alphanumeric
  return_content:
    description:
      - Return the secret in RV(content), for templates that must embed it. Set C(no_log) on such a task.
    type: bool
    default: false
  mode:
    description:
      - Permissions of the secret file.
    type: raw
    default: "0400"
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
    description: Reports whether the secret would be written or its attributes changed, and changes nothing.
  diff_mode:
    support: full
    description: The diff describes the secret (absent, its length, replaced or kept), never its value.
  platform:
    support: full
    platforms: posix
    description: Runs on the managed host; needs only the Python standard library.
"""

EXAMPLES = r"""
- name: Generate the database password once and keep it
  pocket_pos.platform.secret_file:
    path: /opt/pocket-pos/secrets/postgres_password
    name: postgres_password
    owner: root
    group: root
    mode: "0400"

- name: Use a password the operator supplies from Ansible Vault
  pocket_pos.platform.secret_file:
    path: /opt/pocket-pos/secrets/redis_password
    name: redis_app_password
    value: "{{ vault_redis_app_password }}"
    min_length: 24
  no_log: true

- name: Rotate a secret and read the new value for a template
  pocket_pos.platform.secret_file:
    path: /opt/pocket-pos/secrets/kafka_api_password
    regenerate: true
    return_content: true
  register: kafka_api_password
  no_log: true
"""

RETURN = r"""
path:
  description: The secret file.
  returned: always
  type: str
  sample: /opt/pocket-pos/secrets/postgres_password
generated:
  description: Whether a new random value was generated (or, in check mode, would be).
  returned: always
  type: bool
  sample: true
length:
  description: Length of the secret in characters (of the value that the file holds after the run).
  returned: always
  type: int
  sample: 32
content:
  description:
    - The secret, with O(return_content=true).
    - Not returned when O(value) is set (the caller has it, and Ansible masks the values of C(no_log) options),
      nor in check mode when a value would be generated.
  returned: when return_content is true and value is not set
  type: str
"""

import os
import tempfile
import traceback

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native

from ansible_collections.pocket_pos.platform.plugins.module_utils.secret import (
    CHARSETS,
    MAX_LENGTH,
    MIN_GENERATED_LENGTH,
    generate,
    problems,
)


def read_secret(path):
    """Return the secret held in path (without a trailing newline), or None when the file does not exist."""
    if not os.path.lexists(path):
        return None
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8").rstrip("\n")


def describe(value, replaced):
    if value is None:
        return "absent\n"
    return f"secret of {len(value)} characters{' (new value)' if replaced else ''}\n"


def write_secret(path, value):
    """Write value to path atomically: a private temporary file in the same directory, then a rename.

    Not AnsibleModule.atomic_move: on a new file it applies the umask's default mode before the caller can
    tighten it, which would leave the secret readable for a moment.
    """
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".secret-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(to_bytes(value + "\n"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o400)
        os.replace(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            name=dict(type="str"),
            value=dict(type="str", no_log=True),
            regenerate=dict(type="bool", default=False),
            length=dict(type="int", default=32),
            min_length=dict(type="int", default=16),
            charset=dict(type="str", default="alphanumeric", choices=sorted(CHARSETS)),
            return_content=dict(type="bool", default=False),
            mode=dict(type="raw", default="0400"),
        ),
        mutually_exclusive=[("value", "regenerate")],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    path = module.params["path"]
    label = module.params["name"] or os.path.basename(path)
    charset = module.params["charset"]
    min_length = module.params["min_length"]
    length = module.params["length"]

    if not MIN_GENERATED_LENGTH <= length <= MAX_LENGTH:
        module.fail_json(msg=f"secret {label}: length must be between {MIN_GENERATED_LENGTH} and {MAX_LENGTH}, got {length}")
    if not 1 <= min_length <= MAX_LENGTH:
        module.fail_json(msg=f"secret {label}: min_length must be between 1 and {MAX_LENGTH}, got {min_length}")
    directory = os.path.dirname(path)
    if directory and not os.path.isdir(directory):
        module.fail_json(msg=f"secret {label}: the directory {directory} does not exist")
    if os.path.isdir(path):
        module.fail_json(msg=f"secret {label}: {path} is a directory")

    supplied = module.params["value"]
    if supplied is not None:
        found = problems(supplied, charset, min_length)
        if found:
            module.fail_json(msg=f"secret {label}: the supplied value is refused: {'; '.join(found)}")

    try:
        current = read_secret(path)
    except (OSError, UnicodeDecodeError) as exc:
        module.fail_json(msg=f"secret {label}: cannot read {path}: {to_native(exc)}", exception=traceback.format_exc())

    generated = False
    if supplied is not None:
        desired = supplied
    elif module.params["regenerate"] or current is None:
        desired = generate(length, charset)
        generated = True
    else:
        found = problems(current, charset, min_length)
        if found:
            module.fail_json(
                msg=f"secret {label}: the value in {path} is refused: {'; '.join(found)}. Replace it with value=..., or rotate it with regenerate=true."
            )
        desired = current

    changed = desired != current
    diff = {
        "before_header": path,
        "after_header": path,
        "before": describe(current, False),
        "after": describe(desired, changed and current is not None),
    }
    if changed and not module.check_mode:
        try:
            write_secret(path, desired)
        except OSError as exc:
            module.fail_json(msg=f"secret {label}: cannot write {path}: {to_native(exc)}", exception=traceback.format_exc())

    if os.path.lexists(path):
        file_args = module.load_file_common_arguments(module.params)
        changed = module.set_fs_attributes_if_different(file_args, changed)

    result = dict(changed=changed, path=path, generated=generated, length=len(desired))
    if module._diff:
        result["diff"] = diff
    if module.params["return_content"] and supplied is None and not (module.check_mode and generated):
        result["content"] = desired
    module.exit_json(**result)


if __name__ == "__main__":
    main()
