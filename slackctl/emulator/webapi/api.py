"""Web API: api.test."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.webapi.registry import ApiError, Call, method


@method("api.test", auth=False)
def api_test(call: Call) -> dict[str, Any]:
    args = {k: v for k, v in call.params.items() if k != "token"}
    if call.arg("error"):
        raise ApiError(str(call.arg("error")), args=args)
    return {"args": args} if args else {}
