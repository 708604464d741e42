from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from ansible_collections.pocket_pos.platform.plugins.module_utils import compose_job

# What community.docker 4.8.5's docker_compose_v2 ran for deploy.yml's step (state present, wait, remove_orphans,
# pull never) against compose 2.26.1, read with strace from a real run: compose_up must run the same `up`.
DOCKER_COMPOSE_V2_UP = [
    "compose", "--ansi", "never", "--progress", "plain", "--project-directory", "/opt/pocket-pos", "--project-name",
    "pocket-pos", "--file", "docker-compose.yml", "--file", "docker-compose.dev.yml", "up", "--detach", "--no-color",
    "--quiet-pull", "--pull", "never", "--remove-orphans", "--wait", "--wait-timeout", "300", "--",
]  # fmt: skip

# compose 2.26.1's stderr (plain progress) for a project whose second container never turned healthy.
UNHEALTHY = b"""\
 Network cutest_default  Creating
 Network cutest_default  Created
 Container cutest-two-1  Creating
 Container cutest-one-1  Creating
 Container cutest-one-1  Created
 Container cutest-two-1  Created
 Container cutest-two-1  Starting
 Container cutest-one-1  Starting
 Container cutest-one-1  Started
 Container cutest-two-1  Started
 Container cutest-two-1  Waiting
 Container cutest-one-1  Waiting
 Container cutest-one-1  Healthy
container cutest-two-1 is unhealthy
"""

# compose 2.26.1's stderr for the same project, converged: nothing to do.
CONVERGED = b"""\
 Container cutest-one-1  Running
 Container cutest-one-1  Waiting
 Container cutest-one-1  Healthy
"""


def test_compose_up_runs_the_up_of_docker_compose_v2() -> None:
    args = compose_job.up_args("/opt/pocket-pos", "pocket-pos", ["docker-compose.yml", "docker-compose.dev.yml"], "never", True, 300, False)
    assert args == DOCKER_COMPOSE_V2_UP


def test_policy_leaves_pulling_to_compose_and_json_progress_is_asked_for_when_compose_has_it() -> None:
    args = compose_job.up_args("/srv/p", None, [], "policy", False, 60, True)
    assert "--pull" not in args and "--remove-orphans" not in args and "--project-name" not in args
    assert args[args.index("--progress") + 1] == "json"


@pytest.mark.parametrize(
    ("output", "version"),
    [('{"version":"v2.26.1"}', "2.26.1"), ('{"version":"2.29.7-desktop.1"}', "2.29.7-desktop.1"), ('{"version":"dev"}', None), ("", None), ("[]", None)],
)
def test_compose_version_from_its_json(output: str, version: str | None) -> None:
    assert compose_job.compose_version(output) == version


def test_versions_compare_by_number() -> None:
    assert compose_job.version_tuple("v2.26.1") < compose_job.JSON_PROGRESS_VERSION <= compose_job.version_tuple("2.29.0-desktop.1")
    assert compose_job.version_tuple("2.18.1") < compose_job.MINIMUM_VERSION
    with pytest.raises(ValueError, match="not a version"):
        compose_job.version_tuple("dev")


@pytest.mark.parametrize("job", ["../x", "a/b", "", ".hidden", "compose_up.p.1.stdout", "x.tmp"])
def test_a_job_name_that_could_leave_the_job_directory_or_be_one_of_its_files_is_refused(job: str) -> None:
    with pytest.raises(ValueError, match=r"^job: "):
        compose_job.job_files("/root/.ansible_async", job)


def test_a_job_is_named_after_its_project() -> None:
    assert compose_job.job_name("pocket pos/x", "0a1b") == "compose_up.pocket-pos-x.0a1b"
    assert compose_job.job_files("/d", "compose_up.p.1") == ("/d/compose_up.p.1", "/d/compose_up.p.1.stdout", "/d/compose_up.p.1.stderr")


