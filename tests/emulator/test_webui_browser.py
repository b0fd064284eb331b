"""The web UI in real headless Chromium, with an unmodified Socket Mode Bolt app (Slack's starter shape: tokens from
the environment, Slack's default URLs) running under `slackctl emulator exec`.

Chromium is driven over the DevTools protocol on a pipe (tests/browser/test_chromium_login.py's client): typing is
Input.insertText into the focused field, clicks are real mouse presses at an element's coordinates. With
SLACKCTL_WEBUI_SCREENSHOTS=DIR each surface is also saved as a PNG there (scripts/webui_screenshots.py, README)."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from slackctl.emulator import Emulator
from tests.browser.test_chromium_login import Chromium
from tests.conftest import register_secret
from tests.devloop.helpers import socket_connections, wait_for

MANIFEST: dict[str, Any] = {
    "display_information": {"name": "Starter"},
    "features": {
        "bot_user": {"display_name": "starter"},
        "app_home": {"home_tab_enabled": True},
        "slash_commands": [
            {"command": "/echo", "description": "Echo your text back", "usage_hint": "[text]"},
            {"command": "/deploy", "description": "Deploy a service"},
        ],
        "shortcuts": [{"name": "New ticket", "type": "global", "callback_id": "new_ticket", "description": "File"}],
    },
    "oauth_config": {
        "scopes": {"bot": ["chat:write", "channels:history", "commands", "files:write", "files:read", "triggers:write"]}
    },
    "settings": {
        "socket_mode_enabled": True,
        "interactivity": {"is_enabled": True},
        "event_subscriptions": {"bot_events": ["message.channels", "app_home_opened"]},
    },
    "workflows": {
        "wave": {
            "title": "Wave",
            "description": "Waves in the channel it is run from",
            "input_parameters": {
                "properties": {"channel": {"type": "slack#/types/channel_id"}},
                "required": ["channel"],
            },
            "steps": [
                {
                    "id": "0",
                    "function_id": "slack#/functions/send_message",
                    "inputs": {"channel_id": "{{inputs.channel}}", "message": "a wave"},
                }
            ],
        }
    },
}

APP = """
import os
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(token=os.environ["SLACK_BOT_TOKEN"])
TEXT = lambda t: {"type": "plain_text", "text": t}
OPTIONS = [{"text": TEXT(n), "value": n.lower()} for n in ("Low", "High")]
VIEW = {"type": "modal", "callback_id": "ticket", "title": TEXT("New ticket"), "submit": TEXT("File"),
        "close": TEXT("Cancel"),
        "blocks": [{"type": "input", "block_id": "title", "label": TEXT("Title"),
                    "element": {"type": "plain_text_input", "action_id": "value"}},
                   {"type": "input", "block_id": "urgency", "label": TEXT("Urgency"), "optional": True,
                    "element": {"type": "radio_buttons", "action_id": "pick", "options": OPTIONS}},
                   {"type": "actions", "block_id": "more", "elements": [{"type": "button", "action_id": "more",
                    "text": TEXT("Fewer fields"), "value": "m"}]}]}

def home_view(note):
    return {"type": "home", "blocks": [
        {"type": "header", "text": TEXT("Welcome home")},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Status:* {note} <b>not html</b>"},
         "accessory": {"type": "button", "action_id": "refresh", "text": TEXT("Refresh"), "value": "r",
                       "style": "primary"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Owner*\\n<@U0EMU00001>"},
                                       {"type": "mrkdwn", "text": "*Channel*\\n<#C0EMU00001>"}]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Docs: <https://api.slack.com|api.slack.com> "
                                                                 "<javascript:alert(1)|not a link>"},
                                         {"type": "image", "image_url": "https://example.com/x.png",
                                          "alt_text": "logo"}]},
        {"type": "image", "image_url": "https://example.com/chart.png", "alt_text": "a chart"},
        {"type": "actions", "block_id": "pickers", "elements": [
            {"type": "static_select", "action_id": "priority", "placeholder": TEXT("Priority"), "options": OPTIONS},
            {"type": "users_select", "action_id": "owner", "placeholder": TEXT("Owner")},
            {"type": "conversations_select", "action_id": "where", "placeholder": TEXT("Where")},
            {"type": "channels_select", "action_id": "chan", "placeholder": TEXT("Channel")},
            {"type": "multi_static_select", "action_id": "tags", "placeholder": TEXT("Tags"), "options": OPTIONS},
            {"type": "datepicker", "action_id": "due", "initial_date": "2026-12-24"},
            {"type": "overflow", "action_id": "menu", "options": OPTIONS},
            {"type": "checkboxes", "action_id": "checks", "options": OPTIONS},
        ]},
        {"type": "input", "block_id": "noteblock", "label": TEXT("Note"),
         "element": {"type": "plain_text_input", "action_id": "note"}},
        {"type": "future_block", "block_id": "f1", "something": 1},
    ]}

