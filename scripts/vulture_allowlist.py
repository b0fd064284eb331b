"""Names vulture (make lint's dead-code check) cannot see used: each is reached by name or from outside the package.

Framework hooks are matched by pattern in pyproject's [tool.vulture] instead; keep this list short, and delete a
line when its name goes. vulture only reads this file: it is never imported.
"""

# ruff: noqa: B018 - every line is a bare use of a name, on purpose
_ = object()

# cli/commands/emulator/__init__.py names the driver verbs of drive.py by string: Entry("drive", ..., "POST").
_.POST, _.SHORTCUT, _.CLICK, _.SUBMIT, _.CLOSE_VIEW, _.OPEN_HOME, _.ASSISTANT_THREAD, _.REACT, _.MESSAGES, _.VIEWS
_.ASSISTANT_CONTEXT

# The emulator's driven user: driver/verbs.py's VERBS table calls these by name (POST /_emulator/drive/VERB), and
# the pytest plugin's users call them directly.
_.react, _.close_view, _.open_home, _.start_assistant_thread, _.change_assistant_context, _.run_step

# The pytest plugin's public API (slackctl/testing.py), used by app developers' tests.
_.wait_for_message, _.wait_for_view, _.wait_for_execution
_.auto_reconnect_enabled  # slack_sdk's SocketModeClient reads it


# Library API for in-process callers and tests: SlackProxy's header for a client that takes no proxy URL
# (emulator/exec/intercept.py), what the request log holds in bytes (emulator/requestlog.py, its bound's test).
_.auth_headers, _.held_bytes

# Attributes that a library reads: jeepney's DBusConnection (secretservice.py), http.server's HTTPServer
# (slack/httpserver.py), and the bound sockets tests check are loopback-only (slack/loopback.py).
_._filters, _.unique_name, _.server_name, _.server_port, _.sockets

# Slack's hooks protocol: config.trigger-paths is parsed with the rest of the SDK's answer (core/hookprotocol.py)
# for the get-trigger hook, which no slackctl command runs yet; tests read it.
_.trigger_paths

# The manual's environment-variable table (settings.py): read by scripts/gen_reference.py, which writes
# docs/reference/environment.md and each command's Environment section from it.
_.ENVIRONMENT
