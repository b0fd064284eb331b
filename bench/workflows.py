"""A workflow run end to end: a link trigger clicked by the driver -> send_message -> a custom step served by a
real slack_bolt app over Socket Mode (function_executed, complete()) -> send_message -> execution completed.
Median and p95 of N runs.

    .venv/bin/python bench/workflows.py [--runs 100]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MANIFEST: dict[str, Any] = {
    "_metadata": {"major_version": 2},
    "display_information": {"name": "Bench flow"},
    "features": {"bot_user": {"display_name": "benchflow"}},
    "oauth_config": {"scopes": {"bot": ["chat:write", "triggers:write"]}},
    "settings": {
        "event_subscriptions": {"bot_events": ["function_executed"]},
        "socket_mode_enabled": True,
        "org_deploy_enabled": True,
        "function_runtime": "remote",
    },
    "functions": {
        "double": {
            "title": "Double",
            "description": "Doubles a word",
            "input_parameters": {"properties": {"word": {"type": "string"}}, "required": ["word"]},
            "output_parameters": {"properties": {"word": {"type": "string"}}, "required": ["word"]},
        }
    },
    "workflows": {
        "three": {
            "title": "Three steps",
            "description": "post, double, post",
            "input_parameters": {
                "properties": {"channel": {"type": "slack#/types/channel_id"}},
                "required": ["channel"],
            },
            "steps": [
                {
                    "id": "0",
                    "function_id": "slack#/functions/send_message",
                    "inputs": {"channel_id": "{{inputs.channel}}", "message": "start"},
                },
                {"id": "1", "function_id": "#/functions/double", "inputs": {"word": "ha"}},
                {
                    "id": "2",
                    "function_id": "slack#/functions/send_message",
                    "inputs": {"channel_id": "{{inputs.channel}}", "message": "{{steps.1.word}}"},
                },
            ],
        }
    },
}


@dataclass
class WorkflowResult:
    runs: int
    p50_ms: float
    p95_ms: float


def run(runs: int = 100) -> WorkflowResult:
    from slack_bolt import App
    from slack_sdk import WebClient

    from slackctl.emulator import Emulator
    from slackctl.testing import Slack

    logging.getLogger("slack_bolt").setLevel(logging.ERROR)
    emu = Emulator(manifests=[MANIFEST]).start()
    slack = Slack(emu)
    try:
        creds = next(a for a in emu.apps() if a["name"] == "Bench flow")
        client = WebClient(token=creds["bot_token"], base_url=emu.url + "/api/")
        app = App(client=client, signing_secret=creds["signing_secret"])

        @app.function("double")
        def double(inputs: dict[str, Any], complete: Any) -> None:
            complete(outputs={"word": inputs["word"] * 2})

        slack.connect(app)
        trigger = client.api_call(
            "workflows.triggers.create",
            json={
                "type": "shortcut",
                "name": "bench",
                "workflow": "#/workflows/three",
                "inputs": {"channel": {"value": "{{data.channel_id}}"}},
            },
        )["trigger"]
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            execution = slack.trigger(trigger["id"], channel="#general")
            done = slack.wait_for_execution(execution["workflow_execution_id"], timeout=10)
            samples.append(time.perf_counter() - started)
            if done["status"] != "completed":
                raise SystemExit(f"a run ended {done['status']}: {done['error']}")
    finally:
        slack.close()
        emu.stop()
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return WorkflowResult(len(samples), statistics.median(samples) * 1000, p95 * 1000)


def render(result: WorkflowResult) -> list[str]:
    return [
        "## A workflow run (link trigger -> 3 steps with a Bolt custom step -> completed)",
        "",
        "The driver clicks a link trigger; the workflow posts with send_message, runs a custom step served by a "
        "real slack_bolt app over Socket Mode (function_executed, then complete()), posts its output, and "
        "ends; timed until the execution shows completed.",
        "",
        "| runs | p50 | p95 |",
        "|---:|---:|---:|",
        f"| {result.runs} | {result.p50_ms:.1f} ms | {result.p95_ms:.1f} ms |",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    print("\n".join(render(run(args.runs))))


if __name__ == "__main__":
    main()
