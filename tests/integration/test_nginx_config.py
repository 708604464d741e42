"""The nginx role's configuration on this machine, against a scratch project directory and the air-gapped image
(make testbed): the development variant (the Expo dev server proxied with WebSocket upgrade) passes nginx -t in
the image, and a configuration nginx refuses never replaces the live file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from .helpers import apply_role_locally

IMAGE = "pocket-pos/nginx:1.26.3"


def apply_nginx(tmp_path: Path, base: Path, variables: dict) -> tuple[int, str]:
    defaults = {"nginx_image": IMAGE, "nginx_tls_source": "local", "nginx_install_host_packages": False, "nginx_local_ca_export_path": ""}
    result = apply_role_locally(tmp_path, "pocket_pos.platform.nginx", {"stack_base_dir": str(base), **defaults, **variables})
    return result.returncode, result.stdout + result.stderr


def test_development_proxies_the_expo_dev_server(tmp_path: Path) -> None:
    base = tmp_path / "stack"
    code, out = apply_nginx(tmp_path, base, {"pos_environment": "development", "nginx_bind_address": "127.0.0.1"})
    assert code == 0, out
    conf = (base / "nginx" / "conf" / "nginx.conf").read_text()
    mobile = conf[conf.index("listen 8443 ssl;") :]
    assert "proxy_pass http://pos_mobile;" in mobile
    assert "server mobile:8081;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "add_header Strict-Transport-Security" not in conf  # HSTS is for production
    nginx = yaml.safe_load((base / "compose.d" / "nginx.yml").read_text())["services"]["nginx"]
    assert nginx["ports"] == ["127.0.0.1:80:80", "127.0.0.1:443:443", "127.0.0.1:8443:8443"]
    assert sorted(nginx["depends_on"]) == ["api", "mobile", "web"]


def test_a_configuration_nginx_refuses_never_goes_live(tmp_path: Path) -> None:
    base = tmp_path / "stack"
    code, out = apply_nginx(tmp_path, base, {"pos_environment": "test"})
    assert code == 0, out
    live = base / "nginx" / "conf" / "nginx.conf"
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    assert "8443" not in live.read_text()
    code, out = apply_nginx(tmp_path, base, {"pos_environment": "test", "nginx_large_client_header_buffers": "4 8x"})
    assert code != 0, out
    assert "failed to validate" in out and '"large_client_header_buffers" directive invalid value' in out, out
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before


def test_the_local_certificate_is_renewed_when_it_is_about_to_expire(tmp_path: Path) -> None:
    base = tmp_path / "stack"
    cert = base / "nginx" / "tls" / "server.crt"
    assert apply_nginx(tmp_path, base, {"pos_environment": "test"})[0] == 0
    first = cert.read_bytes()
    assert apply_nginx(tmp_path, base, {"pos_environment": "test"})[0] == 0
    assert cert.read_bytes() == first  # 365 days left: kept
    # Renew when fewer than 400 days remain: a 365-day certificate is due.
    code, out = apply_nginx(tmp_path, base, {"pos_environment": "test", "nginx_local_cert_renew_days": 400})
    assert code == 0, out
    assert cert.read_bytes() != first
