"""Web API: apps.auth.external.* (hosted external auth); the browser's way back, /external/auth/callback, is in
oauth/external.py."""

from __future__ import annotations

import base64
import hashlib
import secrets
import urllib.parse
from typing import TYPE_CHECKING, Any

from slackctl.emulator.oauth import provider
from slackctl.emulator.oauth.external import callback_url, is_ours, providers
from slackctl.emulator.webapi.registry import ApiError, Call, method

if TYPE_CHECKING:
    pass

KINDS = ("user", "config", "bot")


def _app(call: Call) -> dict[str, Any]:
    app_id = call.arg("app_id", required=True, error="app_not_found") or ""
    app = call.world.apps.get(app_id)
    if app is None:
        raise ApiError("app_not_found")
    return app


def _provider(call: Call, app: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    key = call.arg("provider_key", required=True, error="provider_not_found") or ""
    declared = providers(app).get(key)
    if declared is None:
        raise ApiError("provider_not_found")
    state = call.world.external.setdefault(app["app_id"], {"providers": {}, "mappings": []})
    return key, declared.get("options", {}), state["providers"].setdefault(key, {"client_secret": None, "tokens": []})


@method("apps.auth.external.clientSecret.add", kinds=KINDS)
def client_secret_add(call: Call) -> dict[str, Any]:
    app = _app(call)
    _key, options, store = _provider(call, app)
    secret = call.arg("client_secret", required=True)
    store["client_secret"] = secret
    if is_ours(call.emu, options.get("authorization_url")):
        provider.register_client(call.world, str(options.get("client_id", "")), secret, [callback_url(call.emu)])
    return {}


@method("apps.auth.external.start", kinds=KINDS)
def start(call: Call) -> dict[str, Any]:
    app = _app(call)
    key, options, store = _provider(call, app)
    if not store["client_secret"]:
        raise ApiError("client_secret_not_found")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(24)
    call.world.external_states[state] = {
        "app_id": app["app_id"],
        "provider_key": key,
        "verifier": verifier,
        "user_id": call.user_id,
    }
    params = {
        "client_id": str(options.get("client_id", "")),
        "redirect_uri": callback_url(call.emu),
        "response_type": "code",
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "scope": " ".join(options.get("scope", [])),
    }
    params.update({k: str(v) for k, v in (options.get("authorization_url_extras") or {}).items()})
    base = options.get("authorization_url") or f"{call.emu.url}/_emulator/provider/authorize"
    return {"authorization_url": base + ("&" if "?" in base else "?") + urllib.parse.urlencode(params)}


@method("apps.auth.external.list", kinds=KINDS)
def list_(call: Call) -> dict[str, Any]:
    app = _app(call)
    state = call.world.external.get(app["app_id"], {"providers": {}})
    out = []
    for key, declared in providers(app).items():
        store = state["providers"].get(key, {"client_secret": None, "tokens": []})
        options = declared.get("options", {})
        out.append(
            {
                "provider_name": options.get("provider_name", key),
                "provider_key": key,
                "client_id": options.get("client_id"),
                "client_secret_exists": bool(store["client_secret"]),
                "valid_token_exists": bool(store["tokens"]),
                "external_tokens": [
                    {k: t[k] for k in ("external_token_id", "external_user_id", "date_updated")}
                    for t in store["tokens"]
                ],
            }
        )
    return {"authorizations": out}


@method("apps.auth.external.delete", kinds=KINDS)
def delete(call: Call) -> dict[str, Any]:
    app = _app(call)
    state = call.world.external.get(app["app_id"], {"providers": {}})
    token_id, key = call.arg("external_token_id"), call.arg("provider_key")
    if key and key not in providers(app):
        raise ApiError("providers_not_found")
    removed = 0
    for pkey, store in state["providers"].items():
        if key and pkey != key:
            continue
        before = len(store["tokens"])
        store["tokens"] = [t for t in store["tokens"] if token_id and t["external_token_id"] != token_id]
        removed += before - len(store["tokens"])
    if not removed:
        raise ApiError("token_not_found" if token_id else "no_tokens_found")
    return {}


@method("apps.auth.external.authMapping.update", kinds=KINDS)
def auth_mapping_update(call: Call) -> dict[str, Any]:
    app = _app(call)
    key, _options, _store = _provider(call, app)
    workflow = call.arg("workflow_id", required=True)
    mapping = {
        "provider_key": key,
        "workflow_id": workflow,
        "step_id": call.arg("step_id"),
        "selected_auth": call.arg("selected_auth") or call.arg("auth_type") or "end_user",
    }
    mappings = call.world.external[app["app_id"]]["mappings"]
    mappings[:] = [m for m in mappings if (m["provider_key"], m["workflow_id"]) != (key, workflow)]
    mappings.append(mapping)
    return {}
