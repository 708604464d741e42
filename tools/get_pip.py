"""Stand-in for the pip bootstrap script (get-pip.py) that ansible-test downloads from a host this machine
cannot reach. ansible-test runs it in a new virtual environment with pip's install arguments; like get-pip.py
it runs pip from a bundled copy (the wheel that ships with Python's ensurepip) to install the requested pip
from the package index. tools/setup.sh puts it where ansible-test caches the real script.
"""

import ensurepip
import glob
import os
import sys

wheels = glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl"))
if not wheels:
    sys.exit("ensurepip bundles no pip wheel in this Python; install python3-pip-whl or python3-venv")
sys.path.insert(0, wheels[0])

from pip._internal.cli.main import main  # noqa: E402  (importable only once the wheel is on sys.path)

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(main(["install", "--upgrade", "--force-reinstall", *args]))
