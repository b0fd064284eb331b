"""Every piece of the emulator's state lives in its World, so reset and save/restore cover it: response URLs and
the driver's user tokens included (they were once attached to the Emulator from outside and escaped both)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

from slackctl.emulator import DEFAULT_APP_ID, start_emulator
from slackctl.emulator.delivery import responseurl
from slackctl.emulator.world.state import ADMIN_ID, GENERAL_ID


def _post(url: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _mint(emu: object) -> str:
    return responseurl.mint(
        emu,
        kind="commands",
        app_id=DEFAULT_APP_ID,  # type: ignore[arg-type]
        channel_id=GENERAL_ID,
        user_id=ADMIN_ID,
    )


def test_reset_forgets_response_urls() -> None:
    with start_emulator() as emu:
        url = _mint(emu)
        emu.reset()
        assert _post(url, {"text": "late"}) == (404, {"ok": False, "error": "no_service"})


def test_a_response_url_survives_save_and_restore(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with start_emulator(state_file=state) as emu:
        path = urllib.parse.urlsplit(_mint(emu)).path
        emu.save_state()
    with start_emulator(state_file=state) as again:
        assert _post(again.url + path, {"text": "answered after a restart"}) == (200, {"ok": True})
        assert again.world.ephemeral, "the answer was shown to the user"


def test_reset_forgets_the_driver_tokens() -> None:
    with start_emulator() as emu:
        emu.user("ada").post("#general", "hi")
        assert emu.world.driver_tokens[ADMIN_ID] in emu.world.tokens
        emu.reset()
        assert emu.world.driver_tokens == {}


def test_the_driver_token_survives_save_and_restore(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with start_emulator(state_file=state) as emu:
        emu.user("ada").post("#general", "before")
        token = emu.world.driver_tokens[ADMIN_ID]
        emu.save_state()
    with start_emulator(state_file=state) as again:
        assert again.world.driver_tokens == {ADMIN_ID: token}
        before = set(again.world.tokens)  # the restored token is used: none is minted for the driven user
        again.user("ada").post("#general", "after")
        assert set(again.world.tokens) == before
