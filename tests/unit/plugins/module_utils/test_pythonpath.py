from __future__ import annotations

import os
import sys

import pytest

from ansible_collections.pocket_pos.platform.plugins.module_utils.pythonpath import use_pythonpath


def test_each_pythonpath_entry_goes_ahead_of_the_interpreter_s_own_in_its_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", ["/usr/lib/python3.11", "/site"])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(["/opt/pocket-pos/python/stack", "", "/opt/pocket-pos/python/kafka"]))
    use_pythonpath()
    assert sys.path == ["/opt/pocket-pos/python/stack", "/opt/pocket-pos/python/kafka", "/usr/lib/python3.11", "/site"]


def test_an_entry_already_on_the_path_is_not_added_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # A second task with the same set, in Mitogen's long-lived interpreter.
    monkeypatch.setattr(sys, "path", ["/opt/pocket-pos/python/stack", "/site"])
    monkeypatch.setenv("PYTHONPATH", "/opt/pocket-pos/python/stack")
    use_pythonpath()
    use_pythonpath()
    assert sys.path == ["/opt/pocket-pos/python/stack", "/site"]


def test_no_pythonpath_leaves_the_path_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", ["/site"])
    monkeypatch.delenv("PYTHONPATH", raising=False)
    use_pythonpath()
    assert sys.path == ["/site"]
