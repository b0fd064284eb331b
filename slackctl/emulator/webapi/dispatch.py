"""Web API dispatch at /api/METHOD: argument decoding (query, form, multipart, JSON), token checks, scopes,
rate limits, and Slack's response conventions (HTTP 200 with ok:false, 429 + Retry-After)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import tempfile
import urllib.parse
from typing import IO, TYPE_CHECKING, Any

from slackctl.emulator import multipart
from slackctl.emulator.httpd import Request, Response
from slackctl.emulator.multipart import MultipartError
from slackctl.emulator.webapi import generic
from slackctl.emulator.webapi.ratelimit import retry_after_header
from slackctl.emulator.webapi.registry import ApiError, Call

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator


def discover() -> None:
    """Import every module under webapi/, so each namespace module's @method handlers register themselves: a new
    module needs no list to be added to."""
    import slackctl.emulator.webapi as package

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)


discover()


class _BadBody(Exception):
    def __init__(self, error: str) -> None:
        self.error = error


def parse_params(req: Request) -> tuple[dict[str, Any], bool]:
    """The call's arguments and whether they came as a JSON body."""
    params: dict[str, Any] = dict(req.query)
    if req.http_method in ("GET", "HEAD"):
        return params, False
    ctype = req.content_type.split(";")[0].strip().lower()
    if ctype == "multipart/form-data":  # streamed: its files never sit in memory whole
        params.update(parse_multipart(req))
        return params, False
    body = req.body()
    if not body and not ctype:
        return params, False
    if ctype == "application/json":
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (ValueError, UnicodeDecodeError):
            raise _BadBody("invalid_json") from None
        if not isinstance(data, dict):
            raise _BadBody("invalid_json")
        params.update(data)
        return params, True
    if ctype == "application/x-www-form-urlencoded" or (not ctype and body):
        try:
            params.update(
                urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body.strip()))
            )
        except (ValueError, UnicodeDecodeError):
            raise _BadBody("invalid_form_data") from None
        return params, False
    raise _BadBody("invalid_post_type")


SPOOL_IN_MEMORY = 1024 * 1024  # a part larger than this is spooled to a temp file while it is read


def parse_multipart(req: Request) -> dict[str, Any]:
    """Form fields as text; a file part as {filename, size} (its bytes are counted, not kept)."""

    def sink(name: str | None, filename: str | None, ctype: str) -> IO[bytes]:
        return tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY)

    try:
        parts = multipart.parse(req.limited_stream(), req.content_type, sink)
    except MultipartError:
        raise _BadBody("invalid_form_data") from None
    out: dict[str, Any] = {}
    for part in parts:
        with part.out:
            if not part.name:
                continue
            if part.filename:
                out[part.name] = {"filename": part.filename, "size": part.size}
            else:
                part.out.seek(0)
                out[part.name] = part.out.read().decode("utf-8", errors="replace")
    return out


def bearer(req: Request) -> str | None:
    auth = req.header("Authorization")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return None


def _error(error: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": error, **extra}


def handle(emu: Emulator, req: Request, name: str) -> Response:
    headers: dict[str, str] = {}
    try:
        params, is_json = parse_params(req)
    except _BadBody as bad:
        resp = Response.json(_error(bad.error))
        resp.log_body = req.body().decode("utf-8", "replace")[:4096]
        return resp
    spec = generic.spec_for(name)
    if spec is None:
        resp = Response.json(_error("unknown_method", req_method=name))
        resp.log_body = params
        return resp
    token_value = bearer(req)
    if token_value is None and not is_json and spec.body_token:
        raw = params.get("token")
        token_value = raw if isinstance(raw, str) and raw else None
    world = emu.world
    status = 200
    with world.lock:
        if world.scheduled:  # due scheduled messages first, so a moved clock is seen by this call
            emu.scheduler.post_due()
        record = world.tokens.get(token_value) if token_value else None
        try:
            if spec.auth:
                _check_token(spec, token_value, record, world.now())
                headers["x-oauth-scopes"] = ",".join(record["scopes"])  # type: ignore[index]
                accepted = spec.scopes.get(record["kind"], [])  # type: ignore[index]
                headers["x-accepted-oauth-scopes"] = ",".join(accepted)
            wait = emu.limiter.check(name, (record or {}).get("app_id") or "anon", _channel_key(params, name))
            if wait is not None:
                headers["Retry-After"] = retry_after_header(wait)
                headers["X-Emulator-Retry-After-Precise"] = f"{wait:.3f}"
                status, body = 429, _error("ratelimited")
            else:
                result = spec.handler(Call(emu, req, name, params, record))
                body = {"ok": True, **result}
        except ApiError as err:
            body = _error(err.error, **err.extra)
    resp = Response.json(body, status, headers)
    resp.log_body = params
    return resp


def _channel_key(params: dict[str, Any], name: str) -> str | None:
    if name != "chat.postMessage":
        return None
    channel = params.get("channel")
    return str(channel) if channel else None


def _check_token(spec: Any, token_value: str | None, record: dict[str, Any] | None, now: float) -> None:
    if not token_value:
        raise ApiError("not_authed")
    if token_value.startswith("xoxc-") or record is None:
        raise ApiError("invalid_auth")
    if record["revoked"]:
        raise ApiError("token_revoked")
    if record["expires_at"] is not None and record["expires_at"] <= now:
        raise ApiError("token_expired")
    if record["kind"] not in spec.kinds:
        raise ApiError("not_allowed_token_type")
    needed = spec.scopes.get(record["kind"])
    if needed and not any(scope in record["scopes"] for scope in needed):
        raise ApiError("missing_scope", needed=",".join(needed), provided=",".join(record["scopes"]))
