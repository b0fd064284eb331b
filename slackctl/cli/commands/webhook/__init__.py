"""`slackctl webhook`: post to an incoming webhook (slack-github-action's webhook mode, without curl).

Typer declarations only; each verb is cli/commands/webhook/<verb>.py, imported when it runs."""

from __future__ import annotations

from typing import Annotated

import typer

from slackctl import settings
from slackctl.cli.context import get_context

app = typer.Typer(help="Post messages to incoming webhooks.", no_args_is_help=True)

SEND_EPILOG = (
    f"The URL is a secret, so it never goes on the command line: set {settings.ENV_WEBHOOK_URL} or pass "
    "--url-file. Examples: slackctl webhook send --text 'deployed';  "
    "slackctl webhook send --payload message.yaml --template;  "
    "slackctl webhook send text='build ok' blocks:=@blocks.json. "
    "Exit codes: 0 posted, 1 Slack refused the message, 2 bad input, 3 network, 4 URL unknown or revoked."
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="webhook")


@app.command("send", epilog=SEND_EPILOG)
def send_cmd(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, typer.Argument(help="Payload fields: key=value, key:=json, key=@file, "
                                                            "key[sub]=value (as api call).",
                                                       show_default=False)] = None,
    text: Annotated[str | None, typer.Option("--text", help="The message text.")] = None,
    payload: Annotated[str | None, typer.Option("--payload", help="A JSON or YAML payload file (- for "
                                                                  "stdin).")] = None,
    template: Annotated[bool, typer.Option("--template", help="Replace ${VAR} in the payload's string values "
                                                              "from the environment ($${ for a literal).")]
    = False,
    url_file: Annotated[str | None, typer.Option("--url-file", help="Read the webhook URL from this file "
                                                                    f"instead of {settings.ENV_WEBHOOK_URL}.")]
    = None,
    max_retries: Annotated[int, typer.Option("--max-retries", min=0, help="Retries after 429 / server "
                                                                          "errors.")] = settings.MAX_RETRIES,
    timeout: Annotated[float | None, typer.Option("--timeout", envvar=settings.ENV_TIMEOUT, min=0.1,
                                                  help="Seconds to wait for the answer.")] = None,
) -> None:
    """Post a message to an incoming webhook and print Slack's answer (ok)."""
    from slackctl.cli.commands.webhook.send import SendOptions, run

    run(get_context(ctx), SendOptions(fields=list(fields or []), text=text, payload=payload, template=template,
                                      url_file=url_file, max_retries=max_retries, timeout=timeout))
