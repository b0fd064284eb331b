"""The project's app records, kept in two tools' files without either losing the other's.

Slack's CLI owns two files and rewrites them whenever it reads them (slack-cli internal/app/app_client.go):
- `.slack/apps.json`: `{"apps": {TEAM_ID: {...}}, "default": TEAM_DOMAIN}`, its deployed apps. It keeps only
  `apps` and `default`; a `"dev":` anywhere in the text makes it move `dev` into apps.dev.json (its legacy layout),
  overwriting that file.
- `.slack/apps.dev.json`: `{TEAM_ID: {"app_id", "IsDev": true, "team_domain", "team_id", "user_id"}}`, its local
  (`slack run`) apps, one per workspace.
Each entry has Slack's field order (app_id, enterprise_id, name, IsDev, team_domain, team_id, user_id), two-space
indent and no final newline, so a file written here reads back unchanged there.

slackctl's own records (any environment, with the client id, the manifest hash for drift checks, ...) live in
`.slack/slackctl.json`: `{"environments": {ENV: {TEAM_ID: {...}}}}`, which Slack's CLI never opens. The `dev`
environment is mirrored into apps.dev.json and `prod` into apps.json, so both tools find the same app.
Older slackctl kept its records under `environments` in apps.json: `migrate` moves them (every app id kept).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

APPS_FILE = "apps.json"
APPS_DEV_FILE = "apps.dev.json"
RECORDS_FILE = "slackctl.json"
DEV_ENV, PROD_ENV = "dev", "prod"
# Slack's CLI struct order for one app (types.App); only these keys are written to its files.
SLACK_APP_KEYS = ("app_id", "enterprise_id", "name", "IsDev", "team_domain", "team_id", "user_id")


def slack_entry(
    existing: dict[str, Any], *, app_id: str, team_id: str, team_domain: str, user_id: str, dev: bool
) -> dict[str, Any]:
    """One app as Slack's CLI writes it, keeping what it wrote before (enterprise_id, a domain we do not know)."""
    merged = {k: v for k, v in existing.items() if k in SLACK_APP_KEYS and v not in ("", None, False)}
    merged.update({"app_id": app_id, "team_id": team_id})
    if team_domain:
        merged["team_domain"] = team_domain
    if user_id:
        merged["user_id"] = user_id
    if dev:
        merged["IsDev"] = True
    else:
        merged.pop("IsDev", None)
    return {k: merged[k] for k in SLACK_APP_KEYS if merged.get(k) not in ("", None)}


def dump_slack(data: Any) -> str:
    """JSON as Go's json.MarshalIndent(v, "", "  ") prints it: no final newline, `<>&` escaped."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def deployed_apps(apps_json: Any) -> dict[str, dict[str, Any]]:
    """apps.json's `apps`, team id -> entry (entries without an app id skipped)."""
    return _teams(apps_json.get("apps") if isinstance(apps_json, dict) else None)


def local_apps(apps_dev_json: Any, apps_json: Any) -> dict[str, dict[str, Any]]:
    """apps.dev.json's team-keyed entries, plus the legacy `dev` key of apps.json that Slack's CLI would move."""
    found = _teams(apps_json.get("dev") if isinstance(apps_json, dict) else None)
    found.update(_teams(apps_dev_json))
    return found


def _teams(data: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict):
        return {}
    return {
        str(body.get("team_id") or team): body
        for team, body in data.items()
        if isinstance(body, dict) and isinstance(body.get("app_id"), str) and body["app_id"]
    }


def environments(records_json: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(env, team_id, record) of slackctl.json (or of a legacy apps.json's `environments`)."""
    envs = records_json.get("environments") if isinstance(records_json, dict) else None
    for env, teams in envs.items() if isinstance(envs, dict) else ():
        for team_id, body in teams.items() if isinstance(teams, dict) else ():
            if isinstance(body, dict) and body.get("app_id"):
                yield str(env), str(team_id), body


def needs_migration(apps_json: Any) -> bool:
    """True when apps.json holds anything Slack's CLI would drop or misread (slackctl's old `environments`,
    a legacy `dev`, any other key)."""
    return isinstance(apps_json, dict) and bool(set(apps_json) - {"apps", "default"})


def migrate(
    apps_json: dict[str, Any], apps_dev_json: Any, records: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Today's layout from an older one: (apps.json, apps.dev.json, slackctl.json). slackctl's `environments` go
    to slackctl.json (a record already there wins), a legacy `dev` key to apps.dev.json; no app id is lost."""
    envs = records.setdefault("environments", {})
    for env, team_id, body in environments(apps_json):
        envs.setdefault(env, {}).setdefault(team_id, body)
    dev = dict(apps_dev_json) if isinstance(apps_dev_json, dict) else {}
    for team_id, body in local_apps({}, apps_json).items():
        dev.setdefault(
            team_id,
            slack_entry(
                body,
                app_id=body["app_id"],
                team_id=team_id,
                team_domain=str(body.get("team_domain") or body.get("name") or ""),
                user_id=str(body.get("user_id") or ""),
                dev=True,
            ),
        )
    kept: dict[str, Any] = {}
    if isinstance(apps_json.get("apps"), dict):
        kept["apps"] = apps_json["apps"]
    if isinstance(apps_json.get("default"), str) and apps_json["default"]:
        kept["default"] = apps_json["default"]
    return kept, dev, records


def set_deployed(apps_json: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """apps.json with `entry` as its team's deployed app; `default` set when it is the only one (as Slack's)."""
    apps = dict(apps_json.get("apps") or {})
    apps[entry["team_id"]] = entry
    out: dict[str, Any] = {"apps": apps}
    default = apps_json.get("default")
    if len(apps) == 1:
        default = entry.get("team_domain") or default
    if isinstance(default, str) and default:
        out["default"] = default
    return out


def remove_deployed(apps_json: dict[str, Any], team_id: str, app_id: str) -> dict[str, Any]:
    apps = dict(apps_json.get("apps") or {})
    body = apps.get(team_id)
    if not (isinstance(body, dict) and body.get("app_id") == app_id):
        return apps_json
    apps.pop(team_id)
    out: dict[str, Any] = {"apps": apps} if apps else {}
    default = apps_json.get("default")
    if apps and isinstance(default, str) and default:
        domains = [b.get("team_domain") for b in apps.values() if isinstance(b, dict)]
        out["default"] = default if default in domains else (domains[0] or default)
    return out
