# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of the nginx edge from outside, run on the controller by the scenario's verify: real HTTPS requests to the
Molecule target's published ports, validated against the local CA. Each subcommand prints what it measured as one
JSON object and exits 1 with the reasons when a check fails."""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import http.client
import json
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

NGINX = "pocket-pos-nginx-1"
CONF = "/etc/nginx/pocket-pos/nginx.conf"


class _Connection(http.client.HTTPSConnection):
    """HTTPS to an address, with SNI and the certificate check for a name (no DNS for the test names)."""

    def __init__(self, address: str, name: str, context: ssl.SSLContext) -> None:
        super().__init__(name, 443, timeout=10, context=context)
        self.address, self.name = address, name

    def connect(self) -> None:
        raw = socket.create_connection((self.address, 443), timeout=10)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.name)


class Edge:
    def __init__(self, args: argparse.Namespace) -> None:
        self.host, self.name, self.ca, self.target = args.host, args.name, args.ca, args.target

    def context(self, minimum: ssl.TLSVersion | None = None, maximum: ssl.TLSVersion | None = None) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cafile=self.ca)
        ctx.set_alpn_protocols(["http/1.1"])
        if minimum or maximum:
            # Let this client offer the old versions (OpenSSL 3 refuses them at its default security level), so
            # that a refusal is the server's.
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = minimum or ssl.TLSVersion.MINIMUM_SUPPORTED
            ctx.maximum_version = maximum or ssl.TLSVersion.MAXIMUM_SUPPORTED
        return ctx

    def request(
        self, path: str, method: str = "GET", headers: dict | None = None, host: str | None = None, body: bytes | None = None
    ) -> tuple[int, dict, bytes]:
        conn = _Connection(self.host, self.name, self.context())
        conn.request(method, path, body=body, headers={"Host": host or self.name, **(headers or {})})

        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def plain(self, path: str, host: str) -> tuple[int, dict]:
        conn = http.client.HTTPConnection(self.host, 80, timeout=10)
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}

    def handshake(self, ctx: ssl.SSLContext, alpn: list[str] | None = None) -> dict:
        if alpn:
            ctx.set_alpn_protocols(alpn)
        with socket.create_connection((self.host, 443), timeout=10) as raw, ctx.wrap_socket(raw, server_hostname=self.name) as tls:
            return {"version": tls.version(), "alpn": tls.selected_alpn_protocol(), "cert": tls.getpeercert()}

    def docker(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(["docker", "exec", self.target, "docker", *argv], capture_output=True, text=True, check=False)


def check(failures: list[str], ok: bool, message: str) -> None:
    if not ok:
        failures.append(message)


def cmd_https(edge: Edge, failures: list[str]) -> dict:
    status, _headers, body = edge.request("/")
    check(failures, status == 200 and b"<html" in body.lower(), f"GET / answered {status}, not the web client's page")
    api_status, _api_headers, api_body = edge.request("/api/health")
    check(failures, api_status == 200 and json.loads(api_body).get("status") == "live", f"GET /api/health answered {api_status} {api_body[:200]!r}")
    h2 = edge.handshake(edge.context(), ["h2", "http/1.1"])
    check(failures, h2["alpn"] == "h2", f"HTTP/2 not negotiated (ALPN {h2['alpn']})")
    wrong = None
    try:
        ctx = ssl.create_default_context(cafile=edge.ca)
        with socket.create_connection((edge.host, 443), timeout=10) as raw, ctx.wrap_socket(raw, server_hostname="not-covered.example"):
            wrong = "accepted"
    except ssl.SSLCertVerificationError as exc:
        wrong = exc.verify_message
    check(failures, wrong != "accepted", "the certificate was accepted for a name it does not cover")
    return {"page": status, "api": api_status, "alpn": h2["alpn"], "tls": h2["version"], "other_name": wrong}


def cmd_tls_versions(edge: Edge, failures: list[str]) -> dict:
    result = {}
    for version in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        try:
            result[version.name] = edge.handshake(edge.context(version, version))["version"]
        except (ssl.SSLError, OSError) as exc:
            result[version.name] = f"refused: {exc.__class__.__name__}: {exc}"
    for old in ("TLSv1", "TLSv1_1"):
        check(failures, result[old].startswith("refused"), f"{old} handshake was accepted: {result[old]}")
    for new, name in (("TLSv1_2", "TLSv1.2"), ("TLSv1_3", "TLSv1.3")):
        check(failures, result[new] == name, f"{new} handshake failed: {result[new]}")
    return result


def cmd_sslyze(edge: Edge, failures: list[str], sslyze: str) -> dict:
    out = Path(edge.ca).with_name("sslyze.json")
    run = subprocess.run(
        [sslyze, "-m", "sslyze", "--mozilla_config=intermediate", f"--certinfo_ca_file={edge.ca}", f"--json_out={out}", f"{edge.name}:443{{{edge.host}}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(out.read_text())
    scan = report["server_scan_results"][0]["scan_result"]
    accepted = {
        version: len(scan[f"{version}_cipher_suites"]["result"]["accepted_cipher_suites"])
        for version in ("ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1", "tls_1_2", "tls_1_3")
    }
    compliant = "OK - Compliant" in run.stdout
    check(
        failures,
        run.returncode == 0 and compliant,
        f"sslyze: not compliant with Mozilla's intermediate configuration (exit {run.returncode}):\n{run.stdout[-3000:]}",
    )
    check(failures, accepted["tls_1_0"] == 0 and accepted["tls_1_1"] == 0, f"sslyze: TLS 1.0/1.1 cipher suites accepted: {accepted}")
    check(failures, accepted["tls_1_2"] > 0 and accepted["tls_1_3"] > 0, f"sslyze: TLS 1.2/1.3 not accepted: {accepted}")
    verdict = [line.strip() for line in run.stdout.splitlines() if "ompliant" in line]
    return {"exit": run.returncode, "accepted_cipher_suites": accepted, "verdict": verdict}


def cmd_headers(edge: Edge, failures: list[str]) -> dict:
    seen = {}
    for path in ("/", "/api/health", "/no-such-page"):
        status, headers, _body = edge.request(path)
        seen[path] = {
            "status": status,
            **{
                k: headers.get(k)
                for k in (
                    "strict-transport-security",
                    "content-security-policy",
                    "x-content-type-options",
                    "referrer-policy",
                    "permissions-policy",
                    "x-frame-options",
                    "server",
                )
            },
        }
        check(failures, (headers.get("strict-transport-security") or "").startswith("max-age=63072000"), f"{path}: no HSTS")
        csp = headers.get("content-security-policy") or ""
        check(failures, "frame-ancestors 'none'" in csp and "default-src" in csp, f"{path}: CSP without default-src and frame-ancestors: {csp!r}")
        check(failures, headers.get("x-content-type-options") == "nosniff", f"{path}: X-Content-Type-Options {headers.get('x-content-type-options')!r}")
        check(failures, headers.get("referrer-policy") == "strict-origin-when-cross-origin", f"{path}: Referrer-Policy {headers.get('referrer-policy')!r}")
        check(failures, "camera=()" in (headers.get("permissions-policy") or ""), f"{path}: Permissions-Policy {headers.get('permissions-policy')!r}")
        check(failures, headers.get("server") == "nginx", f"{path}: Server header {headers.get('server')!r} (server_tokens off gives 'nginx')")
        check(failures, "x-powered-by" not in headers, f"{path}: X-Powered-By sent")
        for name in ("x-content-type-options", "referrer-policy", "strict-transport-security"):
            check(failures, "," not in (headers.get(name) or ""), f"{path}: {name} sent twice: {headers.get(name)!r}")
    # The web client's own policy (with its nonce) passes; the API gets nginx's default.
    check(failures, "nonce-" in (seen["/"]["content-security-policy"] or ""), "/: the web client's nonce CSP did not pass")
    check(failures, "nonce-" not in (seen["/api/health"]["content-security-policy"] or ""), "/api/health: not nginx's default CSP")
    return seen


def cmd_redirect(edge: Edge, failures: list[str]) -> dict:
    result = {}
    for host, expected in ((edge.name, f"https://{edge.name}/orders?x=1"), ("evil.example", f"https://{edge.name}/orders?x=1")):
        status, headers = edge.plain("/orders?x=1", host)
        result[host] = {"status": status, "location": headers.get("location")}
        check(
            failures,
            status == 301 and headers.get("location") == expected,
            f"http://{host}/orders?x=1 -> {status} {headers.get('location')} (want 301 {expected})",
        )
    return result


def cmd_limits(edge: Edge, failures: list[str]) -> dict:
    # The announced length alone is refused, before any of the body is read.
    big_body = edge.request("/api/orders", "POST", headers={"Content-Type": "application/json", "Content-Length": str(2 * 1024 * 1024)})
    check(failures, big_body[0] == 413, f"a 2 MiB body got {big_body[0]}, not 413")
    big_header = edge.request("/api/health", headers={"X-Filler": "y" * 16384})
    check(failures, big_header[0] == 400, f"a 16 KiB header got {big_header[0]}, not 400")
    normal = edge.request("/api/health", headers={"X-Filler": "y" * 2048})
    check(failures, normal[0] == 200, f"a 2 KiB header got {normal[0]}, not 200")
    return {"body_2MiB": big_body[0], "header_16KiB": big_header[0], "header_2KiB": normal[0]}


def burst(edge: Edge, path: str, count: int, workers: int) -> list[int]:
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda _index: edge.request(path)[0], range(count)))


def cmd_ratelimit(edge: Edge, failures: list[str]) -> dict:
    steady = []
    for _attempt in range(20):  # 5 requests a second, under the 20 r/s limit
        steady.append(edge.request("/api/health")[0])
        time.sleep(0.2)
    check(failures, steady.count(200) == len(steady), f"a normal rate got {sorted(set(steady))}, not only 200s")
    time.sleep(3)
    flood = burst(edge, "/api/health", 150, 30)
    check(failures, flood.count(429) > 0, f"a burst of 150 got no 429 ({sorted(set(flood))})")
    check(failures, flood.count(200) >= 40, f"a burst of 150 got only {flood.count(200)} answers (the burst allows 40)")
    check(failures, set(flood) <= {200, 429}, f"a burst got other statuses: {sorted(set(flood))}")
    time.sleep(3)
    auth = [edge.request("/api/auth/login", "POST")[0] for _attempt in range(12)]
    check(failures, auth.count(429) >= 5, f"12 quick requests to /api/auth/ got {auth}: the stricter zone did not answer 429")
    later = edge.request("/api/health")[0]
    check(failures, later == 200, f"/api/health after the auth burst: {later} (the zones are separate)")
    return {"steady": {str(s): steady.count(s) for s in set(steady)}, "burst": {str(s): flood.count(s) for s in set(flood)}, "auth": auth}


def cmd_static(edge: Edge, failures: list[str]) -> dict:
    _status, _headers, body = edge.request("/")
    assets = re.findall(rb'/_next/static/[^"\'?]+\.js', body)
    check(failures, bool(assets), "no /_next/static/ script in the page")
    if not assets:
        return {}
    asset = assets[0].decode()
    first = edge.request(asset, headers={"Accept-Encoding": "gzip"})
    second = edge.request(asset, headers={"Accept-Encoding": "gzip"})
    for label, (status, headers, _body) in (("first", first), ("second", second)):
        check(failures, status == 200, f"{asset} ({label}): {status}")
        check(failures, headers.get("cache-control") == "public, max-age=31536000, immutable", f"{asset}: Cache-Control {headers.get('cache-control')!r}")
        check(failures, headers.get("content-encoding") == "gzip", f"{asset}: not gzipped ({headers.get('content-encoding')!r})")
        check(failures, headers.get("x-content-type-options") == "nosniff", f"{asset}: the static location lost the security headers")
    check(failures, second[1].get("x-cache-status") == "HIT", f"{asset}: second request {second[1].get('x-cache-status')!r}, not a cache HIT")
    return {"asset": asset, "cache": [first[1].get("x-cache-status"), second[1].get("x-cache-status")], "encoding": second[1].get("content-encoding")}


def cmd_reload(edge: Edge, failures: list[str], seconds: float, reloads: int) -> dict:
    stop = threading.Event()
    counts = {"ok": 0, "failed": 0}
    errors: list[str] = []
    lock = threading.Lock()

    def load(paths: list[str], pause: float) -> None:
        i = 0
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                status = edge.request(path)[0]
                good = status == 200
                detail = f"{path}: {status}"
            except Exception as exc:  # every failure counts, whatever it is
                good, detail = False, f"{path}: {exc.__class__.__name__}: {exc}"
            with lock:
                counts["ok" if good else "failed"] += 1
                if not good:
                    errors.append(detail)
            time.sleep(pause)

    # The page (rendered by the web replicas) and a cached asset (answered by nginx itself), on new connections.
    page = edge.request("/")[2]
    assets = [match.decode() for match in re.findall(rb'/_next/static/[^"\'?]+\.js', page)[:1]]
    threads = [threading.Thread(target=load, args=(["/", *assets, *assets], 0)) for _attempt in range(3)]
    threads.append(threading.Thread(target=load, args=(["/api/health"], 0.1)))
    for thread in threads:
        thread.start()
    done = []
    started = time.monotonic()
    for _attempt in range(reloads):
        time.sleep(seconds / (reloads + 1))
        run = edge.docker("exec", NGINX, "nginx", "-s", "reload", "-c", CONF)
        done.append(run.returncode)
    time.sleep(seconds / (reloads + 1))
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    check(failures, done == [0] * reloads, f"nginx -s reload exit codes {done}")
    check(failures, counts["failed"] == 0, f"{counts['failed']} requests failed during {reloads} reloads: {errors[:10]}")
    check(failures, counts["ok"] > 100, f"only {counts['ok']} requests completed: not a load")
    return {
        "requests": counts["ok"] + counts["failed"],
        "failed": counts["failed"],
        "reloads": reloads,
        "seconds": round(elapsed, 1),
        "rate_per_s": round((counts["ok"] + counts["failed"]) / elapsed, 1),
    }


def cmd_failover(edge: Edge, failures: list[str]) -> dict:
    stopped = edge.docker("stop", "pocket-pos-api-2")
    check(failures, stopped.returncode == 0, f"could not stop api-2: {stopped.stderr}")
    try:
        statuses = []
        for _attempt in range(30):
            statuses.append(edge.request("/api/health")[0])
            time.sleep(0.1)
    finally:
        started = edge.docker("start", "pocket-pos-api-2")
    check(failures, statuses.count(200) == len(statuses), f"with one API replica down: {sorted(set(statuses))}")
    check(failures, started.returncode == 0, f"could not start api-2 again: {started.stderr}")
    return {"with_one_replica_down": {str(s): statuses.count(s) for s in set(statuses)}}


def cmd_logs(edge: Edge, failures: list[str]) -> dict:
    run = edge.docker("logs", "--since", "30m", NGINX)
    access, errors, other = [], [], []
    for stream, lines in (("stdout", run.stdout), ("stderr", run.stderr)):
        for line in lines.splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                other.append(f"{stream}: {line}")
                continue
            (access if "status" in record else errors).append(record)
    check(failures, not other, f"{len(other)} log lines are not JSON: {other[:5]}")
    check(failures, any(r.get("status") == 429 for r in access), "no 429 in the JSON access log")
    upstreams = {r["upstream"] for r in access if r.get("uri") == "/api/health" and r.get("status") == 200 and r.get("upstream")}
    check(failures, len({u.split(",")[0].strip() for u in upstreams}) >= 2, f"/api/health went to {upstreams}: not balanced over two replicas")
    check(failures, any("limiting requests" in r.get("message", "") and r.get("level") == "warn" for r in errors), "no JSON error-log record of the rate limit")
    return {"access_records": len(access), "error_records": len(errors), "api_upstreams": sorted(upstreams)[:6]}


def cmd_certificate(edge: Edge, failures: list[str], serial: str) -> dict:
    cert = edge.handshake(ssl.create_default_context(cafile=edge.ca))["cert"]
    check(
        failures,
        cert.get("serialNumber", "").lower().lstrip("0") == serial.lower().lstrip("0"),
        f"served certificate serial {cert.get('serialNumber')}, want {serial}",
    )
    return {"serial": cert.get("serialNumber"), "not_after": cert.get("notAfter")}


def cmd_make_certs(directory: Path, name: str) -> dict:
    """Operator certificates for the refusal tests: a CA, a good chain, and three bad ones."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    directory.mkdir(parents=True, exist_ok=True)

    def key() -> ec.EllipticCurvePrivateKey:
        return ec.generate_private_key(ec.SECP256R1())

    def pem_key(k: ec.EllipticCurvePrivateKey) -> bytes:
        return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

    ca_key = key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pocket POS test operator CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(k: ec.EllipticCurvePrivateKey, names: list[str], start: datetime.datetime, end: datetime.datetime) -> x509.Certificate:
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_name)
            .public_key(k.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )

    good_key, other_key = key(), key()
    names = [name, "localhost"]
    certs = {
        "good": (leaf(good_key, names, now - datetime.timedelta(days=1), now + datetime.timedelta(days=90)), good_key),
        "renewed": (leaf(good_key, names, now - datetime.timedelta(hours=1), now + datetime.timedelta(days=90)), good_key),
        "mismatch": (leaf(good_key, names, now - datetime.timedelta(days=1), now + datetime.timedelta(days=90)), other_key),
        "expired": (leaf(good_key, names, now - datetime.timedelta(days=100), now - datetime.timedelta(days=10)), good_key),
        "expiring": (leaf(good_key, names, now - datetime.timedelta(days=80), now + datetime.timedelta(days=3)), good_key),
        "wrongname": (leaf(good_key, ["shop.other.example"], now - datetime.timedelta(days=1), now + datetime.timedelta(days=90)), good_key),
    }
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    (directory / "ca.crt").write_bytes(ca_pem)
    serials = {}
    for label, (cert, k) in certs.items():
        (directory / f"{label}.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM) + ca_pem)
        (directory / f"{label}.key").write_bytes(pem_key(k))
        serials[label] = format(cert.serial_number, "X")
    return {"dir": str(directory), "serials": serials}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command")
    parser.add_argument("--host", default="")
    parser.add_argument("--name", default="pos.test")
    parser.add_argument("--ca", default="")
    parser.add_argument("--target", default="")
    parser.add_argument("--sslyze", default="")
    parser.add_argument("--serial", default="")
    parser.add_argument("--dir", default="")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--reloads", type=int, default=3)
    args = parser.parse_args()
    failures: list[str] = []
    if args.command == "make-certs":
        result = cmd_make_certs(Path(args.dir), args.name)
    else:
        edge = Edge(args)
        commands = {
            "https": lambda: cmd_https(edge, failures),
            "tls-versions": lambda: cmd_tls_versions(edge, failures),
            "sslyze": lambda: cmd_sslyze(edge, failures, args.sslyze),
            "headers": lambda: cmd_headers(edge, failures),
            "redirect": lambda: cmd_redirect(edge, failures),
            "limits": lambda: cmd_limits(edge, failures),
            "ratelimit": lambda: cmd_ratelimit(edge, failures),
            "static": lambda: cmd_static(edge, failures),
            "reload": lambda: cmd_reload(edge, failures, args.seconds, args.reloads),
            "failover": lambda: cmd_failover(edge, failures),
            "logs": lambda: cmd_logs(edge, failures),
            "certificate": lambda: cmd_certificate(edge, failures, args.serial),
        }
        result = commands[args.command]()
    print(json.dumps({"command": args.command, "result": result, "failures": failures}, default=str))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
