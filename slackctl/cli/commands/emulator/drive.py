"""`slackctl emulator post|command|shortcut|click|submit|close-view|open-home|assistant-thread|assistant-context|react|
messages|views`:
drive a user of a running emulator (at --slack-url / SLACKCTL_SLACK_URL) through its control surface; JSON on stdout.
Each verb has its options dataclass (its VERB and the body it POSTs); one run() serves them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

import typer

from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.settings import DEFAULT_EMULATOR_URL, ENV_SLACK_URL

# How every driver verb finds the emulator (its help says it): run() passes the global option to drive().
FINDING_THE_EMULATOR = f"""The emulator is the one at the global --slack-url (it may follow the verb), else at
${ENV_SLACK_URL}, else at {DEFAULT_EMULATOR_URL} (where `slackctl emulator start` listens by default); `slackctl
run --emulator` prints its URL as the first line on stdout. No profile or token is needed: the verb acts through
the emulator's control surface as a user of the emulated workspace."""
# The options the driver verbs share.
AS_USER = typer.Option("--as", help="The user acting: a name (ada) or an id (U0EMU00001).")
APP = typer.Option("--app", help="App id or name (default: the one app with an App Home).")
EXPECT_ACK = typer.Option(
    "--expect-ack",
    help="Exit 1 when an app does not acknowledge an event this causes (by "
    "default the action happens, the deliveries are in the JSON and a warning goes to stderr, "
    "as Slack retries the event).",
)
# What the verbs whose action happens whether or not an app acknowledges (as on Slack) say in their help.
DELIVERIES = """The JSON lists the event deliveries the action caused (app, type, status, attempts, error); one an
app did not acknowledge is warned about on stderr (`HTTP 404`, `connection refused`, `no Socket Mode connection`),
and exits 1 only with --expect-ack. """


def control(url: str | None, method: str, path: str, body: dict[str, Any] | None = None, timeout: float = 15) -> Any:
    """One request to the emulator's control surface (/_emulator/PATH): its JSON answer, or a NetworkError (exit 3)
    when nothing answers there or the answer is not the emulator's."""
    import json

    from slackctl.errors import NetworkError, UsageError
    from slackctl.slack.transport import request

    base = (url or DEFAULT_EMULATOR_URL).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"--slack-url {base} is not an http(s) URL", f"for example --slack-url {DEFAULT_EMULATOR_URL}")
    data = json.dumps({k: v for k, v in body.items() if v is not None}).encode() if body is not None else None
    try:
        # The emulator runs on this machine: no corporate proxy in between (trust_env=False).
        resp = request(
            method,
            f"{base}/_emulator/{path}",
            headers={"Content-Type": "application/json"} if data is not None else {},
            body=data,
            timeout=timeout,
            what="the emulator's control surface",
            trust_env=False,
            repeatable=method == "GET",
        )
    except NetworkError as exc:
        raise NetworkError(
            f"cannot reach the emulator at {base}: {exc.message}",
            "start it with: slackctl emulator start (or pass --slack-url)",
        ) from None
    try:
        answer = json.loads(resp.content)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise NetworkError(
            f"the emulator at {base} answered HTTP {resp.status_code}, not JSON",
            "is it a slackctl emulator? start one: slackctl emulator start",
        )
    return answer


def drive(url: str | None, verb: str, body: dict[str, Any], timeout: float = 15) -> Any:
    """POST /_emulator/drive/VERB; the result, or a SlackctlError (exit 1 not acknowledged, 2 bad input, 3 no
    emulator)."""
    from slackctl.errors import ExitCode, SlackctlError, UsageError

    answer = control(url, "POST", f"drive/{verb}", body, timeout)
    if not answer.get("ok"):
        message = str(answer.get("message") or answer.get("error") or "the emulator refused the request")
        if answer.get("error") == "not_acknowledged":
            raise SlackctlError(
                message,
                "check the app's logs; GET /_emulator/deliveries shows each attempt",
                exit_code=ExitCode.API_ERROR,
            )
        raise UsageError(message, f"see: slackctl emulator {verb} --help")
    return answer["result"]


@dataclass
class PostOptions:
    """The options of `slackctl emulator post`."""

    VERB: ClassVar[str] = "post"
    channel: Annotated[str, typer.Argument(help="#name, an id, or @NAME for a DM with NAME (or the app).")]
    text: Annotated[str, typer.Argument()]
    as_user: Annotated[str, AS_USER] = "ada"
    thread: Annotated[str | None, typer.Option("--thread", help="Reply in the thread of this ts.")] = None
    expect_ack: Annotated[bool, EXPECT_ACK] = False

    def body(self) -> dict[str, Any]:
        return {
            "user": self.as_user,
            "channel": self.channel,
            "text": self.text,
            "thread": self.thread,
            "expect_ack": self.expect_ack or None,
        }


