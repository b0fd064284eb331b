"""`slackctl api call`: one Web API call (or every page of one), printed as JSON, JSON lines or through jq;
also the look-ups and client set-up the other api verbs share."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from slackctl.cli.commands.api.call_options import CALL_OPTIONS, CallOptions
from slackctl.cli.commands.api.common import make_client, resolve_token, show_warnings
from slackctl.cli.context import Context
from slackctl.cli.fields import parse_fields
from slackctl.cli.optiontable import typer_parameters
from slackctl.cli.output import dumps_compact, print_json
from slackctl.cli.verb import Verb
from slackctl.core import api_call
from slackctl.core.api_call import CallPlan, lookup
from slackctl.credentials import TokenKind
from slackctl.errors import SlackApiError, UsageError

if TYPE_CHECKING:
    from slackctl.cli.progress import PageProgress
    from slackctl.core.session import ResolvedToken
    from slackctl.slack.client import SlackClient, SlackResponse


def call_parameters(typer: ModuleType) -> list[inspect.Parameter]:
    """The Typer parameters of `api call`: METHOD, FIELDS, then the options generated from CALL_OPTIONS, the table
    the fast path (cli/fastpath.py) parses with, so the two parsers cannot drift."""
    from typing import Annotated

    from slackctl.cli.commands.api.common import method_argument

    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    fields = typer.Argument(help="Arguments: key=value, key:=json, key=@file, key[sub]=value.", show_default=False)
    return [
        inspect.Parameter("method", positional, annotation=Annotated[str, method_argument()]),
        inspect.Parameter("fields", positional, default=None, annotation=Annotated[list[str] | None, fields]),
        *typer_parameters(CALL_OPTIONS, typer),
    ]


COMMAND = Verb(
    CallOptions,
    parameters=call_parameters,
    epilog="""
    Fields: key=value (string), key:=json (number, bool, array, object), key=@file / key:=@file.json (from a
    file, @- for stdin), key[sub]=value (nested), key[]=value (array). A token comes from the active profile (or
    --profile), never from the command line.
    """,
    examples="""
        slackctl api call auth.test
        slackctl api call chat.postMessage channel=C123 text='hi there'
        slackctl api call chat.postMessage channel=C123 blocks:=@blocks.json
        slackctl api call users.list --paginate --jq '.members[].name'
        slackctl api call conversations.history channel=C123 --jsonl --limit 500 > history.jsonl
        slackctl api call users.info user=U123 --as user -i
        slackctl -p acme api call conversations.list types=private_channel --paginate
    """,
)


class JqProgram(Protocol):
    """A compiled --jq expression (the jq package ships no type hints)."""

    def input_value(self, value: Any) -> Any: ...


def compile_jq(expr: str | None) -> JqProgram | None:
    """Compile --jq before anything is sent, so a typo costs no API call."""
    if expr is None:
        return None
    import jq

    try:
        return jq.compile(expr)
    except ValueError as exc:
        detail = (str(exc).splitlines()[0] if str(exc) else "syntax error").rstrip(": ")
        raise UsageError(f"invalid --jq expression: {detail}", "see https://jqlang.org/manual/") from None


def read_input(ctx: Context, path: str) -> dict[str, Any]:
    from slackctl.cli.fields import loads_strict, read_text_file

    text = ctx.io.stdin.read() if path == "-" else read_text_file(path, "--input")
    try:
        body = loads_strict(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than the parser allows
        raise UsageError(f"--input {path} is not JSON ({exc})", "pass a file holding one JSON object") from None
    if not isinstance(body, dict):
        raise UsageError(
            f"--input {path} must hold a JSON object, not {type(body).__name__}", "wrap the arguments in {...}"
        )
    return body


# -- deciding the request ---------------------------------------------------------------------------------
def check_options(opts: CallOptions) -> None:
    if opts.http_method and opts.http_method.upper() not in ("GET", "POST"):
        raise UsageError(f"-X {opts.http_method}: the Web API takes GET or POST", "use -X GET or -X POST")
    if opts.as_kind and TokenKind.parse(opts.as_kind) is None:
        raise UsageError(f"--as {opts.as_kind}: unknown token kind", "use one of: " + TokenKind.names())
    if opts.no_auth and (opts.token_stdin or opts.as_kind):
        raise UsageError("--no-auth cannot be combined with --token-stdin or --as", "drop one of them")
    stdin_users = [
        name
        for name, used in (
            ("--token-stdin", opts.token_stdin),
            ("--input -", opts.input_file == "-"),
            ("@-", any(f.endswith(("=@-", ":=@-")) for f in opts.fields)),
        )
        if used
    ]
    if len(stdin_users) > 1:
        raise UsageError(f"{' and '.join(stdin_users)} both read stdin", "read one of them from a file instead")
    if (opts.http_method or "").upper() == "GET" and (opts.json_body or opts.input_file):
        raise UsageError(
            "-X GET sends fields in the query string; it cannot carry a JSON body",
            "drop -X GET, or --json-body/--input",
        )
    if opts.jsonl and opts.include:
        raise UsageError("--include cannot be combined with --jsonl", "use --paginate --include")


def plan_call(ctx: Context, opts: CallOptions) -> CallPlan:
    """Read what the command line points at (--input, @files, stdin), then let the core plan the call."""
    info = lookup(opts.method, force=opts.force)
    base = read_input(ctx, opts.input_file) if opts.input_file else None
    parsed = parse_fields(opts.fields, read_stdin=ctx.io.stdin.read, base=base)
    return api_call.plan_call(
        info,
        parsed.values,
        structured=parsed.structured,
        has_body=base is not None,
        http_method=opts.http_method,
        json_body=opts.json_body,
        paginating=opts.paginate or opts.jsonl or opts.limit is not None,
        limit=opts.limit,
        warn=ctx.io.warn,
        inline=parsed.inline,
    )


# -- output -----------------------------------------------------------------------------------------------
def print_headers(ctx: Context, response: SlackResponse) -> None:
    ctx.io.out(f"{response.http_version} {response.status_code} {response.reason}".rstrip())
    for name, value in response.headers.items():
        ctx.io.out(f"{name}: {value}")
    ctx.io.out("")


def emit(ctx: Context, data: Any, program: JqProgram | None, *, encode: Callable[[Any], str] = dumps_compact) -> None:
    """The response (or what --jq makes of it) on stdout; `encode` writes compact JSON when piped."""
    if program is None:
        print_json(ctx.io, data, encode=encode)
        return
    for result in program.input_value(data).all():
        if isinstance(result, str):
            ctx.io.out(result)
        else:
            print_json(ctx.io, result, encode=encode)


def fail(ctx: Context, opts: CallOptions, response: SlackResponse) -> None:
    """ok:false: the response on stdout (scripts may want it), one line with a hint on stderr, exit 1 or 4."""
    data = response.data
    if not opts.silent:
        print_json(ctx.io, data)
    hint = None
    if data.get("error") == "ratelimited":
        wait = response.extra.get("retry_after")
        hint = (
            f"Slack is rate-limiting {response.method}"
            + (f"; it asked to wait {wait:g}s" if wait else "")
            + f" (gave up after {response.retries} retries; raise --max-retries or retry later)"
        )
    if hint is None:
        from slackctl.cli.hints import call_hint

        used = ctx.last_token
        hint = call_hint(
            response.method,
            data,
            used.kind if used else None,
            used.source if used else None,
            other_tokens=_other_tokens(used) if not opts.as_kind else None,
        )
    raise SlackApiError(response.method, data, hint)


def _other_tokens(used: ResolvedToken | None) -> dict[str, list[str]]:
    """The scopes of the profile's bot or user token that the call did not use (for a missing_scope hint)."""
    if used is None or used.profile is None:
        return {}
    profile = used.profile
    return {
        kind: list(profile.scopes.get(kind, []))
        for kind in ("bot", "user")
        if kind != used.kind and kind in profile.kinds
    }


