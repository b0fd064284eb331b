"""Big template files: copied in a stream (holes kept), never read whole; what is rendered or parsed is bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slackctl.core.scaffold.build import CreateRequest, create_project
from slackctl.core.scaffold.discover import resolve_template
from slackctl.core.scaffold.limits import MAX_RENDERED_BYTES
from slackctl.errors import UsageError
from tests.core.scaffold.helpers import write_tree

META = "slackctl-template.toml"
GIB = 1 << 30
MIB = 1 << 20
# The child may map at most this much memory: reading a 2 GiB file whole fails at once instead of paging the machine.
ADDRESS_SPACE_LIMIT = 768 * MIB

CHILD = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from slackctl.errors import UsageError
from slackctl.core.scaffold.build import CreateRequest, create_project
from slackctl.core.scaffold.discover import resolve_template
template, target = sys.argv[1], Path(sys.argv[2])
request = CreateRequest(target=target, app_name="app", source=resolve_template(template), git=False, install=False)
try:
    create_project(request)
    error = None
except UsageError as exc:
    error = exc.message
# VmHWM, not ru_maxrss: on Linux ru_maxrss carries the parent's peak across fork+exec (a big pytest process).
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
print(json.dumps({{"error": error, "max_rss_kib": int(status["VmHWM"].split()[0])}}))
"""


def create_in_child(template: Path, target: Path) -> dict:
    """create_project in a fresh interpreter under an address-space limit; its error (if any) and peak RSS."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=ADDRESS_SPACE_LIMIT), str(template), str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def sparse_file(path: Path, size: int, marks: dict[int, bytes] | None = None) -> Path:
    """A file of `size` bytes that takes (almost) no disk: holes, plus a few bytes written at given offsets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(size)
        for offset, data in (marks or {}).items():
            fh.seek(offset)
            fh.write(data)
    return path


MARKS = {0: b"\x7fELF", GIB + 12345: b"middle", 2 * GIB - 3: b"end"}


@pytest.mark.parametrize("with_metadata", [True, False], ids=["rendered-template", "plain-template"])
def test_a_2_gib_sparse_file_is_streamed_in_bounded_memory_and_stays_sparse(tmp_path: Path, with_metadata: bool):
    files = {"app.py": "NAME = '{{ app_name }}'\n"}
    if with_metadata:
        files[META] = "[variables]\n"
    src = write_tree(tmp_path / "t", files)
    sparse_file(src / "assets" / "big.bin", 2 * GIB, MARKS)
    target = tmp_path / "out" / "app"
    result = create_in_child(src, target)
    assert result["error"] is None
    assert result["max_rss_kib"] < 100 * 1024  # the file is 2 GiB; memory stays that of a bare interpreter
    copy = target / "assets" / "big.bin"
    assert copy.stat().st_size == 2 * GIB
    assert copy.stat().st_blocks * 512 < 64 * MIB  # runs of zeros became holes again, not 2 GiB of disk
    with open(copy, "rb") as fh:
        for offset, data in MARKS.items():
            fh.seek(offset)
            assert fh.read(len(data)) == data
    expected = "NAME = 'app'\n" if with_metadata else "NAME = '{{ app_name }}'\n"
    assert (target / "app.py").read_text() == expected


def test_a_text_file_over_the_render_limit_with_placeholders_is_refused_naming_file_and_limit(tmp_path: Path):
    line = "print('{{ app_name }}')\n"
    src = write_tree(tmp_path / "t", {META: "", "big.py": line * (MAX_RENDERED_BYTES // len(line) + 10)})
    request = CreateRequest(
        target=tmp_path / "out" / "app", app_name="app", source=resolve_template(str(src)), git=False, install=False
    )
    with pytest.raises(UsageError) as exc:
        create_project(request)
    assert "'big.py'" in exc.value.message and "10 MiB" in exc.value.message
    assert "exclude" in (exc.value.hint or "")
    assert not (tmp_path / "out").exists()


def test_a_text_file_over_the_render_limit_without_placeholders_is_copied_byte_for_byte(tmp_path: Path):
    data = ("{ 'é': [1, 2] }\n" * (MAX_RENDERED_BYTES // 16 + 1000)).encode("utf-8")
    src = write_tree(tmp_path / "t", {META: "", "app.py": "'{{ app_name }}'\n"})
    (src / "fixture.txt").write_bytes(data)
    request = CreateRequest(
        target=tmp_path / "out" / "app", app_name="app", source=resolve_template(str(src)), git=False, install=False
    )
    project = create_project(request).path
    assert (project / "fixture.txt").read_bytes() == data
    assert (project / "app.py").read_text() == "'app'\n"


def test_a_big_binary_file_with_braces_is_copied_not_rendered(tmp_path: Path):
    data = b"\0{{ app_name }}" * (MAX_RENDERED_BYTES // 15 + 1000)
    src = write_tree(tmp_path / "t", {META: ""})
    (src / "blob.bin").write_bytes(data)
    request = CreateRequest(
        target=tmp_path / "out" / "app", app_name="app", source=resolve_template(str(src)), git=False, install=False
    )
    assert (create_project(request).path / "blob.bin").read_bytes() == data


def test_file_modes_survive_the_streamed_copy(tmp_path: Path):
    src = write_tree(tmp_path / "t", {META: ""})
    sparse_file(src / "tool", MAX_RENDERED_BYTES + 1, {0: b"\0"}).chmod(0o755)
    request = CreateRequest(
        target=tmp_path / "out" / "app", app_name="app", source=resolve_template(str(src)), git=False, install=False
    )
    assert os.access(create_project(request).path / "tool", os.X_OK)


@pytest.mark.parametrize(
    "name", [META, "manifest.json", "package.json", "pyproject.toml", ".slack/config.json", ".slack/.gitignore"]
)
def test_a_huge_file_slackctl_reads_is_refused_without_reading_it(tmp_path: Path, name: str):
    src = write_tree(tmp_path / "t", {"app.py": ""})
    # The metadata is read before anything is copied; the others are copied (streamed) first, so kept smaller.
    sparse_file(src / name, 2 * GIB if name == META else 256 * MIB, {0: b"{"})
    target = tmp_path / "out" / "app"
    result = create_in_child(src, target)
    assert result["error"] is not None and repr(name) in result["error"] and "MiB" in result["error"]
    assert result["max_rss_kib"] < 100 * 1024
    assert not target.exists() and not (tmp_path / "out").exists()
