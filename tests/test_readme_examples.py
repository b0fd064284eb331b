"""The runnable examples of the README and of the manual (each fenced block after a `<!-- runnable -->` line in
README.md or docs/**/*.md) run against the emulator and exit 0, so neither can drift from what slackctl does
(issues 19 and 25)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import assert_no_secrets, register_secret

ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- runnable -->"
# Lines that print a secret on purpose (documented as such).
PRINTS_SECRETS = ("slackctl auth token", "slackctl tokens export")


def runnable_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line number, commands) of every fenced block right after the marker. In `console` blocks the commands are
    the `$ ` lines; in `sh` blocks every line that is not a comment."""
    lines = text.splitlines()
    blocks: list[tuple[int, list[str]]] = []
    for i, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        fence = lines[i + 1]
        assert fence.startswith("```"), f"line {i + 2}: {MARKER} must be followed by a fenced block"
        console = fence.strip() == "```console"
        commands: list[str] = []
        for body in lines[i + 2 :]:
            if body.startswith("```"):
                break
            if console:
                if body.startswith("$ "):
                    commands.append(body[2:])
            elif body.strip() and not body.lstrip().startswith("#"):
                commands.append(body)
        blocks.append((i + 1, commands))
    return blocks


# Pages whose examples need files the page itself shows first: their own test writes those files and runs them.
OWN_RUNNER = {"workflows.md": "tests/docs/test_workflows_guide.py"}


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").rglob("*.md") if p.name not in OWN_RUNNER)]


def all_blocks() -> list[tuple[str, int, list[str]]]:
    return [
        (str(path.relative_to(ROOT)), line, commands)
        for path in documents()
        for line, commands in runnable_blocks(path.read_text(encoding="utf-8"))
    ]


def test_the_readme_and_the_manual_have_runnable_blocks_and_each_names_slackctl():
    blocks = all_blocks()
    assert any(name == "README.md" for name, _, _ in blocks)  # the README's Web API path
    assert {"docs/auth.md", "docs/api.md"} <= {name for name, _, _ in blocks}
    assert len(blocks) >= 5
    assert all(cmds and all("slackctl" in c for c in cmds) for _, _, cmds in blocks)


def test_the_marker_parser_reads_console_and_sh_blocks():
    text = "\n".join(
        [
            MARKER,
            "```console",
            "$ slackctl a",
            "output",
            "```",
            "x",
            MARKER,
            "```sh",
            "# comment",
            "slackctl b   # note",
            "```",
        ]
    )
    assert runnable_blocks(text) == [(1, ["slackctl a"]), (7, ["slackctl b   # note"])]


# `tokens export --format dotenv > .env` writes secrets to a file on purpose.
PARAMS = [
    pytest.param(
        f"{name} line {n}",
        cmds,
        id=f"{name} line {n}",
        marks=[pytest.mark.secrets_in_files] if any("> .env" in c for c in cmds) else [],
    )
    for name, n, cmds in all_blocks()
]


@pytest.mark.parametrize(("line", "commands"), PARAMS)
def test_runnable_readme_example(line, commands, slackctl_env, emulator, mint, tmp_path):
    bot, user = mint("bot")["token"], mint("user")["token"]
    app = mint("app")["token"]
    config = mint("config")
    register_secret(app)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    # What a reader has done before: logged in as profile acme (active) with a bot and a user token, and as beta.
    for profile, token in (("acme", bot), ("acme", user), ("beta", mint("bot")["token"])):
        done = subprocess.run(
            [sys.executable, "-m", "slackctl", "auth", "login", "--with-token", "-p", profile],
            input=token,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    # The variables the examples name, as shell variables (not exported: an exported SLACK_BOT_TOKEN would win
    # over the stored profiles and change what the examples show).
    variables = {
        "SLACK_BOT_TOKEN": bot,
        "APP_TOKEN": app,
        "CONFIG_TOKEN": config["token"],
        "CONFIG_REFRESH": config["refresh_token"],
        "REFRESH_TOKEN": config["refresh_token"],
    }
    prelude = "".join(f"{name}={shlex.quote(value)}\n" for name, value in variables.items())
    for command in commands:
        proc = subprocess.run(
            ["bash", "-c", "set -eo pipefail\n" + prelude + command],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, f"{line}: `{command}` exited {proc.returncode}:\n{proc.stderr}"
        assert "Traceback" not in proc.stderr
        if not any(p in command for p in PRINTS_SECRETS):
            assert_no_secrets(proc.stdout + proc.stderr, f"{line}: `{command}`")
