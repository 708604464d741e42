#!/usr/bin/env bash
# Test-bed engine bring-up: when no Docker engine answers, install Debian's docker.io and the Compose v2 CLI
# plugin (Debian trixie's docker-compose package installs on bookworm), start dockerd and wait for it.
# Idempotent, and never touches an engine that already answers. Not the product's docker role (docker_engine).
set -euo pipefail

cache="${POS_CACHE:-$HOME/.cache/pocket-pos}"
log="${POS_DOCKERD_LOG:-/var/log/pocket-pos-dockerd.log}"
mirror="${POS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
say() { echo "engine: $*"; }

if docker info >/dev/null 2>&1; then
  if docker compose version >/dev/null 2>&1; then
    say "a Docker engine already answers ($(docker version --format '{{.Server.Version}}')); leaving it alone"
    exit 0
  fi
fi

if [ "$(id -u)" != 0 ]; then
  echo "engine: no Docker engine answers and installing one needs root (run as root or start dockerd yourself)" >&2
  exit 1
fi

apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Debian's docker.io"
  apt_install docker.io iptables ca-certificates
fi

plugin=/usr/libexec/docker/cli-plugins/docker-compose
if [ ! -x "$plugin" ]; then
  # Trixie's docker-compose (2.26) depends only on libc6; fetch it through a private apt state so that the
  # machine's own sources stay as they are.
  state="$cache/apt-trixie"
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$cache/debs"
  cat > "$state/trixie.sources" <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  deb=$(find "$cache/debs" -maxdepth 1 -name 'docker-compose_*.deb' 2>/dev/null | sort | head -n1 || true)
  if [ -z "$deb" ]; then
    say "downloading trixie's docker-compose package"
    opts=(-o Dir::Etc::sourcelist="$state/trixie.sources" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$state/lists"
          -o Dir::Cache="$state/cache" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
    apt-get "${opts[@]}" update -qq
    (cd "$cache/debs" && apt-get "${opts[@]}" download docker-compose >/dev/null)
    deb=$(find "$cache/debs" -maxdepth 1 -name 'docker-compose_*.deb' | sort | head -n1)
  fi
  say "installing the Compose v2 plugin from $(basename "$deb")"
  dpkg -i "$deb" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  # A dockerd left behind without a socket answering: start cleanly.
  if pkill -x dockerd 2>/dev/null; then sleep 1; fi
  rm -f /var/run/docker.pid
  say "starting dockerd (log: $log)"
  mkdir -p "$(dirname "$log")"
  nohup dockerd >>"$log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "engine: dockerd did not answer within 60 s; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
fi
say "Docker $(docker version --format '{{.Server.Version}}') with $(docker compose version --short 2>/dev/null || echo 'no compose') ready"
