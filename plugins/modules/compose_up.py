#!/usr/bin/python
# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: compose_up
short_description: Bring a compose project up in the background, then read compose's result
version_added: 0.2.0
description:
  - With O(state=started), starts C(docker compose up --detach --wait) for a project, as
    M(community.docker.docker_compose_v2) runs it for O(community.docker.docker_compose_v2#module:state=present)
    with O(community.docker.docker_compose_v2#module:wait=true), and returns as soon as compose has started. The
    caller takes other steps while compose waits for its services.
  - With O(state=ended), waits until that job has ended and returns compose's result the way
    M(community.docker.docker_compose_v2) does (C(changed), RV(actions); failed, with a message naming each error
    compose reported, when compose failed), read with community.docker's own parser of compose's output.
  - The job is a status file in O(job_dir), in the format of an asynchronous Ansible job's, so
    M(pocket_pos.platform.stack_health)'s O(pocket_pos.platform.stack_health#module:job) option reads it; compose's
    output goes beside it. O(state=ended) removes the three files once it has read them.
  - Where a task with C(async) and C(poll=0) starts a new Python interpreter that builds its client and asks compose
    its version before it starts compose (about 2.4 s on two cores), this starts compose from the interpreter that
    runs it (Mitogen's, long-lived), after one version check (about 0.1 s).
author:
  - Pocket POS platform team (@pocket-pos)
options:
  state:
    description:
      - V(started) starts compose and returns its job's name in RV(job). V(ended) waits for the job named by O(job)
        and returns its result.
    type: str
    choices: [started, ended]
    required: true
  project_src:
    description:
      - The project directory. Required with O(state=started).
    type: path
  project_name:
    description:
      - The project's name; compose's default (the directory's name, or the project files' C(name)) without it.
    type: str
  files:
    description:
      - The project files, in compose's order, absolute or relative to O(project_src). Compose's default files
        without them.
    type: list
    elements: path
    default: []
  pull:
    description:
      - When compose pulls the services' images, as in M(community.docker.docker_compose_v2).
    type: str
    choices: [always, missing, never, policy]
    default: policy
  remove_orphans:
    description:
      - Whether containers of services no longer in the project files are removed.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds compose waits for every service to be running and healthy.
    type: int
    default: 300
  limit:
    description:
      - Seconds after which the job is stopped if compose has not ended (pulling and building included), with
        C(timeout) from coreutils; 0 sets no limit.
    type: int
    default: 3900
  job:
    description:
      - The job to wait for, RV(job) of the O(state=started) call. Required with O(state=ended).
    type: str
  wait:
    description:
      - With O(state=ended), seconds to wait for the job to end; the module fails when it has not, and the job goes on.
    type: int
    default: 3960
  interval:
    description:
      - With O(state=ended), seconds between two reads of the job's status file.
    type: float
    default: 0.2
  job_dir:
    description:
      - The directory of the job's files on the host.
    type: path
    default: ~/.ansible_async
  docker_host:
    description:
      - The Docker engine's address, given to the Docker CLI's C(--host).
    type: str
    default: unix:///var/run/docker.sock
  docker_cli:
    description:
      - The Docker CLI; C(docker) on the PATH without it.
    type: path
requirements:
  - The Docker CLI with the compose plugin, version 2.19.0 or later
  - sh, setsid (util-linux), and timeout from coreutils for O(limit)
attributes:
  check_mode:
    support: none
    description: A job started in check mode could not be undone; run M(community.docker.docker_compose_v2) instead.
  diff_mode:
    support: none
    description: Compose's actions are returned instead.
notes:
  - The containers and images M(community.docker.docker_compose_v2) lists after C(up) are not returned; run
    C(docker compose ps) for them.
seealso:
  - module: community.docker.docker_compose_v2
  - module: pocket_pos.platform.stack_health
"""

EXAMPLES = r"""
- name: Start bringing the project up
  pocket_pos.platform.compose_up:
    state: started
    project_src: /opt/pocket-pos
    files: [docker-compose.yml, docker-compose.prod.yml]
    remove_orphans: true
    wait_timeout: 300
  register: deploy

# ... steps that need only some services, each after pocket_pos.platform.stack_health with job: "{{ deploy.job }}"

- name: Read compose's result
  pocket_pos.platform.compose_up:
    state: ended
    job: "{{ deploy.job }}"
  register: deploy
"""

RETURN = r"""
job:
  description: The job's name, its status file's in O(job_dir).
  returned: always
  type: str
  sample: compose_up.pocket-pos.5f2c1e9a
cmd:
  description: The command compose was started with.
  returned: always
  type: str
actions:
  description: What compose did, as M(community.docker.docker_compose_v2) returns it.
  returned: with O(state=ended)
  type: list
  elements: dict
  sample: [{what: container, id: pocket-pos-api-1, status: Recreate}]
rc:
  description: Compose's return code.
  returned: with O(state=ended)
  type: int
stdout:
  description: Compose's standard output.
  returned: with O(state=ended), when not empty or when compose failed
  type: str
stderr:
  description: Compose's progress and errors.
  returned: with O(state=ended), when not empty or when compose failed
  type: str
elapsed:
  description: Seconds spent waiting for the job.
  returned: with O(state=ended)
  type: float
"""

import os
import secrets
import shlex
import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.pocket_pos.platform.plugins.module_utils.compose_job import (
    JSON_PROGRESS_VERSION,
    MINIMUM_VERSION,
    RUNNER,
    compose_version,
    job_files,
    job_name,
    job_result,
    read_status,
    start_status,
    status_head,
    up_args,
    version_tuple,
)


def start(module: AnsibleModule) -> None:
    params = module.params
    project_src = os.path.abspath(params["project_src"])
    if not os.path.isdir(project_src):
        module.fail_json(msg=f"project_src: {project_src} is not a directory")
    for file in params["files"]:
        if not os.path.isfile(os.path.join(project_src, file)):
            module.fail_json(msg=f"files: {file} is not a file (relative to project_src {project_src})")
    for option in ("wait_timeout", "limit"):
        if params[option] < 0:
            module.fail_json(msg=f"{option}: must be 0 or more seconds, got {params[option]}")
    cli = params["docker_cli"] or module.get_bin_path("docker", required=True)
    docker = [cli, "--host", params["docker_host"]]
    rc, out, err = module.run_command([*docker, "compose", "version", "--format", "json"])
    version = compose_version(out) if rc == 0 else None
    if version is None:
        module.fail_json(msg=f"docker_cli: {cli} has no compose plugin that tells its version: {err.strip() or out.strip()}")
    if version_tuple(version) < MINIMUM_VERSION:
        module.fail_json(msg=f"docker_cli: {cli} has compose {version}; compose_up needs {'.'.join(map(str, MINIMUM_VERSION))} or later")
    json_progress = version_tuple(version) >= JSON_PROGRESS_VERSION  # community.docker reads JSON from there on
    cmd = docker + up_args(
        project_src, params["project_name"], params["files"], params["pull"], params["remove_orphans"], params["wait_timeout"], json_progress
    )
    timeout = module.get_bin_path("timeout") if params["limit"] else None
    if params["limit"] and not timeout:
        module.warn("limit: timeout (coreutils) is not on the PATH: the job runs without a time limit")
    if timeout:
        cmd = [timeout, "--kill-after=30", str(params["limit"]), *cmd]
    # Found before the job's file is written: a host without it leaves nothing behind.
    setsid = module.get_bin_path("setsid", required=True)

    job_dir = params["job_dir"]
    os.makedirs(job_dir, mode=0o700, exist_ok=True)
    job = job_name(params["project_name"] or os.path.basename(project_src), secrets.token_hex(4))
    status_file, stdout_file, stderr_file = job_files(job_dir, job)
    status = start_status(job, cmd, "json" if json_progress else "plain", params["limit"] if timeout else 0)
    with open(status_file, "x", encoding="utf-8") as handle:
        handle.write(module.jsonify(status) + "\n")
    # setsid: compose in a session of its own, as ansible-core's async wrapper puts a job, so that the end of the
    # connection or the controller's Ctrl-C does not reach it. The shell returns as soon as its subshell, which runs
    # compose, is in the background; nothing in the script is expanded before the shell reads it.
    rc, out, err = module.run_command(
        [setsid, "/bin/sh", "-c", RUNNER, "sh", status_file, stdout_file, stderr_file, status_head(status), *cmd],
        cwd=project_src,
        expand_user_and_vars=False,
    )
    if rc != 0:
        os.unlink(status_file)
        module.fail_json(msg=f"setsid and /bin/sh could not start compose in the background (return code {rc}): {err.strip()}", job=job)
    module.exit_json(changed=False, job=job, cmd=shlex.join(cmd))


def read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def end(module: AnsibleModule) -> None:
    params = module.params
    try:
        status_file, stdout_file, stderr_file = job_files(params["job_dir"], params["job"])
    except ValueError as error:
        module.fail_json(msg=str(error))
    if params["interval"] <= 0:
        module.fail_json(msg=f"interval: must be above 0 seconds, got {params['interval']:g}")
    started = time.monotonic()
    while True:
        try:
            text = to_text(read(status_file))
        except FileNotFoundError:
            module.fail_json(msg=f"job: no job {params['job']} in {params['job_dir']} (ended and read already, or never started there)")
        status = read_status(text)
        if status is None:
            module.fail_json(msg=f"job: {status_file} is not the status file of a compose_up job")
        if status.get("finished"):
            break
        if time.monotonic() - started + params["interval"] > params["wait"]:
            module.fail_json(msg=f"job: {params['job']} has not ended after {params['wait']} s (wait); compose goes on", job=params["job"])
        time.sleep(params["interval"])
    elapsed = round(time.monotonic() - started, 1)
    result = job_result(status, read(stdout_file), read(stderr_file), module.warn)
    for path in (status_file, stdout_file, stderr_file):
        os.unlink(path)
    result.update(job=params["job"], elapsed=elapsed)
    if result.get("failed"):
        module.fail_json(**result)
    for stream in ("stdout", "stderr"):
        if not result[stream]:
            del result[stream]
    module.exit_json(**result)


def main() -> None:
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=["started", "ended"], required=True),
            project_src=dict(type="path"),
            project_name=dict(type="str"),
            files=dict(type="list", elements="path", default=[]),
            pull=dict(type="str", choices=["always", "missing", "never", "policy"], default="policy"),
            remove_orphans=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=300),
            limit=dict(type="int", default=3900),
            job=dict(type="str"),
            wait=dict(type="int", default=3960),
            interval=dict(type="float", default=0.2),
            job_dir=dict(type="path", default="~/.ansible_async"),
            docker_host=dict(type="str", default="unix:///var/run/docker.sock"),
            docker_cli=dict(type="path"),
        ),
        required_if=[("state", "started", ["project_src"]), ("state", "ended", ["job"])],
        supports_check_mode=False,
    )
    if module.params["state"] == "started":
        start(module)
    else:
        end(module)


if __name__ == "__main__":
    main()
