"""Which Web API calls are safe to repeat after a 5xx, a timeout or a dropped connection: the one rule, used by the
client's default and by the catalog (kept apart from both so the client does not load the catalog to decide)."""

from __future__ import annotations

# Words a method name starts its last part with when it only reads: repeating it after a 5xx or a dropped
# connection cannot duplicate anything.
READ_VERBS = ("list", "info", "history", "replies", "test", "get", "export", "lookup", "search", "validate")
# Reads whose names do not say so. (Slack's "GET" in the method data is no guide: admin.emoji.add, auth.revoke and
# files.remote.share are documented as GET and write all the same.)
READ_METHODS = frozenset(
    {
        "admin.analytics.messages.activity",
        "admin.analytics.messages.metadata",
        "conversations.members",
        "dnd.teamInfo",
        "migration.exchange",
        "rtm.connect",
        "rtm.start",
        "search.all",
        "search.files",
        "search.messages",
        "team.accessLogs",
        "team.billableInfo",
        "team.integrationLogs",
        "users.conversations",
        "users.identity",
    }
)


def is_read_method(name: str) -> bool:
    """The one rule for whether repeating a Web API call is safe (after a 5xx, a timeout or a dropped connection):
    its name says it only reads. Decided by name alone, so it needs no catalog lookup and holds for methods the
    catalog does not know; whatever HTTP verb carries it."""
    last = name.rsplit(".", 1)[-1]
    return name in READ_METHODS or any(last.startswith(verb) for verb in READ_VERBS)
