"""The pure parts of stack_health: reading a container's health labels, judging Docker's state, Kafka's metadata,
Redis's INFO and a certificate's dates, and the table the health gate prints."""

from __future__ import annotations

import ssl
import time

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.health import health_table
from ansible_collections.pocket_pos.platform.plugins.module_utils import health

P = health.LABEL


def test_a_postgres_check_reads_its_options_and_numbers() -> None:
    kind, options, problems = health.parse_check(
        {P + "check": "postgres", P + "port": "5432", P + "database": "pos", P + "user": "app", P + "password-file": "/s/p", "other": "x"}
    )
    assert (kind, problems) == ("postgres", [])
    assert options == {"port": 5432, "database": "pos", "user": "app", "password-file": "/s/p"}


def test_a_container_without_the_label_has_no_probe() -> None:
    assert health.parse_check({"org.pocket-pos.role": "mobile"}) == (None, {}, [])


@pytest.mark.parametrize(
    ("labels", "named"),
    [
        ({P + "check": "mysql"}, "check: unknown kind 'mysql'"),
        ({P + "check": "redis", P + "port": "6379", P + "user": "admin"}, "password-file: missing"),
        ({P + "check": "http", P + "port": "70000", P + "path": "/"}, "port: '70000' is not a number"),
        ({P + "check": "https", P + "port": "443", P + "server-name": "pos", P + "hsts": "yes"}, "hsts: 'yes' is not true or false"),
    ],
)
def test_bad_labels_are_named(labels: dict, named: str) -> None:
    problems = health.parse_check(labels)[2]
    assert any(P + named in problem for problem in problems), problems


def test_kafka_lists_are_split() -> None:
    options = health.parse_check({P + "check": "kafka", P + "bootstrap": "127.0.0.1:9094", P + "user": "admin",
                                  P + "password-file": "/s/k", P + "topics": "pos.orders, pos.audit,"})[1]  # fmt: skip
    assert options["topics"] == ["pos.orders", "pos.audit"] and options["bootstrap"] == ["127.0.0.1:9094"]


@pytest.mark.parametrize(
    ("image", "version"),
    [("127.0.0.1:5000/pocket-pos/redis:7.0.15", "7.0.15"), ("postgres:15.20@sha256:abc", "15.20"), ("registry:5000/pos/api", ""), ("nginx", "")],
)
def test_the_version_is_the_image_tag(image: str, version: str) -> None:
    assert health.image_version(image) == version


def test_services_sort_in_dependency_order_then_by_name() -> None:
    assert sorted(["nginx", "zeta", "api", "postgres", "kafka", "alpha", "redis"], key=health.service_rank) == [
        "postgres", "redis", "kafka", "api", "nginx", "alpha", "zeta"]  # fmt: skip


@pytest.mark.parametrize(
    ("state", "problem"),
    [
        ({"Status": "running"}, None),
        ({"Status": "running", "Health": {"Status": "healthy"}}, None),
        ({"Status": "running", "Health": {"Status": "starting"}}, "Docker health check: starting"),
        ({"Status": "exited", "ExitCode": 137}, "container exited, exit code 137"),
        ({"Status": "restarting"}, "container restarting"),
    ],
)
def test_docker_state_is_judged(state: dict, problem: str | None) -> None:
    assert health.container_problem(state) == problem


def test_the_last_health_output_is_kept_short() -> None:
    state = {"Health": {"Log": [{"Output": "old"}, {"Output": "x" * 1000 + "\n"}]}}
    assert health.health_output(state, limit=10) == "x" * 10
    assert health.health_output({}) == ""


