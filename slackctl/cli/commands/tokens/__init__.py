"""`slackctl tokens`: the stored credentials, named PROFILE/KIND.
A lazy table: each verb (options, help, examples, run) is cli/commands/tokens/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Manage stored credentials (named PROFILE/KIND, as `tokens list` shows them)."

VERBS = {
    "list": Entry("list_", "Every stored credential: profile, kind, masked value, expiry, storage (no network)."),
    "add": Entry("add", "Store a credential read from stdin (or a hidden prompt) in the --profile / active profile."),
    "rotate": Entry("rotate", "Rotate a rotating token now (refresh token exchange) and store the new pair."),
    "revoke": Entry("revoke", "Revoke a token at Slack (auth.revoke), then delete it (and its refresh token) locally."),
    "inspect": Entry(
        "inspect",
        "What a token is: type by prefix, whether Slack accepts it (auth.test), its scopes "
        "and expiry. The token itself is never printed.",
    ),
    "export": Entry(
        "export",
        "Print the active profile's tokens and the project app's secrets as SLACK_* variables, "
        'for `eval "$(slackctl tokens export)"` or a .env file. The one command that prints '
        "secrets on purpose.",
    ),
}
