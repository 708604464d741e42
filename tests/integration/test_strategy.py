"""The strategy ansible.cfg names (tools/strategy/pocket_pos_linear.py): Mitogen's linear strategy when Mitogen is
installed, the plain linear strategy with a warning when it is not, with the same results either way; controller-only
tasks, tasks whose condition is false and module tasks over Mitogen's connections run in the controller's own
process, with the results a worker gives."""

from __future__ import annotations

import json
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
# include_role, the role's argument check, module and file actions), each with a loop, a failure, a rescue, check
# mode, a diff, no_log or an error, module tasks whose condition is false, true or an error, and the tasks that still
# go to a worker: a delegated one and an asynchronous one.
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
            {"name": "A module that fails, ignored", "ansible.builtin.command": {"argv": ["sh", "-c", "echo no >&2; exit 3"]}, "ignore_errors": True},
            {"name": "A secret not logged", "ansible.builtin.command": {"argv": ["echo", "s3cr3t-value"]}, "no_log": True, "changed_when": False},
            {"name": "A directory", "ansible.builtin.file": {"path": "{{ out }}", "state": "directory", "mode": "0755"}},
            {
                "name": "Templates over a loop, in check mode with a diff",
                "ansible.builtin.template": {"src": "greeting.j2", "dest": "{{ out }}/greeting-{{ item }}.txt", "mode": "0644"},
                "loop": [1, 2],
                "check_mode": True,
                "diff": True,
            },
            {
                "name": "Templates over a loop",
                "ansible.builtin.template": {"src": "greeting.j2", "dest": "{{ out }}/greeting-{{ item }}.txt", "mode": "0644"},
                "loop": [1, 2],
            },
            {
                "name": "The same again (unchanged)",
                "ansible.builtin.copy": {"content": "hello 1 of 42\n", "dest": "{{ out }}/greeting-1.txt", "mode": "0644"},
                "register": "again",
            },
            {"name": "Read it back", "ansible.builtin.slurp": {"src": "{{ out }}/greeting-2.txt"}, "register": "read_back"},
            {"name": "Delegated (a worker)", "ansible.builtin.command": "true", "delegate_to": "localhost", "changed_when": False},
            {"name": "Delegated, its condition false (no worker)", "ansible.builtin.command": "false", "delegate_to": "localhost", "when": "answer == 41"},
            {"name": "A module that respawns (a worker, without Mitogen)", "respawner": {}},
            {"name": "Asynchronous (a worker)", "ansible.builtin.command": "true", "async": 30, "poll": 1, "changed_when": False},
            {"name": "In the background (a worker)", "background": {"word": "done"}, "async": 60, "poll": 0, "register": "job"},
            {
                "name": "Its result (a worker)",
                "ansible.builtin.async_status": {"jid": "{{ job.ansible_job_id }}"},
                "register": "job_result",
                "until": "job_result is finished",
                "retries": 30,
                "delay": 1,
            },
            {"name": "Its word", "ansible.builtin.debug": {"msg": "background {{ job_result.word }}"}},
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
            {
                "name": "Report",
                "ansible.builtin.debug": {
                    "msg": "echoed {{ echoed.stdout }} answer {{ answer }} tiny {{ tiny_doubled }} again {{ again.changed }} "
                    "read {{ read_back.content | b64decode | trim }}"
                },
            },
        ],
    }
]

# A module that starts itself again under the same interpreter, as apt does under the system's Python when the
# target's lacks python3-apt: Mitogen cannot run it (mitogen-hq/mitogen#849).
RESPAWNER = """#!/usr/bin/python
from __future__ import annotations

import sys

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.respawn import has_respawned, respawn_module


def main():
    module = AnsibleModule(argument_spec={}, supports_check_mode=True)
    if not has_respawned():
        respawn_module(sys.executable)
    module.exit_json(changed=False, msg="ran again after respawning")


if __name__ == "__main__":
    main()
"""

# A connection Mitogen does not take over: ansible-core's local connection under another name.
PLAIN_LOCAL = '''
DOCUMENTATION = """
    name: plain_local
    short_description: ansible-core's local connection, under a name Mitogen does not take over
    description: [The local connection.]
    author: Pocket POS platform team
    options:
        become_success_timeout:
            type: int
            default: 10
            description: [As the local connection's.]
        become_strip_preamble:
            type: bool
            default: true
            description: [As the local connection's.]
    extends_documentation_fragment:
        - connection_pipelining
"""

from ansible.plugins.connection.local import Connection as _Local


class Connection(_Local):
    transport = "plain_local"
'''


