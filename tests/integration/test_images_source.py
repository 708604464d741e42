"""The images role's source entry point: a tree from the controller copied to the host only when it changed."""

from __future__ import annotations

import re
from pathlib import Path

from .helpers import apply_role_locally


def apply(tmp_path: Path, source: Path, dest: Path, *extra: str) -> tuple[int, str]:
    result = apply_role_locally(
        tmp_path, "pocket_pos.platform.images", {"images_source_src": str(source), "images_source_dest": str(dest)}, *extra, tasks_from="source"
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    changed = re.search(r"localhost\s+:\s+ok=\d+\s+changed=(\d+)", out)
    assert changed, out[-3000:]
    return int(changed.group(1)), out


def test_a_tree_is_copied_once_then_only_when_it_changes(tmp_path: Path) -> None:
    source, dest = tmp_path / "src", tmp_path / "host" / "app"
    (source / "lib").mkdir(parents=True)
    (source / "main.ts").write_text("export const a = 1;\n")
    (source / "lib" / "util.ts").write_text("export const b = 2;\n")

    changed = apply(tmp_path, source, dest)[0]
    assert changed == 2  # the tree and the hash beside it
    assert (dest / "lib" / "util.ts").read_text() == "export const b = 2;\n"
    assert (dest.parent / "app.source-sha256").is_file()

    changed, out = apply(tmp_path, source, dest)
    assert changed == 0
    assert re.search(r"TASK \[pocket_pos.platform.images : Copy the source tree when it changed[^\n]*\n[^\n]*\nskipping", out), out[-3000:]

    (source / "lib" / "util.ts").write_text("export const b = 3;\n")
    changed = apply(tmp_path, source, dest, "--check")[0]
    assert changed == 2
    assert (dest / "lib" / "util.ts").read_text() == "export const b = 2;\n"

    changed = apply(tmp_path, source, dest)[0]
    assert changed == 2
    assert (dest / "lib" / "util.ts").read_text() == "export const b = 3;\n"

    (source / "lib" / "util.ts").rename(source / "lib" / "renamed.ts")
    changed = apply(tmp_path, source, dest)[0]
    assert changed == 2
    assert (dest / "lib" / "renamed.ts").read_text() == "export const b = 3;\n"
