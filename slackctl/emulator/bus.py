"""What happened in the emulated workspace, announced to whoever listens (event delivery, the web UI).

Web API handlers and the user driver publish facts after the state has changed ("message_posted",
"reaction_added", ...); listeners decide what to do with them (which apps get an event, what a page shows). Kept
apart from delivery so the handlers need not know who listens.

Kinds and their data (keyword arguments), by convention:
  message_posted       channel_id, message (the stored message dict, with ts, user or bot_id, thread_ts...)
  message_changed      channel_id, message, previous
  message_deleted      channel_id, ts, previous
  reaction_added       channel_id, ts, user, reaction, item_user
  reaction_removed     channel_id, ts, user, reaction, item_user
  member_joined        channel_id, user, inviter (or None)
  member_left          channel_id, user
  channel_created      channel
  app_home_opened      user, app_id, tab
  assistant_thread_started  channel_id, thread_ts, user, app_id, context ({channel_id, team_id, enterprise_id})
  assistant_thread_context_changed  the same, with the new context
  assistant_thread_changed  channel_id, thread_ts, app_id (the app set its title or suggested prompts)
  view_changed         view (views.open/push/update/publish, and closing), action (opened, pushed, updated,
                       published, closed), user
  channel_archived     channel_id, user
  pin_added            channel_id, ts, user
  pin_removed          channel_id, ts, user
  assistant_status_set channel_id, thread_ts, status, app_id
  function_executed    app_id, user, event (the function_executed event: a workflow reached the app's step)
  function_completed   execution (id, app_id, callback_id, inputs, state completed|failed, outputs, error)
  bookmark_changed     channel_id, bookmark (None when removed)
  user_changed         user (after users.profile.set)
  app_uninstalled      app_id (apps.uninstall: its tokens are revoked)
  file_deleted         file_id (files.delete: its shares become tombstones)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]


class Bus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add LISTENER; returns a function that removes it again."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, kind: str, **data: Any) -> None:
        # Listeners run on the publishing thread and must not block it (delivery queues work of its own); one
        # failing listener must not stop the others or fail the Web API call that published.
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(kind, data)
            except Exception:  # noqa: BLE001, S110 - a listener's bug is not the caller's failure
                pass
