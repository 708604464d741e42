"""Run the toolchain's Ansible commands the way an operator does from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """Run a command from .venv/bin with ansible.cfg of the checkout; never raises on a non-zero exit."""
    full_env = dict(os.environ)
    full_env.update({"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"})
    full_env.update(env or {})
    command = [str(BIN / args[0]), *args[1:]]
    return subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False)


def apply_role_locally(tmp_path: Path, role: str, variables: dict, *extra: str, tasks_from: str = "main") -> subprocess.CompletedProcess[str]:
    """Apply one role of the collection (or one of its entry points) to this machine (connection local, this
    Python), as a one-task play."""
    play = [
        {
            "hosts": "localhost",
            "gather_facts": False,
            "tasks": [{"name": f"Apply {role}", "ansible.builtin.include_role": {"name": role, "tasks_from": tasks_from}, "vars": variables}],
        }
    ]
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump(play, sort_keys=False))
    return run("ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", *extra, str(playbook))