# A module of the play's own that imports a collection's module_utils, which nothing before it loaded on the target:
# run in the background (async, poll 0), it must end and leave its result for async_status. Under Mitogen's
# connection such a job never ends: Mitogen runs it in a child forked on its broker thread, where the import waits
# for the controller's answer that only that thread could receive (community.docker.docker_compose_v2 hung so).
# The strategy runs an asynchronous task over ansible-core's own connection instead.
BACKGROUND = """#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.pocket_pos.platform.plugins.module_utils.secret import problems
import time


def main():
    module = AnsibleModule(argument_spec={"word": {"type": "str", "required": True}})
    time.sleep(1)
    module.exit_json(changed=False, word=module.params["word"] + ("" if problems("abcd1234", "alphanumeric", 8) else " and checked"))


main()
"""


def rich_play(tmp_path: Path, env: dict[str, str], out: str, connection: str = "local") -> str:
    (tmp_path / "included.yml").write_text(yaml.safe_dump([{"name": "Included", "ansible.builtin.debug": {"msg": "included {{ item }}"}}]))
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "greeting.j2").write_text("hello {{ item }} of {{ answer }}\n")
    (tmp_path / "library").mkdir(exist_ok=True)
    (tmp_path / "library" / "respawner.py").write_text(RESPAWNER)
    (tmp_path / "library" / "background.py").write_text(BACKGROUND)
    (tmp_path / "connection_plugins").mkdir(exist_ok=True)
    (tmp_path / "connection_plugins" / "plain_local.py").write_text(PLAIN_LOCAL)
    role = tmp_path / "roles" / "tiny"
    (role / "tasks").mkdir(parents=True, exist_ok=True)
    (role / "meta").mkdir(exist_ok=True)
    size = {"type": "int", "required": True, "description": "Size."}
    specs = {"argument_specs": {"main": {"short_description": "Tiny", "options": {"tiny_size": size}}}}
    (role / "meta" / "argument_specs.yml").write_text(yaml.safe_dump(specs))
    (role / "tasks" / "main.yml").write_text(yaml.safe_dump([{"name": "Double", "ansible.builtin.set_fact": {"tiny_doubled": "{{ tiny_size * 2 }}"}}]))
    playbook = tmp_path / "rich.yml"
    playbook.write_text(yaml.safe_dump(RICH_PLAY, sort_keys=False))
    result = run(
        "ansible-playbook",
        "-v",
        "-i",
        "localhost,",
        "-c",
        connection,
        "-e",
        f"ansible_python_interpreter={sys.executable}",
        "-e",
        f"out={tmp_path / out}",
        str(playbook),
        env=env,
    )
    return (result.stdout + result.stderr).replace(str(tmp_path / out), "OUT")


def outcomes(output: str) -> list[str]:
    """The task headers, the per-host and per-item outcomes with their messages, the diffs and the recap."""
    keep = re.compile(r"^(TASK \[|ok:|changed:|skipping:|failed:|fatal:|included:|\.\.\.ignoring|localhost +:|\s+msg:|[-+@]{1,3} )")
    # A diff's "after" names a temporary file on the controller.
    return [re.sub(r"^(\+\+\+ after: ).*/", r"\1", re.sub(r"\*+$", "", line).rstrip()) for line in output.splitlines() if keep.match(line)]


def workers(output: str) -> int:
    """How many worker processes ansible-core forked (its debug line for each)."""
    return len([line for line in output.splitlines() if re.search(r"worker is \d+ \(out of \d+ available\)", line)])


RECAP = r"localhost +: ok=\d+ +changed=[1-9]\d* +unreachable=0 +failed=0 +skipped=2 +rescued=2 +ignored=3"


