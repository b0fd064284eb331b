"""Slack's automation platform in the emulator: workflow triggers, workflow and function executions, the built-in
Slack functions, and the app activity log (see ARCHITECTURE.md)."""
