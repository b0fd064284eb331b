"""The local Slack emulator: a fake Slack (Web API, OAuth, OpenID, uploads, control surface) on 127.0.0.1.

from slackctl.emulator import start_emulator
with start_emulator() as emu:
    token = emu.mint_token("bot")["token"]
    ...  # point clients at emu.url (Web API at emu.url + "/api/METHOD")
"""

from slackctl.emulator.server import Emulator, start_emulator
from slackctl.emulator.world.state import (
    DEFAULT_APP_ID,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_REDIRECT_URLS,
    DEFAULT_SIGNING_SECRET,
    TEAM_ID,
)

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_REDIRECT_URLS",
    "DEFAULT_SIGNING_SECRET",
    "TEAM_ID",
    "Emulator",
    "start_emulator",
]
