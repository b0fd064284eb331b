"""The options of `slackctl api call`, declared once: the fast path (cli/fastpath.py) parses them by hand and
the Typer declaration (cli/commands/api/__init__.py) is generated from the same table. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass, field

from slackctl import settings
from slackctl.cli.optiontable import Opt

CALL_OPTIONS: tuple[Opt, ...] = (
    Opt(
        "http_method",
        ("-X", "--http-method"),
        str,
        "GET (fields in the query string) or POST. Default: the method's documented verb.",
    ),
    Opt("input_file", ("--input",), str, "Send this JSON file (or - for stdin) as the body; fields are added to it."),
    Opt("json_body", ("--json-body",), bool, "Send a JSON body even when every field is a string."),
    Opt("token_stdin", ("--token-stdin",), bool, "Read the token from stdin."),
    Opt(
        "as_kind",
        ("--as",),
        str,
        "Use the profile's bot, user, app or config token (default: what the method's scopes allow, bot first).",
    ),
    Opt("no_auth", ("--no-auth",), bool, "Send no token."),
    Opt("jq_expr", ("--jq", "-q"), str, "Filter the response with a jq expression (strings print raw)."),
    Opt("include", ("--include", "-i"), bool, "Print the HTTP status and response headers first."),
    Opt("silent", ("--silent",), bool, "Print nothing on success."),
    Opt("paginate", ("--paginate",), bool, "Follow next_cursor and merge every page into one response."),
    Opt(
        "jsonl",
        ("--jsonl",),
        bool,
        "Stream one JSON line per item as pages arrive (implies --paginate; constant memory).",
    ),
    Opt("limit", ("--limit",), int, "Stop after N items (implies --paginate).", minimum=1),
    Opt(
        "max_retries",
        ("--max-retries",),
        int,
        "Retries after 429 / server errors / connection failures.",
        default=settings.MAX_RETRIES,
        minimum=0,
    ),
    Opt(
        "timeout", ("--timeout",), float, "Seconds to wait for each response.", minimum=0.1, envvar=settings.ENV_TIMEOUT
    ),
    Opt("force", ("--force",), bool, "Call a method the catalog does not know."),
    Opt(
        "progress",
        ("--progress",),
        bool,
        "Report each page on stderr even when it is not a terminal (on a "
        "terminal a live line shows pages, items and waits anyway).",
    ),
)


@dataclass
class CallOptions:
    """One `api call` as parsed: the method, its fields, and one attribute per row of CALL_OPTIONS."""

    method: str
    fields: list[str] = field(default_factory=list)
    http_method: str | None = None
    input_file: str | None = None
    json_body: bool = False
    token_stdin: bool = False
    as_kind: str | None = None
    no_auth: bool = False
    jq_expr: str | None = None
    include: bool = False
    silent: bool = False
    paginate: bool = False
    jsonl: bool = False
    limit: int | None = None
    max_retries: int = settings.MAX_RETRIES
    timeout: float | None = None
    force: bool = False
    progress: bool = False
