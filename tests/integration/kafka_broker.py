"""A real Kafka broker for the integration tests, in KRaft or ZooKeeper mode, from the air-gapped image that make
testbed builds (pocket-pos/kafka). SASL_PLAINTEXT with SCRAM-SHA-512 on a port published on 127.0.0.1."""

from __future__ import annotations

import secrets
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from confluent_kafka.admin import AdminClient

IMAGE = "pocket-pos/kafka:3.9.1"
# A new password for every test session: nothing here is a real secret, but none is written down either.
ADMIN_PASSWORD = secrets.token_hex(16)
PORTS = {"kraft": 19192, "zookeeper": 19292}

SERVER = """\
listeners=INTERNAL://127.0.0.1:9091,EXTERNAL://:9092{controller_listener}
advertised.listeners=INTERNAL://127.0.0.1:9091,EXTERNAL://127.0.0.1:{port}
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.internal.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="{password}";
listener.name.external.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
log.dirs=/var/lib/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
auto.create.topics.enable=false
{mode_settings}
"""
KRAFT = "process.roles=broker,controller\nnode.id=1\ncontroller.quorum.voters=1@127.0.0.1:9093\ncontroller.listener.names=CONTROLLER\n"
ZOOKEEPER = "broker.id=1\nzookeeper.connect=zookeeper:2181\n"


def docker(*args: str, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, input=stdin, timeout=300)


@dataclass
class Broker:
    mode: str
    port: int

    @property
    def connection(self) -> dict:
        return {
            "bootstrap_servers": [f"127.0.0.1:{self.port}"],
            "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_username": "admin",
            "sasl_password": ADMIN_PASSWORD,
            "request_timeout": 15,
        }

    def admin(self) -> AdminClient:
        return AdminClient(
            {
                "bootstrap.servers": f"127.0.0.1:{self.port}",
                "security.protocol": "SASL_PLAINTEXT",
                "sasl.mechanism": "SCRAM-SHA-512",
                "sasl.username": "admin",
                "sasl.password": ADMIN_PASSWORD,
            }
        )


def start(mode: str, workdir: Path) -> Broker:
    name = f"pos-it-kafka-{mode}"
    stop(mode)
    docker("network", "create", name)
    port = PORTS[mode]
    java = ["-e", "KAFKA_HEAP_OPTS=-Xmx384m -Xms384m"]
    if mode == "zookeeper":
        zk_properties = "dataDir=/var/lib/zookeeper/data\\nclientPort=2181\\nadmin.enableServer=false\\n4lw.commands.whitelist=ruok,srvr\\n"
        start_zk = f"printf '{zk_properties}' > /tmp/zk.properties && exec zookeeper-server-start.sh /tmp/zk.properties"
        docker("run", "-d", "--name", f"{name}-zk", "--network", name, "--network-alias", "zookeeper", *java, IMAGE, "sh", "-c", start_zk)
        scram = (
            f"until kafka-configs.sh --zookeeper zookeeper:2181 --alter --add-config 'SCRAM-SHA-512=[password={ADMIN_PASSWORD}]'"
            " --entity-type users --entity-name admin; do sleep 2; done"
        )
        prepare = scram
        settings = ZOOKEEPER
        controller = ""
    else:
        prepare = (
            "kafka-storage.sh format --ignore-formatted -t ZL7Fw1FfQ2Gsb1JYuU2zBw -c /tmp/server.properties"
            f" --add-scram 'SCRAM-SHA-512=[name=admin,password={ADMIN_PASSWORD}]'"
        )
        settings = KRAFT
        controller = ",CONTROLLER://127.0.0.1:9093"
    config = SERVER.format(controller_listener=controller, port=port, password=ADMIN_PASSWORD, mode_settings=settings)
    properties = workdir / f"{mode}-server.properties"
    properties.write_text(config)
    properties.chmod(0o644)
    docker("run", "-d", "--name", name, "--network", name, "-p", f"127.0.0.1:{port}:9092", "-v", f"{properties}:/tmp/server.properties:ro",
           *java, IMAGE, "sh", "-c", f"{prepare} && exec kafka-server-start.sh /tmp/server.properties")  # fmt: skip
    broker = Broker(mode, port)
    deadline = time.monotonic() + 120
    while True:
        try:
            broker.admin().list_topics(timeout=5)
            return broker
        except Exception:  # any error means not ready yet, until the deadline
            if time.monotonic() > deadline:
                logs = docker("logs", "--tail", "40", name, check=False)
                raise RuntimeError(f"the {mode} broker did not answer within 120 s:\n{logs.stdout}{logs.stderr}") from None
            time.sleep(2)


def stop(mode: str) -> None:
    name = f"pos-it-kafka-{mode}"
    docker("rm", "-f", name, f"{name}-zk", check=False)
    docker("network", "rm", name, check=False)
