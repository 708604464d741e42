#!/usr/bin/python
# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: stack_health
short_description: Check every service of a compose project the way its clients use it
version_added: 0.2.0
description:
  - Checks each container of a compose project in dependency order (PostgreSQL, Redis, ZooKeeper, Kafka, API, web,
    mobile, Nginx), first by Docker's own state and health check, then by a probe of the service itself.
  - "What each container is probed with comes from its labels, which the service's role sets in its compose
    fragment: C(org.pocket-pos.health.check) is V(postgres) (connect as the application role, a real query),
    V(redis) (authenticate, PING, memory and evictions), V(kafka) (brokers and controller present, declared
    topics exist, no under-replicated partition), V(http) (a GET on the container's own port answers the
    expected status) or V(https) (TLS handshake validated against a CA for the server name, days until the
    certificate expires, HSTS where expected). A container without the label is judged by Docker's state and
    health check alone."
  - Probes connect from inside the container's network namespace to its own 127.0.0.1, so no port is published
    and no client rule is widened for them; Kafka's uses the administration listener published on the Docker
    host. Passwords are read on the host from the files the labels name and are never returned.
  - Changes nothing, and does not fail because a service is down; RV(healthy) and RV(down) let the caller decide.
    It fails only when its own inputs are wrong or the Docker engine cannot be reached.
author:
  - Pocket POS platform team (@pocket-pos)