def test_tasks_run_in_the_controller_give_the_results_of_the_linear_strategy(tmp_path: Path) -> None:
    ours = rich_play(tmp_path, {"ANSIBLE_DEBUG": "1"}, "ours")
    linear = rich_play(tmp_path, {"ANSIBLE_DEBUG": "1", "ANSIBLE_STRATEGY": "linear"}, "linear")
    assert "echoed 42 answer 42 tiny 6 again False read hello 2 of 42" in ours, ours[-3000:]
    assert "refused True" in ours, ours[-3000:]
    assert "+hello 1 of 42" in ours, ours[-3000:]
    assert "ran again after respawning" in ours, ours[-3000:]
    assert "background done and checked" in ours, ours[-3000:]
    # no_log hides the result (shown with -v otherwise) in the debug log as well.
    assert "s3cr3t-value" not in ours
    assert "censored: 'the output has been hidden" in ours
    assert re.search(RECAP, ours), ours[-3000:]
    assert outcomes(ours) == outcomes(linear)
    # Only the delegated task that runs, the two asynchronous ones, async_status (an action plugin) and the one that
    # respawns went to a worker, where the linear strategy forks one for each task that runs (30) and each that it
    # skips.
    assert workers(ours) == 5, workers(ours)
    assert workers(linear) >= 20, workers(linear)


def test_module_tasks_over_other_connections_still_run_in_workers(tmp_path: Path) -> None:
    ours = rich_play(tmp_path, {"ANSIBLE_DEBUG": "1"}, "ours", connection="plain_local")
    linear = rich_play(tmp_path, {"ANSIBLE_DEBUG": "1", "ANSIBLE_STRATEGY": "linear"}, "linear", connection="plain_local")
    assert "echoed 42 answer 42 tiny 6 again False read hello 2 of 42" in ours, ours[-3000:]
    assert re.search(RECAP, ours), ours[-3000:]
    assert outcomes(ours) == outcomes(linear)
    # Each of the thirteen module tasks that ran had a worker (one for a whole loop, as in ansible-core); the
    # controller-only and skipped ones did not, the delegated one skipped included.
    assert workers(ours) == 13, workers(ours)


# Loads the strategy file as ansible-playbook does (the collections of ansible.cfg), then runs the snippet after it.
LOAD_STRATEGY = """
import importlib.util, json, sys
from ansible.config.manager import ConfigManager
from ansible.plugins.loader import init_plugin_loader
init_plugin_loader(ConfigManager().get_config_value("COLLECTIONS_PATHS"))
spec = importlib.util.spec_from_file_location("pocket_pos_linear", "tools/strategy/pocket_pos_linear.py")
strategy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(strategy)
"""


def run_snippet(snippet: str) -> dict:
    result = run("python", "-c", LOAD_STRATEGY + snippet)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_collection_filter_is_looked_up_once_per_run() -> None:
    found = run_snippet(
        """
from ansible.plugins.loader import filter_loader
lookups = []
lookup = filter_loader.get_with_context
def counted(name, *args, **kwargs):
    lookups.append(name)
    return lookup(name, *args, **kwargs)
filter_loader.get_with_context = counted
strategy.memoize_collection_jinja_plugins()
dict_kv = [filter_loader.get("community.general.dict_kv") for _ in range(3)]
missing = [filter_loader.get("pocket_pos.platform.no_such_filter") for _ in range(2)]
builtin = [filter_loader.get("to_json") for _ in range(2)]
print(json.dumps({
    "lookups": lookups,
    "same": all(f is dict_kv[0] for f in dict_kv),
    "works": dict_kv[0].j2_function(1, "a") == {"a": 1},
    "missing": missing == [None, None],
}))
"""
    )
    # The collection's filter once, a name that is not found each time, the builtins as before (not memoized).
    assert found["lookups"] == ["community.general.dict_kv", "pocket_pos.platform.no_such_filter", "pocket_pos.platform.no_such_filter", "to_json", "to_json"]
    assert found["same"] and found["works"] and found["missing"]


