"""The SCRAM-SHA-256 verifier the postgres role sets passwords with (ALTER ROLE ... PASSWORD '<verifier>')."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.postgres import postgres_scram_verifier

# A fixed salt (base64 of 16 bytes) for reproducible verifiers. That PostgreSQL accepts a login against the
# verifier is shown end to end (tests/e2e/test_rotation.py).
SALT = "W22ZaJ0SNY7soEsUEjb6gQ=="


def test_the_verifier_has_postgres_layout() -> None:
    verifier = postgres_scram_verifier("pencil", salt=SALT)
    method, rest = verifier.split("$", 1)
    params, keys = rest.split("$")
    assert method == "SCRAM-SHA-256" and params == f"4096:{SALT}"
    stored, server = (base64.b64decode(key) for key in keys.split(":"))
    assert len(stored) == len(server) == 32


def test_a_client_proof_from_the_password_matches_the_stored_key() -> None:
    """What the server checks at login: H(ClientKey) == StoredKey, with ClientKey from the password and salt."""
    verifier = postgres_scram_verifier("correct horse", salt=SALT)
    stored = base64.b64decode(verifier.split("$")[2].split(":")[0])
    salted = hashlib.pbkdf2_hmac("sha256", b"correct horse", base64.b64decode(SALT), 4096)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    assert hashlib.sha256(client_key).digest() == stored
    other = hashlib.pbkdf2_hmac("sha256", b"wrong horse", base64.b64decode(SALT), 4096)
    assert hashlib.sha256(hmac.new(other, b"Client Key", hashlib.sha256).digest()).digest() != stored


def test_each_call_draws_a_new_salt() -> None:
    assert postgres_scram_verifier("pencil") != postgres_scram_verifier("pencil")


@pytest.mark.parametrize(("password", "iterations", "named"), [("", 4096, "non-empty password"), ("x", 1000, "iterations must be 4096")])
def test_bad_input_is_refused(password: str, iterations: int, named: str) -> None:
    with pytest.raises(AnsibleFilterError, match=named):
        postgres_scram_verifier(password, iterations=iterations)
