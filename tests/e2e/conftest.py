"""One deploy of the whole stack for every end-to-end test (the test files run in name order); the project is taken
down at the end, its volumes kept."""

from __future__ import annotations

import subprocess

import pytest

from e2e.stack import BASE, deploy


@pytest.fixture(scope="session")
def stack():
    counts, out = deploy()
    yield counts, out
    subprocess.run(["docker", "compose", "--project-directory", str(BASE), "down", "--remove-orphans"], capture_output=True, check=False)