POST = Verb(
    PostOptions,
    help="TEXT is as typed in Slack: @NAME mentions a user or an app (@ada, @my-app), @here and @channel "
    "broadcast. " + DELIVERIES + "\n\n" + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator post '#general' 'hello app'
        slackctl emulator post @myapp 'help' --as grace
        slackctl emulator post '#general' '@my-app what is new?' --expect-ack
        slackctl --slack-url http://127.0.0.1:9000 emulator post '#general' 'a reply' --thread 1700000000.000100
    """,
)


@dataclass
class CommandOptions:
    """The options of `slackctl emulator command`."""

    VERB: ClassVar[str] = "command"
    name: Annotated[str, typer.Argument(help="The slash command, e.g. /deploy.")]
    text: Annotated[str, typer.Argument(help="The text after the command.")] = ""
    channel: Annotated[str, typer.Option("--channel")] = "#general"
    as_user: Annotated[str, AS_USER] = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "name": self.name, "text": self.text, "channel": self.channel}


COMMAND = Verb(
    CommandOptions,
    help=FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator command /deploy 'staging now'
        slackctl emulator command /todo list --channel '#random' --as grace
    """,
)


@dataclass
class ShortcutOptions:
    """The options of `slackctl emulator shortcut`."""

    VERB: ClassVar[str] = "shortcut"
    callback_id: Annotated[str, typer.Argument()]
    message: Annotated[str | None, typer.Option("--message", help="CHANNEL:TS for a message shortcut.")] = None
    as_user: Annotated[str, AS_USER] = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "callback_id": self.callback_id, "message": self.message}


SHORTCUT = Verb(
    ShortcutOptions,
    help=FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator shortcut open_ticket
        slackctl emulator shortcut save_message --message C0EMU00001:1700000000.000100
    """,
)


@dataclass
class ClickOptions:
    """The options of `slackctl emulator click`."""

    VERB: ClassVar[str] = "click"
    action_id: Annotated[str, typer.Argument()]
    message: Annotated[str | None, typer.Option("--message", help="CHANNEL:TS of the message.")] = None
    view: Annotated[str | None, typer.Option("--view", help="The view's id (V...), or home for the App Home.")] = None
    value: Annotated[
        str | None,
        typer.Option(
            "--value",
            help="The value picked: an option's value, a user (@ada) or "
            "conversation (#random) for those selects (the app gets the id), "
            "positive/negative for feedback buttons.",
        ),
    ] = None
    as_user: Annotated[str, AS_USER] = "ada"

    def body(self) -> dict[str, Any]:
        return {
            "user": self.as_user,
            "action_id": self.action_id,
            "message": self.message,
            "view": self.view,
            "value": self.value,
        }


CLICK = Verb(
    ClickOptions,
    help="Without --message or --view the element is looked up by ACTION_ID in the user's open modals, App Homes "
    "and recent messages; it must be in one place. Reaches actions blocks, section accessories, inputs and "
    "context_actions (feedback and icon buttons). Exit 1 when the app does not acknowledge the click.\n\n"
    + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator click approve --message C0EMU00001:1700000000.000100
        slackctl emulator click pick_color --view V0EMU00001 --value red
        slackctl emulator click give_feedback
        slackctl emulator click owner --view home --value @grace
    """,
)


@dataclass
class SubmitOptions:
    """The options of `slackctl emulator submit`; --value items are BLOCK_ID.ACTION_ID=VALUE."""

    VERB: ClassVar[str] = "submit"
    view_id: Annotated[str, typer.Argument()]
    value: Annotated[list[str], typer.Option("--value", help="BLOCK_ID.ACTION_ID=VALUE (repeatable).")] = field(
        default_factory=list
    )
    as_user: Annotated[str, AS_USER] = "ada"

    def body(self) -> dict[str, Any]:
        from slackctl.errors import UsageError

        values = {}
        for item in self.value:
            key, sep, val = item.partition("=")
            if not sep or not key:
                raise UsageError(f"--value {item!r} must be BLOCK_ID.ACTION_ID=VALUE", "e.g. --value title.t=Hi")
            values[key] = val
        return {"user": self.as_user, "view_id": self.view_id, "values": values}


SUBMIT = Verb(
    SubmitOptions,
    help=FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator submit V0EMU00001 --value title_block.title_input='Fix the build'
    """,
)


@dataclass
class CloseViewOptions:
    """The options of `slackctl emulator close-view`."""

    VERB: ClassVar[str] = "close-view"
    view_id: Annotated[str, typer.Argument()]
    as_user: Annotated[str, AS_USER] = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "view_id": self.view_id}


CLOSE_VIEW = Verb(
    CloseViewOptions,
    help=FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator close-view V0EMU00001
    """,
)


@dataclass
class OpenHomeOptions:
    """The options of `slackctl emulator open-home`."""

    VERB: ClassVar[str] = "open-home"
    as_user: Annotated[str, AS_USER] = "ada"
    app_ref: Annotated[str | None, APP] = None
    expect_ack: Annotated[bool, EXPECT_ACK] = False

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "app": self.app_ref, "expect_ack": self.expect_ack or None}


