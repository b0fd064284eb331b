"""The running slackctl as a wheel, for a new project's `.venv`: its pytest plugin (the `slack` fixture and the
emulator behind it) then works in the project's tests with the very slackctl that created it, before and after
slackctl is published, offline for slackctl itself, and whatever way slackctl was installed (pipx, pip, an
editable checkout).

Why a wheel built from the running package, not the alternatives: `pip install slackctl-cli` needs the package
index (and the same version on it); a `.pth` pointing at slackctl's own environment would leak that environment
(or, for a checkout, the repository's other top-level folders) into the project; a source build needs the
checkout, which a pipx install does not have. The wheel is named `slackctl-cli` (the distribution the project's
requirements-dev.txt names), so pip sees that requirement met; its dependencies are the running distribution's
(without extras), installed from the index like the project's own requirements.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import zipfile
from pathlib import Path

DIST = "slackctl-cli"
IMPORT = "slackctl"
SKIP = {"__pycache__"}
ENTRY_POINTS = "[console_scripts]\nslackctl = slackctl.cli.entry:main\n\n[pytest11]\nslackctl = slackctl.testing\n"


def requirement_names(text: str) -> list[str]:
    """The requirement lines of a requirements file (comments, options and blanks left out)."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def wants_self(text: str) -> bool:
    """Whether a requirements file asks for slackctl (the distribution, any version)."""
    import re

    return any(
        re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0].lower().replace("_", "-") == DIST
        for line in requirement_names(text)
    )


def _running_distribution() -> importlib.metadata.Distribution | None:
    names = importlib.metadata.packages_distributions().get(IMPORT) or []
    for name in names:
        try:
            return importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def build(dest: Path) -> Path:
    """Write the running slackctl's wheel into DEST; its path."""
    import slackctl

    package = Path(slackctl.__file__).resolve().parent
    dist = _running_distribution()
    version = dist.version if dist is not None else slackctl.__version__
    requires = [r for r in (dist.requires or []) if "extra ==" not in r] if dist is not None else []
    info = f"{DIST.replace('-', '_')}-{version}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.is_file() and not SKIP.intersection(relative.parts) and path.suffix != ".pyc":
            files[f"{IMPORT}/{relative.as_posix()}"] = path.read_bytes()
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {DIST}",
        f"Version: {version}",
        "Summary: slackctl, as the slackctl that created this project runs it",
        *(f"Requires-Dist: {r}" for r in requires),
    ]
    files[f"{info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: slackctl\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{info}/entry_points.txt"] = ENTRY_POINTS.encode()
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    wheel = dest / f"{DIST.replace('-', '_')}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
