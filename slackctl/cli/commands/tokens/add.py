"""`slackctl tokens add`: store a credential read from stdin (or a hidden prompt) in the --profile / active profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.tokens.common import ADDABLE
from slackctl.cli.verb import Verb
from slackctl.credentials import TokenKind

if TYPE_CHECKING:
    from slackctl.cli.context import Context


@dataclass
class AddOptions:
    """The options of `slackctl tokens add`."""

    kind: Annotated[str, typer.Argument(help="One of: " + ", ".join(ADDABLE) + ".")]
    insecure_storage: Annotated[
        bool, typer.Option("--insecure-storage", help="Keep it in a 0600 plaintext file (new profiles only).")
    ] = False


COMMAND = Verb(
    AddOptions,
    help="""Tokens are checked with Slack first (auth.test; apps.connections.open for xapp-; a configuration token
    is rotated once, so it needs its refresh token on the second line). Secrets are never taken from argv.""",
    examples="""
        slackctl -p acme tokens add bot < bot-token.txt
        slackctl tokens add signing-secret          # asks with a hidden prompt at a terminal
        printf '%s\\n%s\\n' "$CONFIG_TOKEN" "$REFRESH_TOKEN" | slackctl tokens add config
    """,
)


def run(ctx: Context, opts: AddOptions) -> None:
    from slackctl.errors import UsageError

    ctx.allow_new_profile = True  # a token added with -p NAME may start the profile NAME

    if opts.kind not in ADDABLE:
        raise UsageError(f"unknown credential kind '{opts.kind}'", "use one of: " + ", ".join(ADDABLE))
    lines = ctx.prompter.secret_lines("Paste a token (input hidden): ")
    if not lines:
        raise UsageError(
            "nothing on stdin", f"pipe the secret in: printf '%s' \"$SECRET\" | slackctl tokens add {opts.kind}"
        )
    if TokenKind.parse(opts.kind):
        _add_token(ctx, opts.kind, lines, opts.insecure_storage)
    else:
        _add_secret(ctx, opts.kind, lines[0])


def _add_token(c: Context, kind: str, lines: list[str], insecure_storage: bool) -> None:
    from slackctl.core.login import login_with_token, save_login
    from slackctl.errors import AuthError, SlackApiError, UsageError
    from slackctl.slack import tokens as tk

    token = lines[0]
    guessed = tk.guess_kind(token)
    if not tk.is_well_formed(token) or (guessed and guessed != kind and not (kind == "user" and guessed == "config")):
        raise UsageError(
            f"that does not look like a {kind} token ({tk.describe_prefix(token)}, {tk.mask(token)})",
            "check what you piped in, or the KIND argument",
        )
    profile_name = c.options.profile or (c.config.active if kind == "app" else None)
    with c.client() as client:
        try:
            result = login_with_token(client, token, kind, lines[1] if len(lines) > 1 else None)
        except SlackApiError as exc:
            from slackctl.cli.hints import cli_hint

            raise AuthError(
                f"Slack refused the {kind} token: {exc.error}", cli_hint(exc) or "check the token"
            ) from None
    profile, _ = save_login(
        c, result, profile_name=profile_name, insecure_storage=insecure_storage, choose=c.prompter.profile_chooser()
    )
    c.io.success(f"stored {profile.name}/{kind} ({tk.mask(result.secrets.get(kind, token))}), checked with Slack")


def _add_secret(c: Context, kind: str, secret: str) -> None:
    """App credentials (client id/secret, signing secret) cannot be checked with Slack: stored as given."""
    import re

    from slackctl.config import edit_config
    from slackctl.core.project import APP_PROFILE_PREFIX, known_apps
    from slackctl.errors import UsageError
    from slackctl.slack import tokens as tk

    if not re.fullmatch(r"[A-Za-z0-9._-]{8,}", secret):
        raise UsageError(
            f"that does not look like a {kind} (expected letters and digits, no spaces)",
            "copy it again from the app's Basic Information page",
        )
    name = c.options.profile or c.config.active
    if name and name.startswith(APP_PROFILE_PREFIX):
        app_id = name[len(APP_PROFILE_PREFIX) :]
        facts = known_apps(c).get(app_id)
        if facts is None:
            raise UsageError(f"no deployed app {app_id} is known", "see: slackctl tokens list")
        c.credentials.store_for(facts.get("storage", "keyring")).set(name, kind, secret)
        with edit_config(c.config.path) as config:
            kinds = config.extra["apps"][app_id].setdefault("kinds", [])
            if kind not in kinds:
                kinds.append(kind)
    else:
        profile = c.profile(required=True)
        assert profile is not None
        c.credentials.store_for(profile.storage).set(profile.name, kind, secret)
        with edit_config(c.config.path) as config:
            config.profiles[profile.name].add_kind(kind)
        name = profile.name
    c.reload_config()
    c.io.success(f"stored {name}/{kind} ({tk.mask(secret)}); Slack cannot check this kind of secret")
