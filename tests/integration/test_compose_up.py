"""pocket_pos.platform.compose_up against the real Docker engine and compose plugin of make testbed: a project brought
up in the background and its result read back as docker_compose_v2 gives it, a rerun that changes nothing, a
service that never turns healthy, a wait that runs out while compose goes on, refusals that start nothing, and check
mode. The project's containers run the registry's image, which make testbed builds and runs."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from .helpers import run

JOB_DIR = Path("~/.ansible_async").expanduser()


@pytest.fixture
def project(tmp_path: Path):
    """A compose project of its own: `ok` turns healthy at once, `slow` after about 4 s (its check fails until a file
    exists), `bad` (in the file bad.yml) never does."""
    image = subprocess.run(["docker", "inspect", "-f", "{{.Config.Image}}", "pocket-pos-registry"], capture_output=True, text=True, check=True).stdout.strip()
    name = f"it-compose-up-{uuid.uuid4().hex[:8]}"
    # The marker is written inside the container, on its own filesystem (S108 below).
    service = {"image": image, "entrypoint": ["sh", "-c", "sleep 4; touch /tmp/up; exec sleep 600"], "init": True, "stop_grace_period": "1s"}
    compose = {
        "name": name,
        "services": {
            "ok": dict(service, entrypoint=["sleep", "600"], healthcheck={"test": ["CMD", "true"], "interval": "1s"}),
            "slow": dict(service, healthcheck={"test": ["CMD", "test", "-e", "/tmp/up"], "interval": "1s", "retries": 30}),  # noqa: S108
        },
    }
    bad = {"services": {"bad": dict(service, healthcheck={"test": ["CMD", "false"], "interval": "1s", "retries": 2})}}
    (tmp_path / "compose.yml").write_text(yaml.safe_dump(compose))
    (tmp_path / "bad.yml").write_text(yaml.safe_dump(bad))
    yield tmp_path, name
    subprocess.run(["docker", "compose", "-p", name, "down", "--timeout", "1", "--remove-orphans"], capture_output=True, check=False)


def play(tmp_path: Path, tasks: list[dict], *extra: str) -> dict[str, dict]:
    """Run the tasks in one play on this machine; return each task's result by its name."""
    playbook = tmp_path / f"play-{uuid.uuid4().hex[:8]}.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}], sort_keys=False))
    env = {"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.json"}
    result = run("ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", *extra, str(playbook), env=env)
    output = json.loads(result.stdout)
    return {task["task"]["name"]: task["hosts"]["localhost"] for task in output["plays"][0]["tasks"]}


def started(src: Path, name: str, **args) -> dict:
    return {
        "name": "start",
        "pocket_pos.platform.compose_up": dict(
            {"state": "started", "project_src": str(src), "project_name": name, "files": ["compose.yml"], "wait_timeout": 60}, **args
        ),
        "register": "job",
    }


def ended(**args) -> dict:
    return {"name": "end", "pocket_pos.platform.compose_up": dict({"state": "ended", "job": "{{ job.job }}"}, **args), "ignore_errors": True}


def containers(name: str) -> dict[str, str]:
    """Service -> health of each container of the project, read from Docker."""
    ids = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={name}"], capture_output=True, text=True, check=True
    ).stdout.split()
    if not ids:
        return {}
    inspected = json.loads(subprocess.run(["docker", "inspect", *ids], capture_output=True, text=True, check=True).stdout)
    return {c["Config"]["Labels"]["com.docker.compose.service"]: (c["State"].get("Health") or {}).get("Status", "") for c in inspected}


