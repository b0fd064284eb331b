"""`slackctl emulator`: start the local Slack, drive a user of it (post, command, click, ...), run a program
against it, open its web UI. A lazy table: each verb (options, help, examples, run) is
cli/commands/emulator/<module>.py (the driver verbs share drive.py), imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Run a local fake Slack for offline development and tests."


def _drive(attr: str, summary: str) -> Entry:
    return Entry("drive", summary, attr)


VERBS = {
    "start": Entry(
        "start",
        "Start the emulator: serve until Ctrl-C or SIGTERM, printing the base URL (and with --tls "
        "the CA file) on stdout.",
    ),
    "post": _drive(
        "POST", "Post TEXT as a user (@NAME mentions); prints the message (with ts) and the event deliveries it caused."
    ),
    "command": _drive("COMMAND", "Run a slash command as a user; prints the app's acknowledgement and response."),
    "shortcut": _drive("SHORTCUT", "Use a global shortcut (or a message shortcut with --message)."),
    "click": _drive(
        "CLICK",
        "Click a button (or pick in a select, overflow menu or feedback buttons) in a message or "
        "a view; found by ACTION_ID when not told where.",
    ),
    "submit": _drive("SUBMIT", "Submit a modal with the given input values."),
    "close-view": _drive("CLOSE_VIEW", "Close a modal as the user would (view_closed for notify_on_close views)."),
    "open-home": _drive("OPEN_HOME", "Open the app's App Home (app_home_opened); prints the deliveries it caused."),
    "assistant-thread": _drive(
        "ASSISTANT_THREAD", "Start a thread in the app's assistant container (assistant_thread_started)."
    ),
    "assistant-context": _drive(
        "ASSISTANT_CONTEXT",
        "With an assistant thread open, move to another channel (assistant_thread_context_changed).",
    ),
    "react": _drive("REACT", "Add reaction NAME to the message at TS in CHANNEL."),
    "messages": _drive(
        "MESSAGES", "What the user sees in CHANNEL: one JSON object a line, oldest first (ephemeral ones marked)."
    ),
    "views": _drive(
        "VIEWS", "The user's App Home, open modals (top last) and assistant threads (status, title, prompts)."
    ),
    "token": Entry("token", "Print a token of the running emulator (a config token by default) on stdout."),
    "trigger": Entry("trigger", "Click a link trigger as a user: its workflow starts; prints the execution."),
    "function": Entry(
        "function",
        'Run one custom function of an app on its own; prints {"function_execution_id", "status", "outputs", "error"}.',
    ),
    "executions": Entry(
        "executions",
        "Workflow and function executions, one JSON object a line, with each step's status, inputs and outputs.",
    ),
    "exec": Entry("exec_", "Run COMMAND against the emulator at --slack-url / SLACKCTL_SLACK_URL, unchanged."),
    "open": Entry(
        "open_", "Open the web UI of the emulator at --slack-url / SLACKCTL_SLACK_URL (default http://127.0.0.1:8787)."
    ),
}
