"""The collection builds into a tarball that installs into an empty path and lists its plugins."""

from __future__ import annotations

import tarfile
from pathlib import Path

import yaml

from .helpers import ROOT, run


def test_build_install_and_list(tmp_path: Path) -> None:
    version = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
    build = run("ansible-galaxy", "collection", "build", "--output-path", str(tmp_path / "dist"))
    assert build.returncode == 0, build.stderr
    tarball = tmp_path / "dist" / f"pocket_pos-platform-{version}.tar.gz"
    assert tarball.is_file()

    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert "plugins/modules/secret_file.py" in names
    assert "meta/runtime.yml" in names
    assert not [n for n in names if n.split("/")[0] in {".venv", ".collections", ".git", ".cache"}]

    target = tmp_path / "collections"
    # --no-deps: the dependencies come from Galaxy, which this machine cannot reach; the install itself is offline.
    install = run("ansible-galaxy", "collection", "install", "--no-deps", "--offline", "--force", "-p", str(target), str(tarball))
    assert install.returncode == 0, install.stderr
    installed = target / "ansible_collections" / "pocket_pos" / "platform"
    assert (installed / "MANIFEST.json").is_file()
    assert not installed.is_symlink()

    listing = run("ansible-doc", "-l", "pocket_pos.platform", env={"ANSIBLE_COLLECTIONS_PATH": str(target)})
    assert listing.returncode == 0, listing.stderr
    assert "pocket_pos.platform.secret_file" in listing.stdout

    doc = run("ansible-doc", "pocket_pos.platform.secret_file", env={"ANSIBLE_COLLECTIONS_PATH": str(target)})
    assert doc.returncode == 0, doc.stderr
    assert str(installed) in doc.stdout
