"""`slackctl events`: sign, verify and forward Slack's requests.
A lazy table: each verb (options, help, examples, run) is cli/commands/events/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Test an app's request handling: sign, verify and forward Slack's requests."

VERBS = {
    "sign": Entry(
        "sign", "Read a request body on stdin; print the X-Slack-Request-Timestamp and X-Slack-Signature header lines."
    ),
    "verify": Entry(
        "verify",
        "Check that the body on stdin carries this signature. Exit codes: 0 it matches, 1 it "
        "does not (the reason on stderr: wrong secret or body, stale timestamp), 2 bad input or "
        "no secret.",
    ),
    "forward": Entry(
        "forward", "Relay Slack's events, slash commands and interactions to a local HTTP app, without a public URL."
    ),
}
