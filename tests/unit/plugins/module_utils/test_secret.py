from __future__ import annotations

import string

import pytest

from ansible_collections.pocket_pos.platform.plugins.module_utils.secret import (
    CHARSETS,
    MAX_LENGTH,
    MIN_GENERATED_LENGTH,
    generate,
    problems,
)


@pytest.mark.parametrize("charset", sorted(CHARSETS))
@pytest.mark.parametrize("length", [MIN_GENERATED_LENGTH, 32, 64, 257])
def test_generate_has_length_and_charset(charset: str, length: int) -> None:
    value = generate(length, charset)
    assert len(value) == length
    assert set(value) <= set(CHARSETS[charset])
    assert problems(value, charset, min_length=length) == []


def test_generate_is_random() -> None:
    values = {generate(32, "alphanumeric") for _round in range(200)}
    assert len(values) == 200
    # 200 x 32 characters from 62 symbols: every symbol class shows up.
    joined = "".join(values)
    assert any(c in string.ascii_lowercase for c in joined)
    assert any(c in string.ascii_uppercase for c in joined)
    assert any(c in string.digits for c in joined)


@pytest.mark.parametrize(
    ("length", "charset", "message"),
    [
        (MIN_GENERATED_LENGTH - 1, "alphanumeric", "length must be between"),
        (MAX_LENGTH + 1, "hex", "length must be between"),
        (32, "base64", "unknown charset 'base64'"),
    ],
)
def test_generate_refuses_bad_arguments(length: int, charset: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate(length, charset)


@pytest.mark.parametrize(
    ("value", "charset", "min_length", "expected"),
    [
        ("a" * 16, "alphanumeric", 16, []),
        ("a" * 15, "alphanumeric", 16, ["it has 15 characters, at least 16 are required"]),
        ("deadbeef" * 3, "hex", 24, []),
        ("DEADBEEF" * 3, "hex", 24, ["it contains characters outside the hex charset (letters)"]),
        ("abc-def_ghi-jkl_mno-pqr", "urlsafe", 16, []),
        ("abc-def_ghi-jkl_mno-pqr", "alphanumeric", 16, ["it contains characters outside the alphanumeric charset (punctuation)"]),
        ("correct horse battery staple", "alphanumeric", 16, ["it contains characters outside the alphanumeric charset (whitespace)"]),
        ("pässwordpässword", "alphanumeric", 16, ["it contains characters outside the alphanumeric charset (non-ASCII characters)"]),
        ("x\x00" * 10, "alphanumeric", 16, ["it contains characters outside the alphanumeric charset (control characters)"]),
        (
            "a'b",
            "alphanumeric",
            8,
            ["it has 3 characters, at least 8 are required", "it contains characters outside the alphanumeric charset (punctuation)"],
        ),
        ("a" * (MAX_LENGTH + 1), "alphanumeric", 16, [f"it has {MAX_LENGTH + 1} characters, at most {MAX_LENGTH} are allowed"]),
    ],
)
def test_problems(value: str, charset: str, min_length: int, expected: list[str]) -> None:
    assert problems(value, charset, min_length) == expected


@pytest.mark.parametrize("value", ["hunter2 with spaces!", "sup3r$ecret'quote", "short"])
def test_problems_never_contain_the_value(value: str) -> None:
    for message in problems(value, "alphanumeric", 32):
        assert value not in message
        for word in value.split():
            assert word not in message
