"""Helpers shared by the `slackctl tokens` verbs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slackctl.credentials import TokenKind
from slackctl.slack import tokens as tk

if TYPE_CHECKING:
    from slackctl.cli.context import Context
    from slackctl.config import Profile


# Access tokens (TokenKind: the ones auth.revoke knows) and the app credentials kept beside them.
ADDABLE = (*TokenKind, tk.CLIENT_ID, tk.CLIENT_SECRET, tk.SIGNING_SECRET, tk.VERIFICATION_TOKEN)


def parse_name(c: Context, name: str) -> tuple[Profile, str]:
    from slackctl.errors import UsageError

    if "/" not in name or name.startswith("external/"):
        hint = (
            "provider tokens are managed with: slackctl external-auth"
            if name.startswith("external/")
            else "names look like PROFILE/KIND, e.g. acme/bot; see: slackctl tokens list"
        )
        raise UsageError(f"'{name}' is not a profile credential", hint)
    profile_name, kind = name.rsplit("/", 1)
    profile = c.config.profiles.get(profile_name)
    if profile is None or kind not in profile.kinds:
        raise UsageError(f"no stored credential named '{name}'", "see: slackctl tokens list")
    return profile, kind
