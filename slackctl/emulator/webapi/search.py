"""Web API: search.messages, search.files and search.all over the emulator's own messages and files, with Slack's
query operators `in:#channel`, `from:@user` (or an id), `"exact phrases"`, and plain words (all must match)."""

from __future__ import annotations

import shlex
from typing import Any

from slackctl.emulator.webapi.registry import Call, method

SEARCH = {"user": ["search:read"]}
MAX_COUNT = 100


def _terms(call: Call) -> tuple[list[str], str | None, str | None]:
    """(words and phrases, in: channel id, from: user id) of the query."""
    query = call.arg("query", required=True, error="no_query") or ""
    try:
        parts = shlex.split(query)
    except ValueError:
        parts = query.split()
    words: list[str] = []
    where = who = None
    for part in parts:
        if part.startswith("in:"):
            channel = call.world.find_channel(part[3:].lstrip("#").strip("<>"))
            where = channel["id"] if channel else "-"
        elif part.startswith("from:"):
            ref = part[5:].lstrip("@").strip("<>")
            user = call.world.get_user(ref) or next((u for u in call.world.users.values() if u["name"] == ref), None)
            who = user["id"] if user else "-"
        else:
            words.append(part.lower())
    return words, where, who


def _visible(call: Call, channel: dict[str, Any]) -> bool:
    return not channel["is_private"] or call.user_id in channel["members"]


def _paging(call: Call, total: int) -> tuple[int, int, dict[str, Any]]:
    count = call.int_arg("count", 20, 1, MAX_COUNT)
    page = call.int_arg("page", 1, 1)
    pages = max(1, -(-total // count))
    start = (page - 1) * count
    info = {
        "count": count,
        "total": total,
        "page": page,
        "pages": pages,
        "per_page": count,
        "first": start + 1 if total else 0,
        "last": min(total, start + count),
    }
    return start, start + count, info


def _match_messages(call: Call) -> dict[str, Any]:
    words, where, who = _terms(call)
    found: list[dict[str, Any]] = []
    for cid, messages in call.world.messages.items():
        channel = call.world.channels.get(cid)
        if channel is None or not _visible(call, channel) or (where and cid != where):
            continue
        for m in messages:
            text = str(m.get("text") or "").lower()
            if who and m.get("user") != who:
                continue
            if all(w in text for w in words):
                found.append(
                    {
                        "type": "message",
                        "channel": {"id": cid, "name": channel.get("name", ""), "is_private": channel["is_private"]},
                        "user": m.get("user"),
                        "username": _username(call, m.get("user")),
                        "ts": m["ts"],
                        "text": m.get("text", ""),
                        "iid": m["ts"],
                        "permalink": f"{call.workspace_url()}archives/{cid}/p{m['ts'].replace('.', '')}",
                    }
                )
    if call.arg("sort_dir") != "asc":
        found.reverse()
    start, end, paging = _paging(call, len(found))
    return {
        "matches": found[start:end],
        "total": len(found),
        "paging": paging,
        "pagination": {
            "total_count": len(found),
            "page": paging["page"],
            "per_page": paging["count"],
            "page_count": paging["pages"],
            "first": paging["first"],
            "last": paging["last"],
        },
    }


def _match_files(call: Call) -> dict[str, Any]:
    """Files as shared in the conversations the caller can see (each share is a message carrying the file)."""
    words, where, who = _terms(call)
    found: dict[str, dict[str, Any]] = {}
    for cid, messages in call.world.messages.items():
        channel = call.world.channels.get(cid)
        if channel is None or not _visible(call, channel) or (where and cid != where):
            continue
        for m in messages:
            for f in m.get("files") or []:
                name = f"{f.get('title') or ''} {f.get('name') or ''}".lower()
                if (not who or f.get("user") == who) and all(w in name for w in words):
                    found.setdefault(f["id"], dict(f))
    files = list(found.values())
    start, end, paging = _paging(call, len(files))
    return {"matches": files[start:end], "total": len(files), "paging": paging}


def _username(call: Call, uid: Any) -> str:
    user = call.world.get_user(str(uid or ""))
    return user["name"] if user else ""


@method("search.messages", scopes=SEARCH, kinds=("user",))
def search_messages(call: Call) -> dict[str, Any]:
    return {"query": call.arg("query"), "messages": _match_messages(call)}


@method("search.files", scopes=SEARCH, kinds=("user",))
def search_files(call: Call) -> dict[str, Any]:
    return {"query": call.arg("query"), "files": _match_files(call)}


@method("search.all", scopes=SEARCH, kinds=("user",))
def search_all(call: Call) -> dict[str, Any]:
    return {"query": call.arg("query"), "messages": _match_messages(call), "files": _match_files(call)}
