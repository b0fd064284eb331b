"""`slackctl run`: the local development loop in a project, against Slack (the dev environment's app) or an
emulator started in this process. Typed against the core's Session (config, credentials, clients) and told
everything else as parameters; reports progress through `report` and never prints or reads CLI options."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from slackctl import settings
from slackctl.core.project import Project, find_project, stored_app_credentials
from slackctl.devloop import project_run as pr
from slackctl.devloop.ignore import Ignore
from slackctl.devloop.reload import Loop
from slackctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    from slackctl.core.session import Session
    from slackctl.emulator import Emulator


Report = Callable[[str], None]
# What the loop is given for either target: the app's environment (asked at each start) and what to do when files
# change (a manifest change redeploys or reinstalls).
Environment = Callable[[], dict[str, str]]
OnChanges = Callable[[set[str]], None]


def run_project(
    session: Session,
    *,
    env: str = settings.DEFAULT_DEPLOY_ENV,
    emulator: bool = False,
    reload: bool = True,
    app_path: str | None = None,
    report: Report,
    on_url: Callable[[str], None],
    on_loop: Callable[[Loop], None] = lambda loop: None,
) -> int:
    """Run the project's app until it (with reload=False) or the loop stops; the exit code. ENV names the
    environment whose app it runs (deployed first when its manifest changed); EMULATOR starts one here instead."""
    from slackctl.core.project import check_env_name

    check_env_name(env)
    project = find_project()
    if app_path is not None and not (project.root / app_path).is_file():
        raise UsageError(
            f"no file {app_path} in {project.root}",
            "pass the app's entry point, relative to the project (e.g. src/app.py)",
        )
    command = pr.start_command(project)
    with (
        _emulated(project, env, report, on_url) if emulator else _on_slack(session, project, env, report) as (
            environment,
            on_changes,
        )
    ):
        report(f"starting {command.description} in {project.root}" + ("" if reload else " (no reload)"))

        def start_environment() -> dict[str, str]:
            return pr.hook_environment(project, command, environment(), app_path)

        def on_exit(status: int) -> None:
            if status != 0:
                line = pr.import_failure_line(project, command)
                if line:
                    report(line)

        loop = Loop(
            project.root,
            command.argv,
            start_environment,
            report,
            on_changes=on_changes,
            ignore=Ignore(project),
            reload=reload,
            on_exit=on_exit,
        )
        on_loop(loop)
        return loop.run()


# ---- against Slack ------------------------------------------------------------------------------------------
@contextlib.contextmanager
def _on_slack(c: Session, project: Project, env: str, report: Report) -> Iterator[tuple[Environment, OnChanges]]:
    import urllib.parse

    from slackctl.emulator.exec.proxycerts import is_slack_host

    deploy_if_changed(c, project, env, report)
    tokens = slack_tokens(c, project, env)

    def on_changes(paths: set[str]) -> None:
        if any(project.is_manifest_path(p) for p in paths):
            deploy_if_changed(c, project, env, report)

    url = c.slack_url()
    if is_slack_host(urllib.parse.urlsplit(url).hostname or ""):
        yield (lambda: pr.app_environment(project, tokens)), on_changes
        return
    # --slack-url is an emulator started elsewhere: the app, written for slack.com, reaches it through the proxy.
    from slackctl.emulator.exec.intercept import SlackProxy

    with SlackProxy(url, upstream_ca=c.ca_bundle) as proxy:
        report(f"the app reaches {url} through slackctl's proxy (as under emulator exec)")

        def environment() -> dict[str, str]:
            env = proxy.child_environment(pr.app_environment(project, tokens))
            env[settings.ENV_SLACK_URL] = url
            return env

        yield environment, on_changes


def deploy_if_changed(c: Session, project: Project, env: str, report: Report) -> None:
    """Deploy the manifest to ENV's app when it differs from what is deployed (slackctl deploy's plan, diff and
    rollback; the deploy hook is not run). Without a configuration token there is nothing to deploy with."""
    from slackctl.core import deploy as dp

    try:
        target = dp.config_target(c, project, env)
    except AuthError as exc:
        report(f"not deploying the manifest ({exc.message}); the app runs with its current configuration")
        return
    with c.client(target.token, profile=target.profile) as client:
        plan = dp.make_plan(client, target)
        if plan.drifted:
            raise UsageError(
                f"the {env} app {plan.record.app_id if plan.record else ''} was changed outside "
                "slackctl since the last deploy",
                "review it with slackctl deploy --dry-run, then slackctl deploy --force to overwrite it",
            )
        if plan.remote_source:
            report(dp.remote_source_note(plan))
            return
        if not plan.changed:
            report(f"the {env} app's manifest is up to date")
            return
        report(f"deploying the manifest to the {env} app:\n{plan.diff.rstrip()}")
        outcome = dp.apply_plan(c, client, plan)
        verb = "created" if outcome.created else "updated"
        report(
            f"{verb} the {env} app {outcome.record.app_id}"
            + ("; its scopes changed: reinstall it (slackctl auth login)" if outcome.permissions_updated else "")
        )


def slack_tokens(c: Session, project: Project, env: str) -> dict[str, str]:
    """SLACK_BOT_TOKEN / SLACK_APP_TOKEN of the profile installed for the project's ENV app (by app id: the
    deploy hook's rule, core/hooks.py) and that app's signing secret; never another app's tokens."""
    from slackctl.core.hooks import app_tokens
    from slackctl.core.project import pick_app

    record = pick_app(c, project, env)
    tokens = app_tokens(c, record.app_id, record.team_id) if record is not None else {}
    creds = stored_app_credentials(c, project.root, env)
    if creds and creds.get("signing_secret"):
        tokens[settings.ENV_SIGNING_SECRET] = creds["signing_secret"]
    dotenv = pr.read_dotenv(project)
    have = {**dotenv, **tokens, **os.environ}
    if not have.get(settings.ENV_BOT_TOKEN):
        app = f"the {env} app {record.app_id}" if record is not None else f"the project's {env} app"
        raise AuthError(
            f"no bot token for {app}: no profile is installed for it, and none is in the environment "
            "or .env (a profile's tokens of another app are never given to the app)",
            "install it and log in through it: slackctl auth login (in the project), or put its "
            f"{settings.ENV_BOT_TOKEN} in .env (or try it offline: slackctl run --emulator)",
        )
    if _uses_socket_mode(project) and not have.get(settings.ENV_APP_TOKEN):
        # Checked here, or the app dies on os.environ["SLACK_APP_TOKEN"] with a KeyError traceback.
        raise AuthError(
            "the app uses Socket Mode and has no app-level token (xapp-…): none stored for the "
            "profile installed for it, none in the environment or .env",
            "create one with connections:write on the app's Basic Information page, then store it in "
            "that profile: slackctl auth login --with-token --kind app (or put SLACK_APP_TOKEN in .env; "
            "or try it offline: slackctl run --emulator)",
        )
    return tokens


