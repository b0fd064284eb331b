"""`slackctl auth`: log in and out, see and switch profiles, print a token for scripts.
A lazy table: each verb (options, help, examples, run) is cli/commands/auth/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Log in to workspaces and manage profiles."

VERBS = {
    "login": Entry("login", "Log in to a workspace: OAuth in the browser, or --with-token from stdin."),
    "status": Entry("status", "Every profile, checked live with auth.test; exit 4 if the active one fails."),
    "list": Entry("list_", "List profiles (no network)."),
    "switch": Entry("switch", "Make NAME the active profile."),
    "token": Entry("token", "Print the raw token for scripts: $(slackctl auth token)."),
    "logout": Entry("logout", "Revoke a profile's tokens at Slack (auth.revoke) and delete them locally."),
    "whoami": Entry("whoami", "Show the Sign in with Slack identity (openid.connect.userInfo)."),
}