OPEN_HOME = Verb(
    OpenHomeOptions,
    help=DELIVERIES + "\n\n" + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator open-home
        slackctl emulator open-home --as grace --app A0EMU00001
    """,
)


@dataclass
class AssistantThreadOptions:
    """The options of `slackctl emulator assistant-thread`."""

    VERB: ClassVar[str] = "assistant-thread"
    as_user: Annotated[str, AS_USER] = "ada"
    app_ref: Annotated[str | None, APP] = None
    context: Annotated[str | None, typer.Option("--context", help="The channel the user is in.")] = None
    expect_ack: Annotated[bool, EXPECT_ACK] = False

    def body(self) -> dict[str, Any]:
        return {
            "user": self.as_user,
            "app": self.app_ref,
            "context_channel": self.context,
            "expect_ack": self.expect_ack or None,
        }


ASSISTANT_THREAD = Verb(
    AssistantThreadOptions,
    help="The thread's root has the subtype assistant_app_thread, as on Slack. "
    + DELIVERIES
    + "\n\n"
    + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator assistant-thread --context '#general'
    """,
)


@dataclass
class AssistantContextOptions:
    """The options of `slackctl emulator assistant-context`."""

    VERB: ClassVar[str] = "assistant-context"
    context: Annotated[str, typer.Option("--context", help="The channel the user moves to.")]
    thread: Annotated[
        str | None, typer.Option("--thread", help="CHANNEL:TS of the assistant thread (default: the user's latest).")
    ] = None
    as_user: Annotated[str, AS_USER] = "ada"
    expect_ack: Annotated[bool, EXPECT_ACK] = False

    def body(self) -> dict[str, Any]:
        return {
            "user": self.as_user,
            "context_channel": self.context,
            "thread": self.thread,
            "expect_ack": self.expect_ack or None,
        }


ASSISTANT_CONTEXT = Verb(
    AssistantContextOptions,
    help=DELIVERIES + "\n\n" + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator assistant-context --context '#random'
        slackctl emulator assistant-context --context '#general' --thread D0EMU00001:1700000000.000100
    """,
)


@dataclass
class ReactOptions:
    """The options of `slackctl emulator react`."""

    VERB: ClassVar[str] = "react"
    channel: Annotated[str, typer.Argument()]
    ts: Annotated[str, typer.Argument()]
    name: Annotated[str, typer.Argument()]
    as_user: Annotated[str, AS_USER] = "ada"
    expect_ack: Annotated[bool, EXPECT_ACK] = False

    def body(self) -> dict[str, Any]:
        return {
            "user": self.as_user,
            "channel": self.channel,
            "ts": self.ts,
            "name": self.name,
            "expect_ack": self.expect_ack or None,
        }


REACT = Verb(
    ReactOptions,
    help=DELIVERIES + "\n\n" + FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator react '#general' 1700000000.000100 thumbsup
    """,
)


@dataclass
class MessagesOptions:
    """The options of `slackctl emulator messages`: one JSON object a line, oldest first."""

    VERB: ClassVar[str] = "messages"
    channel: Annotated[str, typer.Argument()]
    as_user: Annotated[str, AS_USER] = "ada"

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "channel": self.channel}


MESSAGES = Verb(
    MessagesOptions,
    help=FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator messages '#general'
        slackctl emulator messages @myapp --as grace | jq -r .text
    """,
)


@dataclass
class ViewsOptions:
    """The options of `slackctl emulator views`."""

    VERB: ClassVar[str] = "views"
    as_user: Annotated[str, AS_USER] = "ada"
    app_ref: Annotated[str | None, APP] = None

    def body(self) -> dict[str, Any]:
        return {"user": self.as_user, "app": self.app_ref}


VIEWS = Verb(
    ViewsOptions,
    help=FINDING_THE_EMULATOR,
    examples="""
        slackctl emulator views | jq '.modals[-1].id'
        slackctl emulator views --as grace --app A0EMU00001
    """,
)


DriveOptions = (
    PostOptions
    | CommandOptions
    | ShortcutOptions
    | ClickOptions
    | SubmitOptions
    | CloseViewOptions
    | OpenHomeOptions
    | AssistantThreadOptions
    | AssistantContextOptions
    | ReactOptions
    | MessagesOptions
    | ViewsOptions
)


def run(ctx: Context, opts: DriveOptions) -> None:
    """POST the verb's body to the emulator at the global --slack-url; its result as JSON on stdout (messages:
    one object a line)."""
    import json

    body = opts.body()  # bad input (submit's --value) is refused before the emulator is reached
    result = drive(ctx.options.slack_url, opts.VERB, body)
    for item in result if isinstance(opts, MessagesOptions) else [result]:
        ctx.io.out_data(json.dumps(item, ensure_ascii=False))
    warnings = unacknowledged(result)
    for line in warnings:
        ctx.io.warn(line)
    if warnings:
        ctx.io.err("  the action happened; GET /_emulator/deliveries shows each attempt (--expect-ack: exit 1)")


def unacknowledged(result: Any) -> list[str]:
    """A warning per event delivery an app did not acknowledge (the user's action happened anyway)."""
    deliveries = result.get("deliveries") if isinstance(result, dict) else None
    return [
        f"{d.get('app')} did not acknowledge the {d.get('type')} event: {d.get('error')}"
        + (" (Slack retries it)" if d.get("status") == "retrying" else "")
        for d in deliveries or []
        if d.get("status") != "acked"
    ]
