"""The web UI shows an assistant thread's title, status and suggested prompts, and a prompt clicked in headless
Chromium is asked in the thread, answered by a real slack_bolt Assistant over Socket Mode (issue 23 item 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from tests.browser.test_chromium_login import Chromium
from tests.emulator.test_assistant_threads import MANIFEST, _assistant
from tests.emulator.test_webui_browser import Page


@pytest.fixture
def slack_manifest() -> dict[str, Any]:
    return MANIFEST


def test_the_ui_shows_the_prompts_and_a_clicked_prompt_is_answered_in_the_thread(
    slack: Any, slack_app: dict[str, Any], tmp_path: Path
) -> None:
    app = App(
        client=WebClient(token=slack_app["bot_token"], base_url=slack.api_url),
        signing_secret=slack_app["signing_secret"],
    )
    _assistant(app)
    feedback: list[dict[str, Any]] = []

    @app.action("feedback")
    def on_feedback(ack: Any, body: dict[str, Any]) -> None:
        ack()
        feedback.append(body["actions"][0])

    slack.connect(app)
    started = slack.user("ada").start_assistant_thread(context_channel="#general")
    dm, ts = started["channel"], started["thread_ts"]
    slack.wait_for_message(dm, lambda m: m["ts"] == ts and "prompts" in m.get("assistant_thread", {}))
    browser = Chromium("about:blank", tmp_path / "chromium-profile")
    try:
        session = browser.page_session()
        browser.send("Page.enable", session=session)
        page = Page(browser, session, slack.url + "/")
        page.open(f"?user=ada&channel={dm}")
        box = f".message[data-ts='{ts}'] .assistant"
        page.wait(f'document.querySelector("{box} .assistant-prompt")', "the suggested prompts")
        assert page.text(f"{box} .assistant-prompt") == "Summarize the channel"
        page.click(f"{box} .assistant-prompt")
        slack.wait_for_message(dm, lambda m: m.get("thread_ts") == ts and m.get("text") == "summary of <#C0EMU00001>")
        (asked,) = [m for m in slack.messages(dm) if m.get("text") == "Summarize the channel"]
        assert asked["user"] == "U0EMU00001" and asked["thread_ts"] == ts
        page.wait(f'document.querySelector("{box} .assistant-title")', "the title the app set")
        assert page.text(f"{box} .assistant-title") == "Summarize the channel"
        app.client.assistant_threads_setStatus(channel_id=dm, thread_ts=ts, status="is thinking...")
        page.wait(f'document.querySelector("{box} .assistant-status")', "the status")
        assert page.text(f"{box} .assistant-status") == "is thinking..."
        page.click(f".message[data-ts='{ts}'] .thread-link")  # the answers, with their feedback buttons
        page.click("#thread-messages button[data-feedback=negative]")
        slack.wait_for(lambda: feedback, what="the feedback click at the app")
        assert feedback[0]["type"] == "feedback_buttons" and feedback[0]["value"] == "bad-feedback"
    finally:
        browser.close()
