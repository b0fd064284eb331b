"""Write slackctl/emulator/webapi/shapes.json: for every Web API method, the fields of a successful answer, from the
response types of Slack's Node SDK (@slack/web-api, MIT; see slackctl/emulator/webapi/SHAPES-LICENSE).

Usage: npm pack @slack/web-api && tar xzf slack-web-api-*.tgz && python scripts/gen_response_shapes.py package

The types are read as data (field names and their JSON types), never run: each `export type XResponse =
WebAPICallResult & {...}` and `export interface Name {...}` of dist/types/response/*.d.ts becomes a skeleton with
"" for strings, 0 for numbers, false for booleans and [] for lists, nested objects to a depth of three.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "slackctl" / "emulator" / "webapi" / "shapes.json"
# Fields every answer may carry on failure, or that the dispatcher adds itself.
DROP = {"ok", "error", "needed", "provided", "warning", "response_metadata", "errors"}
MAX_DEPTH = 3
BLOCK = re.compile(r"export (?:type (\w+) = WebAPICallResult & \{|interface (\w+) \{)")


def fields(body: str) -> dict[str, str]:
    """name -> type text of the fields at the top level of a `{...}` body."""
    out: dict[str, str] = {}
    depth, start = 0, 0
    for i, ch in enumerate(body):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ";" and depth == 0:
            part = body[start:i].strip()
            start = i + 1
            m = re.match(r"""['"]?([\w$\-. ]+?)['"]?\??\s*:\s*(.*)$""", part, re.S)
            if m and not part.startswith("["):
                out[m.group(1)] = m.group(2).strip()
    return out


def blocks(text: str) -> dict[str, str]:
    """type or interface name -> its body."""
    out: dict[str, str] = {}
    for m in BLOCK.finditer(text):
        name = m.group(1) or m.group(2)
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out[name] = text[m.end() : i - 1]
    return out


def value(type_text: str, types: dict[str, str], depth: int) -> Any:
    t = type_text.split("|")[0].strip() if not type_text.startswith("{") else type_text
    if t.endswith("[]"):
        return []
    if t.startswith("{"):
        return {}
    if t == "string":
        return ""
    if t == "number":
        return 0
    if t == "boolean":
        return False
    if t in types and depth < MAX_DEPTH:
        return {k: value(v, types, depth + 1) for k, v in sorted(fields(types[t]).items())}
    return {} if t in types else None


def main(package: str) -> int:
    folder = Path(package) / "dist" / "types" / "response"
    shapes: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*Response.d.ts")):
        types = blocks(path.read_text())
        top = path.name[: -len(".d.ts")]
        if top not in types:
            continue
        shape = {k: value(v, types, 1) for k, v in sorted(fields(types[top]).items()) if k not in DROP}
        shapes[top[: -len("Response")]] = shape
    OUT.write_text(json.dumps(shapes, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{len(shapes)} response shapes -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "package"))
