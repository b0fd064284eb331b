"""Command-line facts shared by the Typer app and the fast `api call` path (stdlib only: both start here)."""

from __future__ import annotations

from slackctl import settings
from slackctl.cli.completion import complete_profile
from slackctl.cli.optiontable import Opt, flag_names, value_names

# Global options may be written anywhere (`slackctl auth status -p acme`), like gh's; they are moved in front of
# the sub-command so the root sees them. Sub-commands must not reuse these names. The root Typer callback
# (cli/app.py) and the fast path (cli/fastpath.py) are both built from this table.
GLOBAL_OPTIONS: tuple[Opt, ...] = (
    Opt(
        "profile",
        ("--profile", "-p"),
        str,
        "Profile (workspace login) to use.",
        envvar=settings.ENV_PROFILE,
        complete=complete_profile,
    ),
    Opt(
        "slack_url",
        ("--slack-url",),
        str,
        "Slack host root, e.g. https://slack.com, https://slack-gov.com or an emulator URL.",
        envvar=settings.ENV_SLACK_URL,
    ),
    Opt("ca_bundle", ("--ca-bundle",), str, "PEM file of CAs to trust for HTTPS.", envvar=settings.ENV_CA_BUNDLE),
    Opt(
        "proxy",
        ("--proxy",),
        str,
        "HTTP proxy for every request (http://[user:pass@]host:port); default: "
        "HTTPS_PROXY/HTTP_PROXY/ALL_PROXY, with NO_PROXY.",
        envvar=settings.ENV_PROXY,
        metavar="URL",
    ),
    Opt("verbose", ("--verbose", "-v"), bool, "Log requests and responses to stderr (secrets redacted)."),
    Opt("no_color", ("--no-color",), bool, "Disable colour (also NO_COLOR)."),
)
GLOBAL_WITH_VALUE = tuple(value_names(GLOBAL_OPTIONS))
GLOBAL_FLAGS = tuple(flag_names(GLOBAL_OPTIONS))


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options (anywhere before `--`) to the front, keeping their values."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if name in GLOBAL_FLAGS:
            front.append(arg)
        elif name in GLOBAL_WITH_VALUE:
            front.append(arg)
            if "=" not in arg and i + 1 < len(args):
                front.append(args[i + 1])
                i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest
