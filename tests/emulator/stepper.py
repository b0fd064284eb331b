"""The Stepper app the workflow tests share: a manifest with two custom functions (shout completes at once,
sample_step DMs a button and completes when it is clicked — the shape of Slack's custom-step sample) and a workflow
around sample_step, and the real slack_bolt app serving them."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

MANIFEST: dict[str, Any] = {
    "_metadata": {"major_version": 2},
    "display_information": {"name": "Stepper"},
    "features": {"bot_user": {"display_name": "stepper"}},
    "oauth_config": {"scopes": {"bot": ["chat:write", "im:write", "triggers:write", "triggers:read"]}},
    "settings": {
        "event_subscriptions": {"bot_events": ["function_executed"]},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": True,
        "socket_mode_enabled": True,
        "function_runtime": "remote",
    },
    "functions": {
        "shout": {
            "title": "Shout",
            "description": "Upper-cases its text",
            "input_parameters": {
                "properties": {"text": {"type": "string"}, "times": {"type": "integer"}},
                "required": ["text"],
            },
            "output_parameters": {"properties": {"text": {"type": "string"}}, "required": ["text"]},
        },
        "ask_step": {
            "title": "Ask",
            "description": "Asks the user in a modal",
            "input_parameters": {"properties": {"user_id": {"type": "slack#/types/user_id"}}, "required": ["user_id"]},
            "output_parameters": {"properties": {"answer": {"type": "string"}}, "required": ["answer"]},
        },
        "sample_step": {
            "title": "Sample step",
            "description": "Asks the user to click a button",
            "input_parameters": {"properties": {"user_id": {"type": "slack#/types/user_id"}}, "required": ["user_id"]},
            "output_parameters": {"properties": {"user_id": {"type": "slack#/types/user_id"}}, "required": ["user_id"]},
        },
    },
    "workflows": {
        "sample_workflow": {
            "title": "Sample workflow",
            "description": "Start, ask, report",
            "input_parameters": {
                "properties": {
                    "user_id": {"type": "slack#/types/user_id"},
                    "channel_id": {"type": "slack#/types/channel_id"},
                },
                "required": ["user_id", "channel_id"],
            },
            "steps": [
                {
                    "id": "0",
                    "function_id": "slack#/functions/send_message",
                    "inputs": {"channel_id": "{{inputs.channel_id}}", "message": "Started for <@{{inputs.user_id}}>"},
                },
                {"id": "1", "function_id": "#/functions/sample_step", "inputs": {"user_id": "{{inputs.user_id}}"}},
                {
                    "id": "2",
                    "function_id": "slack#/functions/send_message",
                    "inputs": {"channel_id": "{{inputs.channel_id}}", "message": "<@{{steps.1.user_id}}> clicked"},
                },
            ],
        }
    },
}
CLICK_TEXT = "Click the button to signal the step has completed"


ASK_TEXT = "Please answer in the modal"


def stepper_app(api_url: str, creds: dict[str, Any]) -> App:
    """The Bolt app (connect it with Slack.connect)."""
    app = App(client=WebClient(token=creds["bot_token"], base_url=api_url), signing_secret=creds["signing_secret"])

    @app.function("sample_step")
    def sample_step(inputs: dict[str, Any], say: Any, fail: Any) -> None:
        try:
            say(
                channel=inputs["user_id"],
                text=CLICK_TEXT,
                blocks=[
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "action_id": "sample_click",
                                "text": {"type": "plain_text", "text": "Click me"},
                            }
                        ],
                    }
                ],
            )
        except Exception as exc:  # noqa: BLE001 - the sample's shape: any failure fails the step
            fail(f"could not send the button: {exc}")

    @app.function("shout")
    def shout(inputs: dict[str, Any], complete: Any, fail: Any) -> None:
        if inputs.get("times", 1) < 1:
            fail("times must be at least 1")
            return
        complete(outputs={"text": inputs["text"].upper() * inputs.get("times", 1)})

    @app.function("ask_step")
    def ask_step(inputs: dict[str, Any], say: Any) -> None:
        say(
            channel=inputs["user_id"],
            text=ASK_TEXT,
            blocks=[
                {
                    "type": "actions",
                    "elements": [
                        {"type": "button", "action_id": "ask_open", "text": {"type": "plain_text", "text": "Answer"}}
                    ],
                }
            ],
        )

    @app.action("ask_open")
    def ask_open(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(
            trigger_id=body["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "ask_modal",
                "title": {"type": "plain_text", "text": "Ask"},
                "submit": {"type": "plain_text", "text": "Send"},
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "answer",
                        "label": {"type": "plain_text", "text": "Answer"},
                        "element": {"type": "plain_text_input", "action_id": "value"},
                    }
                ],
            },
        )

    @app.view("ask_modal")
    def ask_modal(ack: Any, view: dict[str, Any], complete: Any) -> None:
        ack()
        complete(outputs={"answer": view["state"]["values"]["answer"]["value"]["value"]})

    @app.action("sample_click")
    def sample_click(ack: Any, body: dict[str, Any], context: Any, client: WebClient, complete: Any) -> None:
        ack()
        client.chat_update(channel=body["container"]["channel_id"], ts=body["message"]["ts"], text="Done")
        complete(outputs={"user_id": context.actor_user_id})

    return app


def link_trigger(api_url: str, creds: dict[str, Any]) -> dict[str, Any]:
    """A link trigger of sample_workflow, made through workflows.triggers.create."""
    client = WebClient(token=creds["bot_token"], base_url=api_url)
    return client.api_call("workflows.triggers.create", json=LINK_TRIGGER)["trigger"]


LINK_TRIGGER = {
    "type": "shortcut",
    "name": "Run the sample",
    "workflow": "#/workflows/sample_workflow",
    "inputs": {"user_id": {"value": "{{data.user_id}}"}, "channel_id": {"value": "{{data.channel_id}}"}},
}
