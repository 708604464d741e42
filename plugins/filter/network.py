# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network checks the roles need and Jinja cannot do: whether a subnet is valid, and which subnets overlap."""

from __future__ import annotations

import ipaddress
import itertools

from ansible.errors import AnsibleFilterError


def subnet_problem(value: object) -> str:
    """Return why value is not an IPv4/IPv6 network in CIDR form (host bits clear), or an empty string."""
    if not isinstance(value, str) or "/" not in value:
        return f"'{value}' is not a subnet in CIDR form (for example 172.30.10.0/24)"
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        return f"'{value}' is not a valid subnet: {exc}"
    return ""


def overlapping_subnets(subnets: object) -> list[list[str]]:
    """Return the pairs of names whose subnets overlap, from a dict of name -> subnet (empty subnets skipped)."""
    if not isinstance(subnets, dict):
        raise AnsibleFilterError(f"overlapping_subnets expects a dict of name -> subnet, got {type(subnets).__name__}")
    networks = {}
    for name, value in subnets.items():
        if not value:
            continue
        problem = subnet_problem(value)
        if problem:
            raise AnsibleFilterError(f"{name}: {problem}")
        networks[name] = ipaddress.ip_network(value)
    return [[a, b] for (a, net_a), (b, net_b) in itertools.combinations(networks.items(), 2) if net_a.version == net_b.version and net_a.overlaps(net_b)]


def subnet_gateway(value: object) -> str:
    """Return the first host address of a subnet: the gateway Docker gives a network that names no gateway."""
    problem = subnet_problem(value)
    if problem:
        raise AnsibleFilterError(f"subnet_gateway: {problem}")
    return str(next(ipaddress.ip_network(str(value)).hosts()))


class FilterModule:
    def filters(self):
        return {"subnet_problem": subnet_problem, "overlapping_subnets": overlapping_subnets, "subnet_gateway": subnet_gateway}
