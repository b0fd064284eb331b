"""`slackctl manifest`: validate, export and diff app manifests.
A lazy table: each verb (options, help, examples, run) is cli/commands/manifest/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Validate, export and diff app manifests."

VERBS = {
    "validate": Entry("validate", "Check the manifest against the manifest schema (and with --remote, against Slack)."),
    "export": Entry("export", "Print the deployed manifest (apps.manifest.export) as JSON on stdout."),
    "info": Entry("info", "Print the project's resolved manifest as JSON (--source local or remote)."),
    "diff": Entry("diff", "Show a unified diff from the deployed manifest to the local one (coloured on a terminal)."),
}
