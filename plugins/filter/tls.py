# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Edge checks the nginx role needs and Jinja cannot say well: which server names a certificate does not cover, and
the Content-Security-Policy header built from the default policy and the sources an operator adds."""

from __future__ import annotations

import ipaddress
import re

from ansible.errors import AnsibleFilterError

_SOURCE = re.compile(r"^[^\s;,\"\\]+$")
_DIRECTIVE = re.compile(r"^[a-z][a-z-]*$")


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _dns_match(pattern: str, name: str) -> bool:
    """RFC 6125: a wildcard stands for exactly one whole left-most label."""
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if pattern == name:
        return True
    if pattern.startswith("*.") and "." in name:
        return name.split(".", 1)[1] == pattern[2:] and name.split(".", 1)[0] != ""
    return False


def tls_name_problems(subject_alt_names: object, server_names: object) -> list[str]:
    """Return the server names that the certificate's subjectAltName entries ("DNS:x", "IP:y") do not cover."""
    if not isinstance(subject_alt_names, list) or not isinstance(server_names, list):
        raise AnsibleFilterError("tls_name_problems expects the certificate's subject_alt_name list and a list of server names")
    dns = [str(entry)[4:] for entry in subject_alt_names if str(entry).startswith("DNS:")]
    ips = {_ip(str(entry)[3:]) for entry in subject_alt_names if str(entry).startswith("IP:")} - {None}
    missing = []
    for name in server_names:
        name = str(name)
        address = _ip(name)
        covered = address in ips if address else any(_dns_match(pattern, name) for pattern in dns)
        if not covered:
            missing.append(name)
    return missing


def csp_header(policy: object, extra: object = None) -> str:
    """Return a Content-Security-Policy value: each directive of policy, with extra's sources added (new directives
    after the policy's, each source once)."""
    extra = extra or {}
    if not isinstance(policy, dict) or not isinstance(extra, dict):
        raise AnsibleFilterError("csp_header expects dicts of directive -> list of sources")
    merged: dict[str, list[str]] = {}
    for source in (policy, extra):
        for directive, values in source.items():
            if not _DIRECTIVE.match(str(directive)):
                raise AnsibleFilterError(f"Content-Security-Policy directive '{directive}' is not a directive name")
            if isinstance(values, str) or not isinstance(values, list):
                raise AnsibleFilterError(f"Content-Security-Policy directive '{directive}': give its sources as a list, got {values!r}")
            sources = merged.setdefault(str(directive), [])
            for value in values:
                if not _SOURCE.match(str(value)):
                    raise AnsibleFilterError(f"Content-Security-Policy directive '{directive}': '{value}' is not a single source")
                if str(value) not in sources:
                    sources.append(str(value))
    return "; ".join(f"{directive} {' '.join(values)}".strip() for directive, values in merged.items())


class FilterModule:
    def filters(self):
        return {"tls_name_problems": tls_name_problems, "csp_header": csp_header}
