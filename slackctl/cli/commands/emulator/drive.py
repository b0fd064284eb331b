"""`slackctl emulator post|command|shortcut|click|submit|close-view|open-home|assistant-thread|react|messages|views`:
drive a user of a running emulator (at --slack-url / SLACKCTL_SLACK_URL) through its control surface; JSON on stdout.
Each verb has its options dataclass (its VERB and the body it POSTs); one run() serves them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from slackctl.cli.context import Context
from slackctl.settings import DEFAULT_EMULATOR_URL


def drive(url: str | None, verb: str, body: dict[str, Any]) -> Any:
    """POST /_emulator/drive/VERB; the result, or a SlackctlError (exit 1 not acknowledged, 2 bad input, 3 no
    emulator)."""
    import json

    from slackctl.errors import ExitCode, NetworkError, SlackctlError, UsageError
    from slackctl.slack.transport import request

    base = (url or DEFAULT_EMULATOR_URL).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"--slack-url {base} is not an http(s) URL", f"for example --slack-url {DEFAULT_EMULATOR_URL}")
    data = json.dumps({k: v for k, v in body.items() if v is not None}).encode()
    try:
        # The emulator runs on this machine: no corporate proxy in between (trust_env=False).
        resp = request("POST", f"{base}/_emulator/drive/{verb}", headers={"Content-Type": "application/json"},
                       body=data, timeout=15, what="the emulator's control surface", trust_env=False)
    except NetworkError as exc:
        raise NetworkError(f"cannot reach the emulator at {base}: {exc.message}",
                           "start it with: slackctl emulator start (or pass --slack-url)") from None
    try:
        answer = json.loads(resp.content)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise NetworkError(f"the emulator at {base} answered HTTP {resp.status_code}, not JSON",
                           "is it a slackctl emulator? start one: slackctl emulator start")
    if not answer.get("ok"):
        message = str(answer.get("message") or answer.get("error") or "the emulator refused the request")
        if answer.get("error") == "not_acknowledged":
            raise SlackctlError(message, "check the app's logs; GET /_emulator/deliveries shows each attempt",
                                exit_code=ExitCode.API_ERROR)
        raise UsageError(message, f"see: slackctl emulator {verb} --help")
    return answer["result"]



@dataclass
class PostOptions:
    """The options of `slackctl emulator post`."""

    VERB: ClassVar[str] = "post"
    channel: str
    text: str
    as_user: str = "ada"
    thread: str | None = None

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "channel": self.channel, "text": self.text, "thread": self.thread}


@dataclass
class CommandOptions:
    """The options of `slackctl emulator command`."""

    VERB: ClassVar[str] = "command"
    name: str
    text: str = ""
    channel: str = "#general"
    as_user: str = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "name": self.name, "text": self.text, "channel": self.channel}


@dataclass
class ShortcutOptions:
    """The options of `slackctl emulator shortcut`."""

    VERB: ClassVar[str] = "shortcut"
    callback_id: str
    message: str | None = None
    as_user: str = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "callback_id": self.callback_id, "message": self.message}


@dataclass
class ClickOptions:
    """The options of `slackctl emulator click`."""

    VERB: ClassVar[str] = "click"
    action_id: str
    message: str | None = None
    view: str | None = None
    value: str | None = None
    as_user: str = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "action_id": self.action_id, "message": self.message, "view": self.view,
                "value": self.value}


@dataclass
class SubmitOptions:
    """The options of `slackctl emulator submit`; --value items are BLOCK_ID.ACTION_ID=VALUE."""

    VERB: ClassVar[str] = "submit"
    view_id: str
    value: list[str] = field(default_factory=list)
    as_user: str = "ada"

    def body(self) -> dict[str, Any]:
        from slackctl.errors import UsageError

        values = {}
        for item in self.value:
            key, sep, val = item.partition("=")
            if not sep or not key:
                raise UsageError(f"--value {item!r} must be BLOCK_ID.ACTION_ID=VALUE", "e.g. --value title.t=Hi")
            values[key] = val
        return {"user": self.as_user, "view_id": self.view_id, "values": values}


@dataclass
class CloseViewOptions:
    """The options of `slackctl emulator close-view`."""

    VERB: ClassVar[str] = "close-view"
    view_id: str
    as_user: str = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "view_id": self.view_id}


@dataclass
class OpenHomeOptions:
    """The options of `slackctl emulator open-home`."""

    VERB: ClassVar[str] = "open-home"
    as_user: str = "ada"
    app_ref: str | None = None

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "app": self.app_ref}


@dataclass
class AssistantThreadOptions:
    """The options of `slackctl emulator assistant-thread`."""

    VERB: ClassVar[str] = "assistant-thread"
    as_user: str = "ada"
    app_ref: str | None = None
    context: str | None = None

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "app": self.app_ref, "context_channel": self.context}


@dataclass
class ReactOptions:
    """The options of `slackctl emulator react`."""

    VERB: ClassVar[str] = "react"
    channel: str
    ts: str
    name: str
    as_user: str = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "channel": self.channel, "ts": self.ts, "name": self.name}


@dataclass
class MessagesOptions:
    """The options of `slackctl emulator messages`: one JSON object a line, oldest first."""

    VERB: ClassVar[str] = "messages"
    channel: str
    as_user: str = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "channel": self.channel}


@dataclass
class ViewsOptions:
    """The options of `slackctl emulator views`."""

    VERB: ClassVar[str] = "views"
    as_user: str = "ada"
    app_ref: str | None = None

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "app": self.app_ref}


DriveOptions = (PostOptions | CommandOptions | ShortcutOptions | ClickOptions | SubmitOptions | CloseViewOptions
                | OpenHomeOptions | AssistantThreadOptions | ReactOptions | MessagesOptions | ViewsOptions)


def run(ctx: Context, opts: DriveOptions) -> None:
    """POST the verb's body to the emulator at the global --slack-url; its result as JSON on stdout (messages:
    one object a line)."""
    import json

    body = opts.body()  # bad input (submit's --value) is refused before the emulator is reached
    result = drive(ctx.options.slack_url, opts.VERB, body)
    for item in result if isinstance(opts, MessagesOptions) else [result]:
        ctx.io.out_data(json.dumps(item, ensure_ascii=False))
