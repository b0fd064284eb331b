"""Web API calls made inside the emulator (the driver acting as a user, response_url answers posted by an app's
bot): the same handlers, scopes and bus facts as a call over HTTP, without the HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slackctl.emulator.webapi.registry import REGISTRY, ApiError, Call
from slackctl.emulator.world import appinstall

if TYPE_CHECKING:
    from slackctl.emulator.server import Emulator


class DriveError(ValueError):
    """What the driver could not do; `code` is "not_acknowledged" (exit 1) or "bad_input" (exit 2)."""

    def __init__(self, message: str, code: str = "bad_input") -> None:
        super().__init__(message)
        self.code = code


def api(emu: Emulator, token: str, method: str, **params: Any) -> dict[str, Any]:
    """Call a Web API handler in-process with TOKEN, as a client would over HTTP (bus facts included)."""
    spec = REGISTRY[method]
    world = emu.world
    with world.lock:
        record = world.tokens.get(token)
        try:
            return spec.handler(Call(emu, None, method, params, record))  # type: ignore[arg-type]
        except ApiError as err:
            raise DriveError(f"{method} failed: {err.error}") from None


def app_api(emu: Emulator, app: dict[str, Any], method: str, **params: Any) -> dict[str, Any]:
    """A Web API call as APP's bot."""
    with emu.world.lock:
        appinstall.ensure_tokens(emu.world, app)
        token = app["bot_token"]
    return api(emu, token, method, **params)
