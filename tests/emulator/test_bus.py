"""The emulator's bus hands each published fact to every listener, and a failing listener harms no one."""

from __future__ import annotations

from typing import Any

from slackctl.emulator.bus import Bus


def test_every_listener_gets_each_fact_until_it_unsubscribes() -> None:
    bus = Bus()
    seen: list[tuple[str, dict[str, Any]]] = []
    other: list[str] = []
    stop = bus.subscribe(lambda kind, data: seen.append((kind, data)))
    bus.subscribe(lambda kind, data: other.append(kind))
    bus.publish("message_posted", channel_id="C1", message={"ts": "1.0"})
    stop()
    bus.publish("reaction_added", channel_id="C1", ts="1.0", user="U1", reaction="tada", item_user="U2")
    assert seen == [("message_posted", {"channel_id": "C1", "message": {"ts": "1.0"}})]
    assert other == ["message_posted", "reaction_added"]


def test_a_failing_listener_does_not_stop_the_others() -> None:
    bus = Bus()
    got: list[str] = []

    def broken(kind: str, data: dict[str, Any]) -> None:
        raise RuntimeError("listener bug")

    bus.subscribe(broken)
    bus.subscribe(lambda kind, data: got.append(kind))
    bus.publish("member_joined", channel_id="C1", user="U1", inviter=None)
    assert got == ["member_joined"]
