"""`KEY=value` lines for a .env file that a shell (`set -a; . ./.env`), python-dotenv and Docker Compose all read
back unchanged — the quoting `tokens export --format dotenv` writes."""

from __future__ import annotations

import re

from slackctl.errors import UsageError

# Unquoted, these mean the same to every reader (docker run --env-file, which takes values literally, included).
_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def needs_quotes(value: str) -> bool:
    return _PLAIN.fullmatch(value) is None


def dotenv_line(key: str, value: str) -> str:
    """One assignment, quoted only as much as needed:
    - plain values stay bare;
    - otherwise single quotes, which all readers take literally (newlines included), when the value has no
      `'` and no backslash (python-dotenv would read `\\'` and `\\\\` inside single quotes as escapes);
    - otherwise double quotes with `\\` and `"` escaped, when the value has no `$` or backtick (a shell would
      expand them inside double quotes, and python-dotenv has no escape for `$`).
    A value that fits none of these, holds NUL or CR (which no reader keeps) or `${` (python-dotenv expands
    `${NAME}` inside any quotes and has no escape for it) is refused: UsageError."""
    if not _NAME.fullmatch(key):
        raise UsageError(f"{key!r} is not a valid variable name for a .env file")
    if "\0" in value or "\r" in value:
        raise UsageError(
            f"{key} holds a NUL or carriage-return character, which a .env file cannot carry", "use --format json"
        )
    if "${" in value:
        raise UsageError(
            f"{key} holds '${{', which python-dotenv and Docker Compose expand as a variable in any quoting",
            "use --format env (for a shell) or --format json",
        )
    if not needs_quotes(value):
        return f"{key}={value}"
    if "'" not in value and "\\" not in value:
        return f"{key}='{value}'"
    if "$" not in value and "`" not in value:
        return '{}="{}"'.format(key, value.replace("\\", "\\\\").replace('"', '\\"'))
    raise UsageError(
        f"{key} holds both a quote or backslash and a $ or backtick: no .env quoting keeps that "
        "value unchanged for both shells and dotenv readers",
        "use --format env (for a shell) or --format json",
    )


def dotenv_text(variables: dict[str, str]) -> str:
    """The whole file; every line is checked before any is returned, so nothing half-written is printed."""
    return "".join(dotenv_line(key, value) + "\n" for key, value in variables.items())
