# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The linear strategy, run through Mitogen for Ansible when it is installed (ansible.cfg names this strategy), with
the Jinja plugins loaded once in the controller.

- Mitogen keeps one Python interpreter per target for the whole run and sends it each module, instead of starting
  an interpreter per module call that imports ansible.module_utils again (0.15 s of the 0.3 s of a module call on
  2 cores).
- Ansible runs every task in a process forked from the controller, which loads each filter and test plugin it
  templates with again (about 5 s of a no-op deploy.yml). Loaded here, before the first fork, every task's process
  inherits them, and a collection's filter or test is looked up once per run instead of once per template
  environment (ansible-core loads every filter file of the collection for each lookup).
- A task that needs no target (set_fact, assert, debug, fail, the includes, a role's argument check) runs in the
  controller's own process, through ansible-core's TaskExecutor on a copy of the task, and its result goes through
  the results queue as a worker's does. So does a module task whose connection is Mitogen's (local, ssh and the
  other transports Mitogen takes over): the module runs in the target's interpreter either way, and the fork,
  the worker's start and its Jinja and plugin set-up (about 25 ms a task) are saved. A task whose condition is
  false is skipped here too, whatever its connection. 174 of the 288 tasks of a no-op deploy.yml need no target and
  the other 114 are module tasks (66 of all the tasks are skipped).
- Mitogen sends a module's Python dependencies to the target with the module, found by reading its imports. Imports
  made only for type checking (community.crypto's key module names ansible-core's action plugins) made it send most
  of the controller's own ansible packages to the target as well, about 1 s: those packages are left out of what is
  sent ahead, and the target still asks for any module it does import.
- Three more costs of every task are paid once per run: each distinct Jinja template or expression is compiled once
  (ansible-core compiled it again for each task, loop item and template environment); a cached YAML file (a role's
  tasks, defaults and specs, for each include_role) is copied without rebuilding each of its tagged strings; and
  Mitogen's scan of the module_utils a module needs is kept instead of asked of its multiplexer on every call. That
  scan compiles each file the module imports, ansible.module_utils.basic and its imports for every distinct module:
  each file is compiled once per run instead (2.4 s of a no-op deploy.yml).

docs/deploy.md has the figures. The order of tasks, their results, check mode, diff and no_log are the linear
strategy's own. Asynchronous tasks, tasks with a timeout, delegated tasks whose condition holds, action plugins other
than the module runner and the file actions (template, copy, fetch, unarchive, command, shell), and connections
Mitogen does not take over (Molecule's community.docker.docker, for one) run in a worker process as before. A module
that may start itself again under another interpreter (ansible-core's respawn_module: apt and apt_repository when
the target's interpreter lacks python3-apt, dnf, selinux) cannot run under Mitogen (mitogen-hq/mitogen#849): it runs
in a worker over ansible-core's own connection of the same transport (ansible.builtin.local for local), and so does
an asynchronous task (Mitogen runs it in a child forked on its broker thread, where an import that the target does not
hold yet waits forever: community.docker.docker_compose_v2 in the background never started compose). Without
Mitogen (a controller that did not install requirements.txt), this is the plain linear strategy with the plugins
preloaded and controller-only or skipped tasks kept here, and a warning says so: the deploy is the same, only slower.
"""

from __future__ import annotations

import copy
import datetime
import re
from contextvars import ContextVar
from pathlib import Path

import yaml
from ansible import constants as C
from ansible._internal._task import TaskContext
from ansible._internal._templating._errors import AnsibleTemplatePluginNotFoundError
from ansible._internal._templating._jinja_bits import _TEMPLATE_OVERRIDE_FIELD_NAMES, AnsibleEnvironment, _TemplateCompileContext
from ansible._internal._templating._jinja_plugins import JinjaPluginIntercept
from ansible.executor.task_executor import TaskExecutor
from ansible.executor.task_result import _RawTaskResult
from ansible.module_utils._internal._datatag import _AnsibleTaggedDict, _AnsibleTaggedList
from ansible.parsing.dataloader import DataLoader
from ansible.plugins import loader as plugin_loader
from ansible.plugins.list import list_plugins
from ansible.plugins.loader import action_loader, connection_loader, filter_loader, lookup_loader, module_loader, strategy_loader, test_loader
from ansible.utils.display import Display
from jinja2.environment import TemplateExpression

try:
    # Mitogen's loaders first: its strategy mixin expects the plugin paths they set up.
    import ansible_mitogen.loaders
    import ansible_mitogen.strategy
except ImportError:
    _MIXINS: tuple[type, ...] = ()
    Display().warning(
        "Mitogen for Ansible is not installed: running the plain linear strategy (pip install -r requirements.txt "
        "for the pinned mitogen, or set ANSIBLE_STRATEGY=linear to silence this)."
    )
else:
    _MIXINS = (ansible_mitogen.strategy.StrategyMixin,)

# The transports whose connections Mitogen takes over (its own list); a module task on one of them runs here.
_MITOGEN_CONNECTIONS = frozenset(getattr(ansible_mitogen.strategy, "REDIRECTED_CONNECTION_PLUGINS", ())) if _MIXINS else frozenset()

_Linear = strategy_loader.get("linear", class_only=True)
_GALAXY = Path(__file__).resolve().parents[2] / "galaxy.yml"

_BUILTIN_PREFIXES = ("ansible.builtin.", "ansible.legacy.")


def _builtin_actions(*names: str) -> frozenset[str]:
    """The names of ansible.builtin actions as a task may spell them: short, ansible.builtin.* or ansible.legacy.*."""
    return frozenset(f"{prefix}{name}" for prefix in ("", *_BUILTIN_PREFIXES) for name in names)


# Actions that run in the controller alone: no connection, no module, no file on the target. Their TaskExecutor
# runs in this process instead of a forked one (about 30 ms of fork, plugin and Jinja set-up saved per task).
_CONTROLLER_ACTIONS = _builtin_actions("include_tasks", "include_role", "set_fact", "debug", "assert", "fail", "validate_argument_spec")
# Action plugins of ansible.builtin that only call modules and move files through the connection: run here like a
# module without an action plugin of its own. Any other action plugin (pause, reboot, wait_for_connection,
# gather_facts, a collection's) runs in a worker.
_FILE_ACTIONS = _builtin_actions("template", "copy", "fetch", "unarchive", "command", "shell")


_PRELOADED = False


def preload_jinja_plugins() -> int:
    """Load every filter and test of ansible.builtin, of this collection and of the collections it depends on, and
    the builtin lookups, once per run (a playbook's later plays find them loaded); return how many were loaded."""
    global _PRELOADED
    if _PRELOADED:
        return 0
    _PRELOADED = True
    galaxy = yaml.safe_load(_GALAXY.read_text(encoding="utf-8"))
    collections = ["ansible.builtin", f"{galaxy['namespace']}.{galaxy['name']}", *sorted(galaxy.get("dependencies") or {})]
    # The wrappers of the builtin filters and tests, which each task's templating enumerates.
    loaded = len(list(filter_loader.all())) + len(list(test_loader.all()))
    for kind, loader, names in (
        ("filter", filter_loader, collections),
        ("test", test_loader, collections),
        ("lookup", lookup_loader, ["ansible.builtin"]),
    ):
        for name in list_plugins(kind, collections=names):
            if loader.get(name, class_only=kind == "lookup") is not None:
                loaded += 1
    return loaded


def memoize_collection_jinja_plugins() -> None:
    """Look a collection's filter or test up once per run. ansible-core's Jinja2Loader loads every plugin file of the
    collection for each lookup of a name such as community.general.dict_kv, and each template environment looks its
    names up again (about 1 s of a no-op deploy.yml). The files do not change during a run; a name not found is
    looked up again each time, as before."""
    for loader in (filter_loader, test_loader):
        if not getattr(loader.get_with_context, "pocket_pos_memoized", False):
            loader.get_with_context = _memoized(loader.get_with_context)


def _memoized(lookup):
    """The loader's get_with_context, remembering each collection plugin it finds."""
    found: dict[str, object] = {}

    def get_with_context(name, *args, **kwargs):
        if args or kwargs or not isinstance(name, str) or name.count(".") < 2 or name.startswith("ansible.legacy."):
            return lookup(name, *args, **kwargs)
        result = found.get(name)
        if result is None:
            result = lookup(name)
            if result.object is not None:
                found[name] = result
        return result

    get_with_context.pocket_pos_memoized = True  # type: ignore[attr-defined]
    return get_with_context


# Compiled Jinja code by everything that shapes it: the environment's class, code generator and syntax settings, its
# optimizer, async mode, autoescape, finalize and extensions, ansible-core's backslash escaping, the template's name
# and file, and its source (or the expression's).
_COMPILED: dict[tuple, object] = {}
_EXPRESSION: ContextVar[tuple | None] = ContextVar("pocket_pos_expression", default=None)
_NOT_FOUND = [0]


def _compile_settings(env) -> tuple:
    compiling = _TemplateCompileContext.current(optional=True)
    return (
        type(env),
        env.code_generator_class,
        tuple(getattr(env, name) for name in _TEMPLATE_OVERRIDE_FIELD_NAMES),
        env.optimized,
        env.is_async,
        env.autoescape,
        env.finalize,
        tuple(env.extensions),
        bool(compiling and compiling.escape_backslashes),
    )


def cache_jinja_compiles() -> bool:
    """Compile each distinct Jinja template and expression once per run. ansible-core compiles every template string
    again for each task, loop item and new environment (2,060 compiles of 658 distinct sources in a no-op deploy.yml,
    1.6 s); Jinja's code object does not depend on the environment instance it was compiled in (Jinja's own bytecode
    cache reuses it the same way), only on the settings in the key. A template that named a filter or test that was
    not found when it was compiled is not kept: a role's own plugins may bring it later. Return whether the cache
    was installed now."""
    compile_code = AnsibleEnvironment.compile
    if getattr(compile_code, "pocket_pos_cached", False):
        return False
    compile_expression = AnsibleEnvironment.compile_expression
    plugin_getitem = JinjaPluginIntercept.__getitem__

    def compile_cached(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or self._debuggable_template_source:
            return compile_code(self, source, name, filename, raw, defer_init)
        if isinstance(source, str):
            key = (_compile_settings(self), name, filename, defer_init, str(source))
        elif (expression := _EXPRESSION.get()) is not None:
            key = (*expression, name, filename, defer_init)
        else:
            return compile_code(self, source, name, filename, raw, defer_init)
        code = _COMPILED.get(key)
        if code is None:
            not_found = _NOT_FOUND[0]
            code = compile_code(self, source, name, filename, raw, defer_init)
            if _NOT_FOUND[0] == not_found:
                _COMPILED[key] = code
        return code

    def compile_expr(self, source, undefined_to_none=True):
        if self._debuggable_template_source or not isinstance(source, str):
            return compile_expression(self, source, undefined_to_none)
        expression = (_compile_settings(self), "expression", str(source))
        token = _EXPRESSION.set(expression)
        try:
            # The key compile_cached gives the expression's template (no name, no file, not deferred).
            if (code := _COMPILED.get((*expression, None, None, False))) is not None:
                # What Jinja's compile_expression does after compiling: a template of the code, wrapped.
                template = self.template_class.from_code(self, code, self.make_globals(None), None)
                return TemplateExpression(template, undefined_to_none)
            return compile_expression(self, source, undefined_to_none)
        finally:
            _EXPRESSION.reset(token)

    def getitem(self, key):
        try:
            return plugin_getitem(self, key)
        except AnsibleTemplatePluginNotFoundError:
            _NOT_FOUND[0] += 1
            raise

    compile_cached.pocket_pos_cached = True  # type: ignore[attr-defined]
    AnsibleEnvironment.compile = compile_cached
    AnsibleEnvironment.compile_expression = compile_expr
    JinjaPluginIntercept.__getitem__ = getitem
    return True


# What a YAML file parses into: containers (plain or tagged with their origin), and scalars, which no one changes
# in place (a tagged string's tags are replaced, not changed).
_YAML_DICTS = (dict, _AnsibleTaggedDict)
_YAML_LISTS = (list, _AnsibleTaggedList)
_IMMUTABLE = (str, int, float, bytes, type(None), datetime.date, datetime.time)


def copy_parsed_yaml(value):
    """The deep copy DataLoader hands out of a cached file: every dict and list copied (with its tags), the scalars
    shared instead of rebuilt one by one (copy.deepcopy rebuilds each tagged string through its reduce method),
    anything else deep-copied."""
    kind = type(value)
    if kind in _YAML_DICTS:
        copied = copy.copy(value)
        for key, item in copied.items():
            copied[key] = copy_parsed_yaml(item)
        return copied
    if kind in _YAML_LISTS:
        copied = copy.copy(value)
        copied[:] = [copy_parsed_yaml(item) for item in copied]
        return copied
    if isinstance(value, _IMMUTABLE):
        return value
    return copy.deepcopy(value)


def copy_cached_yaml_faster() -> bool:
    """DataLoader keeps each parsed YAML file and deep-copies it for every caller: a role's tasks, defaults,
    argument specs and meta for each include_role (191 copies, about 1 s of a no-op deploy.yml, most of it rebuilding
    tagged strings). Hand out copy_parsed_yaml's copy instead; return whether it was installed now."""
    load = DataLoader.load_from_file
    if getattr(load, "pocket_pos_copy", False):
        return False

    def load_from_file(self, file_name, cache="all", unsafe=False, json_only=False, trusted_as_template=False):
        data = load(self, file_name, cache=cache, unsafe=True, json_only=json_only, trusted_as_template=trusted_as_template)
        return data if unsafe else copy_parsed_yaml(data)

    load_from_file.pocket_pos_copy = True  # type: ignore[attr-defined]
    DataLoader.load_from_file = load_from_file
    return True


# ansible-core's controller-side packages, and a collection's plugins other than its modules and module_utils: what
# a module never imports on the target, except for type checking.
_CONTROLLER_ONLY = re.compile(r"^ansible\.(?!module_utils(\.|$)|release$)|^ansible_collections\.[^.]+\.[^.]+\.plugins\.(?!module_utils(\.|$)|modules(\.|$))")


def leave_controller_packages_out_of_mitogen_preloads() -> bool:
    """Mitogen's module responder (in its multiplexer process, forked from this one) sends ahead every module that a
    requested module imports, at any depth and under `if TYPE_CHECKING:` as well. Leave the controller-only packages
    out of what it sends ahead; a target that does import one still gets it on request. Return whether Mitogen's
    finder was found to adjust."""
    if not _MIXINS:
        return False
    import mitogen.master

    finder = mitogen.master.ModuleFinder
    reject = getattr(finder, "_reject_related_module", None)
    if reject is None or getattr(reject, "pocket_pos_adjusted", False):
        return reject is not None

    def reject_related_module(self, requested_fullname, related_fullname):
        if _CONTROLLER_ONLY.match(related_fullname):
            return "controller-only (pocket_pos_linear)"
        return reject(self, requested_fullname, related_fullname)

    reject_related_module.pocket_pos_adjusted = True  # type: ignore[attr-defined]
    finder._reject_related_module = reject_related_module
    return True


def remember_mitogen_module_maps() -> bool:
    """Mitogen asks its multiplexer process for a module's dependencies (ModuleDepService.scan) on every module call,
    a round trip through the multiplexer for each task, and the multiplexer answers from a cache keyed by the
    module's name and search path. Keep the answers here too, by the same key and the module's path; return whether
    it was installed now."""
    if not _MIXINS:
        return False
    import ansible_mitogen.planner
    from ansible.executor.module_common import _MODULE_UTILS_PATH

    planner = ansible_mitogen.planner.NewStylePlanner
    get_module_map = planner.get_module_map
    if getattr(get_module_map, "pocket_pos_remembered", False):
        return False
    maps: dict[tuple, dict] = {}

    def remembered(self):
        if self._module_map is None:
            key = (self._inv.module_name, self._inv.module_path, self.get_search_path(), _MODULE_UTILS_PATH)
            if key not in maps:
                maps[key] = get_module_map(self)
            self._module_map = maps[key]
        return self._module_map

    remembered.pocket_pos_remembered = True  # type: ignore[attr-defined]
    planner.get_module_map = remembered
    return True


def compile_mitogen_scans_once() -> bool:
    """Mitogen finds the module_utils a module needs by compiling each file it imports and reading the imports from
    the code (ansible_mitogen.module_finder), again for every distinct module of the run: ansible.module_utils.basic
    and the files it imports are compiled once per module, 2.4 s of the multiplexer's time in a no-op deploy.yml,
    which the task waits for. Keep each file's code by its name and source, so that it is compiled once per run;
    return whether it was installed now. Installed before the multiplexer is forked (the strategy's start), which
    inherits it."""
    if not _MIXINS:
        return False
    import builtins

    import ansible_mitogen.module_finder as finder

    if getattr(finder.__dict__.get("compile"), "pocket_pos_cached", False):
        return False
    codes: dict[tuple, object] = {}

    def compile_once(source, filename, mode, *args, **kwargs):
        if args or kwargs or not isinstance(source, bytes | str):
            return builtins.compile(source, filename, mode, *args, **kwargs)
        key = (source, filename, mode)
        code = codes.get(key)
        if code is None:
            code = codes[key] = builtins.compile(source, filename, mode)
        return code

    compile_once.pocket_pos_cached = True  # type: ignore[attr-defined]
    # The module's global name shadows the builtin for the scan's own call, compile(f.read(), spec.name, 'exec').
    finder.compile = compile_once
    return True


def connection_name(task, task_vars) -> str | None:
    """The transport the task will use, as PlayContext decides it (the ansible_connection variable over the task's
    connection keyword over the default), or None when it is still a template."""
    name = task_vars.get("ansible_connection") or task.connection or C.DEFAULT_TRANSPORT
    if not isinstance(name, str) or "{" in name:
        return None
    for prefix in _BUILTIN_PREFIXES:
        name = name.removeprefix(prefix)
    return name


_RESPAWN = re.compile(rb"\brespawn_module\(")

# Where a task runs when its connection is one Mitogen takes over: here, in a worker over ansible-core's own
# connection (a module that may respawn), or in a worker as before (an action plugin, a network module).
_HERE, _RESPAWNS, _WORKER = "here", "respawns", "worker"


def mitogen_action_kind(task) -> str:
    """_HERE for a module (TaskExecutor's module runner) or a file action, _RESPAWNS for a module that may start
    itself again under another interpreter (ansible-core's respawn_module: apt and apt_repository without python3-apt
    in the target's interpreter, dnf, selinux and others), which Mitogen cannot run (mitogen-hq/mitogen#849: the
    module runs without the AnsiballZ wrapper that respawning re-creates), _WORKER for any other action plugin and
    the network modules' platform plugins."""
    if task.action in _FILE_ACTIONS:
        return _HERE
    if "{" in task.action:
        return _WORKER
    module = module_loader.find_plugin_with_context(task.action, collection_list=task.collections)
    if not module.resolved:
        return _WORKER
    path = module.plugin_resolved_path
    if path and path.endswith(".py") and _RESPAWN.search(Path(path).read_bytes()):
        return _RESPAWNS
    if module.action_plugin or action_loader.has_plugin(task.action, collection_list=task.collections):
        return _WORKER
    return _WORKER if task.action.rpartition(".")[2].split("_")[0] in C.NETWORK_GROUP_MODULES else _HERE


def plain_connection(name: str) -> str | None:
    """The fully qualified name of the transport Mitogen takes over as `name` (ansible.builtin.local for local,
    community.docker.docker for docker): Mitogen leaves a connection asked for by that name to ansible-core."""
    found = connection_loader.find_plugin_with_context(name)
    fqcn = found.resolved_fqcn if found.resolved else None
    return fqcn if fqcn and fqcn != name else None


class _NeedsWorker(BaseException):
    """The task's condition holds: it runs in a worker process. A BaseException, so that TaskExecutor, which turns
    every Exception into a failed result, lets it through."""


class StrategyModule(*_MIXINS, _Linear):  # type: ignore[misc]
    """Mitogen's strategy mixin on ansible.builtin.linear (or linear alone), with the Jinja plugins preloaded and
    controller-only, skipped and Mitogen module tasks run in this process."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        Display().vvv(f"pocket_pos_linear: {preload_jinja_plugins()} Jinja plugins loaded before the first task")
        memoize_collection_jinja_plugins()
        cache_jinja_compiles()
        copy_cached_yaml_faster()
        remember_mitogen_module_maps()
        compile_mitogen_scans_once()
        leave_controller_packages_out_of_mitogen_preloads()
        self._kinds: dict[tuple[str, tuple[str, ...]], str] = {}

    def _mitogen_kind(self, task, task_vars) -> str | None:
        """None when the task's connection is not one Mitogen takes over; otherwise mitogen_action_kind of its action,
        worked out once per action."""
        if not _MITOGEN_CONNECTIONS or connection_name(task, task_vars) not in _MITOGEN_CONNECTIONS:
            return None
        key = (task.action, tuple(task.collections or ()))
        if key not in self._kinds:
            self._kinds[key] = mitogen_action_kind(task)
        return self._kinds[key]

    @staticmethod
    def _without_mitogen(task, task_vars, why: str):
        """The task's variables with ansible_connection set to ansible-core's own plugin of the same transport, which
        Mitogen leaves alone; unchanged when there is none."""
        plain = plain_connection(connection_name(task, task_vars) or "")
        if not plain:
            return task_vars
        Display().vvv(f"pocket_pos_linear: {task.action} {why}: run over {plain}, not Mitogen's")
        return dict(task_vars, ansible_connection=plain)

    def _queue_task(self, host, task, task_vars, play_context):
        """Run a controller-only task here, as its worker process would, a module task over one of Mitogen's
        connections, and a task whose condition is false (skipped here, as its worker would skip it); queue the result
        the way a worker does. Any other task goes to a worker."""
        # Asynchronous tasks, and those with a timeout (a signal in the process that runs them), go to a worker as
        # before; so does a delegated task whose condition holds (its connection is the delegated host's).
        if task.async_val or task.timeout:
            # Mitogen runs an asynchronous module in a child forked on its broker thread, where an import the target
            # does not hold yet (a collection's module_utils) waits forever for the controller's answer that only that
            # thread could receive: the job never ends. ansible-core's async wrapper runs it.
            mitogen = task.async_val and not task.delegate_to and connection_name(task, task_vars) in _MITOGEN_CONNECTIONS
            return super()._queue_task(host, task, self._without_mitogen(task, task_vars, "runs asynchronously") if mitogen else task_vars, play_context)
        here = not task.delegate_to and task.action in _CONTROLLER_ACTIONS
        kind = None if task.delegate_to or here else self._mitogen_kind(task, task_vars)
        module_here = kind == _HERE
        # A module that may respawn runs in a worker over ansible-core's own connection of the same transport.
        worker_vars = self._without_mitogen(task, task_vars, "may respawn") if kind == _RESPAWNS else task_vars
        if not (here or module_here or (task.when and task.loop is None and not task.loop_with)):
            return super()._queue_task(host, task, worker_vars, play_context)
        # The strategy finds the original task by host and uuid when it reads a result, the result of each loop item
        # too (sent while the task runs), as for a worker's.
        self._queued_task_cache[(host.name, task._uuid)] = {
            "host": host,
            "task": task,
            "task_vars": task_vars,
            "play_context": play_context,
        }
        if here or module_here:
            self._tqm.send_callback("v2_runner_on_start", host, task)
            # A module task's executor adds to its variables (loop items, the connection's): a worker's copy of them
            # is thrown away with the worker, so is this one.
            own, result = self._execute_here(host, task, dict(task_vars) if module_here else task_vars, play_context, only_if_skipped=False)
        else:
            try:
                own, result = self._execute_here(host, task, task_vars, play_context, only_if_skipped=True)
            except _NeedsWorker:
                return super()._queue_task(host, task, worker_vars, play_context)
            self._tqm.send_callback("v2_runner_on_start", host, task)
        # Through the results queue (pickled, as a worker's result is), so that the strategy reads it in order.
        self._final_q.send_task_result(_RawTaskResult(host=host, task=own, return_data=result, task_fields=own.dump_attrs()))
        self._pending_results += 1
        return None

    def _execute_here(self, host, task, task_vars, play_context, *, only_if_skipped: bool):
        """TaskExecutor in this process on a copy of the task (a worker templates its own copy and throws it away;
        the original stays untemplated for the next host, loop or include). With only_if_skipped, _NeedsWorker is
        raised as soon as the task's condition holds, before anything is templated or run."""
        own = task.copy(exclude_tasks=True)
        if only_if_skipped:
            resolve = own._resolve_conditional

            def resolve_or_hand_over(conditional, *args, **kwargs):
                if resolve(conditional, *args, **kwargs):
                    raise _NeedsWorker
                return False

            own._resolve_conditional = resolve_or_hand_over
            # A worker gets the variables as they were: nothing set on them here reaches it.
            task_vars = dict(task_vars)
        with TaskContext(own):
            result = TaskExecutor(
                host,
                own,
                task_vars,
                play_context,
                self._loader,
                plugin_loader.get_plugin_loader_namespace(),
                self._final_q,
                self._variable_manager,
            ).run()
        return own, result
