from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.compose import compose_plan, compose_split

CANDIDATE = ["api aaa", "nginx nnn", "postgres ppp", "redis rrr"]


def test_a_converged_project_has_nothing_to_do() -> None:
    containers = ["api aaa", "api aaa", "nginx nnn", "postgres ppp", "redis rrr"]
    assert compose_plan(CANDIDATE, containers) == {"create": [], "recreate": [], "remove": [], "unchanged": ["api", "nginx", "postgres", "redis"]}


def test_a_changed_hash_recreates_that_service_only() -> None:
    plan = compose_plan(CANDIDATE, ["api aaa", "nginx nnn", "postgres ppp", "redis old"])
    assert plan["recreate"] == ["redis"]
    assert plan["unchanged"] == ["api", "nginx", "postgres"]


def test_one_stale_replica_recreates_the_service() -> None:
    assert compose_plan(CANDIDATE, ["api aaa", "api old", "nginx nnn", "postgres ppp", "redis rrr"])["recreate"] == ["api"]


def test_missing_services_are_created_and_orphans_removed() -> None:
    plan = compose_plan(CANDIDATE, ["api aaa", "nginx nnn", "mobile mmm"])
    assert plan["create"] == ["postgres", "redis"]
    assert plan["remove"] == ["mobile"]


def test_a_fresh_host_creates_everything() -> None:
    assert compose_plan("api aaa\nredis rrr\n", "")["create"] == ["api", "redis"]


def test_a_container_without_a_hash_label_is_recreated() -> None:
    assert compose_plan(CANDIDATE, ["api", "nginx nnn", "postgres ppp", "redis rrr"])["recreate"] == ["api"]


@pytest.mark.parametrize("value", [None, 3, {"api": "aaa"}])
def test_compose_plan_names_what_it_expected(value: object) -> None:
    with pytest.raises(AnsibleFilterError, match="as lines of '<service> <hash>'"):
        compose_plan(value, [])


PROJECT = {
    "name": "pocket-pos",
    "networks": {"backend": {"internal": True}},
    "services": {
        "api": {"image": "api:1", "environment": {"LOG_LEVEL": "debug"}, "ports": ["127.0.0.1:9229:9229"], "mem_limit": "768m", "restart": "unless-stopped"},
        "redis": {"image": "redis:7", "mem_limit": "512m", "restart": "unless-stopped", "networks": ["backend"]},
        "job": {"image": "job:1", "profiles": ["jobs"]},
    },
}


def test_split_puts_each_key_in_one_file_only() -> None:
    split = compose_split(PROJECT, ["mem_limit", "restart"], {"api": ["environment", "ports"]})
    assert split["base"]["services"] == {
        "api": {"image": "api:1"},
        "redis": {"image": "redis:7", "networks": ["backend"]},
        "job": {"image": "job:1", "profiles": ["jobs"]},
    }
    assert split["override"] == {
        "services": {
            "api": {"environment": {"LOG_LEVEL": "debug"}, "ports": ["127.0.0.1:9229:9229"], "mem_limit": "768m", "restart": "unless-stopped"},
            "redis": {"mem_limit": "512m", "restart": "unless-stopped"},
        }
    }
    # Everything else of the project stays in the shared file, and the project given is left as it was.
    assert split["base"]["networks"] == PROJECT["networks"] and split["base"]["name"] == "pocket-pos"
    assert PROJECT["services"]["api"]["mem_limit"] == "768m"
    # Merged again key by key, the two are the project.
    for service, definition in PROJECT["services"].items():
        assert {**split["base"]["services"][service], **split["override"]["services"].get(service, {})} == definition


def test_split_without_keys_leaves_an_empty_override() -> None:
    assert compose_split(PROJECT, [])["override"] == {"services": {}}


@pytest.mark.parametrize(
    ("keys", "service_keys", "message"),
    [
        ("restart", None, "as a list of names"),
        (["restart"], ["api"], "as {service: \\[key, ...\\]}"),
        (["restart"], {"mobile": ["ports"]}, "services the project lacks: mobile"),
        (["restart"], {"api": "ports"}, "the environment keys of api must be a list"),
    ],
)
def test_split_refuses_malformed_keys(keys: object, service_keys: object, message: str) -> None:
    with pytest.raises(AnsibleFilterError, match=message):
        compose_split(PROJECT, keys, service_keys)
