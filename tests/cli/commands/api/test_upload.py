"""`slackctl api upload`: the three-step upload, streamed from disk (and stdin) without reading files whole."""

from __future__ import annotations

import hashlib
import json
import os
import tracemalloc

import pytest

BIG = 50 * 1024 * 1024


@pytest.fixture
def bot_env(slackctl_env, bot_token):
    return {"SLACK_BOT_TOKEN": bot_token}


def _sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def test_upload_of_50_mb_streams_from_disk(cli, emulator, bot_env, tmp_path):
    big = tmp_path / "big.bin"
    with open(big, "wb") as f:  # mostly sparse, with real bytes at both ends so the hash means something
        f.write(os.urandom(4096))
        f.truncate(BIG - 4096)
        f.seek(BIG - 4096)
        f.write(os.urandom(4096))
    tracemalloc.start()
    try:
        result = cli(
            "api",
            "upload",
            str(big),
            "--channel",
            "general",
            "--comment",
            "the build",
            "--title",
            "Build output",
            env=bot_env,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 0, result.stderr
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB: the file was read into memory"
    (record,) = emulator.files()
    assert record["size"] == BIG and record["sha256"] == _sha256(big) and record["completed"]
    assert json.loads(result.stdout)["files"][0]["title"] == "Build output"
    message = emulator.messages("general")[-1]
    assert message["text"] == "the build" and message["files"][0]["name"] == "big.bin"


def test_upload_sends_the_three_steps_and_no_token_to_the_upload_url(cli, emulator, bot_env, tmp_path):
    (tmp_path / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "b.txt").write_text("beta!", encoding="utf-8")
    result = cli("api", "upload", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-c", "general", env=bot_env)
    assert result.exit_code == 0, result.stderr
    steps = [r["method"] for r in emulator.requests()]
    assert steps == [
        "files.getUploadURLExternal",
        "_upload",
        "files.getUploadURLExternal",
        "_upload",
        "files.completeUploadExternal",
    ]
    reserve = emulator.requests("files.getUploadURLExternal")[0]
    assert reserve["body"] == {"filename": "a.txt", "length": "5"}
    for upload in emulator.requests("_upload"):
        assert "Authorization" not in upload["headers"]
        assert upload["headers"].get("Content-Length") == "5"
    (complete,) = emulator.requests("files.completeUploadExternal")
    assert complete["content_type"].startswith("application/json")
    assert [f["title"] for f in complete["body"]["files"]] == ["a.txt", "b.txt"]
    assert complete["body"]["channel_id"] == "general"
    assert len(emulator.messages("general")[-1]["files"]) == 2


def test_upload_from_stdin(cli, emulator, bot_env):
    result = cli(
        "api",
        "upload",
        "-",
        "--filename",
        "notes.txt",
        "--channel",
        "general",
        env=bot_env,
        input=b"from a pipe\n" * 1000,
    )
    assert result.exit_code == 0, result.stderr
    (record,) = emulator.files()
    assert record["filename"] == "notes.txt" and record["size"] == 12000
    assert record["sha256"] == hashlib.sha256(b"from a pipe\n" * 1000).hexdigest()


def test_upload_in_a_thread(cli, emulator, bot_env, tmp_path):
    posted = json.loads(cli("api", "call", "chat.postMessage", "channel=general", "text=parent", env=bot_env).stdout)
    (tmp_path / "r.txt").write_text("reply", encoding="utf-8")
    assert (
        cli(
            "api", "upload", str(tmp_path / "r.txt"), "--channel", "general", "--thread-ts", posted["ts"], env=bot_env
        ).exit_code
        == 0
    )
    assert emulator.messages("general")[-1]["thread_ts"] == posted["ts"]


def test_upload_url_is_retried_after_a_server_error(cli, emulator, bot_env, tmp_path):
    (tmp_path / "a.txt").write_text("alpha", encoding="utf-8")
    emulator.inject_fault("_upload", "503", count=1, retry_after=0)
    result = cli("api", "upload", str(tmp_path / "a.txt"), env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert len(emulator.requests("_upload")) == 2
    (record,) = emulator.files()
    assert record["size"] == 5 and record["completed"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["/no/such/file"], "cannot upload /no/such/file"),
        (["."], "not a regular file"),
        (["-", "-"], "more than once"),
        (["a", "b", "--title", "T"], "--title applies to one file"),
    ],
)
def test_bad_upload_input_exits_2_and_sends_nothing(cli, emulator, bot_env, tmp_path, monkeypatch, args, expected):
    for name in ("a", "b"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("api", "upload", *args, env=bot_env)
    assert result.exit_code == 2 and expected in result.stderr
    assert emulator.requests() == []


def test_verbose_upload_logs_steps_without_the_token_or_the_bytes(cli, bot_env, tmp_path):
    (tmp_path / "secret-ish.txt").write_text("file body should not be logged", encoding="utf-8")
    result = cli("-v", "api", "upload", str(tmp_path / "secret-ish.txt"), env=bot_env)
    assert result.exit_code == 0, result.stderr
    assert "/_upload/" in result.stderr and "Bearer [REDACTED]" in result.stderr
    assert "file body should not be logged" not in result.stderr
