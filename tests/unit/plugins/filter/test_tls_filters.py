from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.pocket_pos.platform.plugins.filter.tls import csp_header, tls_name_problems

SANS = ["DNS:pos.example.com", "DNS:*.shops.example.com", "IP:192.0.2.10", "IP:2001:db8::1"]


@pytest.mark.parametrize(
    ("names", "missing"),
    [
        (["pos.example.com"], []),
        (["POS.Example.com."], []),
        (["a.shops.example.com", "b.shops.example.com"], []),
        (["shops.example.com"], ["shops.example.com"]),
        (["x.a.shops.example.com"], ["x.a.shops.example.com"]),
        (["192.0.2.10", "2001:DB8:0::1"], []),
        (["192.0.2.11"], ["192.0.2.11"]),
        (["other.example.com", "pos.example.com", "localhost"], ["other.example.com", "localhost"]),
    ],
)
def test_tls_name_problems(names: list[str], missing: list[str]) -> None:
    assert tls_name_problems(SANS, names) == missing


def test_an_ip_in_a_dns_entry_does_not_cover_the_address() -> None:
    assert tls_name_problems(["DNS:192.0.2.10"], ["192.0.2.10"]) == ["192.0.2.10"]


def test_tls_name_problems_refuses_other_input() -> None:
    with pytest.raises(AnsibleFilterError, match="subject_alt_name"):
        tls_name_problems("DNS:x", ["x"])


def test_csp_header_adds_sources_to_their_directives_once() -> None:
    policy = {"default-src": ["'self'"], "connect-src": ["'self'"]}
    extra = {"connect-src": ["https://pay.example", "'self'"], "img-src": ["https://cdn.example"]}
    assert csp_header(policy, extra) == "default-src 'self'; connect-src 'self' https://pay.example; img-src https://cdn.example"


def test_csp_header_without_extra() -> None:
    assert csp_header({"frame-ancestors": ["'none'"], "upgrade-insecure-requests": []}) == "frame-ancestors 'none'; upgrade-insecure-requests"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"connect-src": "https://a.example"}, "as a list"),
        ({"connect-src": ["https://a.example; script-src *"]}, "not a single source"),
        ({"Connect_Src": ["x"]}, "not a directive name"),
        ({"img-src": ['"quoted"', "a b"]}, "not a single source"),
    ],
)
def test_csp_header_refuses_what_would_break_the_header(extra: dict, message: str) -> None:
    with pytest.raises(AnsibleFilterError, match=message):
        csp_header({"default-src": ["'self'"]}, extra)
