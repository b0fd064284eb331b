"""Deploying an app as a library: plan (validate, find the app, diff against Slack), apply, run the hook, roll back.

Nothing here prints or prompts; the `deploy` command decides what to show and ask. The order keeps a failed
deploy from leaving anything half-done: everything that can be checked locally is checked before Slack is
changed, and a failing deploy hook puts the previous manifest back (or deletes an app it just created).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slackctl import interrupts
from slackctl.config import Profile, atomic_write, config_dir
from slackctl.core import appsecrets
from slackctl.core.appsecrets import Keep
from slackctl.core.project import (
    APP_SECRET_KINDS,
    AppRecord,
    Project,
    app_profile,
    forget_app,
    remember_app,
    resolve_manifest,
)
from slackctl.errors import AuthError, SlackApiError, UsageError
from slackctl.slack import manifest as mf

if TYPE_CHECKING:
    from slackctl.core.session import Session
    from slackctl.slack.client import SlackClient, SlackResponse


def config_token_hint(ctx: Session) -> str:
    return f"{ctx.config_token_source()}; store it with its refresh token: slackctl auth login --with-token"


class ManifestInvalid(UsageError):
    """The manifest failed validation (ours or Slack's); `problems` lists each one for the command to show."""

    def __init__(self, message: str, problems: list[mf.ManifestProblem], hint: str | None = None) -> None:
        super().__init__(message, hint or "fix the manifest and run the command again")
        self.problems = problems


@dataclass
class Target:
    """Where a deploy goes: the project, the environment, and the workspace the config token belongs to."""

    project: Project
    env: str
    profile: Profile
    token: str  # the app configuration token (never printed)

    @property
    def team_id(self) -> str:
        return self.profile.team_id


@dataclass
class Plan:
    target: Target
    manifest: dict[str, Any]  # local manifest for this environment, as it will be sent
    origin: str
    record: AppRecord | None  # None: the app will be created
    deployed: dict[str, Any] | None = None  # what Slack has now (export)
    last_deployed: dict[str, Any] | None = None  # what our last deploy left there (local snapshot)
    drifted: bool = False  # someone changed the deployed manifest since our last deploy
    diff: str = ""  # deployed -> local
    remote_source: bool = False  # .slack/config.json manifest.source "remote": the deployed manifest is left as is

    @property
    def creating(self) -> bool:
        return self.record is None

    @property
    def app_id(self) -> str:
        """The app this plan updates ("" while it is still to be created)."""
        return self.record.app_id if self.record else ""

    @property
    def changed(self) -> bool:
        return self.creating or bool(self.diff)

    @property
    def drift_diff(self) -> str:
        if not self.drifted or self.last_deployed is None or self.deployed is None:
            return ""
        return mf.diff_manifests(
            self.last_deployed, self.deployed, from_label="last deployed by slackctl", to_label="deployed now"
        )


@dataclass
class Outcome:
    record: AppRecord
    created: bool = False
    updated: bool = False
    permissions_updated: bool = False
    previous: dict[str, Any] | None = None  # manifest to restore if the hook fails
    stored_kinds: list[str] = field(default_factory=list)
    secrets_in: str = ""  # where a created app's secrets went, for people (appsecrets.Keep.describe)


# -- the configuration token -----------------------------------------------------------------------
def config_target(ctx: Session, project: Project, env: str) -> Target:
    """SLACK_CONFIG_TOKEN / SLACK_CONFIG_REFRESH_TOKEN when set (core/envtoken.py), else the active profile and
    its app configuration token, rotated first when it is about to expire."""
    from slackctl.credentials import env_config_token

    found = env_config_token()
    if found is not None:
        from slackctl.core.envtoken import env_profile

        env_prof, token = env_profile(ctx, found)
        return Target(project, env, env_prof, token)
    profile = ctx.config.profile(ctx.profile_name)
    if profile is None:
        if ctx.profile_option:
            raise UsageError(f"no profile named '{ctx.profile_option}'", "list them with: slackctl auth list")
        raise AuthError("no app configuration token: not logged in to any workspace", config_token_hint(ctx))
    if "config" not in profile.kinds:
        raise AuthError(
            f"profile '{profile.name}' has no app configuration token (manifests can only be changed with one)",
            config_token_hint(ctx),
        )
    return Target(project, env, profile, config_token(ctx, profile))


def config_token(ctx: Session, profile: Profile) -> str:
    try:
        token = ctx.resolve_token(kind="config").token
    except SlackApiError as exc:
        if exc.error in ("invalid_refresh_token", "token_expired", "token_revoked", "invalid_auth"):
            raise AuthError(
                f"the app configuration token could not be renewed: Slack refused its refresh token "
                f"({exc.error}; refresh tokens are single-use and expire)",
                config_token_hint(ctx),
            ) from None
        raise
    if not token:
        raise AuthError(
            f"the app configuration token of profile '{profile.name}' is missing from the credential store",
            config_token_hint(ctx),
        )
    return token


# -- validation ------------------------------------------------------------------------------------
def local_manifest(project: Project, env: str | None) -> mf.ManifestSource:
    """The environment's manifest, checked against our schema; ManifestInvalid lists every problem."""
    source = resolve_manifest(project, env)
    problems = mf.validate_manifest(source.data, lines=source.lines)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ManifestInvalid(f"{source.origin}: the manifest is invalid ({count})", problems)
    return source


def remote_problems(
    client: SlackClient, token: str, manifest: dict[str, Any], app_id: str | None = None
) -> list[mf.ManifestProblem]:
    """Slack's own check (apps.manifest.validate): its errors as problems, [] when Slack accepts it."""
    params: dict[str, Any] = {"manifest": mf.strip_editor_keys(manifest)}
    if app_id:
        params["app_id"] = app_id
    response = client.call("apps.manifest.validate", params, token=token, idempotent=True, raise_on_error=False)
    if response.ok:
        return []
    if response.data.get("error") != "invalid_manifest":
        raise SlackApiError("apps.manifest.validate", response.data)
    return slack_problems(response.data)


def slack_problems(data: dict[str, Any]) -> list[mf.ManifestProblem]:
    errors = data.get("errors") or []
    problems = [
        mf.ManifestProblem(str(e.get("pointer", "")), str(e.get("message", "invalid")))
        for e in errors
        if isinstance(e, dict)
    ]
    return problems or [mf.ManifestProblem("", str(data.get("error", "invalid_manifest")))]


def check_remote(client: SlackClient, token: str, source: mf.ManifestSource, app_id: str | None = None) -> None:
    problems = remote_problems(client, token, source.data, app_id)
    if problems:
        for problem in problems:
            problem.line = problem.line or _line_of(problem.pointer, source.lines)
        raise ManifestInvalid(
            f"{source.origin}: Slack rejected the manifest ({len(problems)} error{'s' if len(problems) > 1 else ''})",
            problems,
        )


def _line_of(pointer: str, lines: dict[str, int]) -> int | None:
    return lines.get(pointer) if pointer else None


# -- planning --------------------------------------------------------------------------------------
def export_manifest(client: SlackClient, token: str, app_id: str) -> dict[str, Any]:
    response = client.call("apps.manifest.export", {"app_id": app_id}, token=token, idempotent=True)
    manifest = response.data.get("manifest")
    return manifest if isinstance(manifest, dict) else {}


def make_plan(client: SlackClient, target: Target, *, validate_remote: bool = True) -> Plan:
    """Validate (local, then Slack), find the environment's app and diff what is deployed against local."""
    source = local_manifest(target.project, target.env)
    manifest = mf.strip_editor_keys(source.data)
    record = target.project.app(target.env, target.team_id)
    if validate_remote:
        check_remote(client, target.token, source, record.app_id if record else None)
    plan = Plan(target, manifest, source.origin, record)
    if record is None:
        plan.diff = mf.diff_manifests({}, manifest, from_label="(new app)", to_label=source.origin)
        return plan
    if target.project.manifest_is_remote:
        plan.remote_source = True  # nothing to diff: the local manifest is not what gets deployed
        return plan
    try:
        plan.deployed = export_manifest(client, target.token, record.app_id)
    except SlackApiError as exc:
        if exc.error in ("app_not_found", "invalid_app_id", "invalid_app"):
            raise UsageError(
                f"app {record.app_id} ({target.env}) recorded in {target.project.slack_dir} no longer exists at Slack",
                f"forget it (slackctl app delete --forget --env {target.env}) and deploy again to create a new one",
            ) from None
        raise
    if record.manifest_hash and record.manifest_hash != mf.manifest_hash(plan.deployed):
        plan.drifted = True
        plan.last_deployed = _read_snapshot(record.app_id)
    plan.diff = mf.diff_manifests(
        plan.deployed, manifest, from_label=f"deployed ({record.app_id})", to_label=source.origin
    )
    return plan


# -- applying --------------------------------------------------------------------------------------
def apply_plan(ctx: Session, client: SlackClient, plan: Plan, keep: Keep | None = None) -> Outcome:
    """Create or update the app; records the app and its secrets (where `keep` says, by default the profile's
    store). Does not run the hook.

    An interrupt while the write is in flight lets it finish (see interrupts.shielded), then a created app is
    recorded as usual and a changed manifest is put back; interrupts.Interrupted then says which was done."""
    target = plan.target
    if plan.record is None:
        return _create(ctx, client, plan, keep or Keep(target.profile.storage))
    outcome = Outcome(record=plan.record, previous=plan.deployed)
    with interrupts.shielded("apps.manifest.update", notify=ctx.notify) as shield:
        if plan.diff:
            response = _manifest_write(
                client,
                "apps.manifest.update",
                target.token,
                plan,
                {"app_id": plan.record.app_id, "manifest": plan.manifest},
            )
            outcome.updated = True
            outcome.permissions_updated = bool(response.data.get("permissions_updated"))
        if shield.interrupted:
            shield.note = rollback(ctx, client, plan, outcome)
            return outcome
        try:
            record_deployed(ctx, client, plan, outcome.record)
        except BaseException:
            # Updated at Slack but not recorded here: put the old manifest back rather than leave a half-deploy.
            if outcome.updated:
                rollback(ctx, client, plan, outcome)
            raise
    return outcome


def _manifest_write(client: SlackClient, method: str, token: str, plan: Plan, params: dict[str, Any]) -> SlackResponse:
    response = client.call(method, params, token=token, idempotent=False, raise_on_error=False)
    if response.ok:
        return response
    if response.data.get("error") == "invalid_manifest":
        raise ManifestInvalid(f"{plan.origin}: Slack rejected the manifest", slack_problems(response.data))
    raise SlackApiError(method, response.data)


def _create(ctx: Session, client: SlackClient, plan: Plan, keep: Keep) -> Outcome:
    target = plan.target
    with interrupts.shielded("apps.manifest.create", notify=ctx.notify) as shield:
        response = _manifest_write(client, "apps.manifest.create", target.token, plan, {"manifest": plan.manifest})
        data = response.data
        app_id = str(data["app_id"])
        creds = data.get("credentials") or {}
        record = AppRecord(
            app_id=app_id,
            team_id=target.team_id,
            env=target.env,
            client_id=str(creds.get("client_id", "")),
            name=str(plan.manifest.get("display_information", {}).get("name", "")),
            user_id=target.profile.user_id,
            slack_url=ctx.slack_url(target.profile),
        )
        outcome = Outcome(record=record, created=True, secrets_in=keep.describe(ctx))
        secrets = {
            kind: str(creds[kind.replace("-", "_")]) for kind in APP_SECRET_KINDS if creds.get(kind.replace("-", "_"))
        }
        try:
            if keep.path is not None:
                appsecrets.write_file(keep.path, app_id, record.client_id, secrets)
            else:
                store = ctx.credentials.store_for(keep.storage)
                for kind, secret in secrets.items():
                    store.set(app_profile(app_id), kind, secret)
                    outcome.stored_kinds.append(kind)
            remember_app(ctx, record, target.project, keep.storage, outcome.stored_kinds)
            record_deployed(ctx, client, plan, record)
        except BaseException:
            # The app exists at Slack but we could not keep its secrets: delete it rather than orphan it.
            delete_created(ctx, client, target, record)
            if keep.path is not None:
                keep.path.unlink(missing_ok=True)  # the secrets of an app that no longer exists
            raise
        # Interrupted while creating: the app exists and is recorded like any other; keep it (deleting it
        # would be one more write the user asked to stop) and say so.
        if shield.interrupted:
            shield.note = (
                f"app {app_id} was created and recorded, its secrets are in "
                f"{outcome.secrets_in}; run slackctl deploy again to finish (its hook did not "
                "run)"
            )
    return outcome


def record_deployed(ctx: Session, client: SlackClient, plan: Plan, record: AppRecord) -> None:
    """Remember what is deployed now (hash in apps.json, snapshot in the config dir) for drift checks."""
    deployed = export_manifest(client, plan.target.token, record.app_id)
    record.manifest_hash = mf.manifest_hash(deployed)
    record.deployed_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if not record.name:
        record.name = str(plan.manifest.get("display_information", {}).get("name", ""))
    plan.target.project.save_app(record)
    _write_snapshot(record.app_id, deployed)


def rollback(ctx: Session, client: SlackClient, plan: Plan, outcome: Outcome) -> str:
    """Undo `outcome`: restore the previous manifest, or delete the app this deploy created. Returns what
    was done, for the command to report."""
    if outcome.created:
        delete_created(ctx, client, plan.target, outcome.record)
        return f"deleted the app created by this deploy ({outcome.record.app_id})"
    if outcome.updated and outcome.previous is not None:
        with interrupts.shielded("the rollback (apps.manifest.update)", notify=ctx.notify):
            client.call(
                "apps.manifest.update",
                {"app_id": outcome.record.app_id, "manifest": outcome.previous},
                token=plan.target.token,
                idempotent=False,
            )
            record_deployed(ctx, client, plan, outcome.record)
        return f"restored the previous manifest of {outcome.record.app_id}"
    return "nothing to roll back (the manifest was not changed)"


def delete_created(ctx: Session, client: SlackClient, target: Target, record: AppRecord) -> None:
    with interrupts.shielded("apps.manifest.delete", notify=ctx.notify):
        client.call("apps.manifest.delete", {"app_id": record.app_id}, token=target.token, idempotent=False)
        forget_app(ctx, record.app_id)
        target.project.remove_app(record)
        _snapshot_path(record.app_id).unlink(missing_ok=True)


def delete_app(
    ctx: Session, client: SlackClient | None, token: str, project: Project, record: AppRecord, *, remote: bool = True
) -> None:
    """Delete a project's app at Slack (unless `remote` is False), then its secrets and records."""
    with interrupts.shielded("apps.manifest.delete", notify=ctx.notify) as shield:
        if remote and client is not None:
            client.call("apps.manifest.delete", {"app_id": record.app_id}, token=token, idempotent=False)
        forget_app(ctx, record.app_id)
        project.remove_app(record)
        _snapshot_path(record.app_id).unlink(missing_ok=True)
        shield.note = f"app {record.app_id} was deleted and forgotten"


# -- snapshots of what we deployed -----------------------------------------------------------------
def _snapshot_path(app_id: str) -> Path:
    return config_dir() / "deployed" / f"{app_id}.json"


def _write_snapshot(app_id: str, manifest: dict[str, Any]) -> None:
    atomic_write(_snapshot_path(app_id), mf.canonical_json(manifest))


def _read_snapshot(app_id: str) -> dict[str, Any] | None:
    import json

    try:
        data = json.loads(_snapshot_path(app_id).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def remote_source_note(plan: Plan) -> str:
    return (
        f"the manifest source is remote (.slack/config.json): the local manifest is not pushed to "
        f"{plan.app_id}, which keeps the manifest from its app settings"
    )
