# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network checks the roles need and Jinja cannot do: whether a subnet is valid, which subnets overlap, and whether
fixed container addresses fit their networks."""

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


def address_problems(addresses: object, subnets: object) -> list[str]:
    """Return what is wrong with fixed container addresses, each message naming the service and network.

    addresses maps a compose service to {network: address}; subnets maps a network name to its subnet (an empty
    subnet means Docker chooses it, so no fixed address can be given on it). An address must lie in its network's
    subnet, be none of its network, broadcast or gateway (first host) addresses, and be given to one service only.
    """
    if not isinstance(addresses, dict):
        return [f"stack_addresses must be a dict of service -> {{network: address}}, got {type(addresses).__name__}"]
    if not isinstance(subnets, dict):
        raise AnsibleFilterError(f"address_problems expects a dict of network -> subnet, got {type(subnets).__name__}")
    problems: list[str] = []
    owners: dict[tuple[str, ipaddress.IPv4Address | ipaddress.IPv6Address], str] = {}
    for service, networks in addresses.items():
        if not isinstance(networks, dict) or not networks:
            problems.append(f"stack_addresses.{service}: give a dict of network -> address, got {networks!r}")
            continue
        for network, value in networks.items():
            where = f"stack_addresses.{service}.{network}"
            if network not in subnets:
                problems.append(f"{where}: there is no network '{network}' (the networks are {', '.join(sorted(subnets))})")
                continue
            if not subnets[network]:
                problems.append(f"{where}: the {network} network has no fixed subnet, so Docker chooses it and no address can be fixed")
                continue
            try:
                address = ipaddress.ip_address(str(value))
            except ValueError:
                problems.append(f"{where}: '{value}' is not an IP address")
                continue
            subnet = ipaddress.ip_network(str(subnets[network]))
            if address.version != subnet.version or address not in subnet:
                problems.append(f"{where}: {address} is outside the {network} subnet {subnet}")
                continue
            reserved = {subnet.network_address: "the network address", next(subnet.hosts()): "the gateway (the Docker host)"}
            if subnet.version == 4:
                reserved[subnet.broadcast_address] = "the broadcast address"
            if address in reserved:
                problems.append(f"{where}: {address} is {reserved[address]} of {subnet}")
                continue
            other = owners.setdefault((network, address), service)
            if other != service:
                problems.append(f"{where}: {address} is already the address of {other} on {network} (duplicate address)")
    return problems


class FilterModule:
    def filters(self):
        return {
            "subnet_problem": subnet_problem,
            "overlapping_subnets": overlapping_subnets,
            "subnet_gateway": subnet_gateway,
            "address_problems": address_problems,
        }
