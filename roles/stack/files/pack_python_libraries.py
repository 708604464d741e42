# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pack pinned Python libraries for a Docker host into one tarball, on the controller.

Wheels for the host's Python version and architecture come from the wheel cache when they are there (an
air-gapped controller), else from the package index with pip, and are added to the cache. Each wheel is unpacked
(a wheel is a zip archive; none of these has scripts or data to install) into one directory that the host puts on
PYTHONPATH: no pip, no virtualenv and no package index on the host.

Usage: pack_python_libraries.py --python-version 3.11 --arch x86_64 --cache DIR --output FILE.tar.gz REQ==VER ...
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

MARKER = ".pocket-pos-complete"


def download(requirements: list[str], python_version: str, arch: str, cache: pathlib.Path, dest: pathlib.Path, name: str) -> None:
    platforms = [f"--platform={tag}_{arch}" for tag in ("manylinux_2_28", "manylinux_2_17", "manylinux2014")]
    base = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--implementation=cp",
            f"--python-version={python_version}", *platforms, f"--dest={dest}"]  # fmt: skip
    # pip of this interpreter, with the role's pinned requirements: no shell, no input from elsewhere.
    offline = subprocess.run([*base, "--no-index", f"--find-links={cache}", *requirements], capture_output=True, text=True, check=False)  # noqa: S603
    if offline.returncode != 0:
        online = subprocess.run([*base, f"--find-links={cache}", *requirements], capture_output=True, text=True, check=False)  # noqa: S603
        if online.returncode != 0:
            sys.exit(
                f"{name} ({cache}): the wheels of {' '.join(requirements)} for Python {python_version} on {arch} are not all "
                f"there, and pip could not download them. Copy them there (pip download on a machine that reaches the "
                f"package index).\n{online.stderr.strip()[-2000:]}"
            )
    for wheel in dest.glob("*.whl"):
        if not (cache / wheel.name).exists():
            shutil.copy2(wheel, cache / wheel.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python-version", required=True)
    parser.add_argument("--arch", required=True)
    parser.add_argument("--cache", required=True, type=pathlib.Path)
    parser.add_argument("--output", required=True, type=pathlib.Path)
    parser.add_argument("--cache-variable", default="stack_python_wheel_cache", help="the variable to name in errors")
    parser.add_argument("requirements", nargs="+")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.output.parent) as tmp:
        wheels, lib = pathlib.Path(tmp, "wheels"), pathlib.Path(tmp, "lib")
        wheels.mkdir()
        download(args.requirements, args.python_version, args.arch, args.cache, wheels, args.cache_variable)
        for wheel in sorted(wheels.glob("*.whl")):
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(lib)  # noqa: S202  zipfile drops absolute paths and '..' parts; wheels pinned by version
        (lib / MARKER).write_text("\n".join(sorted(path.name for path in wheels.glob("*.whl"))) + "\n")
        partial = args.output.with_name(args.output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(lib, arcname=".")
        partial.replace(args.output)
    print(f"packed {len(args.requirements)} libraries into {args.output}")


if __name__ == "__main__":
    main()