options:
  project:
    description:
      - The compose project (its C(com.docker.compose.project) label).
    type: str
    default: pocket-pos
  services:
    description:
      - Compose services that must be there; one without a container is reported down. Empty checks every
        container of the project. One-off containers (C(docker compose run)) are never checked.
    type: list
    elements: str
    default: []
  docker_host:
    description:
      - The Docker engine's API address.
    type: str
    default: unix:///var/run/docker.sock
  timeout:
    description:
      - Seconds each probe may take.
    type: float
    default: 5
  wait:
    description:
      - Seconds to keep checking until every service is available; 0 checks once. A service that came up is
        checked again on each round, so the result is one consistent moment.
    type: int
    default: 0
  interval:
    description:
      - Seconds between two rounds while waiting.
    type: float
    default: 3
  probe:
    description:
      - Whether each container is probed as its clients use it. V(false) judges each container by Docker's state and
        health check alone, the readiness that compose's C(depends_on) waits for, without the probes, which also
        check what later steps make (Kafka's declared topics, for one).
    type: bool
    default: true
  job:
    description:
      - The id of a background job, usually the deploy's C(docker compose up) (RV(pocket_pos.platform.compose_up#module:job)
        of M(pocket_pos.platform.compose_up), or the C(ansible_job_id) of a task with C(async) and C(poll) set to 0).
        Stops waiting as soon as that job has ended, whatever the services' state, so that a deploy that failed is
        reported by its own result instead of after the whole O(wait). RV(job_ended) tells which happened.
    type: str
  async_dir:
    description:
      - The directory of the status files of background jobs on the host (the shell option C(async_dir), and
        M(pocket_pos.platform.compose_up)'s O(pocket_pos.platform.compose_up#module:job_dir)), where O(job)'s is
        read.
    type: path
    default: ~/.ansible_async
requirements:
  - Linux, run as root (entering a container's network namespace needs CAP_SYS_ADMIN)
  - docker (the Docker SDK for Python)
  - psycopg (3), redis, confluent-kafka, for the probes of those kinds
attributes:
  check_mode:
    support: full
    description: Only reads; it runs the same checks in check mode.
  diff_mode:
    support: none
    description: It changes nothing, so there is nothing to show.
"""

EXAMPLES = r"""
- name: Wait up to three minutes for every service of the project to be available
  pocket_pos.platform.stack_health:
    project: pocket-pos
    services: [postgres, redis, kafka, api, web, nginx]
    wait: 180
  register: health

- name: Start bringing the project up in the background
  pocket_pos.platform.compose_up:
    state: started
    project_src: /opt/pocket-pos
  register: deploy

- name: Wait until PostgreSQL is healthy by Docker's check, or until the deploy has ended
  pocket_pos.platform.stack_health:
    services: [postgres]
    probe: false
    wait: 300
    interval: 0.5
    job: "{{ deploy.job }}"
  register: postgres_ready

- name: Fail naming the services that are down
  ansible.builtin.fail:
    msg: "Down: {{ health.down | join(', ') }}"
  when: not health.healthy
"""

RETURN = r"""
healthy:
  description: Whether every service checked is available.
  returned: always
  type: bool
down:
  description: The services (compose names) that are not available, in dependency order.
  returned: always
  type: list
  elements: str
  sample: [kafka]
job_ended:
  description: Whether the job named by O(job) had ended when the module returned (false without O(job)).
  returned: always
  type: bool
elapsed:
  description: Seconds spent, waits included.
  returned: always
  type: float
services:
  description: One entry per container, in dependency order.
  returned: always
  type: list
  elements: dict
  contains:
    service:
      description: The compose service.
      type: str
    container:
      description: The container's name (empty when the service has none).
      type: str
    available:
      description: Running, healthy by Docker's check, and its probe answered.
      type: bool
    latency_ms:
      description: How long the probe took, in milliseconds (null when it did not run).
      type: float
    detail:
      description: A short account of what the probe saw.
      type: str
    error:
      description: Why the service is not available (null when it is).
      type: str
    check:
      description: The probe's kind (postgres, redis, kafka, http, https), or null for Docker's state alone.
      type: str
    state:
      description: Docker's container status (running, restarting, exited, ...), or missing.
      type: str
    health:
      description: Docker's health status (healthy, starting, unhealthy), or null without a health check.
      type: str
    health_output:
      description: The last output of Docker's health check when the container is not healthy.
      type: str
    restarts:
      description: How many times Docker restarted the container.
      type: int
    image:
      description: The image the container runs.
      type: str
    version:
      description: The version the server reports (PostgreSQL, Redis), else the image's tag.
      type: str
    published:
      description: The ports the container publishes on the Docker host, as address:port.
      type: list
      elements: str
"""

import os
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.pocket_pos.platform.plugins.module_utils.health import (
    FROM_HOST,
    ONEOFF_LABEL,
    PROBES,
    PROJECT_LABEL,
    SERVICE_LABEL,
    CheckError,
    container_problem,
    health_output,
    image_version,
    job_ended,
    parse_check,
    published_ports,
    service_rank,
)
from ansible_collections.pocket_pos.platform.plugins.module_utils.netns import network_namespace
from ansible_collections.pocket_pos.platform.plugins.module_utils.pythonpath import use_pythonpath

# Before the Docker SDK, and later psycopg, redis and confluent-kafka, are imported: the library set on the task's
# PYTHONPATH.
use_pythonpath()

try:
    import docker
except ImportError:
    docker = None
    DOCKER_IMPORT_ERROR = traceback.format_exc()
else:
    DOCKER_IMPORT_ERROR = None

LIBRARIES = {"postgres": "psycopg", "redis": "redis", "kafka": "confluent-kafka"}


def probe(container, kind: str, options: dict, timeout: float) -> tuple[str, str]:
    if kind in FROM_HOST:
        return PROBES[kind](options, timeout)
    with network_namespace(container.attrs["State"]["Pid"]):
        return PROBES[kind](options, timeout)


def check_container(module, container) -> tuple[dict, str | None, dict]:
    """Docker's own account of a container: (result, probe kind, probe options). The kind is None when no probe is to
    run: none is asked for (O(probe) false, or no label), or Docker already says the container is down."""
    attrs = container.attrs
    state, labels = attrs.get("State", {}), attrs.get("Config", {}).get("Labels") or {}
    image = attrs.get("Config", {}).get("Image", "")
    kind, options, problems = parse_check(labels)
    result = {
        "service": labels.get(SERVICE_LABEL, ""),
        "container": attrs.get("Name", "").lstrip("/"),
        "available": False,
        "latency_ms": None,
        "detail": "",
        "error": None,
        "check": kind,
        "state": state.get("Status", "unknown"),
        "health": (state.get("Health") or {}).get("Status"),
        "health_output": "",
        "restarts": attrs.get("RestartCount", 0),
        "image": image,
        "version": image_version(image),
        "published": published_ports(attrs.get("NetworkSettings", {}).get("Ports")),
    }
    if problems:
        module.fail_json(msg=f"container {result['container']}: " + "; ".join(problems))
    problem = container_problem(state)
    if problem:
        result.update(error=problem, health_output=health_output(state))
        return result, None, {}
    if kind is None or not module.params["probe"]:
        result.update(available=True, detail="running" + (", Docker health check passing" if result["health"] else ""))
        return result, None, {}
    return result, kind, options


def run_probe(container, kind: str, options: dict, timeout: float) -> dict:
    """One probe, in a thread of its own: what to add to the container's result. A missing library is returned, not
    raised, for the module's thread to fail on."""
    started = time.monotonic()
    update: dict = {}
    try:
        detail, version = probe(container, kind, options, timeout)
    except CheckError as error:
        update["error"] = str(error)
    except ImportError:
        update["missing_library"] = traceback.format_exc()
    except Exception as error:  # a probe must report, not crash the module: name what happened
        update["error"] = f"{type(error).__name__}: {error}"
    else:
        update.update(available=True, detail=detail)
        if version:
            update["version"] = version
    update["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    return update


def check_all(module, client) -> list[dict]:
    params = module.params
    # ignore_removed: a container that compose removes or replaces between the list and its inspection (a deploy
    # running meanwhile) is left out rather than failing the round; its successor is in the next one.
    # One service asked for (the deploy's waits, several rounds a second while compose starts the stack): Docker
    # lists and inspects that service's containers only.
    labels = [f"{PROJECT_LABEL}={params['project']}"]
    if len(params["services"]) == 1:
        labels.append(f"{SERVICE_LABEL}={params['services'][0]}")
    containers = [
        container
        for container in client.containers.list(all=True, filters={"label": labels}, ignore_removed=True)
        if container.labels.get(ONEOFF_LABEL, "False") != "True" and (not params["services"] or container.labels.get(SERVICE_LABEL) in params["services"])
    ]
    checked = [(container, *check_container(module, container)) for container in containers]
    probes = [(container, result, kind, options) for container, result, kind, options in checked if kind is not None]
    # The probes side by side: each waits on its service's answer (the web client's first page is the slowest), and
    # each enters its own container's network namespace, which setns(2) changes for the calling thread only.
    if probes:
        with ThreadPoolExecutor(max_workers=len(probes)) as pool:
            updates = list(pool.map(lambda item: run_probe(item[0], item[2], item[3], params["timeout"]), probes))
        for (_container, result, kind, _options), update in zip(probes, updates, strict=True):
            if "missing_library" in update:
                module.fail_json(msg=missing_required_lib(LIBRARIES.get(kind, kind)), exception=update["missing_library"])
            result.update(update)
    results = [result for _container, result, _kind, _options in checked]
    present = {result["service"] for result in results}
    for service in params["services"]:
        if service not in present:
            results.append({
                "service": service, "container": "", "available": False, "latency_ms": None, "detail": "",
                "error": "no container for this service", "check": None, "state": "missing", "health": None,
                "health_output": "", "restarts": 0, "image": "", "version": "", "published": [],
            })  # fmt: skip
    return sorted(results, key=lambda result: (service_rank(result["service"]), result["container"]))


def read_job(async_dir: str, job: str) -> str | None:
    """The text of an asynchronous job's status file, None while there is none."""
    path = os.path.join(async_dir, job)
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def main() -> None:
    module = AnsibleModule(
        argument_spec=dict(
            project=dict(type="str", default="pocket-pos"),
            services=dict(type="list", elements="str", default=[]),
            docker_host=dict(type="str", default="unix:///var/run/docker.sock"),
            timeout=dict(type="float", default=5.0),
            wait=dict(type="int", default=0),
            interval=dict(type="float", default=3.0),
            probe=dict(type="bool", default=True),
            job=dict(type="str"),
            async_dir=dict(type="path", default="~/.ansible_async"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    for option in ("timeout", "interval"):
        if params[option] <= 0:
            module.fail_json(msg=f"{option}: must be above 0 seconds, got {params[option]:g}")
    if params["wait"] < 0:
        module.fail_json(msg=f"wait: must be 0 or more seconds, got {params['wait']}")
    if docker is None:
        module.fail_json(msg=missing_required_lib("docker"), exception=DOCKER_IMPORT_ERROR)
    started = time.monotonic()
    try:
        client = docker.DockerClient(base_url=params["docker_host"], timeout=max(10, int(params["timeout"] * 2)))
        ended = False

        def out_of_time() -> bool:
            return time.monotonic() - started + params["interval"] > params["wait"]

        while True:
            # Read before the round: a job that ended before it cannot have changed what the round then sees.
            ended = bool(params["job"]) and job_ended(read_job(params["async_dir"], params["job"]))
            results = check_all(module, client)
            down = [result["service"] for result in results if not result["available"]]
            if not down or ended or out_of_time():
                break
            time.sleep(params["interval"])
    except docker.errors.DockerException as error:
        module.fail_json(msg=f"docker_host {params['docker_host']}: the Docker engine cannot be read: {error}")
    module.exit_json(
        changed=False,
        healthy=not down,
        down=list(dict.fromkeys(down)),
        services=results,
        job_ended=ended,
        elapsed=round(time.monotonic() - started, 1),
    )


if __name__ == "__main__":
    main()
