# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options every Kafka module shares (plugins/module_utils/kafka.py).
    DOCUMENTATION = r"""
options:
  bootstrap_servers:
    description:
      - Brokers to connect to, as host:port.
    type: list
    elements: str
    required: true
  security_protocol:
    description:
      - Protocol of the listener the brokers answer on.
    type: str
    default: PLAINTEXT
    choices: [PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]
  sasl_mechanism:
    description:
      - SASL mechanism, with O(security_protocol=SASL_PLAINTEXT) or O(security_protocol=SASL_SSL).
    type: str
    default: SCRAM-SHA-512
    choices: [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]
  sasl_username:
    description:
      - SASL user. Required with a SASL protocol.
    type: str
  sasl_password:
    description:
      - SASL password. Required with a SASL protocol.
    type: str
  ssl_ca_location:
    description:
      - CA certificate file that verifies the brokers, with an SSL protocol.
    type: path
  ssl_certificate_location:
    description:
      - Client certificate file, for brokers that authenticate clients by certificate.
    type: path
  ssl_key_location:
    description:
      - Key file of O(ssl_certificate_location).
    type: path
  ssl_key_password:
    description:
      - Password of O(ssl_key_location), when it is encrypted.
    type: str
  request_timeout:
    description:
      - Seconds a connection or a request may take before the module fails.
    type: float
    default: 30.0
requirements:
  - confluent-kafka (Python) 2.2 or newer, on the host the module runs on
"""
