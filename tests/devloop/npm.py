"""npm packages for the Node tests, installed from a lock file in tests/data/ (`npm ci`, registry only) into a
cache outside the test's temp dirs (keyed by the lock file's hash), so later runs start at once. No `node`/`npm`
is a failure saying how to get them; `.ci/run` installs Debian's nodejs and npm where they are missing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import require

NPM_TIMEOUT = 600  # a clean machine downloads ~130 packages once


def cache_root() -> Path:
    # Not under pytest's temp dirs (pruned between runs) nor HOME (make test gives each run a fresh one).
    return Path(os.environ.get("SLACKCTL_TEST_CACHE") or Path(tempfile.gettempdir()) / f"slackctl-tests-{os.getuid()}")


def npm_env(root: Path | None = None) -> dict[str, str]:
    """npm's cache and update check kept inside the test cache, never the user's."""
    return dict(
        os.environ,
        npm_config_cache=str((root or cache_root()) / "npm-cache"),
        npm_config_update_notifier="false",
        npm_config_audit="false",
        npm_config_fund="false",
    )


def installed(package_dir: Path) -> Path:
    """node_modules for the package.json + package-lock.json in `package_dir`, installed once per lock file."""
    require(shutil.which("node"), "node (Node.js, to run Bolt JS apps)")
    require(shutil.which("npm"), "npm (to install Bolt JS)")
    lock = (package_dir / "package-lock.json").read_bytes()
    root = cache_root()
    done = root / f"{package_dir.name}-{hashlib.sha256(lock).hexdigest()[:16]}"
    if (done / "node_modules" / ".package-lock.json").is_file():
        return done / "node_modules"
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="installing-", dir=root))
    for name in ("package.json", "package-lock.json"):
        shutil.copy(package_dir / name, work / name)
    proc = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=work,
        env=npm_env(root),
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT,
    )
    if proc.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        pytest.fail(
            f"npm ci of {package_dir} failed (is registry.npmjs.org reachable?):\n{proc.stderr[-2000:]}", pytrace=False
        )
    try:
        work.rename(done)  # atomic: another run sees no half-installed tree
    except OSError:  # another run finished first: use its tree
        shutil.rmtree(work, ignore_errors=True)
    return done / "node_modules"
