"""`slackctl api`: call any Web API method, list and describe the method catalog, upload files.

A lazy table: each verb (options, help, examples, run) is cli/commands/api/<module>.py, imported when it runs.
Stdlib only: the fast path (cli/fastpath.py) imports this package on its way to `call`."""

from slackctl.cli.verb import Entry

SUMMARY = "Call any Web API method, browse the method catalog, upload files."

VERBS = {
    "call": Entry("call", "Call a Web API method and print the JSON response."),
    "batch": Entry(
        "batch", "Make many calls of one method from JSON lines; print each response as a JSON line, in input order."
    ),
    "list": Entry("list_", "List Web API methods: name, HTTP verb, JSON bodies, rate tier, token types."),
    "describe": Entry("describe", "Show one method: verb, arguments, scopes by token type, rate tier, docs URL."),
    "upload": Entry("upload", "Upload files (Slack's three-step external upload), streamed from disk."),
}
