"""Hints name the app-settings page of the Slack host in use (issue 19 item 5)."""

from __future__ import annotations

from slackctl import settings


def test_slack_and_govslack_get_their_own_app_pages() -> None:
    assert settings.app_settings_url("https://slack.com", "A123") == "https://api.slack.com/apps/A123"
    assert settings.app_settings_url("https://slack.com/") == "https://api.slack.com/apps"
    assert settings.app_settings_url("https://slack-gov.com", "A1") == "https://api.slack-gov.com/apps/A1"


def test_any_other_host_is_an_emulator_and_gets_its_app_listing() -> None:
    assert settings.app_settings_url("http://127.0.0.1:8787/", "A1") == "http://127.0.0.1:8787/_emulator/apps"
    assert settings.app_settings_url("https://emu.test:9443") == "https://emu.test:9443/_emulator/apps"


def test_a_config_token_comes_from_slacks_page_or_the_emulators_command() -> None:
    """Issue 23 item 4: an emulator's /_emulator/apps lists apps, not configuration tokens."""
    assert settings.config_token_source("https://slack.com") == (
        "create an app configuration token on https://api.slack.com/apps (Your App Configuration Tokens)"
    )
    assert "https://api.slack-gov.com/apps" in settings.config_token_source("https://slack-gov.com/")
    assert settings.config_token_source("http://127.0.0.1:8787/") == (
        "get an app configuration token from the emulator: slackctl emulator token --kind config "
        "--slack-url http://127.0.0.1:8787"
    )
