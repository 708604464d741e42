# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The linear strategy, run through Mitogen for Ansible when it is installed (ansible.cfg names this strategy), with
the Jinja plugins loaded once in the controller.

- Mitogen keeps one Python interpreter per target for the whole run and sends it each module, instead of starting
  an interpreter per module call that imports ansible.module_utils again (0.15 s of the 0.3 s of a module call on
  2 cores).
- Ansible runs every task in a process forked from the controller, which loads each filter and test plugin it
  templates with again (about 5 s of a no-op deploy.yml). Loaded here, before the first fork, every task's process
  inherits them.
- A task that needs no target (set_fact, assert, debug, fail, the includes, a role's argument check) runs in the
  controller's own process, through ansible-core's TaskExecutor on a copy of the task, and its result goes through
  the results queue as a worker's does. So does a task whose condition is false: its condition is evaluated here,
  and only when it holds does the task go to a worker (which evaluates it again, lookups in it included). 174 of the
  288 tasks of a no-op deploy.yml need no target and 66 are skipped; a fork costs 25-45 ms of each.

docs/deploy.md has the figures. The order of tasks, their results, check mode, diff and no_log are the linear
strategy's own. Without Mitogen (a controller that did not install requirements.txt), this is the plain linear
strategy, with the plugins preloaded, and a warning says so: the deploy is the same, only slower. Connections
Mitogen does not know (Molecule's community.docker.docker, for one) run through Ansible's own plugins either way.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from ansible._internal._task import TaskContext
from ansible.executor.task_executor import TaskExecutor
from ansible.executor.task_result import _RawTaskResult
from ansible.plugins import loader as plugin_loader
from ansible.plugins.list import list_plugins
from ansible.plugins.loader import filter_loader, lookup_loader, strategy_loader, test_loader
from ansible.utils.display import Display

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

_Linear = strategy_loader.get("linear", class_only=True)
_GALAXY = Path(__file__).resolve().parents[2] / "galaxy.yml"

# Actions that run in the controller alone: no connection, no module, no file on the target. Their TaskExecutor
# runs in this process instead of a forked one (about 30 ms of fork, plugin and Jinja set-up saved per task).
_CONTROLLER_ACTIONS = frozenset(
    f"{prefix}{name}"
    for prefix in ("", "ansible.builtin.", "ansible.legacy.")
    for name in ("include_tasks", "include_role", "set_fact", "debug", "assert", "fail", "validate_argument_spec")
)


def preload_jinja_plugins() -> int:
    """Load every filter and test of ansible.builtin, of this collection and of the collections it depends on, and
    the builtin lookups; return how many were loaded."""
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


class _NeedsWorker(BaseException):
    """The task's condition holds: it runs in a worker process. A BaseException, so that TaskExecutor, which turns
    every Exception into a failed result, lets it through."""


class StrategyModule(*_MIXINS, _Linear):  # type: ignore[misc]
    """Mitogen's strategy mixin on ansible.builtin.linear (or linear alone), with the Jinja plugins preloaded and
    controller-only or skipped tasks run in this process."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        Display().vvv(f"pocket_pos_linear: {preload_jinja_plugins()} Jinja plugins loaded before the first task")

    def _queue_task(self, host, task, task_vars, play_context):
        """Run a controller-only task here, as its worker process would, and a task whose condition is false (skipped
        here, as its worker would skip it); queue the result the way a worker does. Any other task goes to a worker."""
        # Delegated and asynchronous tasks, and those with a timeout (a signal in the process that runs them), go to a
        # worker as before.
        if task.delegate_to or task.async_val or task.timeout:
            return super()._queue_task(host, task, task_vars, play_context)
        here = task.action in _CONTROLLER_ACTIONS
        if not here and not (task.when and task.loop is None and not task.loop_with):
            return super()._queue_task(host, task, task_vars, play_context)
        # The strategy finds the original task by host and uuid when it reads a result, the result of each loop item
        # too (sent while the task runs), as for a worker's.
        self._queued_task_cache[(host.name, task._uuid)] = {
            "host": host,
            "task": task,
            "task_vars": task_vars,
            "play_context": play_context,
        }
        if here:
            self._tqm.send_callback("v2_runner_on_start", host, task)
            own, result = self._execute_here(host, task, task_vars, play_context, only_if_skipped=False)
        else:
            try:
                own, result = self._execute_here(host, task, task_vars, play_context, only_if_skipped=True)
            except _NeedsWorker:
                return super()._queue_task(host, task, task_vars, play_context)
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
