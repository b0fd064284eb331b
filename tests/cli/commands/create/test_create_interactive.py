"""`slackctl create` at a terminal (pexpect drives questionary in a pseudo-terminal) and interrupted creates."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.core.scaffold.helpers import write_tree

DOWN, ENTER, CTRL_C, CLEAR_LINE = "\x1b[B", "\r", "\x03", "\x15"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "CI"}
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("")
    base.update(
        {
            "SLACKCTL_CONFIG_DIR": str(tmp_path / "config"),
            "NO_COLOR": "1",
            "TERM": "xterm",
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    return base


def spawn(args: list[str], work: Path, env: dict[str, str]) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "slackctl", *args],
        cwd=str(work),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)


def test_menu_then_name_description_and_template_questions(work: Path, env: dict[str, str]):
    child = spawn(["create", "--no-install"], work, env)
    child.expect("Template")
    child.expect("bolt-python-http")  # the menu shows every template with its description
    child.send(DOWN + DOWN + DOWN + ENTER)  # bolt-python, bolt-js, bolt-python-custom-step, [bolt-python-http]
    child.expect("App name")
    child.send(CLEAR_LINE + "pty-app" + ENTER)
    child.expect("Description")
    child.send("Made at a terminal" + ENTER)
    child.expect("Public HTTPS URL")
    child.send(CLEAR_LINE + "https://pty.example.org" + ENTER)
    assert finish(child) == 0, child.before
    project = work / "pty-app"
    manifest = json.loads((project / "manifest.json").read_text())
    assert manifest["display_information"] == {"name": "pty-app", "description": "Made at a terminal"}
    assert manifest["settings"]["event_subscriptions"]["request_url"] == "https://pty.example.org/slack/events"
    assert (project / ".git").is_dir()


@pytest.mark.parametrize("stop_at", ["Template", "App name"])
def test_ctrl_c_at_a_question_exits_130_and_leaves_nothing(work: Path, env: dict[str, str], stop_at: str):
    child = spawn(["create", "--no-install"], work, env)
    child.expect("Template")
    if stop_at == "App name":
        child.send(ENTER)
        child.expect("App name")
    child.send(CTRL_C)
    child.expect("interrupted: nothing was created")
    assert finish(child) == 130
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("answer, code", [("y", 0), ("n", 2)])
def test_untrusted_template_asks_for_confirmation_at_a_terminal(
    work: Path, env: dict[str, str], tmp_path: Path, answer: str, code: int
):
    template = write_tree(tmp_path / "tpl", {"README.md": "plain\n"})
    child = spawn(["create", "app", "-t", str(template), "--no-install", "--no-git"], work, env)
    child.expect("not a trusted template source")
    child.send(answer)
    assert finish(child) == code
    assert (work / "app" / "README.md").exists() is (code == 0)
    if code:
        assert "--trust" in child.before and list(work.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_during_install_removes_the_project(work: Path, env: dict[str, str], tmp_path: Path, sig: int):
    # An index that accepts the connection and never answers: pip blocks there, mid-install.
    with socket.socket() as index:
        index.bind(("127.0.0.1", 0))
        index.listen(8)
        index.settimeout(90)
        port = index.getsockname()[1]
        template = write_tree(
            tmp_path / "tpl",
            {
                "slackctl-template.toml": "",
                "requirements.txt": f"--index-url http://127.0.0.1:{port}/simple/\nslackctl-blocking-test-package\n",
            },
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "slackctl", "create", "app", "-t", str(template), "--trust"],
            cwd=work,
            env={**env, "PIP_FIND_LINKS": "", "PIP_CONFIG_FILE": os.devnull},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            conn, _ = index.accept()  # pip is now waiting on us
            with conn:
                assert (work / "app" / ".venv").is_dir()
                proc.send_signal(sig)
                out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 130, err
    assert "interrupted: nothing was created" in err and "Traceback" not in err
    assert out == ""
    assert list(work.iterdir()) == []  # neither the project nor a staging folder is left


def test_the_name_question_refuses_a_taken_folder_while_typing(work: Path, env: dict[str, str]):
    (work / "taken").mkdir()
    (work / "taken" / "file.txt").write_text("mine")
    child = spawn(["create", "-t", "bolt-python", "--no-install", "--no-git"], work, env)
    child.expect("App name")
    child.send(CLEAR_LINE + "taken" + ENTER)
    child.expect("already exists and is not empty")
    child.send("\x08" * 5 + "fresh" + ENTER)
    child.expect("Description")
    child.send(ENTER)
    assert finish(child) == 0
    assert sorted(p.name for p in work.iterdir()) == ["fresh", "taken"]
    assert (
        json.loads((work / "fresh" / "manifest.json").read_text())["display_information"]["description"]
        == "A Slack app that answers mentions and /hello"
    )


# -- issue 23 item 17 ---------------------------------------------------------------------------------------------
def test_the_app_name_is_typed_not_appended_to_a_prefilled_default(work: Path, env: dict[str, str]):
    child = spawn(["create", "--template", "bolt-python", "--no-install", "--no-git"], work, env)
    child.expect("App name")
    child.expect("my-slack-app")  # the default is shown...
    child.send("typed-app" + ENTER)  # ...but what is typed replaces it (no Ctrl-U needed)
    child.expect("Description")
    child.send(ENTER)
    assert finish(child) == 0, child.before
    assert [p.name for p in work.iterdir()] == ["typed-app"]


def test_an_empty_app_name_takes_the_default(work: Path, env: dict[str, str]):
    child = spawn(["create", "--template", "bolt-python", "--no-install", "--no-git"], work, env)
    child.expect("App name")
    child.send(ENTER)
    child.expect("Description")
    child.send(ENTER)
    assert finish(child) == 0, child.before
    assert [p.name for p in work.iterdir()] == ["my-slack-app"]


def test_create_inside_a_project_asks_first(work: Path, env: dict[str, str]):
    (work / "outer").mkdir()
    (work / "outer" / "manifest.json").write_text("{}")
    child = spawn(["create", "inner", "--template", "bolt-python", "--no-install", "--no-git"], work / "outer", env)
    child.expect("is inside the app project")
    child.send("n")
    assert finish(child) == 2
    assert not (work / "outer" / "inner").exists()