def _uses_socket_mode(project: Project) -> bool:
    if not project.has_manifest():
        return False
    try:
        settings_block = project.manifest.get("settings")
    except UsageError:
        return False  # an unreadable manifest is the deploy's to report
    return isinstance(settings_block, dict) and settings_block.get("socket_mode_enabled") is True


# ---- against an emulator in this process ----------------------------------------------------------------------
@contextlib.contextmanager
def _emulated(
    project: Project, env: str, report: Report, on_url: Callable[[str], None]
) -> Iterator[tuple[Environment, OnChanges]]:
    from slackctl.core import deploy as dp
    from slackctl.devloop.emulated import find_app
    from slackctl.devloop.exec import app_environment
    from slackctl.emulator import Emulator
    from slackctl.emulator.exec.intercept import ProxyEvent, SlackProxy
    from slackctl.slack.manifest import manifest_hash, strip_editor_keys

    manifest = strip_editor_keys(dp.local_manifest(project, env).data)
    emu = Emulator(port=0, manifests=[manifest], auto_approve=True)
    emu.start()
    proxy: SlackProxy | None = None
    try:
        on_url(emu.url)
        installed = [a for a in emu.apps() if a.get("app_id") != emu.default_app["app_id"]]
        app = find_app(emu.url, installed[0]["app_id"] if installed else None)
        bot_user = next((a["bot_user_id"] for a in emu.apps() if a["app_id"] == app.app_id), "?")
        report(
            f"emulator at {emu.url}: app {app.app_id} ({app.name}, bot user {bot_user}) installed from the "
            f"manifest; drive it with --slack-url {emu.url}; a config token: "
            f"slackctl emulator token --kind config --slack-url {emu.url}"
        )

        def on_event(event: ProxyEvent) -> None:
            if event.kind == "refused":
                report(f"proxy: {event.host}:{event.port} is not Slack and cannot be reached ({event.detail})")
            elif event.kind == "denied":
                report(f"proxy: refused a request from {event.host}:{event.port} without the proxy's credential")

        proxy = SlackProxy(emu.url, on_event=on_event).start()
        state = {"hash": manifest_hash(manifest)}

        def environment() -> dict[str, str]:
            assert proxy is not None
            child = app_environment(pr.app_environment(project, {}), proxy, app, emu.url)
            child["SLACK_API_URL"] = f"{emu.url}/api/"  # read by Slack's JS samples (Bolt's clientOptions)
            return child

        def on_changes(paths: set[str]) -> None:
            if not any(project.is_manifest_path(p) for p in paths):
                return
            try:
                fresh = strip_editor_keys(dp.local_manifest(project, env).data)
            except UsageError as exc:
                report(f"the manifest is invalid, keeping the installed one: {exc.message}")
                for problem in getattr(exc, "problems", []):
                    report(f"  {problem}")
                return
            if manifest_hash(fresh) != state["hash"]:
                _reinstall(emu, app.app_id, fresh)
                state["hash"] = manifest_hash(fresh)
                report(f"reinstalled {app.app_id} in the emulator from the changed manifest")

        yield environment, on_changes
    finally:
        if proxy is not None:
            proxy.stop()
        emu.stop()


def _reinstall(emu: Emulator, app_id: str, manifest: dict[str, Any]) -> None:
    """apps.manifest.update, as a deploy does, with a configuration token minted in the emulator."""
    from slackctl.slack.client import SlackClient

    token = emu.mint_token("config")["token"]
    with SlackClient(emu.url) as client:
        client.call("apps.manifest.update", {"app_id": app_id, "manifest": manifest}, token=token, idempotent=False)