def test_mitogen_sends_a_module_no_controller_package_ahead() -> None:
    related = run_snippet(
        """
import importlib, re
import mitogen.master
name = "ansible_collections.community.crypto.plugins.module_utils._crypto.module_backends.privatekey"
importlib.import_module(name)
import ansible.plugins.action, ansible_collections.community.crypto.plugins.plugin_utils._action_module
before = mitogen.master.ModuleFinder().find_related(name)
assert strategy.leave_controller_packages_out_of_mitogen_preloads()
after = mitogen.master.ModuleFinder().find_related(name)
print(json.dumps({"before": before, "after": after}))
"""
    )
    controller = [name for name in related["before"] if name.startswith("ansible.plugins") or ".plugin_utils" in name]
    # Without the adjustment, the key module's type-checking import brings ansible-core's action plugins along.
    assert "ansible.plugins.action" in controller, related["before"]
    assert not [name for name in related["after"] if name.startswith(("ansible.plugins", "ansible.executor", "ansible.playbook")) or ".plugin_utils" in name]
    # What the module does import is still sent ahead.
    assert "ansible_collections.community.crypto.plugins.module_utils._crypto.basic" in related["after"]
    assert "ansible.module_utils.basic" in related["after"] or "ansible.module_utils.common.text.converters" in related["after"]


def test_a_template_is_compiled_once_per_run_with_the_same_results() -> None:
    compiled = run_snippet(
        """
from ansible._internal._templating._jinja_bits import AnsibleEnvironment
from ansible._internal._datatag._tags import TrustedAsTemplate
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

compiles = []
compile_code = AnsibleEnvironment.compile
def counted(self, source, *args, **kwargs):
    compiles.append(source if isinstance(source, str) else "(expression)")
    return compile_code(self, source, *args, **kwargs)
AnsibleEnvironment.compile = counted
assert strategy.cache_jinja_compiles()
assert not strategy.cache_jinja_compiles()

def results(answer):
    templar = Templar(loader=DataLoader(), variables={"answer": answer, "items": [1, 2]})
    trusted = TrustedAsTemplate().tag
    out = [
        templar.template(trusted("{{ answer + 1 }} {{ items | map('string') | join(',') }}")),
        templar.evaluate_expression(trusted("answer * 2")),
        templar.template(trusted('{{ "c:\\\\new" }}')),
        templar.template(trusted("{{ answer | no_such_filter if answer > 99 else 'soft' }}")),
        templar.template(trusted("#jinja2: variable_start_string: '[[', variable_end_string: ']]'\\n[[ answer ]] {{ answer }}")),
    ]
    try:
        templar.template(trusted("{{ answer | also_no_such_filter }}"))
    except Exception as error:
        out.append(type(error).__name__)
    return out

print(json.dumps({"first": results(1), "second": results(2), "third": results(3), "compiles": compiles}))
"""
    )
    assert compiled["first"] == ["2 1,2", 2, "c:\\new", "soft", "1 {{ answer }}", "AnsibleTemplateSyntaxError"], compiled
    assert compiled["second"] == ["3 1,2", 4, "c:\\new", "soft", "2 {{ answer }}", "AnsibleTemplateSyntaxError"], compiled
    assert compiled["third"][:2] == ["4 1,2", 6], compiled
    # Three runs over new template environments: what compiled once is not compiled again; a template naming a filter
    # that was not found, in a branch not taken, is compiled each time (a role's own plugins may bring it later), and
    # so is one that does not compile.
    again = [source for source in compiled["compiles"] if compiled["compiles"].count(source) > 1]
    assert sorted(set(again)) == ["{{ answer | also_no_such_filter }}", "{{ answer | no_such_filter if answer > 99 else 'soft' }}"], compiled["compiles"]
    assert compiled["compiles"].count("(expression)") == 1, compiled["compiles"]


