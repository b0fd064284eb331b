"""`slackctl api batch`: many calls of one method from JSON lines, in one process and on one pool of
keep-alive connections; calls that share a key (the channel, by default) go out in order, one at a time, and
different keys go out in parallel, so Slack's per-channel rate limits are waited out side by side."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from slackctl import settings
from slackctl.cli.commands.api.common import call_option, make_client, method_argument, resolve_token, show_warnings
from slackctl.cli.context import Context
from slackctl.cli.fields import loads_strict, read_text_file
from slackctl.cli.output import dumps_compact
from slackctl.cli.verb import Verb
from slackctl.core.api_call import lookup
from slackctl.errors import AUTH_ERROR_CODES, ExitCode, SlackctlError, UsageError


@dataclass
class BatchOptions:
    method: Annotated[str, method_argument()]
    input_file: Annotated[
        str, typer.Option("--input", help="JSON lines file, one call's arguments per line (- for stdin).")
    ] = "-"
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            help="Field whose calls go out in order, one at a time "
            "(default: channel, when the method takes one; '' for "
            "none).",
        ),
    ] = None
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=50, help="Keys sent in parallel.")] = 5
    as_kind: Annotated[str | None, call_option("as_kind")] = None
    no_auth: Annotated[bool, call_option("no_auth")] = False
    max_retries: Annotated[int, call_option("max_retries")] = settings.MAX_RETRIES
    timeout: Annotated[float | None, call_option("timeout")] = None
    force: Annotated[bool, call_option("force")] = False


COMMAND = Verb(
    BatchOptions,
    help="""Each line of the input is one call's arguments as a JSON object; calls that share a --key value
    (a channel, by default) go out in order, one at a time.""",
    examples="""
        printf '%s\\n' '{"channel":"C1","text":"a"}' '{"channel":"C2","text":"b"}' | slackctl api batch chat.postMessage
        slackctl api batch users.info --input users.jsonl --key '' --concurrency 10 > users.out.jsonl
    """,
)


@dataclass
class Outcome:
    line: int
    data: dict[str, Any] | None = None
    error: SlackctlError | None = None


def read_bodies(text: str, source: str) -> list[tuple[int, dict[str, Any]]]:
    """Every non-blank line must be a JSON object; checked before anything is sent."""
    bodies: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            body = loads_strict(line)
        except (ValueError, RecursionError) as exc:
            raise UsageError(
                f"{source} line {number} is not JSON ({exc})",
                'give one JSON object per line, e.g. {"channel": "C123", "text": "hi"}',
            ) from None
        if not isinstance(body, dict):
            raise UsageError(
                f"{source} line {number} must be a JSON object, not {type(body).__name__}",
                "give one JSON object per line",
            )
        if "token" in body:
            raise UsageError(
                f"{source} line {number} has a token field (it would land in files and logs)",
                "use SLACK_TOKEN or a profile: slackctl auth login",
            )
        bodies.append((number, body))
    if not bodies:
        raise UsageError(f"{source} holds no calls", "give one JSON object per line")
    return bodies


def group_by_key(bodies: list[tuple[int, dict[str, Any]]], key: str | None) -> list[list[tuple[int, dict]]]:
    """Lines with the same key value, in input order; lines without the key each stand alone."""
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, body in bodies:
        value = body.get(key) if key else None
        name = json.dumps(value, sort_keys=True) if value is not None else f"#line{number}"
        groups.setdefault(name, []).append((number, body))
    return list(groups.values())


def run(ctx: Context, opts: BatchOptions) -> int:
    info = lookup(opts.method, force=opts.force)
    source = "stdin" if opts.input_file == "-" else opts.input_file
    text = ctx.io.stdin.read() if opts.input_file == "-" else read_text_file(opts.input_file, "--input")
    bodies = read_bodies(text, source)
    key = opts.key if opts.key is not None else ("channel" if "channel" in {**info.required, **info.optional} else None)
    groups = group_by_key(bodies, key or None)
    token, profile = resolve_token(ctx, info, as_kind=opts.as_kind, token_stdin=False, no_auth=opts.no_auth)
    kwargs: dict[str, Any] = {"idempotent": info.is_read, "raise_on_error": False}
    if token is None:
        kwargs["token"] = ""
    # JSON bodies keep numbers, booleans and blocks as they are; form posts for methods that refuse JSON.
    as_json = info.json_body

    stop = threading.Event()
    results: dict[int, Outcome] = {}  # finished calls not printed yet
    printed = [0]  # finished calls already printed (a list so the printer counts in place)
    ready = threading.Condition()
    queue = iter(groups)
    queue_lock = threading.Lock()

    with make_client(ctx, token, profile, max_retries=opts.max_retries, timeout=opts.timeout) as client:

        def call(number: int, body: dict[str, Any]) -> Outcome:
            try:
                if as_json:
                    response = client.call(info.name, json_body=body, **kwargs)
                else:
                    response = client.call(info.name, body, **kwargs)
            except SlackctlError as exc:
                return Outcome(number, error=exc)
            except Exception as exc:  # noqa: BLE001 - reported for this line; the main thread must not wait forever
                return Outcome(
                    number, error=SlackctlError(f"unexpected {type(exc).__name__}", exit_code=ExitCode.API_ERROR)
                )
            show_warnings(ctx, info.name, response.data)
            return Outcome(number, data=response.data)

        def worker() -> None:
            while not stop.is_set():
                with queue_lock:
                    group = next(queue, None)
                if group is None:
                    return
                for number, body in group:
                    if stop.is_set():
                        return
                    outcome = call(number, body)
                    with ready:
                        results[number] = outcome
                        ready.notify_all()

        threads = [
            threading.Thread(target=worker, name=f"batch-{i}", daemon=True)
            for i in range(max(1, min(opts.concurrency, len(groups))))
        ]
        for thread in threads:
            thread.start()
        try:
            worst = _print_in_order(ctx, info.name, [n for n, _ in bodies], results, ready, printed)
        except KeyboardInterrupt:
            stop.set()  # calls already on the wire finish; nothing new is sent
            for thread in threads:
                thread.join()
            ctx.io.err(
                f"interrupted: {printed[0] + len(results)} of {len(bodies)} calls were made; the others were not sent"
            )
            raise
        for thread in threads:
            thread.join()
    return worst


def _print_in_order(
    ctx: Context,
    method: str,
    order: list[int],
    results: dict[int, Outcome],
    ready: threading.Condition,
    printed: list[int],
) -> int:
    """Write each response as one JSON line in input order, as soon as it and all before it are in."""
    worst = int(ExitCode.OK)
    failed = 0
    for outcome in _in_order(order, results, ready):
        printed[0] += 1
        if outcome.error is not None:
            failed += 1
            worst = max(worst, int(outcome.error.exit_code))
            ctx.io.err(f"line {outcome.line}: {outcome.error.message}")
            continue
        assert outcome.data is not None
        ctx.io.out_data(dumps_compact(outcome.data))
        if not outcome.data.get("ok"):
            failed += 1
            error = str(outcome.data.get("error"))
            code = ExitCode.AUTH if error in AUTH_ERROR_CODES else ExitCode.API_ERROR
            worst = max(worst, int(code))
            ctx.io.err(f"line {outcome.line}: {method} failed: {error}")
    if failed:
        ctx.io.err(f"{failed} of {len(order)} calls failed")
    return worst


def _in_order(order: list[int], results: dict[int, Outcome], ready: threading.Condition) -> Iterator[Outcome]:
    for number in order:
        with ready:
            # A timeout on the wait keeps Ctrl-C responsive in the main thread.
            while number not in results:
                ready.wait(0.2)
            outcome = results.pop(number)
        yield outcome
