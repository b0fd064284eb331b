"""A fast, read-only Secret Service client over D-Bus (jeepney) for the items keyring's SecretService backend writes.

Why it exists: importing `keyring` alone costs more than a whole Slack API call (keyring.core pulls in
jaraco.context, urllib.request, email, importlib metadata...), and secretstorage then negotiates a DH-encrypted
session, importing `cryptography`. Reading one secret needs none of that: a handful of D-Bus round trips on the
local session bus. Anything this module cannot answer with certainty raises FastPathUnavailable, and the caller
goes the full keyring way, which knows how to unlock, prompt and report errors.
"""

from __future__ import annotations

import os
import time
from typing import Any

BUS_NAME = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
# keyring's backend uses secretstorage.get_default_collection(), i.e. this alias path, unless a
# `preferred_collection` property is configured (the caller only uses us when none can be).
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"
SERVICE_IFACE = "org.freedesktop.Secret.Service"
COLLECTION_IFACE = "org.freedesktop.Secret.Collection"
ITEM_IFACE = "org.freedesktop.Secret.Item"
SESSION_IFACE = "org.freedesktop.Secret.Session"


class FastPathUnavailable(Exception):
    """The fast path cannot answer with certainty (no bus, no Secret Service, locked, D-Bus error...):
    ask keyring instead."""


class SecretServiceTimeout(FastPathUnavailable):
    """The bus or the Secret Service did not answer in time. Falling back to keyring would only wait again."""


class _Deadline:
    """One time budget shared by every round trip, so the whole read never exceeds the caller's timeout."""

    def __init__(self, timeout: float) -> None:
        self.end = time.monotonic() + timeout

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("out of time")
        return remaining


def _open(deadline: _Deadline) -> Any:
    """A blocking jeepney connection to the session bus whose Hello, too, is bounded by the deadline.

    jeepney's open_dbus_connection() bounds the authentication but sends Hello with no timeout, so a bus that
    authenticates and then stalls would hang us; we say Hello ourselves with send_and_get_reply(timeout=)."""
    from jeepney.bus import get_bus
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import DBusConnection, DBusConnectionBase, prep_socket
    from jeepney.io.common import MessageFilters
    from jeepney.wrappers import unwrap_msg

    class _Connection(DBusConnection):
        def __init__(self, sock: Any) -> None:
            DBusConnectionBase.__init__(self, sock, False)
            self._filters = MessageFilters()
            self.unique_name = None
            try:
                hello = self.send_and_get_reply(message_bus.Hello(), timeout=deadline.left())
                self.unique_name = unwrap_msg(hello)[0]
            except BaseException:
                self.close()
                raise

    address = get_bus(os.environ["DBUS_SESSION_BUS_ADDRESS"])
    return _Connection(prep_socket(address, False, timeout=deadline.left()))


def read_secret(service: str, username: str, timeout: float) -> str | None:
    """The secret keyring's SecretService backend would return for get_password(service, username), or None when
    no item matches. Raises FastPathUnavailable when that cannot be known without keyring's help."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise FastPathUnavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    try:
        from jeepney import DBusAddress, Properties, new_method_call
        from jeepney.wrappers import unwrap_msg
    except ImportError as exc:  # keyring still works without jeepney on other setups
        raise FastPathUnavailable(f"jeepney is not installed: {exc}") from None

    deadline = _Deadline(timeout)
    conn: Any = None
    session: str | None = None

    def call(address: Any, method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> Any:
        msg = new_method_call(address, method, signature, body)
        return unwrap_msg(conn.send_and_get_reply(msg, timeout=deadline.left()))

    secrets = DBusAddress(SERVICE_PATH, bus_name=BUS_NAME, interface=SERVICE_IFACE)
    collection = DBusAddress(DEFAULT_COLLECTION, bus_name=BUS_NAME, interface=COLLECTION_IFACE)
    try:
        conn = _open(deadline)
        # A missing default collection (keyring would create one) or a locked one (keyring would ask to unlock it,
        # or report it locked) is keyring's business, even when no item would match.
        (locked,) = unwrap_msg(conn.send_and_get_reply(Properties(collection).get("Locked"), timeout=deadline.left()))
        if locked[1]:
            raise FastPathUnavailable("the default collection is locked")
        # The attributes keyring's backend searches by (its default scheme); "application" is only set on write.
        (items,) = call(collection, "SearchItems", "a{ss}", ({"service": service, "username": username},))
        if not items:
            return None
        # "plain": the secret travels unencrypted over the user's own session-bus socket, which is where it ends up
        # in clear anyway (this process); the DH alternative would cost the `cryptography` import we are avoiding.
        _output, session = call(secrets, "OpenSession", "sv", ("plain", ("s", "")))
        item = DBusAddress(items[0], bus_name=BUS_NAME, interface=ITEM_IFACE)  # keyring takes the first match too
        # A locked item answers with org.freedesktop.Secret.Error.IsLocked: keyring then unlocks or reports it.
        ((_session, _params, value, _content_type),) = call(item, "GetSecret", "o", (session,))
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise FastPathUnavailable("the stored secret is not UTF-8") from None
    except FastPathUnavailable:
        raise
    except TimeoutError as exc:
        raise SecretServiceTimeout(f"no answer on D-Bus within {timeout:g}s") from exc
    except Exception as exc:  # noqa: BLE001 - any other failure (no service, D-Bus error, bad reply): not certain
        raise FastPathUnavailable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        if conn is not None:
            if session is not None:
                _close_session(conn, session, deadline, new_method_call)
            conn.close()


def _close_session(conn: Any, session: str, deadline: _Deadline, new_method_call: Any) -> None:
    """Close the Secret Service session (best effort: closing the connection ends it on the service side too)."""
    from jeepney import DBusAddress

    try:
        msg = new_method_call(DBusAddress(session, bus_name=BUS_NAME, interface=SESSION_IFACE), "Close")
        conn.send_and_get_reply(msg, timeout=deadline.left())
    except Exception:  # noqa: BLE001, S110 - the secret is already read (or the read already failed)
        pass
