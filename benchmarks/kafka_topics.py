# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: 100 declared topics with pocket_pos.platform.kafka_topic (first apply, then a no-op re-apply) against
100 calls of kafka-topics.sh --create and 100 of --describe, on a real KRaft broker from the air-gapped image.

Targets (issue #6): the no-op re-apply under 3 s and at least 20 times faster than the CLI loop.
Run with `make bench-kafka` (needs make testbed). Prints the figures and the ratios; exits 1 when a target is missed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration import kafka_broker  # noqa: E402 - the repository root is put on the path first
from tests.integration.helpers import run  # noqa: E402

TOPICS = 100


def apply(broker: kafka_broker.Broker, workdir: Path, prefix: str) -> tuple[float, float, bool]:
    """Run one kafka_topic task for 100 topics; return (ansible-playbook wall time, the task's own time, changed)."""
    params = dict(broker.connection, replication_factor=1, partitions=1, topics=[{"name": f"{prefix}-{i:03d}"} for i in range(TOPICS)])
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [{"name": "topics", "pocket_pos.platform.kafka_topic": params}]}]
    playbook = workdir / "bench.yml"
    playbook.write_text(yaml.safe_dump(play))
    env = {"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.json"}
    start = time.monotonic()
    result = run("ansible-playbook", "-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}", str(playbook), env=env)
    wall = time.monotonic() - start
    task = json.loads(result.stdout)["plays"][0]["tasks"][0]
    outcome = task["hosts"]["localhost"]
    if outcome.get("failed"):
        raise SystemExit(f"kafka_topic failed: {outcome.get('msg')}")
    duration = task["task"]["duration"]
    seconds = _seconds(duration["end"]) - _seconds(duration["start"])
    return wall, seconds, outcome["changed"]


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def cli_loop(broker: kafka_broker.Broker, action: str, prefix: str) -> float:
    """100 calls of kafka-topics.sh inside the broker's container (no docker exec per call), timed together."""
    client = f"security.protocol=SASL_PLAINTEXT\\nsasl.mechanism=SCRAM-SHA-512\\nsasl.jaas.config={_jaas()}\\n"
    extra = "--create --partitions 1 --replication-factor 1" if action == "create" else "--describe"
    script = (
        f"printf '{client}' > /tmp/client.properties && "
        f"for i in $(seq -w 0 {TOPICS - 1}); do "
        f"kafka-topics.sh --bootstrap-server 127.0.0.1:9091 --command-config /tmp/client.properties {extra} --topic {prefix}-$i >/dev/null || exit 1; "
        "done"
    )
    start = time.monotonic()
    kafka_broker.docker("exec", f"pos-it-kafka-{broker.mode}", "sh", "-c", script)
    return time.monotonic() - start


def _jaas() -> str:
    return f'org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="{kafka_broker.ADMIN_PASSWORD}";'


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pos-bench-kafka-") as tmp:
        workdir = Path(tmp)
        broker = kafka_broker.start("kraft", workdir)
        try:
            first_wall, first_task, first_changed = apply(broker, workdir, "bench-mod")
            noop_wall, noop_task, noop_changed = apply(broker, workdir, "bench-mod")
            cli_create = cli_loop(broker, "create", "bench-cli")
            cli_describe = cli_loop(broker, "describe", "bench-cli")
        finally:
            kafka_broker.stop("kraft")
    if not first_changed or noop_changed:
        raise SystemExit("the first apply must report a change and the re-apply none")
    print(f"kafka_topics benchmark: {TOPICS} topics, KRaft broker {kafka_broker.IMAGE}, 2 cores")
    print(f"  kafka_topic first apply      : {first_wall:6.2f} s (ansible-playbook), {first_task:6.2f} s (task)")
    print(f"  kafka_topic no-op re-apply   : {noop_wall:6.2f} s (ansible-playbook), {noop_task:6.2f} s (task)")
    print(f"  kafka-topics.sh --create x{TOPICS}: {cli_create:6.2f} s")
    print(f"  kafka-topics.sh --describe x{TOPICS}: {cli_describe:6.2f} s")
    print(f"  ratio create loop / first apply (playbook): {cli_create / first_wall:6.1f}x")
    print(f"  ratio describe loop / no-op re-apply (playbook): {cli_describe / noop_wall:6.1f}x")
    print(f"  ratio create loop / no-op re-apply (playbook): {cli_create / noop_wall:6.1f}x")
    missed = []
    if noop_wall >= 3.0:
        missed.append(f"no-op re-apply took {noop_wall:.2f} s (target: under 3 s)")
    if cli_describe / noop_wall < 20:
        missed.append(f"no-op re-apply is {cli_describe / noop_wall:.1f}x faster than the describe loop (target: 20x)")
    for line in missed:
        print(f"  MISSED: {line}")
    print("  targets met" if not missed else "  targets missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
