"""The web UI's live-update streams under load (issue 24 item 11): at most MAX_STREAMS open (more get 503), and a
page that stops reading is dropped while every post completes, instead of holding a thread and a bus listener."""

from __future__ import annotations

import socket
import time
from typing import Any

from slackctl.emulator import start_emulator
from slackctl.emulator.webapi.inproc import api
from slackctl.emulator.webui.streams import MAX_STREAMS


def open_stream(port: int, rcvbuf: int | None = None) -> tuple[socket.socket, bytes]:
    """A page's GET /_ui/events on a raw socket; the status line (and what came with it)."""
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /_ui/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        assert chunk, head
        head += chunk
    return sock, head


def test_streams_beyond_the_bound_are_refused_with_503() -> None:
    with start_emulator() as emu:
        socks = []
        try:
            for _ in range(MAX_STREAMS):
                sock, head = open_stream(emu.port)
                socks.append(sock)
                assert head.startswith(b"HTTP/1.1 200 ")
            extra, head = open_stream(emu.port)
            extra.close()
            assert head.startswith(b"HTTP/1.1 503 ") and b"too many open live-update streams" in head
            assert emu.ui_streams.count() == MAX_STREAMS
        finally:
            for sock in socks:
                sock.close()
    assert MAX_STREAMS == 100


def test_a_page_that_never_reads_is_dropped_and_every_post_completes() -> None:
    with start_emulator(rate_limits=False) as emu:
        baseline = len(emu.bus._listeners)
        stalled, head = open_stream(emu.port, rcvbuf=4096)  # a page frozen by its debugger: it never reads again
        assert head.startswith(b"HTTP/1.1 200 ") and len(emu.bus._listeners) == baseline + 1
        token = emu.mint_token("user")["token"]
        answers: list[Any] = []
        for i in range(1500):  # far more than the stream's queue plus its socket buffers hold
            answers.append(api(emu, token, "chat.postMessage", channel="C0EMU00001", text=f"post {i}").get("ts"))
        assert all(answers) and len(set(answers)) == 1500  # publishing never waited on the stalled page
        assert len(emu.bus._listeners) == baseline  # dropped when its queue overflowed: no longer fed
        assert emu.ui_streams.count() == 0  # and its slot is free
        deadline = time.monotonic() + 15
        while stalled.recv(65536):  # the page wakes up: it gets what was buffered, then the end of the stream
            assert time.monotonic() < deadline
        stalled.close()
