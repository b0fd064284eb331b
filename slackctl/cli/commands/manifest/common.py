"""Helpers shared by the `slackctl manifest` verbs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slackctl.cli.context import Context


def deployed_manifest(c: Context, env: str, app_id: str | None) -> tuple[str, dict]:
    """(app id, manifest as Slack has it) of `app_id`, or of the project's app for `env`."""
    from slackctl.core import deploy as dp
    from slackctl.core.project import check_env_name, find_project
    from slackctl.errors import UsageError

    check_env_name(env)
    project = find_project() if app_id is None else None
    target = dp.config_target(c, project, env)  # type: ignore[arg-type]
    if app_id is None:
        assert project is not None
        record = project.app(env, target.team_id)
        if record is None:
            raise UsageError(
                f"the {env} app has not been deployed to {target.profile.team_name or target.team_id} yet",
                f"deploy it: slackctl deploy --env {env}",
            )
        app_id = record.app_id
    with c.client(target.token, profile=target.profile) as client:
        return app_id, dp.export_manifest(client, target.token, app_id)
