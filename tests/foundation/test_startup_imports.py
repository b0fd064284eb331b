"""The start-up path stays light: --version and --help import none of the heavy libraries (asserted from
sys.modules, not with a timer)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "httpx",
    "keyring",
    "questionary",
    "rich.console",
    "rich.syntax",
    "rich.progress",
    "jq",
    "jsonschema",
    "yaml",
    "cryptography",
    "jwt",
    "prompt_toolkit",
    "secretstorage",
)

PROBE = """
import json, sys
sys.argv = ["slackctl"] + json.loads(sys.argv[1])
from slackctl.cli.entry import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _modules_after(args: list[str]) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, timeout=60)
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES=")][-1]
    return set(json.loads(line[len("MODULES=") :]))


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["api", "--help"],
        ["auth", "--help"],
        ["deploy", "--help"],
        ["create", "--help"],
        ["tokens", "--help"],
    ],
)
def test_help_and_version_do_not_import_heavy_modules(args):
    modules = _modules_after(args)
    assert "slackctl" in modules
    loaded = sorted(m for m in HEAVY if m in modules)
    assert loaded == [], f"slackctl {' '.join(args)} imported {loaded}"


def test_version_does_not_even_import_typer():
    assert "typer" not in _modules_after(["--version"])
