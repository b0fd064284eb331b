"""`slackctl datastore`: items in an app's datastores (apps.datastore.*), with the JSON argument Slack's CLI takes.
A lazy table: each verb (options, help, examples, run) is cli/commands/datastore/<module>.py, imported when it runs."""

from slackctl.cli.verb import Entry

SUMMARY = "Put, get, update, delete, query and count items in an app's datastores."

VERBS = {
    "put": Entry("put", "Create or replace an item in a datastore (apps.datastore.put)."),
    "bulk-put": Entry(
        "bulk_put",
        "Create or replace many items: from the argument, --from-file or JSON lines on stdin (apps.datastore.bulkPut).",
    ),
    "get": Entry("get", "Get an item by its primary key (apps.datastore.get)."),
    "bulk-get": Entry("bulk_get", "Get many items by their primary keys (apps.datastore.bulkGet)."),
    "update": Entry("update", "Create an item or merge attributes into it (apps.datastore.update)."),
    "delete": Entry("delete", "Delete an item by its primary key (apps.datastore.delete)."),
    "bulk-delete": Entry("bulk_delete", "Delete many items by their primary keys (apps.datastore.bulkDelete)."),
    "query": Entry("query", "Find items with an expression, one page or (--jsonl) all of them (apps.datastore.query)."),
    "count": Entry("count", "Count the items an expression matches (apps.datastore.count)."),
}
