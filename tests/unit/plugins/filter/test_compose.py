from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.compose import compose_plan

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
