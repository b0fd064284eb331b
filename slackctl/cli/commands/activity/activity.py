"""`slackctl activity`: the app's activity log (apps.activities.list) — trigger runs, workflow and step results,
function executions and errors — newest last; --tail keeps following it, as `gh run watch` and `stripe logs tail`
do. Needs a user token with hosting:read (SLACK_TOKEN, else the profile's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from slackctl.cli.commands.trigger.common import DEFAULT_ENV, USER_TOKEN_HELP, AppOption, EnvOption, JsonOption
from slackctl.cli.verb import Verb

if TYPE_CHECKING:
    from slackctl.cli.context import Context

EXAMPLES = """
    slackctl activity --app A0123456789
    slackctl activity --tail --min-level error
    slackctl activity --since 1h --component functions --json
"""


@dataclass
class ActivityOptions:
    """The options of `slackctl activity` (Slack CLI's, --min-level for its --level)."""

    tail: Annotated[bool, typer.Option("--tail", help="Keep printing new entries until Ctrl-C (or --idle).")] = False
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=1000, help="How many of the newest entries to show first.")
    ] = 100
    min_level: Annotated[
        str, typer.Option("--min-level", "--level", help="trace, debug, info, warn, error or fatal.")
    ] = "info"
    source: Annotated[str | None, typer.Option("--source", help="slack or developer.")] = None
    component: Annotated[
        str | None, typer.Option("--component", help="events_api, workflows, functions or tables.")
    ] = None
    component_id: Annotated[
        str | None, typer.Option("--component-id", help="One function (Fn…), workflow (Wf…) or trigger (Ft…).")
    ] = None
    event: Annotated[str | None, typer.Option("--event", help="One event type, e.g. function_execution_result.")] = None
    since: Annotated[
        str | None, typer.Option("--since", help="Only entries since: 30s, 10m, 2h, 1d or an ISO time.")
    ] = None
    interval: Annotated[float, typer.Option("--interval", min=0.05, help="Seconds between polls with --tail.")] = 3.0
    idle: Annotated[
        float | None,
        typer.Option("--idle", min=0, help="With --tail, stop after this many minutes without a new entry."),
    ] = None
    app: AppOption = None
    env: EnvOption = DEFAULT_ENV
    json_out: JsonOption = False


COMMAND = Verb(ActivityOptions, examples=EXAMPLES, help=USER_TOKEN_HELP)


def run(ctx: Context, opts: ActivityOptions) -> int:
    import json
    import time

    from slackctl.cli.commands.trigger import common
    from slackctl.core import activity

    filters = activity.check(
        activity.Filters(
            min_level=opts.min_level,
            source=opts.source,
            component=opts.component,
            component_id=opts.component_id,
            event=opts.event,
            since_us=activity.parse_since(opts.since, ctx.clock()) if opts.since else None,
        )
    )

    def show(entries: list[dict[str, object]]) -> None:
        for entry in entries:
            ctx.io.out_data(json.dumps(entry, ensure_ascii=False)) if opts.json_out else ctx.io.out(
                activity.line(entry)
            )

    with common.client(ctx, kinds=("user", "bot")) as slack:
        app_id = common.app_id(ctx, slack, opts.app, opts.env, required=True)
        assert app_id is not None
        entries = activity.recent(slack, app_id, filters, opts.limit)
        show(entries)
        if not opts.tail:
            return 0
        last = entries[-1]["created"] if entries else int(ctx.clock() * 1_000_000)
        quiet_since = time.monotonic()
        while opts.idle is None or time.monotonic() - quiet_since < opts.idle * 60:
            time.sleep(opts.interval)
            fresh = activity.newer(slack, app_id, filters, int(str(last)))
            if fresh:
                show(fresh)
                last = fresh[-1]["created"]
                quiet_since = time.monotonic()
    return 0
