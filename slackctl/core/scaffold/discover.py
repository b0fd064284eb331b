"""Where templates come from: the built-in ones, and what a --template value names (folder, git URL, owner/repo)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from slackctl.errors import UsageError

METADATA_FILE = "slackctl-template.toml"
GIT_PREFIXES = ("https://", "http://", "ssh://", "git://", "file://")
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:[^\s]+$")  # git@github.com:owner/repo.git
_GITHUB_SHORTHAND = re.compile(r"^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})$")


@dataclass(frozen=True)
class TemplateInfo:
    """A built-in template as listed by `slackctl create --list` and the interactive menu."""

    name: str
    description: str
    path: Path


@dataclass(frozen=True)
class TemplateSource:
    """What --template resolved to. `location` is a folder path (builtin, folder) or a clone URL (git)."""

    kind: str  # "builtin", "folder" or "git"
    location: str
    label: str  # for messages: never contains credentials
    branch: str | None = None
    subdir: str | None = None

    @property
    def trust_key(self) -> str:
        """The string compared with the trusted-sources list (a URL, or an absolute folder path)."""
        return self.location


def builtin_templates_dir() -> Path:
    """The built-in templates: `slackctl/_templates` in a wheel, else the repository's `templates/` (editable)."""
    package_dir = Path(__file__).resolve().parents[2]
    shipped = package_dir / "_templates"
    if shipped.is_dir():
        return shipped
    return package_dir.parent / "templates"


def read_description(folder: Path) -> str:
    """The `description` of a template's metadata file, or "" (a broken file is reported when it is used)."""
    try:
        data = tomllib.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    value = data.get("description", "")
    return value.strip() if isinstance(value, str) else ""


def list_builtin() -> list[TemplateInfo]:
    """Every built-in template, sorted by name; the starter (`bolt-python`) comes first."""
    root = builtin_templates_dir()
    if not root.is_dir():
        return []
    found = [TemplateInfo(p.name, read_description(p), p) for p in root.iterdir()
             if p.is_dir() and not p.name.startswith((".", "_"))]
    return sorted(found, key=lambda t: (t.name != "bolt-python", t.name))


def builtin_names() -> list[str]:
    return [t.name for t in list_builtin()]


def github_url(shorthand: str) -> str:
    """`owner/repo` → `https://github.com/owner/repo.git`."""
    match = _GITHUB_SHORTHAND.match(shorthand)
    if not match:
        raise UsageError(f"not an owner/repo name: {shorthand!r}",
                         "e.g. --template slack-samples/bolt-python-starter-template")
    owner, repo = match.groups()
    repo = repo.removesuffix(".git")
    return f"https://github.com/{owner}/{repo}.git"


def is_git_url(value: str) -> bool:
    return value.startswith(GIT_PREFIXES) or bool(_SCP_LIKE.match(value))


def display_url(url: str) -> str:
    """The URL without any user:password part, for messages."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def resolve_template(spec: str, *, branch: str | None = None, subdir: str | None = None,
                     cwd: Path | None = None) -> TemplateSource:
    """Turn a --template value into a TemplateSource. Order: built-in name, git URL, existing folder, owner/repo."""
    spec = spec.strip()
    if not spec:
        raise UsageError("--template is empty", "list the built-in templates with: slackctl create --list")
    if subdir is not None:
        check_relative(subdir, "--subdir")
    base = cwd or Path.cwd()
    if spec in builtin_names():
        if branch:
            raise UsageError("--branch only applies to git templates", f"drop --branch for the built-in {spec!r}")
        return TemplateSource("builtin", str(builtin_templates_dir() / spec), spec, subdir=subdir)
    if is_git_url(spec):
        if "://" in spec and urlsplit(spec).password:
            # It would end up in git's argv (visible to every local user) and in the clone's messages.
            raise UsageError("the template URL carries a password or token",
                             "remove it from the URL; let ssh keys or git's credential helper authenticate")
        return TemplateSource("git", spec, display_url(spec), branch=branch, subdir=subdir)
    folder = (base / spec).expanduser()
    if folder.is_dir() or spec.startswith((".", "/", "~")):
        if branch:
            raise UsageError("--branch only applies to git templates", f"drop --branch for the folder {spec!r}")
        if not folder.is_dir():
            raise UsageError(f"template folder not found: {spec}", "pass a folder, a git URL, owner/repo, or a "
                                                                   "built-in name (slackctl create --list)")
        resolved = str(folder.resolve())
        return TemplateSource("folder", resolved, resolved, subdir=subdir)
    if _GITHUB_SHORTHAND.match(spec):
        url = github_url(spec)
        return TemplateSource("git", url, url, branch=branch, subdir=subdir)
    raise UsageError(f"unknown template {spec!r}", "list the built-in templates with: slackctl create --list "
                                                  "(or pass a folder, a git URL, or owner/repo)")


def check_relative(path: str, what: str) -> str:
    """Refuse a path that is absolute or climbs out with `..`: templates never reach outside their folder."""
    normalized = path.replace("\\", "/")
    parts = [p for p in normalized.split("/") if p not in ("", ".")]
    if normalized.startswith("/") or re.match(r"^[A-Za-z]:", normalized) or ".." in parts or not parts:
        raise UsageError(f"{what} must be a relative path inside the template (got {path!r})",
                         "e.g. --subdir templates/python")
    return "/".join(parts)


def is_trusted(source: TemplateSource, trusted: list[str]) -> bool:
    """Built-ins are trusted; any other source must start with an entry of the configured trusted list."""
    if source.kind == "builtin":
        return True
    key = source.trust_key.rstrip("/")
    for entry in trusted:
        entry = str(entry).strip()
        if not entry:
            continue
        if _GITHUB_SHORTHAND.match(entry.rstrip("/")) and "/" in entry and not entry.startswith((".", "/")):
            entry = github_url(entry.rstrip("/")).removesuffix(".git")
        elif not is_git_url(entry):
            entry = str(Path(entry).expanduser().resolve())
        entry = entry.rstrip("/")
        if key == entry or key.removesuffix(".git") == entry or key.startswith(entry + "/"):
            return True
    return False
