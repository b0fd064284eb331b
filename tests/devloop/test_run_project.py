"""`slackctl run` against "Slack" (the shared emulator standing in for it): what it starts, with which tokens,
and the manifest deployed to dev first when it changed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from slackctl.core.project import Project
from slackctl.devloop import project_run as pr
from slackctl.errors import UsageError
from tests.cli.commands.deploy.helpers import MANIFEST, config_login, make_project, the_app, writes

# The app proves what it got without printing a secret: sha256 of each variable (or "-" when unset).
SHOW_ENV = (
    f"{sys.executable} -c \"import hashlib,os;print(' '.join(hashlib.sha256(os.environ[k].encode())"
    ".hexdigest() if k in os.environ else '-' for k in ('SLACK_BOT_TOKEN','SLACK_APP_TOKEN',"
    "'SLACK_SIGNING_SECRET','FROM_DOTENV')))\""
)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app", hooks={"start": SHOW_ENV})
    monkeypatch.chdir(root)
    return root


def _record_install(app_id: str) -> None:
    """What an OAuth install of APP_ID (slackctl auth login) records on the active profile."""
    from slackctl.config import edit_config

    with edit_config() as config:
        config.profiles[config.active].app_id = app_id


def test_tokens_from_the_profile_reach_the_app_and_the_manifest_is_deployed_first(
    cli, run_slackctl, mint, project, emulator
) -> None:
    config_login(cli, mint)
    (project / ".env").write_text("FROM_DOTENV=yes\nSLACK_BOT_TOKEN=xoxb-stale-one-from-dotenv\n")
    first = run_slackctl("run", "--no-reload")  # creates the dev app; no profile is installed for it yet
    assert first.exit_code == 0, first.stderr
    assert writes(emulator) == ["apps.manifest.create"]  # created in the dev environment before the app started
    assert "deploying the manifest to the dev app" in first.stderr
    app_id = the_app(project)["app_id"]
    bot, app_token = mint("bot", app_id=app_id)["token"], mint("app", app_id=app_id)["token"]
    assert cli("auth", "login", "--with-token", input=bot).exit_code == 0
    assert cli("auth", "login", "--with-token", "--kind", "app", input=app_token).exit_code == 0
    _record_install(app_id)

    result = run_slackctl("run", "--no-reload")
    assert result.exit_code == 0, result.stderr
    assert "manifest is up to date" in result.stderr
    assert writes(emulator) == ["apps.manifest.create"]  # unchanged: nothing sent
    secret = emulator.world.apps[app_id]["signing_secret"]
    # The keyring's tokens win over .env; the dev app's signing secret comes from the deploy.
    assert result.stdout.split() == [_sha(bot), _sha(app_token), _sha(secret), _sha("yes")]

    changed = dict(MANIFEST, display_information={"name": "Renamed"})
    (project / "manifest.json").write_text(json.dumps(changed))
    third = run_slackctl("run", "--no-reload")
    assert third.exit_code == 0 and writes(emulator) == ["apps.manifest.create", "apps.manifest.update"]


def test_the_start_hook_never_gets_the_tokens_of_another_app(cli, run_slackctl, mint, project, emulator) -> None:
    """The profile holds another app's bot and app tokens (pasted, or installed for that app): the project's app
    gets neither, and the run says how to give it its own (issue 24 item 2)."""
    config_login(cli, mint)
    other = emulator.default_app["app_id"]
    assert cli("auth", "login", "--with-token", input=mint("bot", app_id=other)["token"]).exit_code == 0
    app_token = mint("app", app_id=other)["token"]
    assert cli("auth", "login", "--with-token", "--kind", "app", input=app_token).exit_code == 0
    refused = run_slackctl("run", "--no-reload")
    assert refused.exit_code == 4 and refused.stdout == ""
    assert "no profile is installed for it" in refused.stderr and "slackctl auth login" in refused.stderr
    _record_install(other)
    mine = run_slackctl("run", "--no-reload", env={"SLACK_BOT_TOKEN": "xoxb-from-the-environment"})
    assert mine.exit_code == 0, mine.stderr
    assert mine.stdout.split()[:2] == [_sha("xoxb-from-the-environment"), "-"]


def test_the_environment_wins_over_the_keyring(cli, run_slackctl, mint, project) -> None:
    bot = mint("bot")["token"]
    assert cli("auth", "login", "--with-token", input=bot).exit_code == 0
    result = run_slackctl("run", "--no-reload", env={"SLACK_BOT_TOKEN": "xoxb-from-the-environment"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split()[0] == _sha("xoxb-from-the-environment")
    assert "not deploying the manifest" in result.stderr  # no configuration token: runs as it is


def test_without_any_bot_token_it_says_how_to_get_one(run_slackctl, project) -> None:
    result = run_slackctl("run", "--no-reload")
    assert result.exit_code == 4
    assert "slackctl auth login" in result.stderr and "--emulator" in result.stderr


def test_the_apps_exit_status_is_passed_on_with_no_reload(cli, run_slackctl, mint, tmp_path, monkeypatch) -> None:
    root = make_project(tmp_path / "failing", hooks={"start": "exit 9"})
    monkeypatch.chdir(root)
    assert run_slackctl("run", "--no-reload", env={"SLACK_BOT_TOKEN": mint("bot")["token"]}).exit_code == 9


def test_the_loop_runs_on_a_core_session_with_callbacks_and_no_cli(slackctl_env, tmp_path, monkeypatch) -> None:
    """devloop/ is typed against core.session.Session: a program (not the CLI) runs it, hearing progress and the
    emulator's URL through the callbacks it passes; nothing is printed."""
    from slackctl.core.session import Session
    from slackctl.devloop.run import run_project

    root = make_project(tmp_path / "lib-user", hooks={"start": "exit 7"})
    monkeypatch.chdir(root)
    reports: list[str] = []
    urls: list[str] = []
    status = run_project(Session(), emulator=True, reload=False, report=reports.append, on_url=urls.append)
    assert status == 7
    (url,) = urls
    assert url.startswith("http://127.0.0.1:")
    assert any(line.startswith(f"emulator at {url}: app ") for line in reports), reports
    assert any(line.startswith("starting ") and line.endswith("(no reload)") for line in reports), reports


