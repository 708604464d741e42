from __future__ import annotations

import re

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.compose import compose_addresses
from ansible_collections.pocket_pos.platform.plugins.filter.network import (
    address_problems,
    overlapping_subnets,
    subnet_gateway,
    subnet_problem,
)


@pytest.mark.parametrize("value", ["172.30.10.0/24", "10.0.0.0/8", "fd00:10::/64", "192.168.1.128/25"])
def test_valid_subnets(value: str) -> None:
    assert subnet_problem(value) == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("172.30.10.0", "is not a subnet in CIDR form"),
        ("172.30.10.1/24", "has host bits set"),
        ("172.30.300.0/24", "is not a valid subnet"),
        ("10.0.0.0/33", "is not a valid subnet"),
        (24, "is not a subnet in CIDR form"),
        ("", "is not a subnet in CIDR form"),
    ],
)
def test_invalid_subnets(value: object, message: str) -> None:
    assert message in subnet_problem(value)


@pytest.mark.parametrize(
    ("subnets", "pairs"),
    [
        ({"frontend": "172.30.10.0/24", "backend": "172.30.20.0/24"}, []),
        ({"frontend": "172.30.0.0/16", "backend": "172.30.20.0/24"}, [["frontend", "backend"]]),
        ({"a": "10.0.0.0/24", "b": "10.0.0.0/24", "c": "10.0.1.0/24"}, [["a", "b"]]),
        ({"frontend": "", "backend": "172.30.20.0/24"}, []),
        ({"v4": "10.0.0.0/8", "v6": "fd00::/8"}, []),
    ],
)
def test_overlapping_subnets(subnets: dict, pairs: list) -> None:
    assert overlapping_subnets(subnets) == pairs


def test_overlap_names_the_invalid_subnet() -> None:
    with pytest.raises(AnsibleFilterError, match=re.escape("backend: '172.30.20.1/24' is not a valid subnet")):
        overlapping_subnets({"frontend": "172.30.10.0/24", "backend": "172.30.20.1/24"})


@pytest.mark.parametrize(
    ("subnet", "gateway"),
    [("172.30.20.0/24", "172.30.20.1"), ("10.8.0.0/16", "10.8.0.1"), ("fd00:20::/64", "fd00:20::1")],
)
def test_subnet_gateway(subnet: str, gateway: str) -> None:
    assert subnet_gateway(subnet) == gateway


def test_subnet_gateway_names_a_bad_value() -> None:
    with pytest.raises(AnsibleFilterError, match=re.escape("'172.30.20.9/24' is not a valid subnet")):
        subnet_gateway("172.30.20.9/24")


SUBNETS = {"frontend": "172.30.10.0/24", "backend": "172.30.20.0/24", "hostadmin": ""}


def test_addresses_that_fit_have_no_problem() -> None:
    addresses = {"postgres": {"backend": "172.30.20.10"}, "redis": {"backend": "172.30.20.11"}, "nginx": {"frontend": "172.30.10.10"}}
    assert address_problems(addresses, SUBNETS) == []


@pytest.mark.parametrize(
    ("addresses", "message"),
    [
        ({"postgres": {"backend": "172.30.20.10"}, "redis": {"backend": "172.30.20.10"}},
         "stack_addresses.redis.backend: 172.30.20.10 is already the address of postgres on backend (duplicate address)"),
        ({"postgres": {"backend": "172.30.10.10"}}, "stack_addresses.postgres.backend: 172.30.10.10 is outside the backend subnet 172.30.20.0/24"),
        ({"postgres": {"backend": "172.30.20.1"}}, "172.30.20.1 is the gateway (the Docker host) of 172.30.20.0/24"),
        ({"postgres": {"backend": "172.30.20.0"}}, "172.30.20.0 is the network address of 172.30.20.0/24"),
        ({"postgres": {"backend": "172.30.20.255"}}, "172.30.20.255 is the broadcast address of 172.30.20.0/24"),
        ({"postgres": {"backend": "172.30.20.300"}}, "stack_addresses.postgres.backend: '172.30.20.300' is not an IP address"),
        ({"postgres": {"dmz": "172.30.20.10"}}, "stack_addresses.postgres.dmz: there is no network 'dmz' (the networks are backend, frontend, hostadmin)"),
        ({"kafka": {"hostadmin": "172.30.30.10"}}, "stack_addresses.kafka.hostadmin: the hostadmin network has no fixed subnet"),
        ({"postgres": "172.30.20.10"}, "stack_addresses.postgres: give a dict of network -> address"),
        ({"postgres": {"backend": "fd00::10"}}, "fd00::10 is outside the backend subnet 172.30.20.0/24"),
    ],
)  # fmt: skip
def test_address_problems_name_the_service_and_network(addresses: dict, message: str) -> None:
    problems = address_problems(addresses, SUBNETS)
    assert len(problems) == 1, problems
    assert message in problems[0]


def test_the_same_address_on_two_networks_is_no_duplicate() -> None:
    assert address_problems({"a": {"frontend": "172.30.10.9"}, "b": {"backend": "172.30.20.9"}}, SUBNETS) == []


def test_address_problems_refuse_a_non_dict() -> None:
    assert "stack_addresses must be a dict" in address_problems(["172.30.20.10"], SUBNETS)[0]


PROJECT = {
    "services": {
        "postgres": {"image": "p", "networks": ["backend"]},
        "nginx": {"image": "n", "networks": {"frontend": {"aliases": ["edge"]}}},
        "api": {"image": "a", "networks": ["frontend", "backend"], "deploy": {"replicas": 2}},
    }
}


def test_compose_addresses_sets_each_address_and_keeps_the_input() -> None:
    result = compose_addresses(PROJECT, {"postgres": {"backend": "172.30.20.10"}, "nginx": {"frontend": "172.30.10.10"}})
    assert result["services"]["postgres"]["networks"] == {"backend": {"ipv4_address": "172.30.20.10"}}
    assert result["services"]["nginx"]["networks"] == {"frontend": {"aliases": ["edge"], "ipv4_address": "172.30.10.10"}}
    assert result["services"]["api"] == PROJECT["services"]["api"]
    assert PROJECT["services"]["postgres"]["networks"] == ["backend"]


def test_compose_addresses_sets_ipv6() -> None:
    result = compose_addresses(PROJECT, {"postgres": {"backend": "fd00:20::10"}})
    assert result["services"]["postgres"]["networks"] == {"backend": {"ipv6_address": "fd00:20::10"}}


@pytest.mark.parametrize(
    ("addresses", "message"),
    [
        ({"redis": {"backend": "172.30.20.11"}}, "stack_addresses.redis: project pocket-pos has no service 'redis' (it has api, nginx, postgres)"),
        ({"postgres": {"frontend": "172.30.10.11"}}, "stack_addresses.postgres.frontend: postgres is not on the frontend network (it is on backend)"),
        ({"api": {"backend": "172.30.20.12"}}, "stack_addresses.api: api runs 2 containers; a fixed address fits a service of one container"),
    ],
)
def test_compose_addresses_names_what_cannot_be(addresses: dict, message: str) -> None:
    with pytest.raises(AnsibleFilterError, match=re.escape(message)):
        compose_addresses(PROJECT, addresses)
