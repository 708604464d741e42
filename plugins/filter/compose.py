# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compose project logic the stack role needs and Jinja cannot say well: setting fixed container addresses, splitting
the project into its shared file and the environment's override, and working out which services a deploy would
create, recreate or remove."""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError


def compose_addresses(compose: object, addresses: object, project: str = "pocket-pos") -> dict:
    """Return the compose project with each fixed address set on its service's network.

    Fails, naming the service, when it is not in the project, is not on that network, or runs more than one
    container (one address cannot serve replicas). A service's list of networks becomes a mapping.
    """
    if not isinstance(compose, dict) or not isinstance(compose.get("services"), dict):
        raise AnsibleFilterError("compose_addresses expects a compose project with services")
    if not isinstance(addresses, dict):
        raise AnsibleFilterError(f"compose_addresses expects a dict of service -> {{network: address}}, got {type(addresses).__name__}")
    # Copies of only what changes: a deep copy of the whole project walks every value again (slow with Ansible's
    # templated containers), and nothing else is touched.
    result = dict(compose)
    services = dict(result["services"])
    result["services"] = services
    for service, networks in addresses.items():
        where = f"stack_addresses.{service}"
        if service not in services:
            raise AnsibleFilterError(f"{where}: project {project} has no service '{service}' (it has {', '.join(sorted(services))})")
        definition = dict(services[service])
        replicas = (definition.get("deploy") or {}).get("replicas", 1)
        if int(replicas) != 1 or definition.get("scale", 1) != 1:
            raise AnsibleFilterError(f"{where}: {service} runs {replicas} containers; a fixed address fits a service of one container")
        joined = definition.get("networks") or {}
        joined = {name: None for name in joined} if isinstance(joined, list) else dict(joined)
        for network, address in networks.items():
            if network not in joined:
                raise AnsibleFilterError(f"{where}.{network}: {service} is not on the {network} network (it is on {', '.join(sorted(joined)) or 'none'})")
            key = "ipv4_address" if ipaddress.ip_address(str(address)).version == 4 else "ipv6_address"
            joined[network] = dict(joined[network] or {}, **{key: str(address)})
        definition["networks"] = joined
        services[service] = definition
    return result


def _pairs(lines: object, what: str) -> list[tuple[str, str]]:
    if isinstance(lines, str):
        lines = lines.splitlines()
    if not isinstance(lines, list):
        raise AnsibleFilterError(f"compose_plan expects {what} as lines of '<service> <hash>', got {type(lines).__name__}")
    pairs = []
    for line in lines:
        fields = str(line).split()
        if not fields:
            continue
        pairs.append((fields[0], fields[1] if len(fields) > 1 else ""))
    return pairs


def compose_plan(candidate: object, containers: object) -> dict[str, list[str]]:
    """Return which services a deploy of the candidate project would create, recreate, remove or leave alone.

    candidate: lines of `docker compose config --hash '*'` for the file about to be deployed ('<service> <hash>');
    containers: one line per existing container of the project, '<service> <com.docker.compose.config-hash label>'.
    A service whose containers carry another hash than the candidate's is recreated (compose compares exactly these
    hashes); one without containers is created; containers of a service the candidate lacks are removed (orphans).
    """
    wanted = dict(_pairs(candidate, "the candidate's hashes"))
    running: dict[str, set[str]] = {}
    for service, value in _pairs(containers, "the containers' hashes"):
        running.setdefault(service, set()).add(value)
    plan: dict[str, list[str]] = {"create": [], "recreate": [], "remove": [], "unchanged": []}
    for service, value in sorted(wanted.items()):
        if service not in running:
            plan["create"].append(service)
        elif running[service] != {value}:
            plan["recreate"].append(service)
        else:
            plan["unchanged"].append(service)
    plan["remove"] = sorted(set(running) - set(wanted))
    return plan


def compose_split(compose: object, keys: object, service_keys: object = None) -> dict:
    """Split a compose project into the file every environment shares and the environment's override file.

    keys: the service keys that belong to the environment for every service (restart policy, limits, replicas);
    service_keys: more of them for some services, {service: [key, ...]} (the development extras of the
    applications: their environment, bind mounts, debug ports). Each key of a service goes to exactly one of the
    two files, so that compose's merge of the two (`-f base -f override`) is the project again, key for key.
    Returns {'base': project, 'override': {'services': {...}}}; a service with no such key has no override entry.
    """
    if not isinstance(compose, dict) or not isinstance(compose.get("services"), dict):
        raise AnsibleFilterError("compose_split expects a compose project with services")
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise AnsibleFilterError(f"compose_split expects the environment's service keys as a list of names, got {keys!r}")
    service_keys = service_keys or {}
    if not isinstance(service_keys, dict):
        raise AnsibleFilterError(f"compose_split expects the per-service keys as {{service: [key, ...]}}, got {type(service_keys).__name__}")
    unknown = sorted(set(service_keys) - set(compose["services"]))
    if unknown:
        raise AnsibleFilterError(f"compose_split: environment keys given for services the project lacks: {', '.join(unknown)}")
    base = dict(compose)
    base["services"] = {}
    override: dict = {}
    for service, definition in compose["services"].items():
        extra = service_keys.get(service) or []
        if not isinstance(extra, list):
            raise AnsibleFilterError(f"compose_split: the environment keys of {service} must be a list, got {extra!r}")
        chosen = set(keys) | set(extra)
        base["services"][service] = {key: value for key, value in definition.items() if key not in chosen}
        own = {key: value for key, value in definition.items() if key in chosen}
        if own:
            override[service] = own
    return {"base": base, "override": {"services": override}}


class FilterModule:
    def filters(self):
        return {"compose_addresses": compose_addresses, "compose_plan": compose_plan, "compose_split": compose_split}
