"""What the `slackctl api` verbs share: method-name completion, and the options batch and upload take from
`api call`'s table (one declaration of --as, --no-auth, --max-retries, --timeout and --force)."""

from __future__ import annotations

from typing import Any

from slackctl.cli.commands.api.call_options import CALL_OPTIONS


def complete_method(incomplete: str) -> list[str]:
    """Shell completion of method names (the catalog is loaded only here, not at start-up)."""
    from slackctl.slack import catalog

    return catalog.complete(incomplete)


def call_option(field: str, **changes: Any) -> Any:
    """The `typer.Option` of `api call`'s option `field`, for a verb that takes the same option (`changes`
    overrides its help, for example)."""
    import dataclasses

    import typer

    from slackctl.cli.optiontable import typer_option

    (opt,) = [opt for opt in CALL_OPTIONS if opt.field == field]
    return typer_option(dataclasses.replace(opt, **changes), typer)


def method_argument(help: str = "Web API method, e.g. chat.postMessage.", **extra: Any) -> Any:  # noqa: A002
    """METHOD, as api call, batch and describe take it (completed from the catalog)."""
    import typer

    return typer.Argument(help=help, autocompletion=complete_method, show_default=False, **extra)
