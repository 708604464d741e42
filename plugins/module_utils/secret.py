# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic for generated secrets: generation and validation, shared by the modules that handle secrets.

Nothing here reads or writes files, so unit tests call it directly.
"""

from __future__ import annotations

import secrets
import string

CHARSETS: dict[str, str] = {
    # Safe inside URLs, connection strings, shell words and every config syntax the stack uses.
    "alphanumeric": string.ascii_letters + string.digits,
    "hex": "0123456789abcdef",
    "urlsafe": string.ascii_letters + string.digits + "-_",
}

# Shortest generated secret the modules accept: at least 96 bits of entropy with every charset above.
MIN_GENERATED_LENGTH = 24
MAX_LENGTH = 4096


def generate(length: int, charset: str) -> str:
    """Return a random secret of ``length`` characters drawn from the named charset (CSPRNG)."""
    if charset not in CHARSETS:
        raise ValueError(f"unknown charset {charset!r}; choose one of {', '.join(sorted(CHARSETS))}")
    if not MIN_GENERATED_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"length must be between {MIN_GENERATED_LENGTH} and {MAX_LENGTH}, got {length}")
    alphabet = CHARSETS[charset]
    return "".join(secrets.choice(alphabet) for _position in range(length))


def problems(value: str, charset: str, min_length: int) -> list[str]:
    """Return what is wrong with a secret value (empty when it is acceptable).

    The messages describe the value without ever containing it.
    """
    if charset not in CHARSETS:
        raise ValueError(f"unknown charset {charset!r}; choose one of {', '.join(sorted(CHARSETS))}")
    found = []
    if len(value) < min_length:
        found.append(f"it has {len(value)} characters, at least {min_length} are required")
    if len(value) > MAX_LENGTH:
        found.append(f"it has {len(value)} characters, at most {MAX_LENGTH} are allowed")
    alphabet = set(CHARSETS[charset])
    bad = {c for c in value if c not in alphabet}
    if bad:
        kinds = sorted({_describe(c) for c in bad})
        found.append(f"it contains characters outside the {charset} charset ({', '.join(kinds)})")
    return found


def _describe(char: str) -> str:
    """Name a character's class, so an error can say what is wrong without showing the secret."""
    if char.isspace():
        return "whitespace"
    if not char.isprintable():
        return "control characters"
    if char in string.ascii_letters:
        return "letters"
    if char in string.digits:
        return "digits"
    if char.isascii():
        return "punctuation"
    return "non-ASCII characters"
