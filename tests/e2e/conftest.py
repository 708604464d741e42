"""One deploy of the whole stack for every end-to-end test (the test files run in name order), from the project's
containers gone; the project is taken down at the end, its volumes kept."""

from __future__ import annotations

import importlib.util
import subprocess
import time
from pathlib import Path

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


# What a Debian host's Python has once the docker_engine role (python3-requests) and the nginx role
# (python3-cryptography) have run: none of the libraries the collection's own modules use (the Docker SDK, psycopg,
# redis, confluent-kafka), which reach them only from the library sets on PYTHONPATH.
HOST_LIBRARIES = ["requests", "urllib3", "idna", "certifi", "charset_normalizer", "cryptography", "cffi", "pycparser", "_cffi_backend"]


@pytest.fixture(scope="session")
def host_python(tmp_path_factory) -> str:
    """Debian's own /usr/bin/python3 (3.11.2 on bookworm), in a virtual environment that holds the host libraries
    above only: linked from this test run's environment, so that no package index is needed."""
    root = tmp_path_factory.mktemp("host-python")
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(root / "venv")], check=True, capture_output=True)
    libraries = root / "libraries"
    libraries.mkdir()
    for name in HOST_LIBRARIES:
        origin = Path(importlib.util.find_spec(name).origin)
        source = origin.parent if origin.name == "__init__.py" else origin
        (libraries / source.name).symlink_to(source)
    (next((root / "venv" / "lib").glob("python3*/site-packages")) / "host-libraries.pth").write_text(f"{libraries}\n")
    python = str(root / "venv" / "bin" / "python")
    missing = subprocess.run([python, "-c", "import docker"], capture_output=True, check=False)
    assert missing.returncode != 0, "the host's Python must not have the Docker SDK"
    return python