def test_started_returns_while_compose_waits_and_ended_reads_its_result_as_docker_compose_v2_does(project) -> None:
    src, name = project
    # The status file is read as the step returns: compose still waits for `slow`.
    peek = {"name": "peek", "ansible.builtin.slurp": {"src": f"{JOB_DIR}/{{{{ job.job }}}}"}, "register": "status"}
    results = play(src, [started(src, name), peek, ended()])
    assert results["start"]["changed"] is False, results["start"]
    assert results["start"]["job"].startswith(f"compose_up.{name}."), results["start"]
    running = json.loads(base64.b64decode(results["peek"]["content"]))
    assert running["started"] == 1 and running["finished"] == 0, running
    end = results["end"]
    assert not end.get("failed"), end
    assert end["changed"] is True and end["rc"] == 0, end
    created = {action["id"] for action in end["actions"] if action["what"] == "container" and action["status"] == "Creating"}
    assert created == {f"{name}-ok-1", f"{name}-slow-1"}, end["actions"]
    assert containers(name) == {"ok": "healthy", "slow": "healthy"}
    # ended removes the job's files once it has read them.
    assert not list(JOB_DIR.glob(f"{results['start']['job']}*"))

    again = play(src, [started(src, name), ended()])["end"]
    assert again["changed"] is False and again["actions"] == [] and again["rc"] == 0, again


def test_a_service_that_never_turns_healthy_fails_the_job_with_compose_s_error(project) -> None:
    src, name = project
    results = play(src, [started(src, name, files=["compose.yml", "bad.yml"], wait_timeout=30), ended()])
    end = results["end"]
    assert end["failed"] is True and end["rc"] == 1, end
    assert f"container {name}-bad-1 is unhealthy" in end["msg"], end
    assert "--wait" in end["cmd"] and "bad.yml" in end["cmd"], end
    assert not list(JOB_DIR.glob(f"{results['start']['job']}*"))


def test_a_wait_that_runs_out_fails_and_compose_goes_on_to_its_end(project) -> None:
    src, name = project
    results = play(src, [started(src, name), ended(wait=1), dict(ended(), name="end later")])
    assert results["end"]["failed"] is True, results["end"]
    assert results["end"]["msg"] == f"job: {results['start']['job']} has not ended after 1 s (wait); compose goes on", results["end"]
    assert results["end later"]["rc"] == 0 and results["end later"]["changed"] is True, results["end later"]


def test_bad_input_is_refused_naming_the_option_before_anything_starts(project) -> None:
    src, name = project
    before = set(JOB_DIR.glob("compose_up.*")) if JOB_DIR.exists() else set()
    results = play(
        src,
        [
            dict(started(src, name, files=["compose.yml", "missing.yml"]), name="missing file", ignore_errors=True),
            dict(started(src / "nowhere", name), name="missing directory", ignore_errors=True),
            dict(started(src, name, wait_timeout=-1), name="negative timeout", ignore_errors=True),
            {"name": "unknown job", "pocket_pos.platform.compose_up": {"state": "ended", "job": "compose_up.none.0"}, "ignore_errors": True},
            {"name": "path as job", "pocket_pos.platform.compose_up": {"state": "ended", "job": "../x"}, "ignore_errors": True},
            {"name": "no job", "pocket_pos.platform.compose_up": {"state": "ended"}, "ignore_errors": True},
        ],
    )
    assert results["missing file"]["msg"] == f"files: missing.yml is not a file (relative to project_src {src})"
    assert results["missing directory"]["msg"] == f"project_src: {src / 'nowhere'} is not a directory"
    assert results["negative timeout"]["msg"] == "wait_timeout: must be 0 or more seconds, got -1"
    assert results["unknown job"]["msg"].startswith("job: no job compose_up.none.0 in ")
    assert results["path as job"]["msg"].startswith("job: '../x' is not a job's name")
    assert "state is ended but all of the following are missing: job" in results["no job"]["msg"]
    assert containers(name) == {}
    assert (set(JOB_DIR.glob("compose_up.*")) if JOB_DIR.exists() else set()) == before


def test_check_mode_starts_nothing(project) -> None:
    src, name = project
    results = play(src, [started(src, name)], "--check")
    assert results["start"].get("skipped") is True, results["start"]
    assert containers(name) == {}
