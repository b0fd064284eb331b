"""Where templates come from: the built-in ones, and what a --template value names (folder, git URL, owner/repo)."""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

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
    from slackctl.core.scaffold.limits import MAX_METADATA_BYTES, read_bounded

    try:
        data = tomllib.loads(read_bounded(folder / METADATA_FILE, MAX_METADATA_BYTES, METADATA_FILE).decode())
    except (OSError, UsageError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    value = data.get("description", "")
    return value.strip() if isinstance(value, str) else ""


def list_builtin() -> list[TemplateInfo]:
    """Every built-in template, sorted by name; the starter (`bolt-python`) comes first."""
    root = builtin_templates_dir()
    if not root.is_dir():
        return []
    found = [
        TemplateInfo(p.name, read_description(p), p)
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith((".", "_"))
    ]
    return sorted(found, key=lambda t: (t.name != "bolt-python", t.name))


def builtin_names() -> list[str]:
    return [t.name for t in list_builtin()]


def github_url(shorthand: str) -> str:
    """`owner/repo` → `https://github.com/owner/repo.git`."""
    match = _GITHUB_SHORTHAND.match(shorthand)
    if not match:
        raise UsageError(
            f"not an owner/repo name: {shorthand!r}", "e.g. --template slack-samples/bolt-python-starter-template"
        )
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


def resolve_template(
    spec: str, *, branch: str | None = None, subdir: str | None = None, cwd: Path | None = None
) -> TemplateSource:
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
            raise UsageError(
                "the template URL carries a password or token",
                "remove it from the URL; let ssh keys or git's credential helper authenticate",
            )
        return TemplateSource("git", spec, display_url(spec), branch=branch, subdir=subdir)
    folder = (base / spec).expanduser()
    if folder.is_dir() or spec.startswith((".", "/", "~")):
        if branch:
            raise UsageError("--branch only applies to git templates", f"drop --branch for the folder {spec!r}")
        if not folder.is_dir():
            raise UsageError(
                f"template folder not found: {spec}",
                "pass a folder, a git URL, owner/repo, or a built-in name (slackctl create --list)",
            )
        resolved = str(folder.resolve())
        return TemplateSource("folder", resolved, resolved, subdir=subdir)
    if _GITHUB_SHORTHAND.match(spec):
        url = github_url(spec)
        return TemplateSource("git", url, url, branch=branch, subdir=subdir)
    from difflib import get_close_matches

    near = get_close_matches(spec, builtin_names(), n=1, cutoff=0.6)
    raise UsageError(
        f"unknown template {spec!r}" + (f"; did you mean '{near[0]}'?" if near else ""),
        "list the built-in templates with: slackctl create --list (or pass a folder, a git URL, or owner/repo)",
    )


def check_relative(path: str, what: str) -> str:
    """Refuse a path that is absolute or climbs out with `..`: templates never reach outside their folder."""
    normalized = path.replace("\\", "/")
    parts = [p for p in normalized.split("/") if p not in ("", ".")]
    if normalized.startswith("/") or re.match(r"^[A-Za-z]:", normalized) or ".." in parts or not parts:
        raise UsageError(
            f"{what} must be a relative path inside the template (got {path!r})", "e.g. --subdir templates/python"
        )
    return "/".join(parts)


def is_trusted(source: TemplateSource, trusted: list[str]) -> bool:
    """Built-ins are trusted; any other source must lie under an entry of the configured trusted list.

    Both sides are parsed and normalised first, then compared part by part: scheme, user, host (lower case,
    IDNA, no trailing dot), port (defaults filled in) and path segments (percent-decoded, dot segments
    resolved, a final `.git` dropped). Folders and file:// URLs compare as real paths. Anything that does not
    parse cleanly (a query, a backslash, an encoded `/` in a segment, a bad port) is never trusted."""
    if source.kind == "builtin":
        return True
    key = _place(source.trust_key, local=source.kind == "folder")
    if key is None:
        return False
    for entry in trusted:
        entry = str(entry).strip()
        if not entry:
            continue
        if _GITHUB_SHORTHAND.match(entry.rstrip("/")) and not entry.startswith((".", "/")):
            entry = github_url(entry.rstrip("/"))
        place = _place(entry, local=not is_git_url(entry))
        if place is not None and place[:-1] == key[:-1] and key[-1][: len(place[-1])] == place[-1]:
            return True
    return False


_DEFAULT_PORTS = {"https": 443, "http": 80, "ssh": 22, "git": 9418}
# (scheme, user, host, port, path segments): the parts two sources are compared by.
_Place = tuple[str, str | None, str, int | None, tuple[str, ...]]


def _place(value: str, *, local: bool) -> _Place | None:
    if local:
        return _local_place(Path(value).expanduser())
    if "\\" in value or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in value):
        return None  # a backslash is a separator to some URL parsers and not to others
    if "://" not in value:
        match = _SCP_LIKE.match(value)
        if not match:
            return None
        user, _, rest = value.partition("@")
        host, _, path = rest.partition(":")
        # git@host:path is relative to the login's home, like ssh://git@host/~/path.
        return _remote_place("ssh", user, host, None, path if path.startswith("/") else "/~/" + path)
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if "?" in value or "#" in value:
        return None
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return None
        return _local_place(Path(unquote(parts.path)))
    if scheme not in _DEFAULT_PORTS or parts.hostname is None:
        return None
    userinfo, at, _ = parts.netloc.rpartition("@")
    if ":" in userinfo:
        return None  # a password: never a form of a trusted source (resolve_template refuses these anyway)
    try:
        port = parts.port
    except ValueError:
        return None
    return _remote_place(scheme, unquote(userinfo) if at else None, parts.hostname, port, parts.path)


def _remote_place(scheme: str, user: str | None, host: str, port: int | None, path: str) -> _Place | None:
    decoded_host = _decode(host)
    normal_host = _normal_host(decoded_host) if decoded_host is not None else None
    segments: list[str] = []
    for raw in path.split("/"):
        segment = _decode(raw)
        if segment is None or "/" in segment or "\\" in segment or "\0" in segment:
            return None  # an encoded separator: servers disagree about it, so it is never trusted
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    if normal_host is None:
        return None
    if segments and segments[-1].endswith(".git") and segments[-1] != ".git":
        segments[-1] = segments[-1].removesuffix(".git")
    return scheme, user, normal_host, port if port is not None else _DEFAULT_PORTS[scheme], tuple(segments)


def _normal_host(host: str) -> str | None:
    """Lower case, IDNA (`bücher.example` is `xn--bcher-kva.example`), no trailing dot, canonical IP addresses."""
    host = host.lower().removesuffix(".")
    try:
        return ipaddress.ip_address(host).compressed
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return host if re.fullmatch(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*", host) else None


def _decode(raw: str) -> str | None:
    """A percent-decoded path segment, or None when its escapes are malformed or not UTF-8."""
    if re.fullmatch(r"(?:[^%]|%[0-9A-Fa-f]{2})*", raw) is None:
        return None
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None


def _local_place(path: Path) -> _Place | None:
    try:
        parts = path.resolve().parts  # real path: a link inside a trusted folder may lead anywhere
    except (OSError, RuntimeError):
        return None
    return "file", None, "", None, tuple(parts)
