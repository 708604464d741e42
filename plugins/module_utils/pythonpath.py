# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The library sets the stack role unpacks on the Docker host reach a module through the task's PYTHONPATH."""

from __future__ import annotations

import os
import sys


def use_pythonpath() -> None:
    """Put each PYTHONPATH entry on sys.path, ahead of the interpreter's own, unless it is there already. A new
    interpreter (ansible-core's AnsiballZ) has done so at start; Mitogen runs the module in its long-lived
    interpreter, where the task's environment reaches os.environ but never sys.path, so without this a library of
    the set is found only when the host's Python happens to have it."""
    entries = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    for entry in reversed(entries):
        if entry not in sys.path:
            sys.path.insert(0, entry)
