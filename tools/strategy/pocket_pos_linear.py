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

docs/deploy.md has the figures. The order of tasks, their results, check mode, diff and no_log are the linear
strategy's own. Without Mitogen (a controller that did not install requirements.txt), this is the plain linear
strategy, with the plugins preloaded, and a warning says so: the deploy is the same, only slower. Connections
Mitogen does not know (Molecule's community.docker.docker, for one) run through Ansible's own plugins either way.
"""

from __future__ import annotations

from pathlib import Path

import yaml
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


class StrategyModule(*_MIXINS, _Linear):  # type: ignore[misc]
    """Mitogen's strategy mixin on ansible.builtin.linear (or linear alone), with the Jinja plugins preloaded."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        Display().vvv(f"pocket_pos_linear: {preload_jinja_plugins()} Jinja plugins loaded before the first task")
