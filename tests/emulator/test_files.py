"""The external upload flow: get an upload URL, POST bytes, complete into a channel."""

from __future__ import annotations

import hashlib

from tests.emulator.conftest import call


def test_upload_flow_records_size_and_sha256_and_shares_into_channel(emu, client, bot):
    data = b"hello emulator\n" * 1000
    got = call(client, "files.getUploadURLExternal", bot, filename="notes.txt", length=len(data))
    assert got["upload_url"].startswith(emu.url + "/_upload/") and got["file_id"].startswith("F")
    up = client.post(got["upload_url"], content=data)
    assert up.status_code == 200 and up.text == f"OK - {len(data)}"
    done = call(
        client,
        "files.completeUploadExternal",
        bot,
        files=[{"id": got["file_id"], "title": "Notes"}],
        channel_id="C0EMU00001",
        initial_comment="see attached",
    )
    assert done["files"] == [{"id": got["file_id"], "title": "Notes"}]
    [record] = emu.files()
    assert record["size"] == len(data) and record["sha256"] == hashlib.sha256(data).hexdigest()
    [message] = emu.messages("C0EMU00001")
    assert message["text"] == "see attached" and message["files"][0]["id"] == got["file_id"]
    assert message["files"][0]["size"] == len(data)


def test_multipart_upload_keeps_only_the_file_bytes(emu, client, bot):
    got = call(client, "files.getUploadURLExternal", bot, filename="a.bin", length=3)
    client.post(got["upload_url"], files={"file": ("a.bin", b"abc")})
    assert emu.files()[0]["sha256"] == hashlib.sha256(b"abc").hexdigest()


def test_complete_without_upload_is_file_not_found(client, bot):
    got = call(client, "files.getUploadURLExternal", bot, filename="a.txt", length=1)
    body = call(client, "files.completeUploadExternal", bot, files=[{"id": got["file_id"]}])
    assert body["error"] == "file_not_found"


def test_get_upload_url_needs_filename_and_length(client, bot):
    assert call(client, "files.getUploadURLExternal", bot, filename="a")["error"] == "invalid_arguments"
    assert call(client, "files.getUploadURLExternal", bot, length=3)["error"] == "invalid_arguments"


def test_upload_to_unknown_id_is_404(client):
    assert client.post("/_upload/FNOPE", content=b"x").status_code == 404