def test_start_command_prefers_the_hook_then_app_py_then_a_package(tmp_path) -> None:
    root = make_project(tmp_path / "p")
    project = Project(root)
    (root / "pkg").mkdir()
    (root / "pkg" / "__main__.py").write_text("")
    assert pr.start_command(project).argv[1:] == ["-m", "pkg"]
    (root / "app.py").write_text("")
    assert pr.start_command(project).argv[1:] == ["app.py"]
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / "bin" / "python").symlink_to(sys.executable)
    assert pr.start_command(project).argv == [str(root / ".venv" / "bin" / "python"), "app.py"]
    (root / ".slack").mkdir()
    (root / ".slack" / "hooks.json").write_text(json.dumps({"hooks": {"start": "node app.js"}}))
    assert pr.start_command(project).argv == ["/bin/sh", "-c", "node app.js"]


def test_nothing_to_run_is_a_usage_error_naming_the_hook(tmp_path) -> None:
    with pytest.raises(UsageError) as exc:
        pr.start_command(Project(make_project(tmp_path / "empty")))
    assert "start" in (exc.value.hint or "")


def test_dotenv_is_read_like_slack_clis(tmp_path) -> None:
    root = make_project(tmp_path / "p")
    (root / ".env").write_text("# tokens\nexport A=1\nB='two words'\nC=\"3\"\nD=4 # note\n\nE=\n")
    assert pr.read_dotenv(Project(root)) == {"A": "1", "B": "two words", "C": "3", "D": "4", "E": ""}
    (root / ".env").write_text("not a pair\n")
    with pytest.raises(UsageError, match=r"\.env:1"):
        pr.read_dotenv(Project(root))


def test_manifest_paths_are_the_manifest_and_slack_settings(tmp_path) -> None:
    root = make_project(tmp_path / "p")
    assert Project(root).is_manifest_path(str(root / "manifest.json"))
    assert not Project(root).is_manifest_path(str(root / "app.py"))


# ---- the app's Python (issue 23 item 12) -------------------------------------------------------------------------
def _fake_python(prefix: Path) -> str:
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "python").symlink_to(sys.executable)
    return str(prefix / "bin" / "python")


