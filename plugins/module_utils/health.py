# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of the stack_health module.

Each container says how it is checked through labels that its role puts in its compose fragment
(``org.pocket-pos.health.check`` and the options below), so the checks need no inventory: the running project
describes itself. Probes connect from inside the container's network namespace (module_utils/netns.py) to its own
127.0.0.1, except Kafka's, which uses the administration listener the broker publishes on the Docker host.
Secrets are read from the host files the labels name; they never pass through Ansible.

The parsing and judging functions are pure (unit tested); the probes use the libraries made for each service:
psycopg, redis-py, confluent-kafka (through module_utils/kafka.py, as kafka_topic does) and the Docker SDK."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time

LABEL = "org.pocket-pos.health."
PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
ONEOFF_LABEL = "com.docker.compose.oneoff"

# Dependency order: a service is listed after what it needs.
ORDER = ["postgres", "redis", "zookeeper", "kafka", "api", "web", "mobile", "nginx"]

KINDS = {
    "postgres": {"required": ["port", "database", "user", "password-file"], "optional": []},
    "redis": {"required": ["port", "user", "password-file"], "optional": []},
    "kafka": {"required": ["bootstrap", "user", "password-file"], "optional": ["mechanism", "topics"]},
    "http": {"required": ["port", "path"], "optional": ["expect"]},
    "https": {"required": ["port", "server-name"], "optional": ["path", "expect", "ca-file", "hsts"]},
}


class CheckError(Exception):
    """A probe's failure, with a message meant for the operator."""


def parse_check(labels: dict) -> tuple[str | None, dict, list[str]]:
    """Read a container's health labels: (kind or None, options, problems naming each bad label)."""
    kind = (labels or {}).get(LABEL + "check")
    if not kind:
        return None, {}, []
    if kind not in KINDS:
        return kind, {}, [f"label {LABEL}check: unknown kind '{kind}' (one of {', '.join(sorted(KINDS))})"]
    spec = KINDS[kind]
    options = {key: labels[LABEL + key] for key in spec["required"] + spec["optional"] if labels.get(LABEL + key, "") != ""}
    problems = [f"label {LABEL}{key}: missing (needed by a {kind} check)" for key in spec["required"] if key not in options]
    for key in ("port", "expect"):
        if key in options:
            if not options[key].isdigit() or not 0 < int(options[key]) < 65536:
                problems.append(f"label {LABEL}{key}: '{options[key]}' is not a number from 1 to 65535")
            else:
                options[key] = int(options[key])
    if "hsts" in options:
        if options["hsts"] not in ("true", "false"):
            problems.append(f"label {LABEL}hsts: '{options['hsts']}' is not true or false")
        options["hsts"] = options["hsts"] == "true"
    for key in ("topics", "bootstrap"):
        if key in options:
            options[key] = [item.strip() for item in options[key].split(",") if item.strip()]
    return kind, options, problems


def image_version(image: str) -> str:
    """The tag of an image reference ('' when it has none): registry:5000/pocket-pos/redis:7.0.15 -> 7.0.15."""
    reference = (image or "").split("@", 1)[0]
    name, _sep, tag = reference.rpartition(":")
    return tag if name and "/" not in tag else ""


def service_rank(service: str) -> tuple[int, str]:
    """Sort key: dependency order, then unknown services by name."""
    return (ORDER.index(service) if service in ORDER else len(ORDER), service)


def container_problem(state: dict) -> str | None:
    """What is wrong with a container by Docker's own account (None when running and healthy or without a check)."""
    status = state.get("Status", "unknown")
    if status != "running":
        detail = f", exit code {state['ExitCode']}" if status == "exited" and "ExitCode" in state else ""
        return f"container {status}{detail}"
    health = (state.get("Health") or {}).get("Status")
    if health and health != "healthy":
        return f"Docker health check: {health}"
    return None


def health_output(state: dict, limit: int = 400) -> str:
    """The last output of the container's Docker health check, shortened."""
    log = (state.get("Health") or {}).get("Log") or []
    return (log[-1].get("Output") or "").strip()[-limit:] if log else ""


def published_ports(ports: dict | None) -> list[str]:
    """The host address:port of each published port, from Docker's NetworkSettings.Ports, by port number."""
    bindings = [binding for bindings in (ports or {}).values() for binding in bindings or []]
    # An empty HostIp is Docker's "every address"; reported as 0.0.0.0, the way docker ps shows it.
    unique = {(binding.get("HostIp") or "0.0.0.0", int(binding["HostPort"])) for binding in bindings if binding.get("HostPort")}  # noqa: S104
    return [f"{address}:{port}" for address, port in sorted(unique, key=lambda item: (item[1], item[0]))]


