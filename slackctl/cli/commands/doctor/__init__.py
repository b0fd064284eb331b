"""`slackctl doctor`: a top-level command; the whole verb is cli/commands/doctor/doctor.py."""

from slackctl.cli.verb import Entry

SUMMARY = (
    "Check what slackctl depends on: Python and slackctl versions, the keyring, the config dir, the Slack "
    "host (naming the proxy and CAs in use), the clock against Slack's, each profile's tokens and scopes, "
    "and the project's SDK."
)
VERB = Entry("doctor", SUMMARY)
