# Copyright: Pocket POS platform team
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the application images' sizes and build times, against a naive single-stage build.

For each production application image under files/apps/ (api, web), on the air-gapped Node images that make
testbed builds (pocket-pos/node-build for the build stages, the distroless pocket-pos/node for the runtime):
  - cold build: --no-cache, every stage from scratch (npm ci included);
  - warm build after a source change: a comment appended to one source file, so the dependency layer is reused;
  - warm build, nothing changed;
  - naive build: one stage on the build image (the only one with npm), the whole source copied first, npm install
    with the dev dependencies, npm run build, run from there as root; --no-cache.
Targets (issue #7): API <= 200 MB, web <= 180 MB, each at least 3 times smaller than its naive build.
Run with `make bench-images` (needs make testbed). Prints the figures and ratios; exits 1 when a target is missed.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_IMAGE = "pocket-pos/node:20.19.2"
NODE_BUILD_IMAGE = "pocket-pos/node-build:20.19.2"
TARGET_MB = {"api": 200, "web": 180}
TARGET_RATIO = 3.0
# The source file the warm build changes, per application.
SOURCE_FILE = {"api": "src/main.ts", "web": "lib/format.ts"}

NAIVE = """\
FROM {node}
ARG BUILD_CA_CERTIFICATES=""
WORKDIR /app
COPY . .
RUN if [ -n "$BUILD_CA_CERTIFICATES" ]; then printf '%s\\n' "$BUILD_CA_CERTIFICATES" > /etc/build-ca.pem; \\
      export NODE_EXTRA_CA_CERTS=/etc/build-ca.pem; fi \\
 && npm install --no-audit --no-fund && npm run build
CMD ["npm", "start"]
"""


def ca_certificates() -> str:
    """The TLS proxy's CA certificates of this machine (the npm registry is reached through it), if any."""
    return "".join(Path(path).read_text() for path in sorted(glob.glob("/usr/local/share/ca-certificates/*.crt")))


def build(context: Path, tag: str, dockerfile: str = "Dockerfile", no_cache: bool = False) -> float:
    args = ["docker", "build", "-q", "-t", tag, "-f", str(context / dockerfile), "--build-arg", f"BASE_IMAGE={NODE_IMAGE}"]
    args += ["--build-arg", f"BUILD_IMAGE={NODE_BUILD_IMAGE}"]
    args += ["--build-arg", f"BUILD_CA_CERTIFICATES={ca_certificates()}"]
    if no_cache:
        args.append("--no-cache")
    start = time.monotonic()
    result = subprocess.run([*args, str(context)], capture_output=True, text=True, check=False)  # noqa: S603
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"docker build {tag} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def size_mb(tag: str) -> float:
    out = subprocess.run(["docker", "image", "inspect", "-f", "{{.Size}}", tag], capture_output=True, text=True, check=True)  # noqa: S603, S607
    return int(out.stdout.strip()) / 1e6


def bench(app: str, workdir: Path) -> dict:
    context = workdir / app
    shutil.copytree(ROOT / "files" / "apps" / app, context, ignore=shutil.ignore_patterns("node_modules", "dist", "build-test", ".next"))
    tag = f"pos-bench/{app}"
    cold = build(context, f"{tag}:multi", no_cache=True)
    source = context / SOURCE_FILE[app]
    source.write_text(source.read_text() + "\n// benchmark: a source change\n")
    warm_change = build(context, f"{tag}:multi")
    warm_none = build(context, f"{tag}:multi")
    (context / "Dockerfile.naive").write_text(NAIVE.format(node=NODE_BUILD_IMAGE))
    naive = build(context, f"{tag}:naive", dockerfile="Dockerfile.naive", no_cache=True)
    figures = {
        "app": app,
        "size": size_mb(f"{tag}:multi"),
        "naive_size": size_mb(f"{tag}:naive"),
        "cold": cold,
        "warm_change": warm_change,
        "warm_none": warm_none,
        "naive_build": naive,
    }
    subprocess.run(["docker", "image", "rm", f"{tag}:multi", f"{tag}:naive"], capture_output=True, check=False)  # noqa: S603, S607
    return figures


def main() -> int:
    # The production images (the Expo development container has no size target and builds on node-build).
    apps = sorted(path.parent.name for path in (ROOT / "files" / "apps").glob("*/Dockerfile") if path.parent.name in TARGET_MB)
    missed = []
    with tempfile.TemporaryDirectory(prefix="pos-bench-images-") as tmp:
        results = [bench(app, Path(tmp)) for app in apps]
    print(f"{'image':<6} {'size MB':>8} {'naive MB':>9} {'smaller':>8} {'cold s':>7} {'warm, src change s':>19} {'warm, none s':>13} {'naive build s':>14}")
    for r in results:
        ratio = r["naive_size"] / r["size"]
        print(
            f"{r['app']:<6} {r['size']:>8.1f} {r['naive_size']:>9.1f} {ratio:>7.2f}x {r['cold']:>7.1f} {r['warm_change']:>19.1f}"
            f" {r['warm_none']:>13.1f} {r['naive_build']:>14.1f}"
        )
        target = TARGET_MB.get(r["app"])
        if target is not None and r["size"] > target:
            missed.append(f"{r['app']}: {r['size']:.1f} MB is over the {target} MB target")
        if ratio < TARGET_RATIO:
            missed.append(f"{r['app']}: {ratio:.2f}x smaller than the naive build, under the {TARGET_RATIO:.0f}x target")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