@app.message("hello")
def hello(message, say):
    say(f"hi <@{message['user']}>")

@app.message("buttons")
def buttons(say):
    say(text="Approve?", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "Deploy *api* to _prod_? `v1.2`"}},
        {"type": "actions", "elements": [{"type": "button", "action_id": "approve", "style": "primary",
                                          "text": TEXT("Approve"), "value": "api"}]}])

@app.action("approve")
def approve(ack, body, say):
    ack()
    say(f"approved {body['actions'][0]['value']} by <@{body['user']['id']}>")

@app.command("/echo")
def echo(ack, respond, command):
    ack()
    respond(f"echo: {command['text']}")

@app.event("app_home_opened")
def home(event, client):
    client.views_publish(user_id=event["user"], view=home_view("all good"))

@app.action("refresh")
def refresh(ack, body, client):
    ack()
    client.views_publish(user_id=body["user"]["id"], view=home_view(f"refreshed by <@{body['user']['id']}>"))

@app.action("priority")
def priority(ack, body, client):
    ack()
    picked = body["actions"][0]["selected_option"]["value"]
    client.views_publish(user_id=body["user"]["id"], view=home_view(f"priority {picked}"))

@app.shortcut("new_ticket")
def shortcut(ack, body, client):
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=VIEW)

@app.action("more")
def more(ack, body, client):
    ack()
    view = body["view"]
    client.views_update(view_id=view["id"], hash=view["hash"], view={**VIEW, "blocks": VIEW["blocks"][:2]})

@app.view("ticket")
def submitted(ack, view):
    values = view["state"]["values"]
    title = values["title"]["value"]["value"]
    if len(title) < 3:
        ack(response_action="errors", errors={"title": "A longer title, please"})
        return
    ack()
    urgency = (values["urgency"]["pick"].get("selected_option") or {}).get("value", "none")
    app.client.chat_postMessage(channel="#general", text=f"ticket filed: {title} (urgency {urgency})")

@app.event("message")
def other_messages():
    pass

SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
"""


WAIT = (
    "new Promise(resolve => { const end = Date.now() + TIMEOUT_MS; const tick = () => { let v; "
    "try { v = (CONDITION); } catch (e) { v = null; } if (v) resolve(v); else if (Date.now() > end) "
    "resolve({__timeout: true}); else requestAnimationFrame(tick); }; tick(); })"
)


class Page:
    """The UI in one Chromium tab, with helpers that wait on the page's own state (no sleeps)."""

    def __init__(self, browser: Chromium, session: str, url: str) -> None:
        self.browser, self.session, self.url = browser, session, url

    def js(self, expression: str, timeout: float = 20) -> Any:
        return self.browser.evaluate(self.session, expression, timeout=timeout)

    def wait(self, condition: str, what: str, timeout: float = 15) -> Any:
        """The first truthy value of the JS expression CONDITION, re-checked on every animation frame."""
        script = WAIT.replace("TIMEOUT_MS", str(int(timeout * 1000))).replace("CONDITION", condition)
        value = self.js(script, timeout=timeout + 5)
        if isinstance(value, dict) and value.get("__timeout"):
            toast = self.js("document.querySelector('#toast').hidden ? '' : document.querySelector('#toast').innerText")
            raise AssertionError(f"timed out waiting for {what}" + (f" (the page said: {toast})" if toast else ""))
        return value

    def open(self, query: str = "") -> None:
        self.browser.send("Page.navigate", {"url": self.url + query}, session=self.session)
        self.wait(
            "document.readyState === 'complete' && document.body.dataset.refreshed && "
            "document.querySelector('#live.on')",
            "the page to load and go live",
        )

    def click(self, selector: str) -> None:
        box = self.wait(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null; "
            "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); "
            "return r.width ? {x: r.x + r.width / 2, y: r.y + r.height / 2} : null; })()",
            f"{selector} to be clickable",
        )
        self.browser.click(self.session, box["x"], box["y"])

    def type(self, selector: str, text: str) -> None:
        self.wait(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (e) e.focus(); "
            "return e && document.activeElement === e; })()",
            f"{selector} to take focus",
        )
        self.browser.send("Input.insertText", {"text": text}, session=self.session)

    def choose(self, selector: str, value: str) -> None:
        """Pick VALUE in a <select> as a user would (native popups cannot be clicked headless)."""
        self.wait(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return false; "
            f"e.value = {json.dumps(value)}; e.dispatchEvent(new Event('change', {{bubbles: true}})); "
            "return true; })()",
            f"{selector} to choose {value}",
        )

    def text(self, selector: str) -> str:
        return self.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''")

    def switch_user(self, user_id: str) -> None:
        """Act as USER_ID from the switcher, and wait for the page's refresh that follows."""
        before = self.js("document.body.dataset.refreshed")
        self.choose("#user-switcher", user_id)
        # a refresh that was already under way may finish first: wait for one that rendered for USER_ID
        self.wait(
            f"document.body.dataset.refreshed !== {json.dumps(before)} && "
            f"document.body.dataset.shownUser === {json.dumps(user_id)}",
            "the page to refresh",
        )

    def screenshot(self, name: str) -> None:
        where = os.environ.get("SLACKCTL_WEBUI_SCREENSHOTS")
        if not where:
            return
        shot = self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)
        Path(where).mkdir(parents=True, exist_ok=True)
        (Path(where) / f"webui-{name}.png").write_bytes(base64.b64decode(shot["data"]))


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Emulator, Page]]:
    tmp = tmp_path_factory.mktemp("webui")
    emu = Emulator(manifests=[MANIFEST])
    emu.start()
    (app,) = [a for a in emu.apps() if a["name"] == "Starter"]
    register_secret(app["bot_token"], app["app_token"], app["signing_secret"], app["client_secret"])
    script = tmp / "app.py"
    script.write_text(textwrap.dedent(APP))
    env = dict(os.environ, SLACKCTL_SLACK_URL=emu.url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "slackctl", "emulator", "exec", "--", sys.executable, str(script)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    browser = None
    try:
        wait_for(lambda: socket_connections(emu.url) == 1 or proc.poll() is not None, what="the app to connect")
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        browser = Chromium("about:blank", tmp / "chromium-profile")
        session = browser.page_session()
        browser.send("Page.enable", session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1180, "height": 680, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        yield emu, Page(browser, session, emu.url + "/")
    finally:
        if browser is not None:
            browser.close()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
            emu.stop()


def messages_text(page: Page) -> str:
    return page.text("#messages")


def test_posting_hello_as_ada_shows_the_apps_reply_without_a_reload(ui: tuple[Emulator, Page]) -> None:
    emu, page = ui
    page.open()
    assert page.text("#conv-title") == "#general"
    assert page.js("document.querySelector('#user-switcher').selectedOptions[0].textContent").startswith("ada")
    page.js("window.__sameDocument = 'yes'")
    page.type("#composer-input", "hello from the browser")
    page.click("#send")
    page.wait(
        "[...document.querySelectorAll('#messages .message')].some(m => m.innerText.includes('hi @ada'))",
        "the app's reply",
    )
    assert page.js("window.__sameDocument") == "yes"  # it arrived by the live stream, not a reload
    shown = page.js(
        "[...document.querySelectorAll('.pane, #thread, #modal-backdrop')].filter(e => "
        "getComputedStyle(e).display !== 'none').map(e => e.id)"
    )
    assert shown == ["conversation"]  # one pane at a time; no thread or modal open
    (posted,) = [m for m in emu.messages("#general") if m.get("text") == "hello from the browser"]
    assert posted["user"] == "U0EMU00001"  # posted as ada, through the driver
    reply = [m for m in emu.messages("#general") if m.get("text") == "hi <@U0EMU00001>"]
    assert reply and reply[0]["bot_id"]
    page.screenshot("messages")


def test_every_sidebar_entry_says_what_kind_it_is(ui: tuple[Emulator, Page]) -> None:
    """Issue 23 item 17: channels and DMs had data-kind="undefined"."""
    emu, page = ui
    page.open()
    page.wait("document.querySelectorAll('#channels li').length > 0", "the channel list")
    kinds = page.js(
        "[...document.querySelectorAll('#channels li, #dms li[data-id], #apps li')]"
        ".map(e => e.closest('ul').id + ':' + e.dataset.kind)"
    )
    assert kinds and not any(k.endswith(":undefined") for k in kinds), kinds
    assert {k for k in kinds if k.startswith("channels:")} == {"channels:channel"}
    assert page.js("document.querySelectorAll('[data-kind=\"undefined\"]').length") == 0


def test_a_slash_command_from_the_composer_answers_ephemerally_only_to_ada(ui: tuple[Emulator, Page]) -> None:
    emu, page = ui
    page.open("?channel=random")
    page.type("#composer-input", "/ec")
    suggested = page.wait(
        "[...document.querySelectorAll('#suggestions:not([hidden]) li')].map(l => l.dataset.command)",
        "the command suggestions",
    )
    assert suggested == ["/echo"]  # the app's declared commands matching what was typed
    page.click("#suggestions li[data-command='/echo']")
    assert page.js("document.querySelector('#composer-input').value") == "/echo "
    page.type("#composer-input", "ping")
    page.click("#send")
    shown = page.wait(
        "[...document.querySelectorAll('#messages .message.ephemeral')].map(m => m.innerText)"
        ".find(t => t.includes('echo: ping'))",
        "the ephemeral answer",
    )
    assert "Only visible to you" in shown
    page.screenshot("slash-command")
    (delivered,) = [d for d in emu.deliveries_log(kind="slash_commands") if d["payload"]["text"] == "ping"]
    assert delivered["payload"]["user_id"] == "U0EMU00001" and delivered["payload"]["command"] == "/echo"
    grace = emu.user("grace").id
    page.switch_user(grace)
    page.wait(
        f"document.querySelector('#user-switcher').value === '{grace}' && "
        "document.querySelector('#conv-title').innerText === '#random'",
        "grace's view of #random",
    )
    assert "echo: ping" not in messages_text(page)  # ephemeral: never shown to anyone else
    page.switch_user(emu.user("ada").id)
    assert "echo: ping" in messages_text(page)


def test_the_home_tab_renders_block_kit_and_its_buttons_and_selects_reach_the_app(ui: tuple[Emulator, Page]) -> None:
    emu, page = ui
    page.open()
    page.click("#apps li[data-kind='app']")
    page.wait("document.querySelector('#home-view .block-header')", "the published Home tab")
    home = page.text("#home-view")
    assert "Welcome home" in home and "Status: all good" in home
    # mrkdwn: bold as <b>, mentions and channels by name, links only as links, an app's HTML as text
    assert page.js("document.querySelector('#home-view .block-section b').textContent") == "Status:"
    assert page.js(
        "document.querySelectorAll('#home-view b, #home-view i, #home-view a, #home-view img').length"
        " === document.querySelectorAll('#home-view b, #home-view i, #home-view a').length"
    )
    assert "<b>not html</b>" in home
    assert "@ada" in home and "#general" in home
    assert page.js("[...document.querySelectorAll('#home-view a')].map(a => a.protocol)").count("javascript:") == 0
    assert page.js("document.querySelector('#home-view .block-context a').href") == "https://api.slack.com/"
    assert "<javascript:alert(1)|not a link>" in page.text("#home-view .block-context")  # shown as text
    assert "[image: a chart]" in home and "https://example.com/chart.png" in home
    assert page.js("document.querySelectorAll('img').length") == 0  # nothing fetched from an app's URL
    types = page.js("[...document.querySelectorAll('#home-view [data-element-type]')].map(e => e.dataset.elementType)")
    assert types == [
        "button",
        "static_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "datepicker",
        "overflow",
        "checkboxes",
        "plain_text_input",
    ]
    assert page.js("document.querySelector('[data-action-id=due]').value") == "2026-12-24"
    assert "future_block" in page.text("#home-view .unknown")  # unknown blocks: a labelled placeholder + JSON
    page.screenshot("home")
    page.click("#home-view button[data-action-id='refresh']")
    page.wait("document.querySelector('#home-view').innerText.includes('refreshed by @ada')", "the app's update")
    (click,) = [
        d
        for d in emu.deliveries_log(kind="interactive")
        if d["payload"].get("actions", [{}])[0].get("action_id") == "refresh"
    ]
    assert click["payload"]["container"]["type"] == "view" and click["payload"]["user"]["id"] == "U0EMU00001"
    page.choose("#home-view select[data-action-id='priority']", "high")
    page.wait("document.querySelector('#home-view').innerText.includes('priority high')", "the select's effect")


def test_a_shortcut_opens_a_modal_whose_button_input_and_submit_work(ui: tuple[Emulator, Page]) -> None:
    emu, page = ui
    page.open()
    page.click("#shortcuts-button")
    page.click("#shortcut-menu li[data-callback-id='new_ticket']")
    page.wait("document.querySelector('#modal form[data-callback-id=ticket]')", "the modal")
    assert page.js("document.querySelector('#modal h2').textContent") == "New ticket"
    page.screenshot("modal")
    page.click("#modal button[data-action-id='more']")  # the app answers with views.update
    page.wait(
        "!document.querySelector('#modal button[data-action-id=more]') && "
        "document.querySelector('#modal input[data-action-id=value]')",
        "the updated modal",
    )
    page.click("#modal-submit")  # a required input left empty: refused in the page, as Slack's client does
    page.wait("document.querySelector('#modal .error')", "the required-field error")
    assert page.text("#modal .error") == "Please complete this required field."
    assert not [d for d in emu.deliveries_log(kind="interactive") if d["payload"].get("type") == "view_submission"]
    page.type("#modal input[data-action-id='value']", "Pr")
    page.click("#modal-submit")  # too short for the app: it answers response_action "errors"
    page.wait(
        "document.querySelector('#modal .error') && "
        "document.querySelector('#modal .error').innerText.includes('longer')",
        "the app's validation error",
    )
    assert page.text("#modal .error") == "A longer title, please"
    page.type("#modal input[data-action-id='value']", "inter on fire")
    page.click("#modal input[value='high']")
    page.click("#modal-submit")
    page.wait("document.querySelector('#modal-backdrop').hidden", "the modal to close")
    page.wait(
        "document.querySelector('#messages').innerText.includes('ticket filed: Printer on fire (urgency high)')",
        "the message the submission caused",
    )
    (refused,) = [
        d
        for d in emu.deliveries_log(kind="interactive")
        if d["payload"].get("type") == "view_submission"
        and d["payload"]["view"]["state"]["values"]["title"]["value"]["value"] == "Pr"
    ]
    # the app's answer is journaled with the delivery (the deliveries pane shows it)
    assert refused["attempts"][-1]["response"] == {
        "response_action": "errors",
        "errors": {"title": "A longer title, please"},
    }
    (sub,) = [
        d
        for d in emu.deliveries_log(kind="interactive")
        if d["payload"].get("type") == "view_submission"
        and d["payload"]["view"]["state"]["values"]["title"]["value"]["value"] == "Printer on fire"
    ]
    assert sub["payload"]["view"]["state"]["values"]["urgency"]["pick"]["selected_option"]["value"] == "high"


def test_the_deliveries_and_request_log_panes_show_the_journal_without_secrets(ui: tuple[Emulator, Page]) -> None:
    emu, page = ui
    page.open()
    page.type("#composer-input", "hello journal")
    page.click("#send")
    page.wait("document.querySelector('#messages').innerText.includes('hello journal')", "the post")
    page.click(".tab[data-tab='deliveries']")
    page.wait("document.querySelectorAll('#deliveries-rows tr.entry').length", "the deliveries")
    page.click("#deliveries-rows tr.entry")
    shown = page.wait(
        "(() => { const d = document.querySelector('#deliveries-rows tr.details:not([hidden])'); "
        "return d && d.innerText; })()",
        "a delivery's details",
    )
    assert "Request body" in shown and "[redacted]" in shown
    # The pane updates live: the row turns from pending to acked once the app acknowledges (no reload).
    row = page.wait(
        "(() => { const r = document.querySelector('#deliveries-rows tr.entry'); "
        "return r && r.innerText.includes('acked') && r.innerText; })()",
        "the delivery acked",
    )
    assert "events_api" in row and "socket_mode" in row
    page.screenshot("deliveries")
    page.click(".tab[data-tab='requests']")
    page.wait("document.querySelector('#requests-rows').innerText.includes('chat.postMessage')", "the request log")
    page.click("#requests-rows tr.entry")
    log = page.text("#requests")
    assert "REDACTED" in log
    page.screenshot("requests")
    with emu.world.lock:
        tokens = list(emu.world.tokens)
    html = page.js("document.documentElement.outerHTML")
    assert not [t for t in tokens if t in html]  # no token anywhere in the page


def test_threads_reactions_and_message_buttons(ui: tuple[Emulator, Page]) -> None:
    emu, page = ui
    page.open()
    page.type("#composer-input", "buttons please")
    page.click("#send")
    page.wait("document.querySelector('#messages button[data-action-id=approve]')", "the app's message with a button")
    assert page.js(
        "[...document.querySelectorAll('#messages .message')].some(m => m.querySelector("
        "'b') && m.querySelector('b').textContent === 'api' && m.querySelector('i').textContent === 'prod'"
        " && m.querySelector('code').textContent === 'v1.2')"
    )
    page.click("#messages button[data-action-id='approve']")  # block_actions from a message, through the driver
    page.wait("document.querySelector('#messages').innerText.includes('approved api by @ada')", "the app's answer")
    (click,) = [
        d
        for d in emu.deliveries_log(kind="interactive")
        if d["payload"].get("actions", [{}])[0].get("action_id") == "approve"
    ]
    assert click["payload"]["container"]["type"] == "message" and click["payload"]["channel"]["id"] == "C0EMU00001"
    (parent,) = [m for m in emu.messages("#general") if m.get("text") == "buttons please"]
    sel = f".message[data-ts='{parent['ts']}']"
    page.js(f'document.querySelector("{sel}").scrollIntoView()')
    page.choose(f"{sel} select[aria-label='Add a reaction']", "eyes")
    page.wait(f'document.querySelector("{sel} .reaction.mine[data-reaction=eyes]")', "the reaction")
    assert emu.messages("#general")[[m["ts"] for m in emu.messages("#general")].index(parent["ts"])]["reactions"][0][
        "users"
    ] == ["U0EMU00001"]
    page.js(f"document.querySelector(\"{sel} .message-actions\").style.display = 'flex'")  # as on hover
    page.click(f"{sel} .message-actions button")
    page.wait("!document.querySelector('#thread').hidden", "the thread pane")
    page.type("#thread-input", "a reply in the thread")
    page.click("#thread-composer button[type=submit]")
    page.wait("document.querySelector('#thread-messages').innerText.includes('a reply in the thread')", "the reply")
    page.wait(f'document.querySelector("{sel} .thread-link")', "the reply count")
    assert page.text(f"{sel} .thread-link") == "1 reply"
    assert "a reply in the thread" not in page.text("#messages")  # replies live in the side pane
    (reply,) = [m for m in emu.messages("#general") if m.get("text") == "a reply in the thread"]
    assert reply["thread_ts"] == parent["ts"] and reply["user"] == "U0EMU00001"
    page.screenshot("thread")


def test_a_shared_file_shows_as_a_link(ui: tuple[Emulator, Page]) -> None:
    from slack_sdk import WebClient

    emu, page = ui
    (app,) = [a for a in emu.apps() if a["name"] == "Starter"]
    client = WebClient(token=app["bot_token"], base_url=emu.url + "/api/")
    client.files_upload_v2(channel="C0EMU00001", content="release notes", filename="notes.txt", title="notes.txt")
    page.open()
    link = page.wait(
        "(() => { const a = [...document.querySelectorAll('#messages .files a')].find(a => "
        "a.textContent.includes('notes.txt')); return a && a.href; })()",
        "the file's link",
    )
    assert link.startswith(emu.url + "/") and "notes.txt" in link


def test_the_workflows_pane_runs_a_link_trigger_and_shows_the_run(ui: tuple[Emulator, Page]) -> None:
    import httpx

    emu, page = ui
    (app,) = [a for a in emu.apps() if a["name"] == "Starter"]
    trigger = httpx.post(
        f"{emu.url}/api/workflows.triggers.create",
        headers={"Authorization": f"Bearer {app['bot_token']}"},
        json={
            "type": "shortcut",
            "name": "Wave here",
            "workflow": "#/workflows/wave",
            "inputs": {"channel": {"value": "{{data.channel_id}}"}},
        },
    ).json()["trigger"]
    page.open()
    page.click(".tab[data-tab='workflows']")
    page.wait(f"document.querySelector(\"button[data-trigger='{trigger['id']}']\")", "the trigger's button")
    page.click(f"button[data-trigger='{trigger['id']}']")
    row = page.wait(
        "(() => { const r = document.querySelector('#executions-rows tr.entry'); "
        "return r && r.innerText.includes('completed') && r.innerText; })()",
        "the completed run",
    )
    assert "wave" in row and "1/1" in row and trigger["id"] in row
    assert any(m.get("text") == "a wave" for m in emu.messages("general"))
    assert trigger["shortcut_url"].rsplit("/", 1)[1] not in page.js("document.documentElement.outerHTML")
    page.screenshot("workflows")
