"""Golden trees of the built-in templates: exact files, key contents, valid manifests, passing offline tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slackctl.core.scaffold.build import CreateRequest, create_project
from slackctl.core.scaffold.discover import resolve_template

SLACK_SCHEMA = Path(__file__).resolve().parents[2] / "data" / "slack-manifest-schema"
COMMON = [
    ".env.example",
    ".gitignore",
    ".slack/.gitignore",
    ".slack/config.json",
    ".slack/hooks.json",
    "README.md",
    "app.py",
    "envfile.py",
    "manifest.json",
    "pytest.ini",
    "requirements.txt",
]
GOLDEN = {
    "bolt-python": sorted(
        [*COMMON, "listeners.py", "requirements-dev.txt", "tests/test_app.py", "tests/test_listeners.py"]
    ),
    "bolt-python-http": sorted(
        [
            *COMMON,
            "handlers.py",
            "requirements-dev.txt",
            "signing.py",
            "tests/test_app.py",
            "tests/test_handlers.py",
            "tests/test_signing.py",
        ]
    ),
    "bolt-python-custom-step": sorted(
        [*COMMON, "requirements-dev.txt", "steps.py", "tests/test_app.py", "tests/test_steps.py"]
    ),
}
ENV_VARS = {
    "bolt-python": {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"},
    "bolt-python-http": {"SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_BOT_TOKEN", "PORT"},
    "bolt-python-custom-step": {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"},
}
# Modules holding the app's logic: they must run (and be tested) without slack_bolt installed.
LOGIC = {
    "bolt-python": ["listeners.py", "envfile.py"],
    "bolt-python-http": ["handlers.py", "signing.py", "envfile.py"],
    "bolt-python-custom-step": ["steps.py", "envfile.py"],
}


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("golden")
    made = {}
    for name in GOLDEN:
        request = CreateRequest(
            target=base / f"{name}-app",
            app_name=f"{name}-app",
            source=resolve_template(name),
            description="Golden test app",
            git=False,
            install=False,
        )
        made[name] = create_project(request).path
    return made


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_golden_file_list(projects: dict[str, Path], template: str):
    assert tree(projects[template]) == GOLDEN[template]


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_no_placeholder_is_left_unrendered(projects: dict[str, Path], template: str):
    for rel in GOLDEN[template]:
        text = (projects[template] / rel).read_text(encoding="utf-8")
        assert "{{ " not in text, rel


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_manifest_names_the_app_and_uses_the_auth_login_redirect(projects: dict[str, Path], template: str):
    manifest = json.loads((projects[template] / "manifest.json").read_text())
    assert manifest["display_information"] == {"name": f"{template}-app", "description": "Golden test app"}
    assert manifest["features"]["bot_user"]["display_name"] == f"{template}-app"
    # Bot scopes cannot use PKCE's http://localhost redirect: the confidential-client one is registered.
    assert "https://localhost:8766/callback" in manifest["oauth_config"]["redirect_urls"]
    assert "pkce_enabled" not in manifest["oauth_config"]
    assert manifest["oauth_config"]["scopes"]["bot"]
    assert "settings" in manifest


def test_socket_mode_templates_need_an_app_token_and_http_one_does_not(projects: dict[str, Path]):
    for name, socket in (("bolt-python", True), ("bolt-python-custom-step", True), ("bolt-python-http", False)):
        manifest = json.loads((projects[name] / "manifest.json").read_text())
        assert manifest["settings"]["socket_mode_enabled"] is socket
        assert ("SLACK_APP_TOKEN" in (projects[name] / "app.py").read_text()) is socket


def test_http_template_points_slack_at_the_public_url(projects: dict[str, Path]):
    manifest = json.loads((projects["bolt-python-http"] / "manifest.json").read_text())
    assert manifest["settings"]["event_subscriptions"]["request_url"] == "https://example.com/slack/events"
    assert "https://example.com/slack/oauth_redirect" in manifest["oauth_config"]["redirect_urls"]


def test_custom_step_template_declares_a_remote_function(projects: dict[str, Path]):
    manifest = json.loads((projects["bolt-python-custom-step"] / "manifest.json").read_text())
    assert manifest["settings"]["function_runtime"] == "remote"
    assert "function_executed" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "app.function(steps.CALLBACK_ID)" in (projects["bolt-python-custom-step"] / "app.py").read_text()
    assert list(manifest["functions"]) == ["greet_user"]


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_env_example_names_the_variables_the_app_reads(projects: dict[str, Path], template: str):
    root = projects[template]
    names = {
        line.split("=", 1)[0]
        for line in (root / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert names == ENV_VARS[template]
    code = (root / "app.py").read_text()
    for var in names - {"PORT", "SLACK_BOT_TOKEN"}:
        assert var in code


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_gitignore_keeps_secrets_out(projects: dict[str, Path], template: str):
    lines = (projects[template] / ".gitignore").read_text().splitlines()
    assert ".env" in lines and "!.env.example" in lines and ".venv/" in lines
    assert (projects[template] / ".slack" / ".gitignore").read_text() == "apps.dev.json\n"


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_slack_cli_project_config(projects: dict[str, Path], template: str):
    import uuid

    config = json.loads((projects[template] / ".slack" / "config.json").read_text())
    assert set(config) == {"project_id", "manifest"} and config["manifest"] == {"source": "local"}
    assert uuid.UUID(config["project_id"]).version == 4


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_slack_cli_hooks_file_runs_the_app_with_an_sdk_managed_connection(projects: dict[str, Path], template: str):
    """Slack's CLI refuses a folder without .slack/hooks.json (invalid_app_directory) and runs its start hook."""
    from slackctl.core import hookprotocol as hp

    data = json.loads((projects[template] / ".slack" / "hooks.json").read_text())
    assert set(data) <= {"hooks", "config", "runtime"} and all(isinstance(v, str) for v in data["hooks"].values())
    config = hp.parse_config(data, "hooks.json")
    assert config.hook("start") == "python3 app.py" and config.runtime == "python"
    assert config.sdk_managed_connection and config.watch_app == hp.Watch((".",), "\\.py$")


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_logic_modules_do_not_import_bolt(projects: dict[str, Path], template: str):
    for rel in LOGIC[template]:
        assert "slack_bolt" not in (projects[template] / rel).read_text(), rel
    assert "slack_bolt" in (projects[template] / "app.py").read_text()


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_generated_project_tests_pass_offline(projects: dict[str, Path], template: str):
    # This interpreter has slack_bolt and slackctl; the plugin is named, as the project's venv loads it by entry point.
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "slackctl.testing"],
        cwd=projects[template],
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " passed" in proc.stdout and "skipped" not in proc.stdout


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_manifest_is_valid_against_the_schema(projects: dict[str, Path], template: str):
    manifest = json.loads((projects[template] / "manifest.json").read_text())
    from slackctl.slack.manifest import validate_manifest

    assert validate_manifest(manifest) == []
    # And against Slack's own published schema (tests/data, copied with its licence).
    import jsonschema

    version = manifest.get("_metadata", {}).get("major_version", 1)
    schema = json.loads((SLACK_SCHEMA / f"manifest.schema.{version}.0.0.json").read_text())
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(manifest))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("template", sorted(GOLDEN))
def test_manifest_passes_apps_manifest_validate_on_the_emulator(
    projects: dict[str, Path], template: str, emulator, mint
):
    import httpx

    manifest = json.loads((projects[template] / "manifest.json").read_text())
    token = mint("config")["token"]
    resp = httpx.post(
        f"{emulator.url}/api/apps.manifest.validate",
        json={"manifest": manifest},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    body = resp.json()
    assert body.get("ok") is True, body
    # The same call with a broken manifest must fail: the check above is not vacuous.
    broken = {**manifest, "display_information": {}}
    resp = httpx.post(
        f"{emulator.url}/api/apps.manifest.validate",
        json={"manifest": broken},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert resp.json().get("ok") is False
