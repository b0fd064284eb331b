"""The fast `api call` path (slackctl/fastpath.py) parses exactly what Typer parses, hands Typer whatever it is not
sure about, and runs without importing Typer, click or httpx."""

from __future__ import annotations

import io as iolib
import json
import subprocess
import sys

import pytest

from slackctl.cli import app as app_module
from slackctl.cli import fastpath
from slackctl.cli.argv import hoist_global_options
from slackctl.cli.commands.api import call as _api_run
from slackctl.cli.io import IO


def _typer_parse(args: list[str], monkeypatch) -> tuple[object, object]:
    """(global Options, CallOptions) as the Typer command builds them, captured where call.run receives them."""
    seen: list[tuple[object, object]] = []
    monkeypatch.setattr(_api_run, "run", lambda ctx, opts: seen.append((ctx.options, opts)))
    # Parsing only: the root's check that --profile names a known profile (which reads the config) is not the point.
    from slackctl.core.session import Session

    monkeypatch.setattr(Session, "_check_profile_option", lambda self, config: None)
    hoisted = hoist_global_options(args)
    err = iolib.StringIO()
    code = app_module._click_main(hoisted, IO(stdout=iolib.StringIO(), stderr=err))
    assert code == 0 and len(seen) == 1, (code, err.getvalue())
    return seen[0]


def _fast_parse(args: list[str]) -> tuple[object, object]:
    from slackctl.cli.context import Options

    parsed = fastpath.parse(args)
    assert parsed is not None, f"fast path refused {args}"
    glob, call = parsed
    return Options(**glob), _api_run.CallOptions(**call)


PLAIN = [
    ["api", "call", "auth.test"],
    ["api", "call", "chat.postMessage", "channel=C1", "text=hi there", "blocks:=[]"],
    ["api", "call", "users.list", "--paginate", "--jq", ".members[].name", "--limit", "5"],
    ["api", "call", "users.list", "--jsonl", "--limit=7", "--max-retries=0", "--timeout", "2.5"],
    ["-p", "acme", "api", "call", "auth.test", "-i", "--silent"],
    ["api", "call", "auth.test", "--profile=acme", "-v", "--no-color", "--slack-url", "http://127.0.0.1:9"],
    ["api", "call", "-X", "GET", "conversations.history", "channel=C1", "--as", "user"],
    ["api", "call", "chat.postMessage", "--input", "-", "--json-body", "--token-stdin", "--force", "text=-5"],
    ["api", "call", "api.test", "--no-auth", "--http-method=POST", "-q", ".ok", "--ca-bundle", "/tmp/ca.pem"],
    ["--verbose", "api", "call", "files.info", "file=@-", "--jq", "-x"],
    ["api", "call", "auth.test", "--proxy", "http://u:p@127.0.0.1:3128"],
    ["--proxy=http://127.0.0.1:3128", "api", "call", "auth.test"],
]


