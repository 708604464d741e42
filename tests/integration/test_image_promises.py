"""The air-gapped images keep the official images' promises (docs/data-services.md), proven on the images that
make testbed builds: what the roles rely on, and what an operator who swaps in the official image expects."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path

import pytest

POSTGRES = "pocket-pos/postgres:15.20"
REDIS = "pocket-pos/redis:7.0.15"
NGINX = "pocket-pos/nginx:1.26.3"
CERTBOT = "pocket-pos/certbot:4.0.0"


def docker(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, timeout=300)


def wait_for(command: list[str], expected: str, seconds: int = 60) -> str:
    deadline = time.monotonic() + seconds
    while True:
        result = docker(*command, check=False)
        if result.returncode == 0 and expected in result.stdout:
            return result.stdout
        if time.monotonic() > deadline:
            raise AssertionError(f"{command} did not give {expected!r} within {seconds} s: {result.stdout}{result.stderr}")
        time.sleep(1)


@pytest.fixture
def names():
    created: list[str] = []

    def name(kind: str) -> str:
        created.append(f"pos-promise-{kind}-{uuid.uuid4().hex[:8]}")
        return created[-1]

    yield name
    for item in created:
        docker("rm", "-f", "-v", item, check=False)
        docker("volume", "rm", item, check=False)


def test_postgres_environment_initdb_and_config_file(tmp_path: Path, names) -> None:
    password = tmp_path / "password"
    password.write_text(f"pw{uuid.uuid4().hex}\n")
    password.chmod(0o644)
    initdb = tmp_path / "initdb"
    initdb.mkdir()
    (initdb / "10-table.sql").write_text("CREATE TABLE marker (note text); INSERT INTO marker VALUES ('first start');\n")
    (initdb / "20-count.sh").write_text('psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "INSERT INTO marker VALUES (\'from sh\')"\n')
    config = tmp_path / "postgresql.conf"
    config.write_text("listen_addresses = '*'\nmax_connections = 42\n")
    for path in (initdb, *initdb.iterdir(), config):
        path.chmod(0o755 if path.is_dir() else 0o644)
    volume = names("pgdata")
    container = names("pg")
    run = [
        "run", "-d", "--name", container, "-e", "POSTGRES_USER=alice", "-e", "POSTGRES_DB=shop",
        "-e", "POSTGRES_PASSWORD_FILE=/run/secrets/pw", "-v", f"{password}:/run/secrets/pw:ro",
        "-v", f"{initdb}:/docker-entrypoint-initdb.d:ro", "-v", f"{config}:/etc/postgresql/postgresql.conf:ro",
        "-v", f"{volume}:/var/lib/postgresql/data", POSTGRES, "-c", "config_file=/etc/postgresql/postgresql.conf",
    ]  # fmt: skip
    docker(*run)
    query = ["exec", "-e", f"PGPASSWORD={password.read_text().strip()}", container, "psql", "-h", "127.0.0.1", "-U", "alice", "-d", "shop", "-XAtc"]
    assert wait_for([*query, "SELECT string_agg(note, ',' ORDER BY note) FROM marker"], "first start").strip() == "first start,from sh"
    assert docker(*query, "SHOW max_connections").stdout.strip() == "42"
    assert docker("exec", container, "id", "-u").stdout.strip() == "999"
    assert docker("exec", container, "sh", "-c", "echo $PGDATA").stdout.strip() == "/var/lib/postgresql/data"
    # A second container on the same data directory runs no init script (this one would fail if it ran).
    (initdb / "30-fail.sql").write_text("SELECT 1/0;\n")
    (initdb / "30-fail.sql").chmod(0o644)
    docker("rm", "-f", container)
    docker(*run)
    assert wait_for([*query, "SELECT count(*) FROM marker"], "2").strip() == "2"
    assert "initialization complete" not in docker("logs", container).stdout


def test_postgres_refuses_to_initialise_without_a_password(names) -> None:
    container = names("pg-nopw")
    result = docker("run", "--name", container, POSTGRES, check=False)
    assert result.returncode != 0
    assert "no superuser password is given: set POSTGRES_PASSWORD_FILE" in result.stderr


def test_redis_config_argument_data_dir_and_rediscli_auth(tmp_path: Path, names) -> None:
    config = tmp_path / "redis.conf"
    config.write_text("requirepass s3cretForPromises\nappendonly yes\n")
    config.chmod(0o644)
    container = names("redis")
    docker("run", "-d", "--name", container, "-v", f"{config}:/usr/local/etc/redis/redis.conf:ro", REDIS, "/usr/local/etc/redis/redis.conf")
    cli = ["exec", "-e", "REDISCLI_AUTH=s3cretForPromises", container, "redis-cli"]
    wait_for([*cli, "PING"], "PONG")
    assert "NOAUTH" in docker("exec", container, "redis-cli", "GET", "x").stdout
    assert docker(*cli, "CONFIG", "GET", "dir").stdout.split() == ["dir", "/data"]
    assert docker("exec", container, "id", "-u").stdout.strip() == "999"
    assert "Redis server v=7.0.15" in docker("exec", container, "/usr/local/bin/redis-server", "--version").stdout


def test_nginx_config_path_uid_writable_paths_and_signals(names) -> None:
    """Read-only root with tmpfs on /var/cache/nginx and /var/run only, no capability: the default site answers on
    port 80, workers run as uid 101, nginx -t validates /etc/nginx/nginx.conf, the logs reach docker logs, curl is
    there for health checks, and SIGQUIT stops it gracefully (exit 0)."""
    container = names("nginx")
    docker(
        "run", "-d", "--name", container, "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
        "--tmpfs", "/var/cache/nginx:uid=101,gid=101", "--tmpfs", "/var/run:uid=101,gid=101", NGINX,
    )  # fmt: skip
    wait_for(["exec", container, "curl", "-fsS", "http://127.0.0.1/"], "nginx 1.26.3")
    assert "test is successful" in docker("exec", container, "nginx", "-t", "-c", "/etc/nginx/nginx.conf").stderr
    assert docker("exec", container, "test", "-f", "/etc/nginx/mime.types", check=False).returncode == 0
    workers = docker("exec", container, "sh", "-c", "for p in /proc/[0-9]*; do cat $p/status; done").stdout
    assert {line.split()[1] for line in workers.splitlines() if line.startswith("Uid:")} == {"101"}
    assert docker("inspect", "-f", "{{.Config.StopSignal}}", container).stdout.strip() == "SIGQUIT"
    assert "GET / HTTP/1.1" in docker("logs", container).stdout
    docker("stop", container)
    assert docker("inspect", "-f", "{{.State.ExitCode}}", container).stdout.strip() == "0"


def test_certbot_entrypoint_and_directories() -> None:
    """certbot is the entrypoint, it runs as uid 101 on a read-only root, and its directories are its own."""
    version = docker("run", "--rm", "--read-only", "--tmpfs", "/tmp", "-e", "HOME=/tmp", CERTBOT, "--version")  # noqa: S108  the container's own tmpfs
    assert version.stdout.strip() == "certbot 4.0.0"
    owners = docker("run", "--rm", "--entrypoint", "stat", CERTBOT, "-c", "%u %n", "/etc/letsencrypt", "/var/lib/letsencrypt", "/var/log/letsencrypt")
    assert [line.split()[0] for line in owners.stdout.splitlines()] == ["101", "101", "101"]
