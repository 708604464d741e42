"""Shared pytest setup: import the collection as ansible_collections.pocket_pos.platform from this checkout."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLLECTIONS = ROOT / ".collections"

if not (COLLECTIONS / "ansible_collections" / "pocket_pos" / "platform").exists():
    raise RuntimeError("run `make setup` first: .collections/ansible_collections/pocket_pos/platform is missing")
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