# -- commands ---------------------------------------------------------------------------------------------
def run(ctx: Context, opts: CallOptions) -> None:
    check_options(opts)
    program = compile_jq(opts.jq_expr)
    plan = plan_call(ctx, opts)
    token, profile = resolve_token(
        ctx, plan.info, as_kind=opts.as_kind, token_stdin=opts.token_stdin, no_auth=opts.no_auth
    )
    plan.anonymous = token is None
    paging = opts.jsonl or opts.paginate or opts.limit is not None
    progress = None
    if paging and (ctx.io.stderr_is_tty or opts.progress):
        from slackctl.cli.progress import PageProgress

        progress = PageProgress(
            ctx.io, plan.info.name, live=ctx.io.stderr_is_tty and not ctx.options.verbose, plain=opts.progress
        )
    try:
        with make_client(
            ctx, token, profile, max_retries=opts.max_retries, timeout=opts.timeout, bulk=paging, progress=progress
        ) as client:
            _call(ctx, opts, client, plan, program, progress)
    finally:
        if progress is not None:
            progress.close()


def _call(
    ctx: Context,
    opts: CallOptions,
    client: SlackClient,
    plan: CallPlan,
    program: JqProgram | None,
    progress: PageProgress | None,
) -> None:
    if opts.jsonl:
        stream_items(ctx, opts, client, plan, program, progress)
    elif opts.paginate or opts.limit is not None:
        merge_all(ctx, opts, client, plan, program, progress)
    else:
        response = plan.send(client)
        if opts.include:
            print_headers(ctx, response)
        show_warnings(ctx, plan.info.name, response.data)
        if not response.ok:
            fail(ctx, opts, response)
        if not opts.silent:
            emit(ctx, response.data, program)


