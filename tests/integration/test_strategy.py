"""The strategy ansible.cfg names (tools/strategy/pocket_pos_linear.py): Mitogen's linear strategy when Mitogen is
installed, the plain linear strategy with a warning when it is not, with the same results either way."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

from .helpers import run

# Two module calls that each print the process their command runs under: with Mitogen both come from one Python
# interpreter kept for the run, without it each module call starts its own.
PLAY = [
    {
        "hosts": "localhost",
        "gather_facts": False,
        "tasks": [
            {"name": f"Parent process {n}", "ansible.builtin.command": {"argv": ["sh", "-c", "echo $PPID"]}, "register": f"parent{n}", "changed_when": False}
            for n in (1, 2)
        ]
        + [
            {
                "name": "Check mode runs the module too (a stat of this file)",
                "ansible.builtin.stat": {"path": "/etc/hostname"},
                "register": "checked",
                "check_mode": True,
            },
            {"name": "Report", "ansible.builtin.debug": {"msg": "parents {{ parent1.stdout }} {{ parent2.stdout }} stat {{ checked.stat.exists }}"}},
        ],
    }
]


def play(tmp_path: Path, env: dict[str, str] | None = None) -> tuple[list[str], str]:
    playbook = tmp_path / "play.yml"
    playbook.write_text(yaml.safe_dump(PLAY, sort_keys=False))
    result = run("ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", str(playbook), env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    line = next(line for line in output.splitlines() if "parents " in line)
    words = line.split("parents ", 1)[1].strip().strip("\"'").split()
    assert words[2:] == ["stat", "True"], line
    return words[:2], output


def test_mitogen_runs_every_module_call_in_one_interpreter(tmp_path: Path) -> None:
    (first, second), output = play(tmp_path)
    assert first == second, f"two module calls ran under different interpreters ({first}, {second}): Mitogen is not in use"
    assert "Mitogen for Ansible is not installed" not in output


def test_without_mitogen_the_linear_strategy_runs_and_says_so(tmp_path: Path) -> None:
    # A directory on PYTHONPATH whose ansible_mitogen cannot be imported stands in for a controller without Mitogen.
    blocker = tmp_path / "no_mitogen"
    (blocker / "ansible_mitogen").mkdir(parents=True)
    (blocker / "ansible_mitogen" / "__init__.py").write_text("raise ImportError('Mitogen is left out for this test')\n")
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(blocker), os.environ.get("PYTHONPATH", "")]))}
    (first, second), output = play(tmp_path, env)
    assert first != second, "without Mitogen each module call starts its own interpreter"
    assert "Mitogen for Ansible is not installed" in output
