from __future__ import annotations

import re

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.network import overlapping_subnets, subnet_gateway, subnet_problem


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