def _checked(
    ctx: Context, opts: CallOptions, plan: CallPlan, *, headers: bool, progress: PageProgress | None = None
) -> api_call.OnPage:
    """What the CLI does with each page before the core uses it: headers, warnings, progress, ok:false ends the
    command."""

    def on_page(page: SlackResponse) -> None:
        if progress is not None and page.ok:
            progress.page(page.data)
        if headers:
            print_headers(ctx, page)
        show_warnings(ctx, plan.info.name, page.data)
        if not page.ok:
            fail(ctx, opts, page)

    return on_page


def merge_all(
    ctx: Context,
    opts: CallOptions,
    client: SlackClient,
    plan: CallPlan,
    program: JqProgram | None,
    progress: PageProgress | None = None,
) -> None:
    merged = api_call.merge_pages(
        client, plan, limit=opts.limit, on_page=_checked(ctx, opts, plan, headers=opts.include, progress=progress)
    )
    if progress is not None:
        progress.close()  # the live line goes before the output appears
    if not opts.silent:
        from slackctl.core import bulkjson

        emit(ctx, merged, program, encode=bulkjson.dumps)


def stream_items(
    ctx: Context,
    opts: CallOptions,
    client: SlackClient,
    plan: CallPlan,
    program: JqProgram | None,
    progress: PageProgress | None = None,
) -> None:
    """One JSON line per item, written page by page as the core hands them over."""
    out = ctx.io.stdout
    for items in api_call.page_items(
        client, plan, limit=opts.limit, on_page=_checked(ctx, opts, plan, headers=False, progress=progress)
    ):
        if opts.silent or not items:
            continue
        text = _jsonl_text(items, program)
        try:
            out.write(text)
            out.flush()
        except BrokenPipeError:
            # `| head` has read enough: stop fetching pages and end quietly (exit 0, no stray message).
            _silence_stdout(out)
            return


def _silence_stdout(out: TextIO) -> None:
    """Point the closed pipe's descriptor at /dev/null so the flush at exit cannot fail (Python's advice)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _jsonl_text(items: list[Any], program: JqProgram | None) -> str:
    """The page's JSON lines, each ending in a newline ('' when --jq selects nothing)."""
    from slackctl.core import bulkjson

    if program is None:
        return bulkjson.dumps_lines(items) + "\n"
    lines = [r if isinstance(r, str) else bulkjson.dumps(r) for item in items for r in program.input_value(item).all()]
    return "\n".join(lines) + ("\n" if lines else "")
