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


def _record_install(app_id: str) -> None:
    """What an OAuth install of APP_ID (slackctl auth login) records on the active profile."""
    from slackctl.config import edit_config

    with edit_config() as config:
        config.profiles[config.active].app_id = app_id


def test_tokens_from_the_profile_reach_the_app_and_the_manifest_is_deployed_first(cli, run_slackctl, mint,
                                                                                  project, emulator) -> None:
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


def test_the_watch_filter_ignores_environments_caches_and_deploy_records(tmp_path) -> None:
    from watchfiles import Change

    root = make_project(tmp_path / "p")
    flt = pr.watch_filter(Project(root))
    assert flt(Change.modified, str(root / "listeners.py"))
    assert flt(Change.modified, str(root / "manifest.json"))
    for ignored in (".venv/lib/x.py", ".git/index", "__pycache__/a.pyc", ".slack/apps.json", ".ruff_cache/x",
                    "node_modules/a/index.js"):
        assert not flt(Change.modified, str(root / ignored)), ignored
    assert pr.is_manifest_path(Project(root), str(root / "manifest.json"))
    assert not pr.is_manifest_path(Project(root), str(root / "app.py"))
