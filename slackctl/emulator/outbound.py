"""The emulator's one way of sending HTTP to an app (event, command and interaction deliveries).

Standard library only for now, behind one function, so the project's transport can replace it in one place.
Failures are reported in Slack's own retry-reason words (X-Slack-Retry-Reason), which is what delivery needs.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.parse
from dataclasses import dataclass, field

MAX_RESPONSE = 1024 * 1024  # an app's answer (a command or view_submission response) is small


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""


class DeliveryFailure(Exception):
    """No usable answer; `reason` is one of Slack's retry reasons (http_timeout, connection_failed, ...)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def post(url: str, body: bytes, headers: dict[str, str], timeout: float,
         ssl_context: ssl.SSLContext | None = None) -> Answer:
    """POST BODY to URL and read the answer within TIMEOUT seconds (redirects are not followed, as Slack)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryFailure("unknown_error", f"not an http(s) URL: {parts.scheme}://{parts.hostname or ''}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl_context or ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", target, body=body, headers={"Content-Length": str(len(body)), **headers})
        resp = conn.getresponse()
        data = resp.read(MAX_RESPONSE)
        answer = Answer(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    except TimeoutError:
        raise DeliveryFailure("http_timeout", f"no answer within {timeout:g} s") from None
    except ssl.SSLError as exc:
        raise DeliveryFailure("ssl_error", f"TLS failed: {exc.reason or exc}") from None
    except (ConnectionError, OSError) as exc:
        raise DeliveryFailure("connection_failed", f"cannot connect: {exc.strerror or exc}") from None
    except http.client.HTTPException as exc:
        raise DeliveryFailure("unknown_error", f"bad HTTP answer: {type(exc).__name__}") from None
    finally:
        conn.close()
    if 300 <= answer.status < 400:
        raise DeliveryFailure("too_many_redirects", f"answered {answer.status} (redirects are not followed)")
    return answer