def run_runner(tmp_path, command: list[str]) -> tuple[str, str, str]:
    status_file, stdout_file, stderr_file = compose_job.job_files(str(tmp_path), "compose_up.t.1")
    status = compose_job.start_status("compose_up.t.1", command, "plain", 0)
    with open(status_file, "w", encoding="utf-8") as handle:
        json.dump(status, handle)
    subprocess.run(
        ["setsid", "/bin/sh", "-c", compose_job.RUNNER, "sh", status_file, stdout_file, stderr_file, compose_job.status_head(status), *command],
        capture_output=True,
        timeout=10,
        check=True,
    )
    return status_file, stdout_file, stderr_file


def test_the_runner_returns_at_once_and_replaces_the_status_with_the_end_and_return_code(tmp_path) -> None:
    status_file, stdout_file, stderr_file = run_runner(tmp_path, ["/bin/sh", "-c", "sleep 1; echo out; echo 'it said \"no\" 100%' >&2; exit 3"])
    # Returned while the command still runs (it sleeps 1 s first): the status says so.
    running = json.loads(Path(status_file).read_text(encoding="utf-8"))
    assert running["started"] == 1 and running["finished"] == 0
    for _attempt in range(50):
        ended = compose_job.read_status(Path(status_file).read_text(encoding="utf-8"))
        if ended and ended.get("finished"):
            break
        time.sleep(0.1)
    assert ended["finished"] == 1 and ended["rc"] == 3
    assert ended["cmd"][-1].endswith("exit 3") and ended["progress"] == "plain" and ended["ansible_job_id"] == "compose_up.t.1"
    assert Path(stdout_file).read_text(encoding="utf-8") == "out\n"
    assert Path(stderr_file).read_text(encoding="utf-8") == 'it said "no" 100%\n'
    assert not (tmp_path / "compose_up.t.1.tmp").exists()


@pytest.mark.parametrize("text", [None, "", "{", '{"started": 1, "finished": 0}', '["cmd"]'])
def test_a_status_that_is_not_a_compose_up_job_s_reads_as_none(text: str | None) -> None:
    assert compose_job.read_status(text) is None


def status(rc: int, progress: str = "plain", limit: int = 0) -> dict:
    return dict(compose_job.start_status("compose_up.p.1", ["docker", "--host", "unix:///s", "compose", "up"], progress, limit), finished=1, rc=rc)


def test_a_failed_compose_gives_docker_compose_v2_s_message_and_what_it_did() -> None:
    warnings: list[str] = []
    result = compose_job.job_result(status(1), b"", UNHEALTHY, warnings.append)
    assert result["failed"] is True and result["rc"] == 1
    assert result["msg"] == "General error: container cutest-two-1 is unhealthy"
    assert result["changed"] is True
    assert {"what": "container", "id": "cutest-two-1", "status": "Creating"} in result["actions"]
    assert result["cmd"] == "docker --host unix:///s compose up"
    assert warnings == []


def test_a_converged_project_is_no_change() -> None:
    result = compose_job.job_result(status(0), b"", CONVERGED, [].append)
    assert result == {"changed": False, "actions": [], "rc": 0, "cmd": "docker --host unix:///s compose up", "stdout": "", "stderr": CONVERGED.decode()}


def test_a_job_stopped_at_its_limit_says_so() -> None:
    result = compose_job.job_result(status(124, limit=3900), b"", b" Container p-web-1  Waiting\n", [].append)
    assert result["failed"] is True
    assert result["msg"].startswith("compose had not ended after its limit of 3900 s and was stopped\n")


def test_json_progress_is_read_with_community_docker_s_json_parser() -> None:
    stderr = b'{"id":"Container p-api-1","status":"Recreate"}\n{"id":"Container p-api-1","status":"Recreated"}\n'
    result = compose_job.job_result(status(0, progress="json"), b"", stderr, [].append)
    assert result["changed"] is True
    assert result["actions"] == [{"what": "container", "id": "p-api-1", "status": "Recreate"}]
    # The same lines are no event to the plain parser: the progress recorded at start decides.
    assert compose_job.job_result(status(0), b"", stderr, [].append)["actions"] == []