def job_ended(status_text: str | None) -> bool:
    """Whether an asynchronous Ansible job has ended, from the text of its status file (None: no file yet).

    ansible-core's async wrapper and Mitogen's both write {"started": 1, "finished": 0, ...} while the job runs, then
    its result, which has no "started" (ansible-core), or "finished": 1 (Mitogen's, and a job killed at its time
    limit). A file being replaced reads as not ended; async_status reads the result the same way."""
    if not status_text:
        return False
    try:
        status = json.loads(status_text)
    except ValueError:
        return False
    return isinstance(status, dict) and ("started" not in status or bool(status.get("finished")))


def redis_detail(memory: dict, stats: dict) -> str:
    """PING answered; memory used against maxmemory, and keys evicted."""
    used = int(memory.get("used_memory", 0))
    limit = int(memory.get("maxmemory", 0))
    of = f" of {limit / 1048576:.0f} MiB" if limit else " (no maxmemory)"
    return f"PING ok, {used / 1048576:.1f} MiB used{of}, {int(stats.get('evicted_keys', 0))} keys evicted"


def kafka_problems(brokers: list, controller, topics: dict, declared: list[str]) -> list[str]:
    """What is wrong with a cluster: no broker, no controller, declared topics missing, partitions under-replicated.

    ``topics`` maps each topic to a list of (partition, replicas, in-sync replicas)."""
    problems = []
    if not brokers:
        problems.append("no broker in the cluster metadata")
    if controller is None:
        problems.append("no active controller")
    missing = sorted(set(declared) - set(topics))
    if missing:
        problems.append("declared topics missing: " + ", ".join(missing))
    under = sorted(f"{topic}/{partition}" for topic, partitions in topics.items() for partition, replicas, isrs in partitions if len(isrs) < len(replicas))
    if under:
        problems.append("under-replicated partitions: " + ", ".join(under[:10]) + (" ..." if len(under) > 10 else ""))
    return problems


