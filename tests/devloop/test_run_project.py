"""`slackctl run` against "Slack" (the shared emulator standing in for it): what it starts, with which tokens,
and the manifest deployed to dev first when it changed."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from slackctl.core.project import Project
from slackctl.devloop import project_run as pr
from slackctl.errors import UsageError
from tests.cli.commands.deploy.helpers import MANIFEST, config_login, make_project, the_app, writes

# The app proves what it got without printing a secret: sha256 of each variable (or "-" when unset).
SHOW_ENV = (f"{sys.executable} -c \"import hashlib,os;print(' '.join(hashlib.sha256(os.environ[k].encode())"
            ".hexdigest() if k in os.environ else '-' for k in ('SLACK_BOT_TOKEN','SLACK_APP_TOKEN',"
            "'SLACK_SIGNING_SECRET','FROM_DOTENV')))\"")


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "my-app", hooks={"start": SHOW_ENV})
    monkeypatch.chdir(root)
    return root


def test_tokens_from_the_profile_reach_the_app_and_the_manifest_is_deployed_first(cli, run_slackctl, mint,
                                                                                  project, emulator) -> None:
    config_login(cli, mint)
    bot, app_token = mint("bot")["token"], mint("app")["token"]
    assert cli("auth", "login", "--with-token", input=bot).exit_code == 0
    assert cli("auth", "login", "--with-token", "--kind", "app", input=app_token).exit_code == 0
    (project / ".env").write_text("FROM_DOTENV=yes\nSLACK_BOT_TOKEN=xoxb-stale-one-from-dotenv\n")

    result = run_slackctl("run", "--no-reload")
    assert result.exit_code == 0, result.stderr
    app_id = the_app(project)["app_id"]  # created in the dev environment before the app started
    assert writes(emulator) == ["apps.manifest.create"]
    secret = emulator.world.apps[app_id]["signing_secret"]
    # The keyring's tokens win over .env; the dev app's signing secret comes from the deploy.
    assert result.stdout.split() == [_sha(bot), _sha(app_token), _sha(secret), _sha("yes")]
    assert "deploying the manifest to the dev app" in result.stderr

    again = run_slackctl("run", "--no-reload")
    assert again.exit_code == 0 and "manifest is up to date" in again.stderr
    assert writes(emulator) == ["apps.manifest.create"]  # unchanged: nothing sent

    changed = dict(MANIFEST, display_information={"name": "Renamed"})
    (project / "manifest.json").write_text(json.dumps(changed))
    third = run_slackctl("run", "--no-reload")
    assert third.exit_code == 0 and writes(emulator) == ["apps.manifest.create", "apps.manifest.update"]


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
    assert cli("auth", "login", "--with-token", input=mint("bot")["token"]).exit_code == 0
    assert run_slackctl("run", "--no-reload").exit_code == 9


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
    assert pr.is_manifest_path(Project(root), str(root / "manifest.json"))
    assert not pr.is_manifest_path(Project(root), str(root / "app.py"))