def test_published_ports_by_number() -> None:
    ports = {"443/tcp": [{"HostIp": "127.0.0.1", "HostPort": "443"}], "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "80"}], "9229/tcp": None}
    assert health.published_ports(ports) == ["127.0.0.1:80", "127.0.0.1:443"]


def test_redis_detail() -> None:
    detail = health.redis_detail({"used_memory": 3 * 1048576, "maxmemory": 358 * 1048576}, {"evicted_keys": 4})
    assert detail == "PING ok, 3.0 MiB used of 358 MiB, 4 keys evicted"
    assert "no maxmemory" in health.redis_detail({"used_memory": 0, "maxmemory": 0}, {})


def test_a_sound_kafka_cluster_has_no_problem() -> None:
    assert health.kafka_problems([1], object(), {"pos.orders": [(0, [1], [1])]}, ["pos.orders"]) == []


def test_kafka_problems_are_each_named() -> None:
    problems = health.kafka_problems([], None, {"pos.orders": [(0, [1, 2], [1]), (1, [1, 2], [1, 2])]}, ["pos.orders", "pos.audit"])
    assert problems == ["no broker in the cluster metadata", "no active controller", "declared topics missing: pos.audit",
                        "under-replicated partitions: pos.orders/0"]  # fmt: skip


def test_days_left_counts_whole_days_and_goes_negative() -> None:
    now = ssl.cert_time_to_seconds("Jan  1 00:00:00 2027 GMT")
    assert health.days_left("Jan 31 12:00:00 2027 GMT", now) == 30
    assert health.days_left("Dec 31 00:00:00 2026 GMT", now) == -1
    assert health.days_left("Jan  1 00:00:00 2100 GMT") > (ssl.cert_time_to_seconds("Jan  1 00:00:00 2100 GMT") - time.time()) // 86400 - 1


def test_a_missing_password_file_is_named(tmp_path) -> None:
    with pytest.raises(health.CheckError, match=r"cannot read the password file .*/absent"):
        health.read_secret(str(tmp_path / "absent"))


SERVICES = [
    {"service": "postgres", "container": "pocket-pos-postgres-1", "available": True, "latency_ms": 12.34, "version": "15.20",
     "published": [], "detail": "query ok", "error": None},
    {"service": "nginx", "container": "pocket-pos-nginx-1", "available": False, "latency_ms": None, "version": "1.26.3",
     "published": ["127.0.0.1:80", "127.0.0.1:443"], "detail": "", "error": "container exited"},
]  # fmt: skip


def test_the_table_aligns_columns_and_names_the_down_service() -> None:
    lines = health_table(SERVICES).splitlines()
    assert lines[0].split() == ["SERVICE", "CONTAINER", "HEALTH", "LATENCY", "VERSION", "PUBLISHED"]
    assert lines[1].split() == ["postgres", "pocket-pos-postgres-1", "healthy", "12", "ms", "15.20"]
    assert lines[2].split() == ["nginx", "pocket-pos-nginx-1", "DOWN", "-", "1.26.3", "127.0.0.1:80", "127.0.0.1:443"]
    assert len({line.index(line.split()[2]) for line in lines}) == 1, "the health column starts at one place"
    assert health_table(SERVICES, last="detail").splitlines()[2].endswith("container exited")


def test_the_table_refuses_other_input() -> None:
    with pytest.raises(AnsibleFilterError, match="services list"):
        health_table({"services": []})
    with pytest.raises(AnsibleFilterError, match="last must be"):
        health_table(SERVICES, last="ports")


def test_kafka_user_input_problems_name_the_user() -> None:
    from ansible_collections.pocket_pos.platform.plugins.modules.kafka_user import user_problems

    good = {"name": "pos-api", "password": "x" * 20, "mechanism": "SCRAM-SHA-512", "iterations": 4096}
    assert user_problems([good]) == []
    problems = user_problems([good, dict(good), dict(good, name="admin", password="", iterations=100)])
    assert problems == [
        "users[1] (pos-api): given twice for SCRAM-SHA-512",
        "users[2] (admin): empty password",
        "users[2] (admin): iterations must be 4096 or more, got 100",
    ]


@pytest.mark.parametrize(
    ("status", "ended"),
    [
        (None, False),  # no status file yet
        ("", False),
        ('{"started": 1, "finished": 0, "ansible_job_id": "j1"}', False),  # running (ansible-core's wrapper, Mitogen)
        ('{"started": 1, "fin', False),  # being replaced
        ('{"changed": true, "actions": []}', True),  # ansible-core's wrapper: the module's result
        ('{"failed": 1, "finished": 1, "msg": "Job reached maximum time limit"}', True),  # killed at its limit
        ('{"started": 1, "finished": 1, "changed": false}', True),
        ("[1, 2]", False),
    ],
)
def test_an_asynchronous_job_has_ended_when_its_status_file_holds_its_result(status: str | None, ended: bool) -> None:
    assert health.job_ended(status) is ended