def days_left(not_after: str, now: float | None = None) -> int:
    """Whole days until a certificate's notAfter (as ssl.getpeercert() gives it); negative once expired."""
    return int((ssl.cert_time_to_seconds(not_after) - (time.time() if now is None else now)) // 86400)


def read_secret(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError as error:
        raise CheckError(f"cannot read the password file {path}: {error.strerror}") from None


def probe_postgres(options: dict, timeout: float) -> tuple[str, str]:
    """Connect as the application role and run a real query. Returns (detail, version)."""
    import psycopg

    try:
        with psycopg.connect(
            host="127.0.0.1",
            port=options["port"],
            dbname=options["database"],
            user=options["user"],
            password=read_secret(options["password-file"]),
            connect_timeout=max(1, round(timeout)),
            options=f"-c statement_timeout={int(timeout * 1000)}",
            application_name="pocket-pos-stack-health",
        ) as connection:
            version, sessions, standby = connection.execute(
                "SELECT current_setting('server_version'), (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()), pg_is_in_recovery()"
            ).fetchone()
    except psycopg.Error as error:
        raise CheckError(f"PostgreSQL: {str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__}") from None
    role = "standby" if standby else "primary"
    return f"query as {options['user']} on {options['database']} ok ({role}, {sessions} sessions)", str(version).split()[0]


def probe_redis(options: dict, timeout: float) -> tuple[str, str]:
    """Authenticate, PING, read memory and evictions. Returns (detail, version)."""
    import redis

    client = redis.Redis(
        host="127.0.0.1",
        port=options["port"],
        username=options["user"],
        password=read_secret(options["password-file"]),
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
    )
    try:
        if not client.ping():
            raise CheckError("Redis: PING was not answered with PONG")
        memory, stats, server = client.info("memory"), client.info("stats"), client.info("server")
    except redis.RedisError as error:
        raise CheckError(f"Redis: {error}") from None
    finally:
        client.close()
    return redis_detail(memory, stats), str(server.get("redis_version", ""))


def probe_kafka(options: dict, timeout: float) -> tuple[str, str]:
    """Brokers and controller present, declared topics there, no partition under-replicated. Returns (detail, '')."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    from ansible_collections.pocket_pos.platform.plugins.module_utils.kafka import client_config

    params = {
        "bootstrap_servers": options["bootstrap"],
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": options.get("mechanism", "SCRAM-SHA-512"),
        "sasl_username": options["user"],
        "sasl_password": read_secret(options["password-file"]),
        "request_timeout": timeout,
    }
    errors: list[str] = []
    config = client_config(params)
    config["error_cb"] = lambda error: errors.append(str(error)) if len(errors) < 3 else None
    client = AdminClient(config)
    try:
        cluster = client.describe_cluster(request_timeout=timeout).result(timeout=timeout + 1)
        metadata = client.list_topics(timeout=timeout)
    except KafkaException as error:
        raise CheckError(f"Kafka: {error.args[0].str() if error.args else error}" + (f" ({errors[0]})" if errors else "")) from None
    except Exception as error:  # a timed-out future raises concurrent.futures.TimeoutError
        raise CheckError(f"Kafka: no answer within {timeout:g} s" + (f" ({errors[0]})" if errors else "") + f": {type(error).__name__}") from None
    topics = {
        name: [(partition.id, list(partition.replicas), list(partition.isrs)) for partition in topic.partitions.values()]
        for name, topic in metadata.topics.items()
        if not name.startswith("__")
    }
    problems = kafka_problems(list(metadata.brokers), cluster.controller, topics, options.get("topics", []))
    if problems:
        raise CheckError("Kafka: " + "; ".join(problems))
    declared = len(options.get("topics", []))
    return f"{len(metadata.brokers)} broker(s), controller {cluster.controller.id}, {declared} declared topics present, none under-replicated", ""


def probe_http(options: dict, timeout: float) -> tuple[str, str]:
    """GET the path on the container's own port; the answer must have the expected status (200)."""
    connection = http.client.HTTPConnection("127.0.0.1", options["port"], timeout=timeout)
    try:
        connection.request("GET", options["path"], headers={"User-Agent": "pocket-pos-stack-health"})
        response = connection.getresponse()
        body = response.read(300)
    except (OSError, http.client.HTTPException) as error:
        raise CheckError(f"GET {options['path']}: {error}") from None
    finally:
        connection.close()
    if response.status != options.get("expect", 200):
        raise CheckError(f"GET {options['path']}: HTTP {response.status} {body.decode('utf-8', 'replace').strip()[:200]}")
    return f"GET {options['path']}: HTTP {response.status}", ""


def probe_https(options: dict, timeout: float) -> tuple[str, str]:
    """TLS handshake validated against the CA for the server name, days until the certificate expires, a GET through
    the proxy, and HSTS where it is expected."""
    name, path = options["server-name"], options.get("path", "/")
    context = ssl.create_default_context(cafile=options.get("ca-file"))
    try:
        with socket.create_connection(("127.0.0.1", options["port"]), timeout=timeout) as raw, context.wrap_socket(raw, server_hostname=name) as tls:
            certificate, version = tls.getpeercert(), tls.version()
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {name}\r\nUser-Agent: pocket-pos-stack-health\r\nConnection: close\r\n\r\n".encode())
            response = http.client.HTTPResponse(tls)
            response.begin()
            hsts = response.getheader("Strict-Transport-Security")
    except ssl.SSLCertVerificationError as error:
        raise CheckError(
            f"TLS: the certificate for {name} does not verify against {options.get('ca-file') or 'the system CAs'}: {error.verify_message}"
        ) from None
    except (OSError, ssl.SSLError, http.client.HTTPException) as error:
        raise CheckError(f"HTTPS {name}: {error}") from None
    days = days_left(certificate["notAfter"])
    if days < 0:
        raise CheckError(f"TLS: the certificate for {name} expired {-days} days ago")
    if response.status != options.get("expect", 200):
        raise CheckError(f"GET https://{name}{path}: HTTP {response.status}")
    if options.get("hsts") and not hsts:
        raise CheckError(f"GET https://{name}{path}: no Strict-Transport-Security header (HSTS is expected here)")
    return f"{version}, certificate valid {days} more days, HTTP {response.status}" + (", HSTS" if hsts else ""), ""


PROBES = {"postgres": probe_postgres, "redis": probe_redis, "kafka": probe_kafka, "http": probe_http, "https": probe_https}
# Probes that connect from the Docker host itself (a port the service publishes there) instead of the container.
FROM_HOST = {"kafka"}
