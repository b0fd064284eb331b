"""A Run-on-Slack app (function_runtime: slack) with a `tasks` datastore, installed in the shared emulator, and the
environment that points `slackctl datastore` at it with the app's bot token."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import register_secret

TASKS = {
    "display_information": {"name": "Tasks"},
    "features": {"bot_user": {"display_name": "tasks"}},
    "oauth_config": {"scopes": {"bot": ["datastore:read", "datastore:write"]}},
    "settings": {"function_runtime": "slack"},
    "datastores": {
        "tasks": {
            "primary_key": "id",
            "attributes": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "string"},
                "points": {"type": "integer"},
            },
        }
    },
}


def install(emulator: Any, manifest: dict[str, Any]) -> dict[str, Any]:
    from slackctl.emulator.world import appinstall

    app = appinstall.install_manifest(emulator, manifest)
    register_secret(app["bot_token"], app["client_secret"], app["signing_secret"])
    return app


@pytest.fixture
def tasks_app(emulator: Any) -> dict[str, Any]:
    return install(emulator, TASKS)


@pytest.fixture
def ds_env(slackctl_env: dict[str, str], tasks_app: dict[str, Any]) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": tasks_app["bot_token"]}


def stored(emulator: Any, app: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The tasks datastore as the emulator holds it."""
    with emulator.world.lock:
        return dict(emulator.world.datastores.get(app["app_id"], {}).get("tasks", {}))
