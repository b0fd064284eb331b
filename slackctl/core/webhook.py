"""Posting to an incoming webhook: the URL (a secret), the payload's `${VAR}` templating, sending with Slack's
retry rules, and Slack's plain-text answers turned into errors with a next step. No I/O of its own."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from slackctl import settings
from slackctl.errors import AuthError, ExitCode, NetworkError, SlackctlError, UsageError

if TYPE_CHECKING:
    from slackctl.core.session import Session

URL_HINT = f"set {settings.ENV_WEBHOOK_URL}, or pass --url-file FILE (a file holding the URL, mode 0600)"
_VAR = re.compile(r"\$(\$?)\{([^}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_ANSWER_SHOWN = 120

# Slack's answers: (what went wrong, what to do, exit code). The URL names the hook, so the ones saying it is
# wrong or gone are credential failures (exit 4); the rest are Slack refusing this message (exit 1).
_NEW_HOOK = (
    "create a new incoming webhook for the app (its settings page: Incoming Webhooks) and update "
    f"{settings.ENV_WEBHOOK_URL}"
)
ANSWERS: dict[str, tuple[str, str, ExitCode]] = {
    "invalid_payload": (
        "Slack could not read the payload",
        "send a JSON object whose text is a string and blocks a list of objects with a type",
        ExitCode.API_ERROR,
    ),
    "no_text": (
        "the message has nothing to show",
        "give --text, or a payload with text, blocks or attachments",
        ExitCode.API_ERROR,
    ),
    "too_many_attachments": (
        "the message has too many attachments",
        "send at most 100 attachments per message",
        ExitCode.API_ERROR,
    ),
    "channel_not_found": ("the webhook's channel no longer exists", _NEW_HOOK, ExitCode.API_ERROR),
    "channel_is_archived": (
        "the webhook's channel is archived",
        "unarchive the channel, or " + _NEW_HOOK,
        ExitCode.API_ERROR,
    ),
    "action_prohibited": (
        "a workspace admin restricted posting to the webhook's channel",
        "ask a workspace admin, or use a webhook for another channel",
        ExitCode.API_ERROR,
    ),
    "posting_to_general_channel_denied": (
        "only admins may post to the webhook's channel",
        "use a webhook for another channel",
        ExitCode.API_ERROR,
    ),
    "rollup_error": (
        "Slack had an internal problem posting the message",
        "retry later (it was retried as --max-retries allows)",
        ExitCode.API_ERROR,
    ),
    "no_service": ("the webhook URL is unknown to Slack or was revoked", _NEW_HOOK, ExitCode.AUTH),
    "no_service_id": ("the webhook URL is incomplete", _NEW_HOOK, ExitCode.AUTH),
    "no_team": ("the webhook URL names no workspace", _NEW_HOOK, ExitCode.AUTH),
    "team_disabled": ("the webhook's workspace is disabled", _NEW_HOOK, ExitCode.AUTH),
    "invalid_token": ("the webhook URL's secret is not valid", _NEW_HOOK, ExitCode.AUTH),
}


@dataclass
class WebhookResult:
    status: int
    answer: str
    retries: int


def check_url(url: str, source: str) -> str:
    """The webhook URL, stripped and checked; errors name where it came from, never the URL itself."""
    url = url.strip()
    if not url:
        raise UsageError(f"{source} is empty", URL_HINT)
    if any(c.isspace() for c in url):
        raise UsageError(f"{source} holds more than one word (a webhook URL has no spaces)", URL_HINT)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{source} is not an http(s) URL", "a webhook URL looks like https://hooks.slack.com/services/T…/B…/…"
        )
    if not parts.path.strip("/"):
        raise UsageError(f"{source} has no path (a webhook URL ends in /services/T…/B…/…)", URL_HINT)
    return url


def url_from(env: Mapping[str, str], url_file_text: str | None, url_file: str | None) -> str:
    """--url-file's content (first line) wins over SLACK_WEBHOOK_URL."""
    if url_file_text is not None:
        first = url_file_text.strip().splitlines()[0] if url_file_text.strip() else ""
        return check_url(first, f"--url-file {url_file}")
    value = env.get(settings.ENV_WEBHOOK_URL)
    if value is None:
        raise UsageError("no webhook URL", URL_HINT)
    return check_url(value, settings.ENV_WEBHOOK_URL)


