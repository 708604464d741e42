from __future__ import annotations

import base64
import re
import uuid

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.kafka import kafka_cluster_id


@pytest.mark.parametrize("seed", ["pocket-pos@localhost", "pocket-pos@pos-1.example.net", "x"])
def test_cluster_id_is_a_kafka_uuid(seed: str) -> None:
    cluster_id = kafka_cluster_id(seed)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", cluster_id)
    raw = base64.urlsafe_b64decode(cluster_id + "==")
    assert len(raw) == 16
    assert uuid.UUID(bytes=raw).int != 0


def test_cluster_id_is_stable_and_seed_specific() -> None:
    assert kafka_cluster_id("pocket-pos@a") == kafka_cluster_id("pocket-pos@a")
    assert kafka_cluster_id("pocket-pos@a") != kafka_cluster_id("pocket-pos@b")


@pytest.mark.parametrize("seed", ["", None, 12])
def test_cluster_id_refuses_a_seed_that_is_not_a_string(seed: object) -> None:
    with pytest.raises(AnsibleFilterError, match="non-empty string seed"):
        kafka_cluster_id(seed)
