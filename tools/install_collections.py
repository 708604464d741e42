"""Provide the collections named in requirements.yml without Ansible Galaxy.

The PyPI package ``ansible`` bundles community.docker, community.crypto and the rest. This script downloads
its wheel once into the cache, extracts only the collections that requirements.yml names (checking that the
bundled version is the pinned one), and copies them into the project's collections path.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml


def pinned_collections(requirements: Path) -> dict[str, str]:
    data = yaml.safe_load(requirements.read_text(encoding="utf-8")) or {}
    pins = {}
    for entry in data.get("collections", []):
        name, version = entry.get("name"), entry.get("version")
        if not name or not version:
            raise SystemExit(f"{requirements}: every collection needs a name and an exact version: {entry!r}")
        pins[name] = str(version)
    return pins


def ensure_wheel(bundle: str, wheels: Path, python: str) -> Path:
    found = sorted(wheels.glob(f"ansible-{bundle}-*.whl"))
    if found:
        return found[0]
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [python, "-m", "pip", "download", "--quiet", "--no-deps", f"ansible=={bundle}", "-d", str(wheels)],
        check=True,
    )
    found = sorted(wheels.glob(f"ansible-{bundle}-*.whl"))
    if not found:
        raise SystemExit(f"pip download ansible=={bundle} gave no wheel in {wheels}")
    return found[0]


def extract(wheel: Path, pins: dict[str, str], dest: Path) -> None:
    """Extract the pinned collections from the wheel into dest/ansible_collections (a fresh directory)."""
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        for fqcn, version in pins.items():
            namespace, name = fqcn.split(".", 1)
            prefix = f"ansible_collections/{namespace}/{name}/"
            manifest = prefix + "MANIFEST.json"
            if manifest not in names:
                raise SystemExit(f"{wheel.name} does not bundle {fqcn}")
            bundled = json.loads(archive.read(manifest))["collection_info"]["version"]
            if bundled != version:
                raise SystemExit(f"{wheel.name} bundles {fqcn} {bundled}, requirements.yml pins {version}")
            archive.extractall(tmp, [n for n in names if n.startswith(prefix)])
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def install(source: Path, pins: dict[str, str], target: Path) -> list[str]:
    """Copy each pinned collection into target/ansible_collections unless the same version is there."""
    done = []
    for fqcn, version in pins.items():
        namespace, name = fqcn.split(".", 1)
        src = source / "ansible_collections" / namespace / name
        dst = target / "ansible_collections" / namespace / name
        manifest = dst / "MANIFEST.json"
        if manifest.is_file() and json.loads(manifest.read_text())["collection_info"]["version"] == version:
            continue
        shutil.rmtree(dst, ignore_errors=True)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dst, symlinks=True)
        done.append(f"{fqcn} {version}")
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", type=Path, default=Path("requirements.yml"))
    parser.add_argument("--bundle", required=True, help="version of the PyPI ansible package to take them from")
    parser.add_argument("--cache", type=Path, required=True, help="cache directory (wheels/, collections/)")
    parser.add_argument("--target", type=Path, required=True, help="collections path to install into")
    args = parser.parse_args()

    pins = pinned_collections(args.requirements)
    extracted = args.cache / "collections" / f"ansible-{args.bundle}"
    stamp = extracted / ".pins.json"
    if not stamp.is_file() or json.loads(stamp.read_text()) != pins:
        wheel = ensure_wheel(args.bundle, args.cache / "wheels", sys.executable)
        extract(wheel, pins, extracted)
        stamp.write_text(json.dumps(pins, sort_keys=True))
    for line in install(extracted, pins, args.target):
        print(f"collection installed: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
