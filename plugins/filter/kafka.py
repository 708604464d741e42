# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kafka values the roles need and Jinja cannot make: a KRaft cluster id."""

from __future__ import annotations

import base64
import hashlib

from ansible.errors import AnsibleFilterError


def kafka_cluster_id(value: object) -> str:
    """Return a KRaft cluster id derived from a seed string: the 16 bytes of its SHA-256 prefix, base64url, no padding.

    Kafka's cluster ids are UUIDs written that way (22 characters). The same seed always gives the same id, so the
    broker's formatted storage keeps matching the configuration on every run. Kafka reserves the all-zero UUID and
    the one of its metadata topic (1); neither can come out of a hash prefix in practice, and both are refused.
    """
    if not isinstance(value, str) or not value:
        raise AnsibleFilterError(f"kafka_cluster_id expects a non-empty string seed, got {value!r}")
    raw = hashlib.sha256(value.encode("utf-8")).digest()[:16]
    if raw in (bytes(16), bytes(15) + b"\x01"):
        raise AnsibleFilterError(f"kafka_cluster_id: the seed {value!r} gives a UUID Kafka reserves; choose another")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class FilterModule:
    def filters(self):
        return {"kafka_cluster_id": kafka_cluster_id}
