# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health gate's table, from the stack_health module's services."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

COLUMNS = ("SERVICE", "CONTAINER", "HEALTH", "LATENCY", "VERSION")


def health_table(services: object, last: str = "published") -> str:
    """One line per container: service, container, health, probe latency, version, and the published ports (or,
    with last='detail', what the probe saw or why the service is down). Columns as wide as their longest cell."""
    if not isinstance(services, list) or not all(isinstance(service, dict) for service in services):
        raise AnsibleFilterError("health_table expects the services list of the stack_health module")
    if last not in ("published", "detail"):
        raise AnsibleFilterError(f"health_table: last must be 'published' or 'detail', got '{last}'")
    rows = [(*COLUMNS, last.upper())]
    for service in services:
        latency = service.get("latency_ms")
        tail = " ".join(service.get("published") or []) if last == "published" else service.get("detail") or service.get("error") or ""
        rows.append((
            service.get("service") or "-",
            service.get("container") or "-",
            "healthy" if service.get("available") else "DOWN",
            "-" if latency is None else f"{latency:.0f} ms",
            service.get("version") or "-",
            tail,
        ))  # fmt: skip
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    lines = []
    for row in rows:
        cells = [cell.rjust(width) if column == 3 else cell.ljust(width) for column, (cell, width) in enumerate(zip(row, widths, strict=False))]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


class FilterModule:
    def filters(self) -> dict:
        return {"health_table": health_table}
