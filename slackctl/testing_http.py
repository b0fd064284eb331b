"""A Bolt app served over HTTP on loopback for the pytest plugin's slack.serve(): each POST goes to Bolt's own
dispatch (slack_bolt's development server would bind every interface). Imported only when a test serves an app."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_BODY = 1024 * 1024  # Slack's deliveries are small


class BoltHTTPServer:
    """BOLT_APP at http://127.0.0.1:PORT/slack/events until close()."""

    def __init__(self, bolt_app: Any, path: str = "/slack/events") -> None:
        from slack_bolt.request import BoltRequest

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
                body = self.rfile.read(length).decode("utf-8", errors="replace")
                headers: dict[str, str | Sequence[str]] = dict(self.headers.items())
                response = bolt_app.dispatch(BoltRequest(body=body, headers=headers))
                data = (response.body or "").encode()
                self.send_response(response.status)
                for name, values in response.headers.items():
                    for value in values:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass  # the emulator's delivery log has every request

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}{path}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="slackctl-bolt-http", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
