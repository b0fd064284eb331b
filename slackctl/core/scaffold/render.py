"""Template variables: the metadata file, `{{ var }}` substitution in contents and names, renaming plain repos."""

from __future__ import annotations

import codecs
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slackctl.core.scaffold.discover import METADATA_FILE
from slackctl.core.scaffold.limits import MAX_METADATA_BYTES, MAX_RENDERED_BYTES, read_bounded
from slackctl.errors import UsageError

# Only names a template declared (or the built-in ones) are replaced, so other `{{ … }}` text — workflow
# expressions like {{inputs.channel}} in manifests, Jinja in a project's own files — passes through untouched.
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# A `{{ name }}` cut by a chunk boundary: the only tails worth carrying into the next chunk.
_PARTIAL_PLACEHOLDER = re.compile(r"\{\{?|\{\{\s*(?:[A-Za-z_][A-Za-z0-9_]*)?\s*\}?")
_MAX_CARRY = 64 * 1024
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
QUESTION_TYPES = ("text", "select", "confirm", "url")
# File contents whose string values are escaped as JSON strings (TOML basic strings use the same escapes).
_ESCAPED_SUFFIXES = (".json", ".toml")
MAX_APP_NAME = 35  # display_information.name in a Slack manifest
MAX_DESCRIPTION = 140  # display_information.description


@dataclass
class Question:
    variable: str
    prompt: str
    type: str = "text"
    choices: list[str] = field(default_factory=list)


@dataclass
class TemplateMeta:
    """The parsed `slackctl-template.toml`; `present` is False for a plain repository."""

    description: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    present: bool = False


def load_meta(root: Path) -> TemplateMeta:
    path = root / METADATA_FILE
    if path.is_symlink():
        raise UsageError(f"{METADATA_FILE} must be a regular file, not a link", "fix the template")
    if not path.is_file():
        return TemplateMeta()
    where = METADATA_FILE
    try:
        data = tomllib.loads(read_bounded(path, MAX_METADATA_BYTES, METADATA_FILE).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{where}: invalid TOML: {exc}", "fix the template's metadata file") from None
    meta = TemplateMeta(present=True)
    meta.description = _string(data.get("description", ""), f"{where}: description")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise UsageError(f'{where}: [variables] must be a table of name = "default"', "fix the template")
    for name, default in variables.items():
        if not _NAME.match(name):
            raise UsageError(f"{where}: bad variable name {name!r}", "use letters, digits and _")
        if isinstance(default, bool):
            default = "true" if default else "false"
        meta.variables[name] = _string(
            default if not isinstance(default, int | float) else str(default), f"{where}: variables.{name}"
        )
    questions = data.get("questions", [])
    if not isinstance(questions, list):
        raise UsageError(f"{where}: questions must be an array of tables ([[questions]])", "fix the template")
    for i, q in enumerate(questions):
        if not isinstance(q, dict) or not isinstance(q.get("variable"), str) or not _NAME.match(q["variable"]):
            raise UsageError(f'{where}: questions[{i}] needs variable = "name"', "fix the template")
        kind = q.get("type", "text")
        if kind not in QUESTION_TYPES:
            raise UsageError(
                f"{where}: questions[{i}].type must be one of {', '.join(QUESTION_TYPES)}", "fix the template"
            )
        choices = [str(c) for c in q.get("choices", [])] if isinstance(q.get("choices", []), list) else []
        if kind == "select" and not choices:
            raise UsageError(f"{where}: questions[{i}] is a select without choices", "fix the template")
        meta.questions.append(Question(q["variable"], _string(q.get("prompt", q["variable"]), where), kind, choices))
        meta.variables.setdefault(q["variable"], choices[0] if choices else "")
    exclude = data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude):
        raise UsageError(f"{where}: exclude must be an array of glob patterns", "fix the template")
    meta.exclude = exclude
    return meta


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{where} must be a string", "fix the template's metadata file")
    return value


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "slack-app"


def package_name(name: str) -> str:
    ident = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "slack_app"
    return "app_" + ident if ident[0].isdigit() else ident


def check_app_name(name: str) -> str:
    """App names become a folder, a manifest display name and a package name: keep them plain and short."""
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", name):
        raise UsageError(
            f"app name {name!r} may contain only letters, digits, '.', '_' and '-' and must start "
            "with a letter or digit",
            "e.g. slackctl create my-app",
        )
    if len(name) > MAX_APP_NAME:
        raise UsageError(
            f"app name is {len(name)} characters; Slack allows at most {MAX_APP_NAME}", "pick a shorter name"
        )
    return name


def check_description(text: str) -> str:
    text = text.strip()
    if not text:
        raise UsageError("--description is empty", "describe the app in a few words, or leave the option out")
    if len(text) > MAX_DESCRIPTION:
        raise UsageError(
            f"description is {len(text)} characters; Slack allows at most {MAX_DESCRIPTION}", "shorten --description"
        )
    if any(ord(ch) < 32 for ch in text):
        raise UsageError("description must be one line of text", "remove line breaks and control characters")
    return text


