# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every Kafka module (documented in the ``pocket_pos.platform.kafka`` doc fragment),
and the client configuration they turn into. The AdminClient comes from confluent-kafka, imported on demand so
that a missing library gives the standard missing-library error."""

from __future__ import annotations

import traceback

try:
    from confluent_kafka.admin import AdminClient
except ImportError:
    AdminClient = None
    KAFKA_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    KAFKA_IMPORT_ERROR = None

SECURITY_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


def kafka_argument_spec() -> dict:
    """The connection options, for a module's argument_spec."""
    return dict(
        bootstrap_servers=dict(type="list", elements="str", required=True),
        security_protocol=dict(type="str", default="PLAINTEXT", choices=SECURITY_PROTOCOLS),
        sasl_mechanism=dict(type="str", default="SCRAM-SHA-512", choices=SASL_MECHANISMS),
        sasl_username=dict(type="str"),
        sasl_password=dict(type="str", no_log=True),
        ssl_ca_location=dict(type="path"),
        ssl_certificate_location=dict(type="path"),
        ssl_key_location=dict(type="path"),
        ssl_key_password=dict(type="str", no_log=True),
        request_timeout=dict(type="float", default=30.0),
    )


def connection_problems(params: dict) -> list[str]:
    """Return what is inconsistent in the connection options (empty when they can be used)."""
    problems = []
    if not params.get("bootstrap_servers"):
        problems.append("bootstrap_servers: give at least one host:port")
    for server in params.get("bootstrap_servers") or []:
        host, _sep, port = server.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            problems.append(f"bootstrap_servers: '{server}' is not host:port")
    sasl = params.get("security_protocol", "PLAINTEXT").startswith("SASL_")
    if sasl and not (params.get("sasl_username") and params.get("sasl_password")):
        problems.append(f"security_protocol {params['security_protocol']} needs sasl_username and sasl_password")
    if bool(params.get("ssl_certificate_location")) != bool(params.get("ssl_key_location")):
        problems.append("ssl_certificate_location and ssl_key_location go together (a client certificate and its key)")
    if params.get("request_timeout", 30.0) <= 0:
        problems.append("request_timeout must be above 0 seconds")
    return problems


def client_config(params: dict) -> dict:
    """The librdkafka configuration for the connection options."""
    timeout_ms = int(params.get("request_timeout", 30.0) * 1000)
    config = {
        "bootstrap.servers": ",".join(params["bootstrap_servers"]),
        "security.protocol": params.get("security_protocol", "PLAINTEXT"),
        "socket.timeout.ms": timeout_ms,
        "socket.connection.setup.timeout.ms": timeout_ms,
        # The first connection failure is reported at once instead of retried in the background.
        "reconnect.backoff.max.ms": 1000,
    }
    if config["security.protocol"].startswith("SASL_"):
        config["sasl.mechanism"] = params.get("sasl_mechanism", "SCRAM-SHA-512")
        config["sasl.username"] = params["sasl_username"]
        config["sasl.password"] = params["sasl_password"]
    optional = {
        "ssl_ca_location": "ssl.ca.location",
        "ssl_certificate_location": "ssl.certificate.location",
        "ssl_key_location": "ssl.key.location",
        "ssl_key_password": "ssl.key.password",
    }
    for option, key in optional.items():
        if params.get(option):
            config[key] = params[option]
    return config


def admin_client(module):
    """An AdminClient for the module's connection options; fails the module when the library or options are wrong."""
    if AdminClient is None:
        from ansible.module_utils.basic import missing_required_lib

        module.fail_json(msg=missing_required_lib("confluent-kafka"), exception=KAFKA_IMPORT_ERROR)
    problems = connection_problems(module.params)
    if problems:
        module.fail_json(msg="; ".join(problems))
    errors: list[str] = []
    config = client_config(module.params)
    # librdkafka reports authentication and transport failures through error_cb; keep the first ones.
    config["error_cb"] = lambda error: errors.append(str(error)) if len(errors) < 5 else None
    client = AdminClient(config)
    client.pocket_pos_errors = errors
    return client
