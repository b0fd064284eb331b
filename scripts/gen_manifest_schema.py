"""Generate slackctl/slack/manifest_schema.json from Slack's published manifest JSON Schemas (v1 and v2).

Usage: python scripts/gen_manifest_schema.py [SOURCE_DIR]   (default: tests/data/slack-manifest-schema)

What it does, so the shipped file is ours and small:
- keeps only validation keywords (type, properties, required, enum, pattern, lengths, counts, $ref, ...);
  prose (description, title, $comment, notes, defaults, examples) is dropped;
- renames definitions to short names under a version prefix ("v1:features.app_home") and rewrites $refs;
- joins both major versions into one draft-07 schema that picks v2 when `_metadata.major_version` is 2
  (if/then/else rather than Slack's oneOf, so validation errors point at the real problem; any other
  major_version is refused, as Slack's oneOf refuses it);
- writes canonical JSON (sorted keys) so regenerating is a no-op diff.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "slackctl" / "slack" / "manifest_schema.json"
DEFAULT_SOURCE = Path(__file__).resolve().parents[1] / "tests" / "data" / "slack-manifest-schema"
SOURCES = {"v1": "manifest.schema.1.0.0.json", "v2": "manifest.schema.2.0.0.json"}

# JSON-Schema keywords that only carry prose or editor hints: validation never reads them.
PROSE = {"description", "title", "$comment", "_note", "default", "examples", "markdownDescription", "$schema", "$id"}
# Keywords whose value is a map of NAME -> schema (names are data, not keywords: never strip them).
SCHEMA_MAPS = {"properties", "patternProperties", "definitions", "$defs", "dependencies"}


def short_name(name: str) -> str:
    """'app-manifests.v1.hermes.functions' -> 'functions'; 'slack-functions.parameter' -> 'function.parameter'."""
    name = re.sub(r"^app-manifests\.(v\d+\.)?", "", name)
    name = re.sub(r"^slack-functions\.", "function.", name)
    name = name.replace("hermes.", "")
    return re.sub(r"\.schema$", "", name) or "root"


def reshape(node: Any, version: str) -> Any:
    """Drop prose, rewrite local $refs to our renamed definitions, recursively."""
    if isinstance(node, list):
        return [reshape(item, version) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in PROSE:
            continue
        if key == "$ref":
            match = re.match(r"^#/definitions/(.+)$", value)
            if not match:
                raise SystemExit(f"unexpected non-local $ref in {version}: {value}")
            out[key] = f"#/definitions/{version}:{short_name(match.group(1))}"
        elif key in SCHEMA_MAPS:
            out[key] = {name: reshape(sub, version) for name, sub in value.items()}
        else:
            out[key] = reshape(value, version)
    return out


def build(source: Path) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for version, filename in SOURCES.items():
        raw = json.loads((source / filename).read_text())
        for name, body in raw.pop("definitions", {}).items():
            key = f"{version}:{short_name(name)}"
            if key in definitions:
                raise SystemExit(f"two definitions collapse to {key}")
            definitions[key] = reshape(body, version)
        root = reshape(raw, version)
        # `$schema` is a property a manifest may carry (a pointer for editors); keep it allowed.
        root.setdefault("properties", {})["$schema"] = {"type": "string"}
        definitions[version] = root
    is_v2 = {
        "type": "object",
        "required": ["_metadata"],
        "properties": {
            "_metadata": {
                "type": "object",
                "required": ["major_version"],
                "properties": {"major_version": {"const": 2}},
            }
        },
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "x-slackctl": {
            "generated-by": "scripts/gen_manifest_schema.py",
            "derived-from": "slackapi/manifest-schema v1.0.0 and v2.0.0, MIT License, "
            "Copyright (c) Slack Technologies, LLC",
        },
        "type": "object",
        # Slack's oneOf has a branch for major_version 1, one for 2 and two for no major_version: any other
        # value matches none of them, so the manifest is invalid (if/else alone would send 3 to v1 and pass it).
        "properties": {"_metadata": {"properties": {"major_version": {"enum": [1, 2]}}}},
        "if": is_v2,
        "then": {"$ref": "#/definitions/v2"},
        "else": {"$ref": "#/definitions/v1"},
        "definitions": definitions,
    }


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    schema = build(source)
    text = json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text)} bytes, {len(schema['definitions'])} definitions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
