"""`slackctl external-auth add-secret`: set a provider's client secret from a hidden prompt or stdin (never argv)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from slackctl.cli.commands.external_auth.common import INSECURE_STORAGE, PROVIDER, AppWhereOptions, target
from slackctl.cli.context import Context
from slackctl.cli.verb import Verb
from slackctl.core.extauth import hosted, store
from slackctl.core.extauth.providers import (
    HOSTED,
    LOCAL,
    get_provider,
)
from slackctl.errors import UsageError


@dataclass(kw_only=True)
class AddSecretOptions(AppWhereOptions):
    """The options of `slackctl external-auth add-secret`."""

    provider_key: Annotated[str, PROVIDER]
    insecure_storage: Annotated[bool, INSECURE_STORAGE] = False


COMMAND = Verb(
    AddSecretOptions,
    examples="""
        slackctl external-auth add-secret --provider google       # hidden prompt
        slackctl external-auth add-secret --provider google --local < client-secret.txt
    """,
)


def run(ctx: Context, opts: AddSecretOptions) -> None:
    t = target(ctx, opts.where)
    provider = get_provider(t.project.manifest, opts.provider_key, local=t.mode == LOCAL)
    secret = read_secret(ctx, opts.provider_key)
    if t.mode == HOSTED:
        assert t.app_id
        with hosted.slack_client(ctx, secrets=[secret]) as client:
            hosted.add_secret(client, t.app_id, opts.provider_key, secret)
        ctx.io.success(f"Client secret of {provider.provider_name} registered with Slack for app {t.app_id}")
        return
    backend = store.save_client_secret(
        ctx, t.project, opts.provider_key, secret, insecure_storage=opts.insecure_storage
    )
    where = "a plaintext file" if backend == "file" else "the OS keyring"
    ctx.io.success(f"Client secret of {provider.provider_name} stored in {where}")


def read_secret(ctx: Context, provider_key: str) -> str:
    if ctx.io.stdin_is_tty and not ctx.io.can_prompt:
        raise UsageError(
            "cannot prompt for the client secret here (no terminal, or CI is set)",
            f"pipe it on stdin: printf '%s' \"$SECRET\" | slackctl external-auth add-secret --provider {provider_key}",
        )
    lines = ctx.prompter.secret_lines(f"Client secret of provider '{provider_key}' (input hidden): ")
    secret = lines[0] if lines else ""
    if not secret:
        raise UsageError(
            "no client secret was given",
            f"type it at the prompt, or pipe it: printf '%s' \"$SECRET\" | slackctl external-auth "
            f"add-secret --provider {provider_key}",
        )
    return secret
