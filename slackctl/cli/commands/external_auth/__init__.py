"""`slackctl external-auth`: OAuth2 providers from the app manifest, authorized by Slack (hosted) or locally.
A lazy table: each verb (options, help, examples, run) is cli/commands/external_auth/<module>.py, imported when it
runs."""

from slackctl.cli.verb import Entry

SUMMARY = (
    "Authorize third-party OAuth2 providers declared in the manifest (external_auth_providers.oauth2): hosted "
    "by Slack for apps on Slack's infrastructure, or locally (tokens in your keyring) for any app."
)

VERBS = {
    "list": Entry("list_", "Providers in the manifest, whether a client secret is set, and the authorized accounts."),
    "add-secret": Entry(
        "add_secret",
        "Set a provider's client secret, read from a hidden prompt or stdin (never from the command line).",
    ),
    "add": Entry("add", "Authorize an account with the provider (opens a browser)."),
    "remove": Entry(
        "remove", "Remove an authorized account (local: revoked at the provider when it has a revocation_url)."
    ),
    "select-auth": Entry(
        "select_auth", "Choose which account a workflow uses (local: also the default account exported to scripts)."
    ),
    "token": Entry(
        "token", "Print a fresh access token for scripts (local mode), refreshing it first when near expiry."
    ),
}
