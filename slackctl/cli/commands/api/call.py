"""`slackctl api call`: one Web API call (or every page of one), printed as JSON, JSON lines or through jq;
also the look-ups and client set-up the other api verbs share."""

from __future__ import annotations

from typing import Any

from slackctl import settings
from slackctl.cli.commands.api.call_options import CallOptions
from slackctl.cli.context import Context
from slackctl.cli.fields import parse_fields
from slackctl.cli.output import print_json
from slackctl.core import api_call
from slackctl.core.api_call import CallPlan, lookup
from slackctl.credentials import TokenKind
from slackctl.errors import AuthError, SlackApiError, UsageError
from slackctl.slack.catalog import MethodInfo


def compile_jq(expr: str | None) -> Any:
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
        raise UsageError(f"--input {path} must hold a JSON object, not {type(body).__name__}",
                         "wrap the arguments in {...}")
    return body


# -- deciding the request ---------------------------------------------------------------------------------
def check_options(opts: CallOptions) -> None:
    if opts.http_method and opts.http_method.upper() not in ("GET", "POST"):
        raise UsageError(f"-X {opts.http_method}: the Web API takes GET or POST", "use -X GET or -X POST")
    if opts.as_kind and TokenKind.parse(opts.as_kind) is None:
        raise UsageError(f"--as {opts.as_kind}: unknown token kind", "use one of: " + TokenKind.names())
    if opts.no_auth and (opts.token_stdin or opts.as_kind):
        raise UsageError("--no-auth cannot be combined with --token-stdin or --as", "drop one of them")
    stdin_users = [name for name, used in (("--token-stdin", opts.token_stdin),
                                           ("--input -", opts.input_file == "-"),
                                           ("@-", any(f.endswith(("=@-", ":=@-")) for f in opts.fields)))
                   if used]
    if len(stdin_users) > 1:
        raise UsageError(f"{' and '.join(stdin_users)} both read stdin", "read one of them from a file instead")
    if (opts.http_method or "").upper() == "GET" and (opts.json_body or opts.input_file):
        raise UsageError("-X GET sends fields in the query string; it cannot carry a JSON body",
                         "drop -X GET, or --json-body/--input")
    if opts.jsonl and opts.include:
        raise UsageError("--include cannot be combined with --jsonl", "use --paginate --include")


def plan_call(ctx: Context, opts: CallOptions) -> CallPlan:
    """Read what the command line points at (--input, @files, stdin), then let the core plan the call."""
    info = lookup(opts.method, force=opts.force)
    base = read_input(ctx, opts.input_file) if opts.input_file else None
    parsed = parse_fields(opts.fields, read_stdin=ctx.io.stdin.read, base=base)
    return api_call.plan_call(info, parsed.values, structured=parsed.structured, has_body=base is not None,
                              http_method=opts.http_method, json_body=opts.json_body,
                              paginating=opts.paginate or opts.jsonl or opts.limit is not None, limit=opts.limit,
                              warn=ctx.io.warn, inline=parsed.inline)


def resolve_token(ctx: Context, info: MethodInfo, *, as_kind: str | None, token_stdin: bool,
                  no_auth: bool) -> tuple[str | None, Any]:
    """(token, profile): --no-auth, --token-stdin, env, then the profile's token the method's scopes prefer."""
    if no_auth or (not info.auth and not token_stdin and not as_kind):
        return None, None
    if token_stdin:
        lines = [line.strip() for line in ctx.io.stdin.read().splitlines() if line.strip()]
        if not lines:
            raise UsageError("--token-stdin: no token on stdin", "pipe it in: printenv SLACK_TOKEN | slackctl ...")
        token = lines[0]
        if token.startswith(("xoxc-", "xoxd-")):
            raise AuthError("web-client session tokens (xoxc-/xoxd-) cannot be used with the Web API",
                            "use a bot or user token of an app: https://api.slack.com/apps")
        return token, None
    resolved = ctx.resolve_token(as_kind, prefer=info.token_preference)
    return resolved.token, resolved.profile


def make_client(ctx: Context, token: str | None, profile: Any, *, max_retries: int, timeout: float | None,
                bulk: bool = False, progress: Any = None) -> Any:
    """The client for an api command; `bulk` (paging) decodes responses with orjson (see slackctl/core/bulkjson.py).
    `progress` (cli/progress.py) shows retry waits in its live line instead of a line each."""
    io = ctx.io
    show_waits = io.stderr_is_tty or ctx.options.verbose

    def on_wait(seconds: float, reason: str) -> None:
        if progress is not None and progress.wait(seconds, reason):
            return
        # Short back-off stays quiet when piped; a wait of a second or more is always announced, so a
        # rate-limited CI job says why it is not moving.
        if show_waits or seconds >= 1:
            io.err(io.dim(f"… {reason}: retrying in {seconds:.1f}s"))

    extra: dict[str, Any] = {}
    if bulk:
        from slackctl.core import bulkjson

        extra["json_loads"] = bulkjson.loads
    return ctx.client(token, profile=profile, max_retries=max_retries, on_wait=on_wait,
                      timeout=timeout or settings.HTTP_TIMEOUT_SECONDS, **extra)


# -- output -----------------------------------------------------------------------------------------------
def show_warnings(ctx: Context, method: str, data: dict[str, Any]) -> None:
    seen: list[str] = []
    for w in str(data.get("warning") or "").split(","):
        if w.strip():
            seen.append(w.strip())
    meta = data.get("response_metadata")
    if isinstance(meta, dict):
        seen.extend(str(w) for w in meta.get("warnings") or [] if str(w) not in seen)
    for w in seen:
        ctx.io.warn(f"{method}: {w}")