def test_a_cached_yaml_file_is_handed_out_as_an_independent_copy_with_its_origins(tmp_path: Path) -> None:
    (tmp_path / "tasks.yml").write_text("- name: First\n  vars: {items: [1, {deep: x}], when: yes}\n  debug: {msg: hi}\n")
    copies = run_snippet(
        f"""
from ansible.parsing.dataloader import DataLoader
from ansible._internal._datatag._tags import Origin
assert strategy.copy_cached_yaml_faster()
assert not strategy.copy_cached_yaml_faster()
loader = DataLoader()
first = loader.load_from_file("{tmp_path / "tasks.yml"}")
first[0]["vars"]["items"][1]["deep"] = "changed"
first[0]["vars"]["items"].append(3)
first[0]["name"] = "Renamed"
second = loader.load_from_file("{tmp_path / "tasks.yml"}")
shared = loader.load_from_file("{tmp_path / "tasks.yml"}", unsafe=True)
origin = Origin.get_tag(second[0]["debug"]["msg"])
print(json.dumps({{
    "second": second,
    "origin": [origin.path.rsplit("/", 1)[-1], origin.line_num] if origin else None,
    "list_origin": bool(Origin.get_tag(second[0]["vars"]["items"])),
    "types": sorted({{type(value).__name__ for value in (second[0], second[0]["vars"]["items"], second[0]["name"])}}),
    "unsafe_is_cached": shared is loader.load_from_file("{tmp_path / "tasks.yml"}", unsafe=True),
    "not_shared": second[0] is not shared[0] and second[0]["vars"] is not shared[0]["vars"],
    "scalar_shared": second[0]["debug"]["msg"] is shared[0]["debug"]["msg"],
}}))
"""
    )
    # What the first caller changed is not in what the next one gets; the tags ansible-core reports errors with stay.
    assert copies["second"] == [{"name": "First", "vars": {"items": [1, {"deep": "x"}], "when": True}, "debug": {"msg": "hi"}}]
    assert copies["origin"] == ["tasks.yml", 3]
    assert copies["list_origin"]
    assert copies["types"] == ["_AnsibleTaggedDict", "_AnsibleTaggedList", "_AnsibleTaggedStr"]
    assert copies["unsafe_is_cached"] and copies["not_shared"]
    # The strings are the cached ones, not rebuilt (copy.deepcopy rebuilds each tagged string).
    assert copies["scalar_shared"]


def test_mitogen_is_asked_for_a_module_s_dependencies_once_per_run() -> None:
    scans = run_snippet(
        """
import ansible_mitogen.planner
from types import SimpleNamespace
planner = ansible_mitogen.planner.NewStylePlanner
asked = []
def scan(self):
    asked.append(self._inv.module_name)
    self._module_map = {"builtin": ["ansible.module_utils.basic"], "custom": [], "for": self._inv.module_name}
    return self._module_map
planner.get_module_map = scan
planner.get_search_path = lambda self: ("/modules",)
assert strategy.remember_mitogen_module_maps()
assert not strategy.remember_mitogen_module_maps()
def call(name):
    one = object.__new__(planner)
    one._inv = SimpleNamespace(module_name=name, module_path=f"/modules/{name}.py")
    return [one.get_module_map(), one.get_module_map()]
maps = [call("stat"), call("stat"), call("copy"), call("stat")]
print(json.dumps({"asked": asked, "for": [pair[0]["for"] for pair in maps], "same": all(pair[0] is pair[1] for pair in maps)}))
"""
    )
    # Once per module for the run, each task gets its own module's map.
    assert scans["asked"] == ["stat", "copy"]
    assert scans["for"] == ["stat", "stat", "copy", "stat"]
    assert scans["same"]


def test_mitogen_compiles_each_file_it_scans_for_imports_once_per_run(tmp_path: Path) -> None:
    for name in ("first", "second"):
        (tmp_path / f"{name}.py").write_text(
            "from ansible.module_utils.basic import AnsibleModule\nfrom ansible.module_utils.common.text.converters import to_text\n"
        )
    scans = run_snippet(
        f"""
import builtins
import ansible.module_utils
import ansible_mitogen.module_finder as finder
compiled = []
def counted(source, filename, mode, *args, **kwargs):
    compiled.append(filename)
    return real_compile(source, filename, mode, *args, **kwargs)
real_compile = builtins.compile
def scan(name):
    return finder._scan_importlib_find_spec(name, "{tmp_path}/" + name + ".py", list(ansible.module_utils.__path__))
builtins.compile = counted
plain = scan("first")
plain_count = len(compiled)
del compiled[:]
assert strategy.compile_mitogen_scans_once()
assert not strategy.compile_mitogen_scans_once()
first, second = scan("first"), scan("second")
print(json.dumps({{
    "plain": plain_count,
    "compiled": compiled,
    "same": first == plain and [entry[0] for entry in second] == [entry[0] for entry in plain],
}}))
"""
    )
    # Without the cache, each scan compiles ansible.module_utils.basic and the many files it imports; with it, the
    # second module's scan compiles its own file alone.
    assert scans["plain"] > 20, scans
    assert scans["compiled"].count("ansible.module_utils.basic") == 1, scans
    assert len(scans["compiled"]) == scans["plain"] + 1, scans
    assert scans["same"], scans
