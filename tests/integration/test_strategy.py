"""The strategy ansible.cfg names (tools/strategy/pocket_pos_linear.py): Mitogen's linear strategy when Mitogen is
installed, the plain linear strategy with a warning when it is not, with the same results either way; controller-only
tasks and tasks whose condition is false run in the controller's own process, with the results a worker gives."""

from __future__ import annotations

import os
import re
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


# Every kind of task the strategy runs in the controller's process (set_fact, assert, debug, fail, include_tasks,
# include_role, the role's argument check), each with a loop, a failure, a rescue or an error, and module tasks
# whose condition is false, true or an error.
RICH_PLAY = [
    {
        "hosts": "localhost",
        "gather_facts": False,
        "tasks": [
            {"name": "Set a fact", "ansible.builtin.set_fact": {"answer": 42}},
            {
                "name": "Assert over a loop, the last item failing",
                "ansible.builtin.assert": {"that": ["item < 3"], "fail_msg": "item {{ item }} is too big", "quiet": True},
                "loop": [1, 2, 3],
                "ignore_errors": True,
            },
            {"name": "A module task whose condition is false", "ansible.builtin.command": "false", "when": "answer == 41"},
            {
                "name": "A module task whose condition holds",
                "ansible.builtin.command": {"argv": ["echo", "{{ answer }}"]},
                "when": "answer == 42",
                "register": "echoed",
                "changed_when": False,
            },
            {"name": "A condition on an undefined variable", "ansible.builtin.command": "true", "when": "nothing_here == 1", "ignore_errors": True},
            {"name": "Include tasks for each item", "ansible.builtin.include_tasks": "included.yml", "loop": ["a", "b"]},
            {
                "name": "A failure, rescued",
                "block": [{"name": "Fail", "ansible.builtin.fail": {"msg": "boom"}}],
                "rescue": [{"name": "Rescue", "ansible.builtin.debug": {"msg": "rescued {{ ansible_failed_result.msg }}"}}],
            },
            {
                "name": "A role refusing its input, rescued",
                "block": [{"name": "Tiny role", "ansible.builtin.include_role": {"name": "tiny"}, "vars": {"tiny_size": "many"}}],
                "rescue": [{"name": "Refused", "ansible.builtin.debug": {"msg": "refused {{ ansible_failed_result.msg is search('tiny_size') }}"}}],
            },
            {"name": "A role given good input", "ansible.builtin.include_role": {"name": "tiny"}, "vars": {"tiny_size": 3}},
            {"name": "Report", "ansible.builtin.debug": {"msg": "echoed {{ echoed.stdout }} answer {{ answer }} tiny {{ tiny_doubled }}"}},
        ],
    }
]


def rich_play(tmp_path: Path, env: dict[str, str]) -> str:
    (tmp_path / "included.yml").write_text(yaml.safe_dump([{"name": "Included", "ansible.builtin.debug": {"msg": "included {{ item }}"}}]))
    role = tmp_path / "roles" / "tiny"
    (role / "tasks").mkdir(parents=True, exist_ok=True)
    (role / "meta").mkdir(exist_ok=True)
    size = {"type": "int", "required": True, "description": "Size."}
    specs = {"argument_specs": {"main": {"short_description": "Tiny", "options": {"tiny_size": size}}}}
    (role / "meta" / "argument_specs.yml").write_text(yaml.safe_dump(specs))
    (role / "tasks" / "main.yml").write_text(yaml.safe_dump([{"name": "Double", "ansible.builtin.set_fact": {"tiny_doubled": "{{ tiny_size * 2 }}"}}]))
    playbook = tmp_path / "rich.yml"
    playbook.write_text(yaml.safe_dump(RICH_PLAY, sort_keys=False))
    result = run("ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", str(playbook), env=env)
    return result.stdout + result.stderr


def outcomes(output: str) -> list[str]:
    """The task headers, the per-host and per-item outcomes with their messages, and the recap."""
    keep = re.compile(r"^(TASK \[|ok:|changed:|skipping:|failed:|fatal:|included:|\.\.\.ignoring|localhost +:|\s+msg:)")
    return [re.sub(r"\*+$", "", line).rstrip() for line in output.splitlines() if keep.match(line)]


def test_tasks_run_in_the_controller_give_the_results_of_the_linear_strategy(tmp_path: Path) -> None:
    ours = rich_play(tmp_path, {"ANSIBLE_DEBUG": "1"})
    linear = rich_play(tmp_path, {"ANSIBLE_DEBUG": "1", "ANSIBLE_STRATEGY": "linear"})
    assert "echoed 42 answer 42 tiny 6" in ours, ours[-3000:]
    assert "refused True" in ours, ours[-3000:]
    assert re.search(r"localhost +: ok=\d+ +changed=0 +unreachable=0 +failed=0 +skipped=1 +rescued=2 +ignored=2", ours), ours[-3000:]
    assert outcomes(ours) == outcomes(linear)
    # A worker process is forked only for the module task that ran (ansible-core's debug line per worker), instead
    # of one for each of the 17 tasks.
    forked = [line for line in ours.splitlines() if re.search(r"worker is \d+ \(out of \d+ available\)", line)]
    assert len(forked) == 1, forked
    assert len([line for line in linear.splitlines() if re.search(r"worker is \d+ \(out of \d+ available\)", line)]) >= 17