def load_payload(text: str, name: str) -> dict[str, Any]:
    """A payload file's content: JSON, else YAML (a superset of JSON); it must be an object (a mapping)."""
    import yaml

    try:
        data: Any = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise UsageError(
                f"--payload {name}: neither JSON nor YAML{where}", "write the payload as a JSON object, or YAML mapping"
            ) from None
    if not isinstance(data, dict):
        raise UsageError(
            f"--payload {name}: the payload must be a JSON object or YAML mapping (got {type(data).__name__})",
            'e.g. {"text": "deployed"}',
        )
    return data


def render_template(payload: Any, env: Mapping[str, str], where: str = "") -> Any:
    """`${VAR}` in every string value replaced from `env` (keys are left alone; `$${` is a literal `${`).

    Values are substituted after parsing, so a variable holding quotes or newlines cannot change the payload's
    structure. An unset variable is an error: a message saying "deployed  to " helps nobody."""
    if isinstance(payload, dict):
        return {k: render_template(v, env, f"{where}/{k}") for k, v in payload.items()}
    if isinstance(payload, list):
        return [render_template(v, env, f"{where}/{i}") for i, v in enumerate(payload)]
    if not isinstance(payload, str):
        return payload

    def one(m: re.Match[str]) -> str:
        if m.group(1):
            return "${" + m.group(2) + "}"
        name = m.group(2)
        if not _NAME.fullmatch(name):
            raise UsageError(
                f"--template: {where or '/'} has ${{{name[:40]}}}, not a variable name",
                "names are letters, digits and _; write $${ for a literal ${",
            )
        if name not in env:
            raise UsageError(
                f"--template: {where or '/'} uses ${{{name}}}, which is not set in the environment",
                f"set {name}, or write $${{{name}}} for a literal ${{{name}}}",
            )
        return env[name]

    return _VAR.sub(one, payload)


def answer_error(status: int, answer: str) -> SlackctlError:
    """The error for a webhook answer that is not `ok`."""
    shown = answer.strip().splitlines()[0][:MAX_ANSWER_SHOWN] if answer.strip() else ""
    known = ANSWERS.get(shown)
    if known is not None:
        what, hint, code = known
        cls = AuthError if code == ExitCode.AUTH else SlackctlError
        return cls(f"webhook: {shown}: {what}", hint, exit_code=code)
    if status == 429:
        return SlackctlError(
            "webhook: rate-limited (HTTP 429) beyond --max-retries",
            "Slack allows about one message per second per webhook; wait and retry",
            exit_code=ExitCode.API_ERROR,
        )
    detail = f": {shown}" if shown and shown.isprintable() else ""
    return SlackctlError(
        f"webhook: answered HTTP {status}{detail}",
        "check the URL is an incoming webhook's, or retry later if Slack is having trouble",
        exit_code=ExitCode.API_ERROR,
    )


def send(
    session: Session,
    url: str,
    payload: dict[str, Any],
    *,
    max_retries: int = settings.MAX_RETRIES,
    timeout: float | None = None,
    on_wait: Callable[[float, str], None] | None = None,
) -> WebhookResult:
    """POST the payload as JSON; 429 waits Retry-After and 5xx backs off, as `api call` does, up to
    `max_retries` times. Returns Slack's answer or raises the error it stands for."""
    from slackctl.slack.client import Prepared, backoff

    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
    secret_part = url[len(f"{parts.scheme}://{parts.netloc}") :]
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    kwargs: dict[str, Any] = {"timeout": timeout} if timeout else {}
    if on_wait is not None:
        kwargs["on_wait"] = on_wait
    # (the path is scrubbed first, so --verbose shows the host and not the secret)
    with session.client(None, base_url=origin, max_retries=max_retries, secrets=[secret_part, url], **kwargs) as client:
        request = Prepared(
            "POST", url, {"User-Agent": client.user_agent, "Content-Type": "application/json; charset=utf-8"}, body
        )
        retries = 0
        while True:
            # Not idempotent: a dropped connection after sending is not repeated (it may have posted).
            try:
                response, used = client.send(request, idempotent=False, method="webhook")
            except NetworkError as exc:
                if exc.hint_key == "connect":  # the CLI's wording would point at --slack-url
                    exc.hint_key, exc.hint = (
                        None,
                        f"check the network, and that {settings.ENV_WEBHOOK_URL} is the webhook's URL",
                    )
                raise
            retries += used
            if response.status_code >= 500 and retries < max_retries:
                # Slack answers 5xx (rollup_error) when it did not post the message: repeating is safe.
                retries += 1
                client.wait(backoff(retries, 0.5), f"server error {response.status_code}")
                continue
            break
    answer = response.content.decode("utf-8", "replace")
    if response.status_code == 200 and answer.strip() == "ok":
        return WebhookResult(response.status_code, "ok", retries)
    raise answer_error(response.status_code, answer)