def print_headers(ctx: Context, response: Any) -> None:
    ctx.io.out(f"{response.http_version} {response.status_code} {response.reason}".rstrip())
    for name, value in response.headers.items():
        ctx.io.out(f"{name}: {value}")
    ctx.io.out("")


def emit(ctx: Context, data: Any, program: Any, *, encode: Any = None) -> None:
    """The response (or what --jq makes of it) on stdout; `encode` writes compact JSON when piped."""
    kwargs = {"encode": encode} if encode else {}
    if program is None:
        print_json(ctx.io, data, **kwargs)
        return
    for result in program.input_value(data).all():
        if isinstance(result, str):
            ctx.io.out(result)
        else:
            print_json(ctx.io, result, **kwargs)


def fail(ctx: Context, opts: CallOptions, response: Any) -> None:
    """ok:false: the response on stdout (scripts may want it), one line with a hint on stderr, exit 1 or 4."""
    data = response.data
    if not opts.silent:
        print_json(ctx.io, data)
    hint = None
    if data.get("error") == "ratelimited":
        wait = response.extra.get("retry_after")
        hint = (f"Slack is rate-limiting {response.method}" + (f"; it asked to wait {wait:g}s" if wait else "")
                + f" (gave up after {response.retries} retries; raise --max-retries or retry later)")
    if hint is None:
        from slackctl.cli.hints import call_hint

        used = ctx.last_token
        hint = call_hint(response.method, data, used.kind if used else None, used.source if used else None)
    raise SlackApiError(response.method, data, hint)


# -- commands ---------------------------------------------------------------------------------------------
def run(ctx: Context, opts: CallOptions) -> None:
    check_options(opts)
    program = compile_jq(opts.jq_expr)
    plan = plan_call(ctx, opts)
    token, profile = resolve_token(ctx, plan.info, as_kind=opts.as_kind, token_stdin=opts.token_stdin,
                                   no_auth=opts.no_auth)
    kwargs: dict[str, Any] = {"json_body": plan.json_body, "http_method": plan.http_method,
                              "idempotent": plan.info.is_read, "raise_on_error": False}
    if token is None:
        kwargs["token"] = ""  # explicit: no Authorization header at all
    paging = opts.jsonl or opts.paginate or opts.limit is not None
    progress = None
    if paging and (ctx.io.stderr_is_tty or opts.progress):
        from slackctl.cli.progress import PageProgress

        progress = PageProgress(ctx.io, plan.info.name, live=ctx.io.stderr_is_tty and not ctx.options.verbose,
                                plain=opts.progress)
    try:
        with make_client(ctx, token, profile, max_retries=opts.max_retries, timeout=opts.timeout, bulk=paging,
                         progress=progress) as client:
            _call(ctx, opts, client, plan, kwargs, program, progress)
    finally:
        if progress is not None:
            progress.close()


def _call(ctx: Context, opts: CallOptions, client: Any, plan: CallPlan, kwargs: dict[str, Any], program: Any,
          progress: Any) -> None:
    if opts.jsonl:
        stream_items(ctx, opts, client, plan, kwargs, program, progress)
    elif opts.paginate or opts.limit is not None:
        merge_all(ctx, opts, client, plan, kwargs, program, progress)
    else:
        response = client.call(plan.info.name, plan.params, **kwargs)
        if opts.include:
            print_headers(ctx, response)
        show_warnings(ctx, plan.info.name, response.data)
        if not response.ok:
            fail(ctx, opts, response)
        if not opts.silent:
            emit(ctx, response.data, program)


def _checked(ctx: Context, opts: CallOptions, plan: CallPlan, *, headers: bool,
             progress: Any = None) -> api_call.OnPage:
    """What the CLI does with each page before the core uses it: headers, warnings, progress, ok:false ends the
    command."""

    def on_page(page: Any) -> None:
        if progress is not None and page.ok:
            progress.page(page.data)
        if headers:
            print_headers(ctx, page)
        show_warnings(ctx, plan.info.name, page.data)
        if not page.ok:
            fail(ctx, opts, page)

    return on_page


def merge_all(ctx: Context, opts: CallOptions, client: Any, plan: CallPlan, kwargs: dict[str, Any],
              program: Any, progress: Any = None) -> None:
    merged = api_call.merge_pages(client, plan, kwargs, limit=opts.limit,
                                  on_page=_checked(ctx, opts, plan, headers=opts.include, progress=progress))
    if progress is not None:
        progress.close()  # the live line goes before the output appears
    if not opts.silent:
        from slackctl.core import bulkjson

        emit(ctx, merged, program, encode=bulkjson.dumps)


def stream_items(ctx: Context, opts: CallOptions, client: Any, plan: CallPlan, kwargs: dict[str, Any],
                 program: Any, progress: Any = None) -> None:
    """One JSON line per item, written page by page as the core hands them over."""
    out = ctx.io.stdout
    for items in api_call.page_items(client, plan, kwargs, limit=opts.limit,
                                     on_page=_checked(ctx, opts, plan, headers=False, progress=progress)):
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


def _silence_stdout(out: Any) -> None:
    """Point the closed pipe's descriptor at /dev/null so the flush at exit cannot fail (Python's advice)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _jsonl_text(items: list[Any], program: Any) -> str:
    """The page's JSON lines, each ending in a newline ('' when --jq selects nothing)."""
    from slackctl.core import bulkjson

    if program is None:
        return bulkjson.dumps_lines(items) + "\n"
    lines = [r if isinstance(r, str) else bulkjson.dumps(r) for item in items for r in program.input_value(item).all()]
    return "\n".join(lines) + ("\n" if lines else "")


