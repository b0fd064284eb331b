"""TokenKind: the one list of access-token kinds, stored and compared as plain names."""

from __future__ import annotations

import json

from slackctl.credentials import TokenKind


def test_token_kinds_are_their_plain_names_everywhere():
    assert [str(k) for k in TokenKind] == ["bot", "user", "app", "config"]
    assert TokenKind.names() == "bot, user, app, config"
    assert TokenKind.BOT == "bot" and {"bot": 1}[TokenKind.BOT] == 1 and f"{TokenKind.CONFIG}" == "config"
    assert json.dumps({TokenKind.USER: TokenKind.APP}) == '{"user": "app"}'


def test_parse_names_a_kind_or_says_none():
    assert TokenKind.parse("user") is TokenKind.USER
    assert TokenKind.parse("bot-refresh") is None and TokenKind.parse("BOT") is None
