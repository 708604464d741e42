# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: deploy.yml against plain `docker compose up -d --wait`, and deploy.yml's no-op rerun.

On this machine with inventories/local (make testbed first; the images are present):
  1. converge once (deploy.yml), so that every image, secret and rendered file exists;
  2. cold deploy: the project taken down with its volumes, then deploy.yml (every role, one compose deploy, the
     topics, the migrations, the nginx reload, the summary), timed;
  3. baseline: the project taken down with its volumes again, then `docker compose up -d --wait` on the very files
     deploy.yml rendered, timed;
  4. no-op rerun: deploy.yml on the converged host, timed, which must report changed=0.
Targets (issue #9): the cold deploy at most 1.3 times the baseline; the no-op rerun under 20 s on 2 cores.
Run with `make bench-deploy`. Prints the figures and ratios; exits 1 when a target is missed. It leaves the
project running, as `make local` does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = Path("/opt/pocket-pos")
TARGET_RATIO = 1.3
TARGET_NOOP_S = 20.0


def run(args: list[str], timeout: int = 1800) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    start = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[:4])} failed ({result.returncode}):\n{(result.stdout + result.stderr)[-4000:]}")
    return elapsed, result


def deploy() -> tuple[float, int]:
    elapsed, result = run([str(Path(sys.executable).parent / "ansible-playbook"), "deploy.yml", "-i", "inventories/local"])
    recap = re.search(r"localhost\s+:\s+ok=\d+\s+changed=(\d+)", result.stdout)
    if not recap:
        sys.exit("deploy.yml printed no recap for localhost")
    return elapsed, int(recap.group(1))


def down() -> None:
    run(["docker", "compose", "--project-directory", str(BASE), "down", "--volumes", "--remove-orphans", "--timeout", "10"])


def main() -> int:
    print("converging once (images, secrets and files in place) ...", flush=True)
    deploy()

    down()
    cold, cold_changed = deploy()
    print(f"cold deploy.yml (project and volumes removed, images present): {cold:7.1f} s  (changed={cold_changed})", flush=True)

    down()
    baseline = run(["docker", "compose", "--project-directory", str(BASE), "up", "--detach", "--wait", "--wait-timeout", "600"])[0]
    print(f"docker compose up -d --wait on the same files:                  {baseline:7.1f} s", flush=True)
    # Back to what deploy.yml makes (topics, migrations): the no-op run below starts from a converged host.
    deploy()

    noop, noop_changed = deploy()
    print(f"no-op deploy.yml on the converged host:                          {noop:7.1f} s  (changed={noop_changed})")

    ratio = cold / baseline
    print(f"cold deploy / compose up: {ratio:.2f}x (target <= {TARGET_RATIO}x); no-op rerun {noop:.1f} s (target < {TARGET_NOOP_S:.0f} s)")
    missed = []
    if ratio > TARGET_RATIO:
        missed.append(f"cold deploy {ratio:.2f}x the baseline")
    if noop >= TARGET_NOOP_S:
        missed.append(f"no-op rerun {noop:.1f} s")
    if noop_changed:
        missed.append(f"the no-op rerun reported changed={noop_changed}")
    if missed:
        print("target missed: " + "; ".join(missed))
        return 1
    print("targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
