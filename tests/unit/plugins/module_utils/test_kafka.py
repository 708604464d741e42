"""Connection options shared by the Kafka modules: consistency checks and the librdkafka configuration."""

from __future__ import annotations

import pytest

from ansible_collections.pocket_pos.platform.plugins.module_utils.kafka import client_config, connection_problems, kafka_argument_spec


def params(**overrides):
    base = {key: spec.get("default") for key, spec in kafka_argument_spec().items()}
    base["bootstrap_servers"] = ["127.0.0.1:9094"]
    base.update(overrides)
    return base


def test_plaintext_config() -> None:
    config = client_config(params(request_timeout=5.0))
    assert config["bootstrap.servers"] == "127.0.0.1:9094"
    assert config["security.protocol"] == "PLAINTEXT"
    assert config["socket.timeout.ms"] == 5000
    assert "sasl.username" not in config


def test_sasl_config() -> None:
    config = client_config(params(security_protocol="SASL_SSL", sasl_username="admin", sasl_password="s3cret", ssl_ca_location="/ca.crt"))
    assert config["sasl.mechanism"] == "SCRAM-SHA-512"
    assert config["sasl.username"] == "admin" and config["sasl.password"] == "s3cret"
    assert config["ssl.ca.location"] == "/ca.crt"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bootstrap_servers": []}, "bootstrap_servers: give at least one host:port"),
        ({"bootstrap_servers": ["kafka"]}, "bootstrap_servers: 'kafka' is not host:port"),
        ({"bootstrap_servers": ["kafka:99999"]}, "bootstrap_servers: 'kafka:99999' is not host:port"),
        ({"security_protocol": "SASL_PLAINTEXT"}, "security_protocol SASL_PLAINTEXT needs sasl_username and sasl_password"),
        ({"ssl_certificate_location": "/c.crt"}, "ssl_certificate_location and ssl_key_location go together"),
        ({"request_timeout": 0.0}, "request_timeout must be above 0 seconds"),
    ],
)
def test_connection_problems_name_the_option(overrides: dict, message: str) -> None:
    assert message in "; ".join(connection_problems(params(**overrides)))


def test_good_options_have_no_problem() -> None:
    assert connection_problems(params(security_protocol="SASL_PLAINTEXT", sasl_username="a", sasl_password="b")) == []
