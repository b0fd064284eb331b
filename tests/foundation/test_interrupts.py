"""slackctl.interrupts.shielded: an interrupt during a shielded write waits for it (bounded), then is raised;
a second interrupt or the end of the grace stops the wait. Real signals to this process, a real blocking read."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

import pytest

from slackctl import interrupts


@pytest.fixture(autouse=True)
def _sigint_handled():
    # The runner may have been started as a background job, with SIGINT ignored (which shielded respects).
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


def _signal_soon(sig: int, *, after: float, times: int = 1) -> threading.Thread:
    def send() -> None:
        for _ in range(times):
            time.sleep(after)  # a delay before a signal, not a wait for a server
            os.kill(os.getpid(), sig)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def _slow_read(seconds: float) -> bytes:
    """A blocking read that a peer answers after `seconds`, like a slow Slack write."""
    a, b = socket.socketpair()
    timer = threading.Timer(seconds, lambda: b.sendall(b"done"))
    timer.start()
    try:
        return a.recv(4)
    finally:
        timer.cancel()
        a.close()
        b.close()


def test_an_interrupt_lets_the_write_finish_then_is_raised_with_the_note():
    notes: list[str] = []
    _signal_soon(signal.SIGINT, after=0.1)
    with pytest.raises(interrupts.Interrupted) as info:  # noqa: PT012 - the body is the write being shielded
        with interrupts.shielded("the write", notify=notes.append) as shield:
            assert _slow_read(0.6) == b"done"  # finished despite the signal
            assert shield.interrupted and shield.pending == signal.SIGINT
            shield.note = "recorded it"
    assert str(info.value) == "recorded it" and isinstance(info.value, KeyboardInterrupt)
    assert notes and "waiting up to" in notes[0] and "the write" in notes[0]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers put back


def test_sigterm_is_shielded_too():
    old = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _signal_soon(signal.SIGTERM, after=0.1)
        with pytest.raises(interrupts.Interrupted), interrupts.shielded("the write") as shield:
            assert _slow_read(0.4) == b"done"
        assert shield.pending == signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, old)


def test_the_wait_is_bounded_by_the_grace():
    started = time.monotonic()
    _signal_soon(signal.SIGINT, after=0.1)
    with pytest.raises(KeyboardInterrupt), interrupts.shielded("the write", grace=0.3) as shield:
        _slow_read(30)
    assert shield.abandoned and time.monotonic() - started < 5


def test_a_second_interrupt_stops_the_wait():
    started = time.monotonic()
    _signal_soon(signal.SIGINT, after=0.2, times=2)
    with pytest.raises(KeyboardInterrupt), interrupts.shielded("the write", grace=60) as shield:
        _slow_read(30)
    assert shield.abandoned and time.monotonic() - started < 5


def test_nested_sections_share_the_outer_shield_and_no_interrupt_means_no_raise():
    with interrupts.shielded("outer") as outer, interrupts.shielded("inner") as inner:
        assert inner is outer
    assert not outer.interrupted