def url_problem(value: str) -> str | None:
    """What is wrong with a public base URL a template appends paths to (`{{ public_url }}/slack/events`), or None:
    Slack sends events only to https, and a trailing slash would make `//slack/events`."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme != "https" or not parts.hostname:
        return "must be an https:// URL with a host (Slack sends requests only to HTTPS)"
    if value.strip().endswith("/"):
        return "must not end with '/' (paths such as /slack/events are added to it)"
    if parts.query or parts.fragment:
        return "must not have a ?query or #fragment"
    return None


def build_variables(
    meta: TemplateMeta, app_name: str, description: str | None, overrides: dict[str, str]
) -> dict[str, str]:
    """Metadata defaults < the built-in names < --description and --var / answers (a `url` question's value is
    checked with url_problem)."""
    values = dict(meta.variables)
    values.update({"app_name": app_name, "slug": slugify(app_name), "package_name": package_name(app_name)})
    values["description"] = check_description(description or values.get("description") or f"{app_name}, a Slack app")
    for key, value in overrides.items():
        if key in ("app_name", "slug", "package_name"):
            raise UsageError(f"--var {key} is set from the app name", "pass the name as the NAME argument")
        values[key] = check_description(value) if key == "description" else value
    for q in meta.questions:
        problem = url_problem(values.get(q.variable, "")) if q.type == "url" and q.variable in overrides else None
        if problem:
            raise UsageError(
                f"{q.variable} {problem} (got {values[q.variable]!r})",
                f"e.g. --var {q.variable}=https://bot.example.com",
            )
    return values


def render_text(text: str, variables: dict[str, str], *, suffix: str = "") -> str:
    escape = suffix.lower() in _ESCAPED_SUFFIXES

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            return match.group(0)
        return json.dumps(variables[name], ensure_ascii=False)[1:-1] if escape else variables[name]

    return _PLACEHOLDER.sub(value, text)


def render_name(name: str, variables: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), name)


def used_variables(text: str, variables: dict[str, str]) -> list[str]:
    """The known variables `text` refers to, in order, each once (for messages naming the culprit)."""
    return list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) in variables))


class PlaceholderScan:
    """Fed a file chunk by chunk: does it render (UTF-8 text, no NUL, a placeholder of a known variable)?"""

    def __init__(self, variables: dict[str, str]) -> None:
        self.variables = variables
        self.binary = False
        self.found = False
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._carry = ""

    def feed(self, chunk: bytes) -> None:
        if self.binary or self.found:
            return
        if b"\0" in chunk:
            self.binary = True
            return
        try:
            text = self._carry + self._decoder.decode(chunk)
        except UnicodeDecodeError:
            self.binary = True
            return
        if any(m.group(1) in self.variables for m in _PLACEHOLDER.finditer(text)):
            self.found = True
            return
        # Carry an unfinished `{{ name }` into the next chunk; nothing else can still become a placeholder.
        start = text.rfind("{")
        if start > 0 and text[start - 1] == "{":
            start -= 1
        tail = text[start:] if start >= 0 else ""
        self._carry = tail if tail and _PARTIAL_PLACEHOLDER.fullmatch(tail) else ""
        if len(self._carry) > _MAX_CARRY:
            self.found = True  # 64k characters of `{{   …`: take it as a placeholder rather than copy it unrendered

    def renders(self) -> bool:
        if not self.binary and not self.found:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.binary = True
        return self.found and not self.binary


def rename_plain_project(root: Path, variables: dict[str, str], *, description_given: bool) -> list[str]:
    """A repository without metadata is copied as it is, then renamed: the manifest's display name (and bot
    name), the name in pyproject.toml and package.json. Returns the files changed."""
    changed: list[str] = []
    manifest = root / "manifest.json"
    if manifest.is_file() and not manifest.is_symlink():
        try:
            data = json.loads(read_bounded(manifest, MAX_RENDERED_BYTES, "manifest.json").decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            data = None  # someone else's broken manifest: leave it; `slackctl manifest validate` will say so
        if isinstance(data, dict):
            info = data.setdefault("display_information", {})
            if isinstance(info, dict):
                info["name"] = variables["app_name"]
                if description_given:
                    info["description"] = variables["description"]
            bot = data.get("features", {}).get("bot_user") if isinstance(data.get("features"), dict) else None
            if isinstance(bot, dict):
                bot["display_name"] = variables["app_name"]
            manifest.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append("manifest.json")
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        try:
            text = read_bounded(pyproject, MAX_RENDERED_BYTES, "pyproject.toml").decode("utf-8")
        except UnicodeDecodeError:
            text = ""  # not text: left as it is
        renamed = _rename_pyproject(text, variables["slug"])
        if text and renamed != text:
            pyproject.write_text(renamed, encoding="utf-8")
            changed.append("pyproject.toml")
    package = root / "package.json"
    if package.is_file() and not package.is_symlink():
        try:
            data = json.loads(read_bounded(package, MAX_RENDERED_BYTES, "package.json").decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            data = None
        if isinstance(data, dict):
            data["name"] = variables["slug"]
            package.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append("package.json")
    return changed


def _rename_pyproject(text: str, name: str) -> str:
    """Replace `name = …` inside [project] only, keeping the rest of the file (comments, order) as it was."""
    out: list[str] = []
    in_project = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("["):
            in_project = stripped == "[project]"
        elif in_project and re.match(r"^name\s*=", stripped):
            line = f'name = "{name}"\n'
            in_project = False
        out.append(line)
    return "".join(out)
