"""Options that verbs of several groups take, declared once: `env: Annotated[str, env_option("...")] =
DEFAULT_DEPLOY_ENV` in a verb's options dataclass. Imported by verb modules only (never on the start-up path)."""

from __future__ import annotations

from typing import Any

import typer

from slackctl import settings
from slackctl.cli.completion import complete_environment


def env_option(help: str) -> Any:  # noqa: A002 - typer's own name for it
    """--env / -e (also SLACKCTL_ENV): the project environment (dev, staging, prod, ...) a verb acts on."""
    return typer.Option("--env", "-e", envvar=settings.ENV_DEPLOY_ENV, autocompletion=complete_environment, help=help)
