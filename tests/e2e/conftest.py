"""One deploy of the whole stack for every end-to-end test (the test files run in name order), from the project's
containers gone; the project is taken down at the end, its volumes kept."""

from __future__ import annotations

import subprocess
import time

import pytest

from e2e.stack import BASE, FIRST_DEPLOY, deploy


@pytest.fixture(scope="session")
def stack():
    # From the project's containers gone (its volumes kept), as on a fresh host and whatever an earlier run left
    # running: the first deploy creates and starts every container, and the Docker events of its span are kept.
    subprocess.run(["docker", "compose", "--project-directory", str(BASE), "down", "--remove-orphans"], capture_output=True, check=False)
    started = time.time()
    counts, out = deploy()
    FIRST_DEPLOY["span"] = (started, time.time())
    yield counts, out
    subprocess.run(["docker", "compose", "--project-directory", str(BASE), "down", "--remove-orphans"], capture_output=True, check=False)