def test_the_interpreter_is_the_venv_then_the_active_environment_then_python3_on_path(tmp_path) -> None:
    project = Project(make_project(tmp_path / "p"))
    venv, conda = _fake_python(tmp_path / "venv"), _fake_python(tmp_path / "conda")
    path_dir = tmp_path / "path-bin"
    path_dir.mkdir()
    (path_dir / "python3").symlink_to(sys.executable)
    env = {"PATH": str(path_dir), "VIRTUAL_ENV": str(tmp_path / "venv"), "CONDA_PREFIX": str(tmp_path / "conda")}
    assert pr.python_for(project, env) == pr.Interpreter(venv, "$VIRTUAL_ENV")
    assert pr.python_for(project, {**env, "VIRTUAL_ENV": ""}) == pr.Interpreter(conda, "$CONDA_PREFIX")
    # Neither: the python3 on PATH (a pyenv or --user install has the app's packages), not slackctl's own.
    assert pr.python_for(project, {"PATH": str(path_dir)}) == pr.Interpreter(
        str(path_dir / "python3"), "the python3 on PATH"
    )
    own = _fake_python(project.root / ".venv")
    assert pr.python_for(project, env) == pr.Interpreter(own, "the project's .venv")


def _bare_python(where: Path) -> Path:
    """A virtual environment with no packages (not even pip): the `python3` a user has on PATH."""
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(where)], check=True)
    return where / "bin"


def test_an_app_whose_imports_fail_gets_one_line_naming_the_python(
    cli, mint, tmp_path, monkeypatch, slackctl_env
) -> None:
    root = make_project(tmp_path / "starter")
    (root / "app.py").write_text("import listeners\nfrom slack_bolt import App\nprint('imported')\n")
    (root / "listeners.py").write_text("import json\nimport slack_sdk\n")  # found through the project's module
    monkeypatch.chdir(root)
    bare = _bare_python(tmp_path / "user-python")
    # The bot token in the environment: a profile's pasted token belongs to no known app and is not passed on.
    env = {
        **os.environ,
        **slackctl_env,
        "PATH": f"{bare}:{os.environ['PATH']}",
        "VIRTUAL_ENV": "",
        "CONDA_PREFIX": "",
        "SLACK_BOT_TOKEN": mint("bot")["token"],
    }
    # Not run_slackctl: the app's own traceback is expected on stderr here.
    result = subprocess.run(
        [sys.executable, "-m", "slackctl", "run", "--no-reload"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "ModuleNotFoundError" in result.stderr  # the app's own error, as it printed it
    (line,) = [x for x in result.stderr.splitlines() if "the app cannot import" in x]
    assert f"slack_bolt, slack_sdk with {bare / 'python3'} (the python3 on PATH)" in line and ".venv" in line
    assert "listeners" not in line  # the project's own module is not a package to install


def test_a_socket_mode_app_without_an_app_token_gets_one_line_not_a_keyerror(
    cli, run_slackctl, mint, tmp_path, monkeypatch
) -> None:
    root = make_project(tmp_path / "socket", manifest=dict(MANIFEST, settings={"socket_mode_enabled": True}))
    (root / "app.py").write_text("import os\nos.environ['SLACK_APP_TOKEN']\n")
    monkeypatch.chdir(root)
    result = run_slackctl("run", "--no-reload", env={"SLACK_APP_TOKEN": "", "SLACK_BOT_TOKEN": mint("bot")["token"]})
    assert result.exit_code == 4
    assert "KeyError" not in result.stderr and "Traceback" not in result.stderr
    assert "Socket Mode" in result.stderr and "slackctl auth login --with-token --kind app" in result.stderr
    assert "--emulator" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # "not deploying …" and the error


def test_ctrl_c_stops_a_python_app_without_its_keyboardinterrupt_traceback(
    cli, mint, tmp_path, monkeypatch, slackctl_env
) -> None:
    root = make_project(tmp_path / "loop")
    (root / "app.py").write_text("import time\nprint('up', flush=True)\nwhile True:\n    time.sleep(0.1)\n")
    monkeypatch.chdir(root)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "run"],
        cwd=root,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **slackctl_env, "SLACK_BOT_TOKEN": mint("bot")["token"]},
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "up\n"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "KeyboardInterrupt" not in err and "Traceback" not in err, err