@pytest.mark.parametrize("args", PLAIN, ids=lambda a: " ".join(a))
def test_both_parsers_build_the_same_call(args, monkeypatch):
    for var in ("SLACKCTL_PROFILE", "SLACKCTL_SLACK_URL", "SLACKCTL_CA_BUNDLE", "SLACKCTL_TIMEOUT", "SLACKCTL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    assert _fast_parse(args) == _typer_parse(args, monkeypatch)


def test_environment_defaults_are_read_as_typer_reads_them(monkeypatch):
    monkeypatch.setenv("SLACKCTL_PROFILE", "from-env")
    monkeypatch.setenv("SLACKCTL_SLACK_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("SLACKCTL_CA_BUNDLE", "")  # empty: unset, for click as for us
    monkeypatch.setenv("SLACKCTL_TIMEOUT", "4")
    monkeypatch.setenv("SLACKCTL_PROXY", "http://127.0.0.1:3128")
    for args in (["api", "call", "auth.test"], ["-p", "flag", "api", "call", "auth.test", "--timeout", "9"]):
        assert _fast_parse(args) == _typer_parse(args, monkeypatch)


@pytest.mark.parametrize(
    "args",
    [
        ["api", "call", "--help"],
        ["api", "call", "auth.test", "-h"],
        ["api", "call"],
        ["api", "call", "auth.test", "--", "--x=1"],
        ["api", "call", "auth.test", "--limit", "0"],
        ["api", "call", "auth.test", "--limit", "many"],
        ["api", "call", "auth.test", "--timeout", "nan"],
        ["api", "call", "auth.test", "--jq", ".a", "--jq", ".b"],
        ["api", "call", "auth.test", "-iv"],
        ["api", "call", "auth.test", "-XGET"],
        ["api", "call", "auth.test", "--paginate=yes"],
        ["api", "call", "auth.test", "--nope"],
        ["api", "call", "auth.test", "--jq"],
        ["api", "list"],
        ["auth", "status"],
        ["--install-completion", "api", "call", "auth.test"],
    ],
    ids=lambda a: " ".join(a),
)
def test_anything_uncertain_is_left_to_typer(args):
    assert fastpath.parse(args) is None


def test_completion_is_left_to_typer(monkeypatch):
    monkeypatch.setenv("_SLACKCTL_COMPLETE", "complete_bash")
    assert fastpath.parse(["api", "call", "auth.test"]) is None


def test_every_option_of_the_typer_command_is_known_to_the_fast_path():
    """Adding an option to `api call` without teaching the fast path would make it hand the line to Typer
    forever (or worse, misread it): this test names the missing option instead."""
    import click
    import typer

    root = typer.main.get_command(app_module.app)
    ctx = click.Context(root)
    call = root.get_command(ctx, "api").get_command(ctx, "call")  # type: ignore[union-attr]
    known = set(fastpath.CALL_VALUES) | set(fastpath.CALL_FLAGS)
    declared = {
        opt
        for param in call.params
        if param.param_type_name == "option"
        for opt in param.opts + param.secondary_opts
        if opt not in ("--help", "-h")
    }
    assert declared == known
    globals_declared = {
        opt
        for param in root.params
        if param.param_type_name == "option"
        for opt in param.opts
        if opt not in ("--help", "-h", "--version", "--install-completion", "--show-completion")
    }
    assert globals_declared == set(fastpath.GLOBALS)


def test_errors_and_output_match_the_typer_path(cli, emulator, bot_token, monkeypatch):
    """Same stdout, stderr and exit code whichever parser ran, for a success, a Slack error and bad input."""
    cases = [
        ["api", "call", "auth.test"],
        ["api", "call", "conversations.info", "channel=C_NOPE"],
        ["api", "call", "chat.postMessage", "channel=general", "text=a", "text=b"],
        ["api", "call", "chat.postMessag", "channel=general"],
    ]
    env = {"SLACK_BOT_TOKEN": bot_token}
    fast = [cli(*args, env=env) for args in cases]
    monkeypatch.setattr(fastpath, "parse", lambda args: None)  # every line through Typer
    slow = [cli(*args, env=env) for args in cases]
    assert [r.exit_code for r in fast] == [0, 1, 2, 2]
    assert fast == slow


PROBE = """
import json, sys
sys.argv = ["slackctl"] + json.loads(sys.argv[1])
from slackctl.cli.entry import main
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\nRESULT=" + json.dumps([code, sorted(sys.modules)]) + "\\n")
"""


def test_a_plain_call_imports_neither_typer_nor_httpx(emulator, bot_token, slackctl_env):
    env = dict(slackctl_env, SLACK_BOT_TOKEN=bot_token)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["api", "call", "auth.test"])],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    code, modules = json.loads([ln for ln in proc.stderr.splitlines() if ln.startswith("RESULT=")][-1][7:])
    assert code == 0 and json.loads(proc.stdout)["ok"] is True
    assert not [m for m in ("typer", "click", "httpx", "httpcore", "rich", "keyring", "orjson") if m in modules]


def test_call_options_has_one_field_per_row_of_the_option_table():
    import dataclasses

    from slackctl.cli.commands.api.call_options import CALL_OPTIONS, CallOptions

    fields = {f.name: f.default for f in dataclasses.fields(CallOptions)}
    assert set(fields) == {"method", "fields"} | {opt.field for opt in CALL_OPTIONS}
    for opt in CALL_OPTIONS:
        assert fields[opt.field] == (False if opt.is_flag else opt.default), opt.field
