#!/usr/bin/env python3
"""Generate slackctl/slack/methods.json, the packaged Web API method catalog, from a facts-only methods file.

Usage: python scripts/gen_catalog.py [SOURCE...] [--out PATH] [--check]

SOURCE defaults to tests/data/slack-methods/slack-methods.json (or $SLACKCTL_METHODS_SOURCE) and the supplements
beside it (workflows-triggers.json: methods the main source lacks); several sources are merged, and a method named
in two of them is an error, so a supplement never silently overrides the main source. Only facts are kept
(names, verbs, argument names/types/required, scopes per token type, tiers, JSON support, deprecation, error
code names) and re-shaped into slackctl's own compact format, read by slackctl/slack/catalog.py:

    {"format": 1, "methods": {"chat.postMessage": {
        "http": "POST",            # documented HTTP verb
        "json": true,              # accepts a JSON body (omitted when false)
        "auth": true,              # takes a token (omitted when false)
        "req": {"channel": "string"},   # required arguments -> type ("" when unknown); token is left out
        "opt": {"blocks": "string"},    # optional arguments
        "scopes": {"bot": [...], "user": [...]},
        "tier": "1".."4" | "special",
        "deprecated": true,        # omitted when false
        "errors": ["channel_not_found", ...]}}}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "slack-methods"
DEFAULT_SOURCES = [str(SOURCE_DIR / "slack-methods.json"), str(SOURCE_DIR / "workflows-triggers.json")]
DEFAULT_OUT = ROOT / "slackctl" / "slack" / "methods.json"
FORMAT = 1
# The source spells token types its own way; slackctl's credential kinds are bot, user, app, config.
TOKEN_TYPES = {"bot": "bot", "user": "user", "configuration": "config", "seamless_user": "seamless_user", "app": "app"}


def tier(raw: str | None) -> str | None:
    if raw is None:
        return None
    raw = raw.lower()
    if raw in ("t5", "special"):
        return "special"
    if raw.startswith("t") and raw[1:].isdigit():
        return raw[1:]
    return raw


def convert_method(spec: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = spec.get("args") or {}
    entry: dict[str, Any] = {"http": str(spec.get("http_method") or "POST").upper()}
    if spec.get("json_body"):
        entry["json"] = True
    if "token" in args:
        entry["auth"] = True
    required = {n: (a.get("type") or "") for n, a in sorted(args.items()) if n != "token" and a.get("required")}
    optional = {n: (a.get("type") or "") for n, a in sorted(args.items()) if n != "token" and not a.get("required")}
    if required:
        entry["req"] = required
    if optional:
        entry["opt"] = optional
    scopes = {TOKEN_TYPES.get(k, k): sorted(v) for k, v in sorted((spec.get("scopes") or {}).items()) if v}
    if scopes:
        entry["scopes"] = scopes
    t = tier(spec.get("rate_tier"))
    if t:
        entry["tier"] = t
    if spec.get("deprecated"):
        entry["deprecated"] = True
    if spec.get("errors"):
        entry["errors"] = sorted(set(spec["errors"]))
    return entry


def merge(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """The methods of every source; a name in two sources is an error (a supplement adds, never overrides)."""
    merged: dict[str, Any] = {}
    for source in sources:
        methods = source.get("methods", source)
        if not isinstance(methods, dict) or not methods:
            raise SystemExit("source has no methods")
        twice = sorted(set(methods) & set(merged))
        if twice:
            raise SystemExit(f"methods in two sources: {', '.join(twice)}")
        merged.update(methods)
    return merged


def build(*sources: dict[str, Any]) -> dict[str, Any]:
    methods = merge(list(sources))
    return {"format": FORMAT, "methods": {name: convert_method(methods[name]) for name in sorted(methods)}}


def render(catalog: dict[str, Any]) -> str:
    # One method per line: compact, yet a catalog update shows up as a readable diff.
    lines = [f'{{"format":{catalog["format"]},"methods":{{']
    items = list(catalog["methods"].items())
    for i, (name, entry) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(json.dumps(name) + ":" + json.dumps(entry, separators=(",", ":"), sort_keys=True) + comma)
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    env = os.environ.get("SLACKCTL_METHODS_SOURCE")
    parser.add_argument("source", nargs="*", default=[env] if env else DEFAULT_SOURCES)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file is out of date")
    args = parser.parse_args(argv)
    text = render(build(*(json.loads(Path(p).read_text(encoding="utf-8")) for p in args.source)))
    out = Path(args.out)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date: run python scripts/gen_catalog.py", file=sys.stderr)
            return 1
        return 0
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    print(f"wrote {out} ({len(json.loads(text)['methods'])} methods, {len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
