# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PostgreSQL logic Jinja cannot say: the SCRAM-SHA-256 verifier of a password (RFC 5802, RFC 7677), which
ALTER ROLE ... PASSWORD takes in place of the password itself. The server then never sees the password, so it can
reach no log (log_min_duration_statement logs a slow statement's text)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from ansible.errors import AnsibleFilterError


def postgres_scram_verifier(password: object, salt: str = "", iterations: int = 4096) -> str:
    """SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>, as PostgreSQL stores it. The salt is 16 random
    bytes unless one is given (base64, for tests)."""
    if not isinstance(password, str) or not password:
        raise AnsibleFilterError("postgres_scram_verifier expects a non-empty password string")
    if int(iterations) < 4096:
        raise AnsibleFilterError(f"postgres_scram_verifier: iterations must be 4096 or more, got {iterations}")
    raw_salt = base64.b64decode(salt) if salt else os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), raw_salt, int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    salt64, stored64, server64 = (base64.b64encode(value).decode("ascii") for value in (raw_salt, stored_key, server_key))
    return f"SCRAM-SHA-256${int(iterations)}:{salt64}${stored64}:{server64}"


class FilterModule:
    def filters(self) -> dict:
        return {"postgres_scram_verifier": postgres_scram_verifier}
