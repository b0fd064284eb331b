"""pytest plugin (entry point pytest11 "slackctl"): fixtures that run the Slack emulator for an app's tests."""

from __future__ import annotations
