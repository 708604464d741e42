# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parts of the compose_up module that need no Docker: the command it starts, the job's files, and the result it
reads back from compose's output (with community.docker's own parser, as docker_compose_v2 reads it)."""

from __future__ import annotations

import json
import os
import re
import shlex

try:
    from ansible_collections.community.docker.plugins.module_utils import compose_v2 as _compose
except ImportError:  # community.docker 5 made the module private
    from ansible_collections.community.docker.plugins.module_utils import _compose_v2 as _compose  # type: ignore[no-redef]


# --progress plain came with compose 2.19.0 (community.docker's docker_compose_v2 needs 2.18.0); --progress json,
# which community.docker reads instead from 2.29.0 on, with 2.29.0.
MINIMUM_VERSION = (2, 19, 0)
JSON_PROGRESS_VERSION = (2, 29, 0)

# Started by `setsid sh -c`, in a session of its own; the subshell goes on in the background and the shell that
# started it returns at once, so compose is nobody's child in the process that started it (Mitogen's interpreter). The
# status file is replaced as a whole when compose has ended: a reader sees the job running or its end, never half a
# file. Arguments: the status file, compose's stdout and stderr files, the status without its closing brace, then the
# command.
RUNNER = r"""
status=$1 out=$2 err=$3 head=$4
shift 4
(
  "$@" >"$out" 2>"$err" </dev/null
  rc=$?
  printf '%s, "finished": 1, "rc": %d}\n' "$head" "$rc" >"$status.tmp" && mv -f "$status.tmp" "$status"
) </dev/null >/dev/null 2>&1 &
"""

# What timeout(1) returns when it ended the command at its limit (TERM, then KILL after --kill-after).
TIMEOUT_CODES = (124, 137)

_JOB = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def version_tuple(version: str) -> tuple[int, ...]:
    """(2, 26, 1) from "2.26.1", "v2.26.1" or "2.26.1-desktop.1"."""
    numbers = re.match(r"v?(\d+(?:\.\d+)*)", version.strip())
    if not numbers:
        raise ValueError(f"not a version: {version!r}")
    return tuple(int(part) for part in numbers.group(1).split("."))


def compose_version(output: str) -> str | None:
    """The version `docker compose version --format json` prints, None when it prints none ("dev" builds)."""
    try:
        version = json.loads(output)["version"].lstrip("v")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return None if version == "dev" else version


def check_job_name(job: str) -> str:
    """A job's name is a file name in the job directory: nothing that leaves it."""
    if not _JOB.match(job) or job.endswith((".stdout", ".stderr", ".tmp")):
        raise ValueError(f"job: {job!r} is not a job's name (letters, digits, '.', '_' and '-', not a path)")
    return job


def job_name(project: str, token: str) -> str:
    """compose_up.<project>.<token>, the project's name reduced to what a job's name may hold."""
    return check_job_name(f"compose_up.{re.sub(r'[^A-Za-z0-9_.-]+', '-', project)}.{token}")


def job_files(job_dir: str, job: str) -> tuple[str, str, str]:
    """The job's status file (read as an asynchronous Ansible job's), then compose's stdout and stderr."""
    status = os.path.join(job_dir, check_job_name(job))
    return status, status + ".stdout", status + ".stderr"


def up_args(
    project_src: str,
    project_name: str | None,
    files: list[str],
    pull: str,
    remove_orphans: bool,
    wait_timeout: int,
    json_progress: bool,
) -> list[str]:
    """The arguments after `docker --host H`: docker_compose_v2's own `up` with wait, for state present."""
    args = ["compose", "--ansi", "never", "--progress", "json" if json_progress else "plain", "--project-directory", project_src]
    if project_name:
        args += ["--project-name", project_name]
    for file in files:
        args += ["--file", file]
    args += ["up", "--detach", "--no-color", "--quiet-pull"]
    if pull != "policy":
        args += ["--pull", pull]
    if remove_orphans:
        args.append("--remove-orphans")
    args += ["--wait", "--wait-timeout", str(wait_timeout), "--"]
    return args


def start_status(job: str, cmd: list[str], progress: str, limit: int) -> dict:
    """The status file's content while the job runs: what async_status and stack_health's job option read (started,
    finished), and what compose_up needs to read the result back (the command, how compose printed its progress)."""
    return {"started": 1, "finished": 0, "ansible_job_id": job, "cmd": cmd, "progress": progress, "limit": limit}


def status_head(status: dict) -> str:
    """The status as JSON without "finished" and its closing brace: the runner appends its end and the return code."""
    ended = {key: value for key, value in status.items() if key != "finished"}
    return json.dumps(ended, sort_keys=True)[:-1]


def read_status(text: str | None) -> dict | None:
    """The status file's content, None when there is none or it is not a compose_up job's."""
    if not text:
        return None
    try:
        status = json.loads(text)
    except ValueError:
        return None
    if not isinstance(status, dict) or not isinstance(status.get("cmd"), list) or "progress" not in status:
        return None
    return status


def job_result(status: dict, stdout: bytes, stderr: bytes, warn) -> dict:
    """docker_compose_v2's result of `up` (state present) from an ended job: changed and actions from compose's
    events (image pulls and builds are not changes, as there), and on a non-zero code failed, with a message naming
    each error compose reported. The containers and images docker_compose_v2 lists afterwards are left out."""
    rc = status["rc"]
    cmd = status["cmd"]
    json_progress = status["progress"] == "json"
    events = _compose.parse_json_events(stderr, warn_function=warn) if json_progress else _compose.parse_events(stderr, warn_function=warn, nonzero_rc=rc != 0)
    _compose.emit_warnings(events, warn)
    result = {
        "changed": _compose.has_changes(events, ignore_service_pull_events=True, ignore_build_events=True),
        "actions": _compose.extract_actions(events),
        "rc": rc,
        "cmd": shlex.join(cmd),
        "stdout": stdout.decode("utf-8", "replace"),
        "stderr": stderr.decode("utf-8", "replace"),
    }
    failed = _compose.update_failed(result, events, args=cmd[1:], stdout=stdout, stderr=stderr, rc=rc, cli=cmd[0])
    if failed and rc in TIMEOUT_CODES and status.get("limit"):
        result["msg"] = f"compose had not ended after its limit of {status['limit']} s and was stopped\n{result['msg']}"
    return result
