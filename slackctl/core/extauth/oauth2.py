"""A small OAuth2 client for third-party providers: authorize URL, code exchange, refresh, identity, revocation.

Every provider failure becomes one line naming the provider's own error and description; no secret is ever
part of a message (the client secret, codes and tokens are scrubbed from anything the provider echoes back).
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from slackctl import __version__, settings
from slackctl.core.extauth.providers import Provider, read_identifier
from slackctl.core.extauth.store import TokenSet
from slackctl.errors import ExitCode, NetworkError, SlackctlError
from slackctl.slack.tokens import redact
from slackctl.slack.transport import Response, Transport

# Provider error codes that mean "the credentials are the problem" (exit 4 rather than 1).
_AUTH_ERRORS = frozenset({"invalid_client", "invalid_grant", "unauthorized_client", "access_denied", "invalid_token"})


class ProviderError(SlackctlError):
    """The provider answered, but not with what we asked for."""

    def __init__(self, message: str, hint: str | None = None, *, error: str = "", status: int = 0) -> None:
        code = ExitCode.AUTH if error in _AUTH_ERRORS else ExitCode.API_ERROR
        super().__init__(message, hint, exit_code=code)
        self.error = error
        self.status = status


def authorization_url(provider: Provider, *, redirect_uri: str, state: str, challenge: str) -> str:
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scope),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    # Extras (e.g. Google's access_type=offline) may add parameters but never replace the security ones.
    for key, value in provider.authorization_url_extras.items():
        params.setdefault(key, value)
    base = provider.authorization_url
    joiner = "&" if urllib.parse.urlsplit(base).query else "?"
    return base + joiner + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


class ProviderClient:
    def __init__(
        self,
        provider: Provider,
        *,
        client_secret: str | None = None,
        ca_bundle: str | None = None,
        proxy: str | None = None,
        log: Callable[[str], None] | None = None,
        timeout: float = settings.HTTP_TIMEOUT_SECONDS,
    ) -> None:
        self.provider = provider
        self.client_secret = client_secret or ""
        self.log = log
        self.secrets: list[str] = [s for s in (client_secret,) if s]
        # The one transport (slack/transport.py): same CA bundle, proxy, limits and redirect policy as Web API calls.
        self._http = Transport(
            timeout=timeout,
            ca_bundle=ca_bundle,
            proxy=proxy,
            log=(lambda text: log(redact(text, self.secrets))) if log else None,
        )
        self.secrets += self._http.secrets
        self._headers = {"User-Agent": f"slackctl/{__version__}", "Accept": "application/json"}

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ProviderClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- grants -------------------------------------------------------------------------------------------------
    def exchange_code(self, code: str, *, redirect_uri: str, verifier: str) -> TokenSet:
        self.secrets += [code, verifier]
        return self._token_request(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier},
            "code",
        )

    def refresh(self, refresh_token: str) -> TokenSet:
        self.secrets.append(refresh_token)
        tokens = self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token}, "refresh")
        # Providers that do not rotate refresh tokens leave it out: the old one stays valid.
        tokens.refresh_token = tokens.refresh_token or refresh_token
        return tokens

    def _token_request(self, form: dict[str, str], grant: str) -> TokenSet:
        p = self.provider
        form, headers = self._with_client_auth(form)
        response = self._send("POST", p.token_url, "token_url", data=form, headers=headers)
        data = self._json(response, "token_url")
        if response.status_code >= 400 or "error" in data:
            raise self._refusal(data, response.status_code, grant)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderError(
                f"{p.provider_name} token endpoint answered without an access_token",
                f"check options.token_url of provider '{p.key}' in the manifest",
            )
        self.secrets.append(token)
        expires_at = None
        try:
            if data.get("expires_in") is not None:
                expires_at = int(time.time() + float(data["expires_in"]))
        except (TypeError, ValueError):
            expires_at = None
        raw_scope = data.get("scope")
        scopes = raw_scope.replace(",", " ").split() if isinstance(raw_scope, str) else list(p.scope)
        raw_refresh = data.get("refresh_token")
        refresh = raw_refresh if isinstance(raw_refresh, str) else ""
        return TokenSet(token, refresh, expires_at, scopes, str(data.get("token_type") or "Bearer"))

    def _with_client_auth(self, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """client_secret_basic when the manifest asks for it (token_url_config), else client_secret_post;
        a public client (no secret) sends only its client_id."""
        p = self.provider
        form = dict(form)
        headers: dict[str, str] = {}
        if self.client_secret and p.use_basic_auth:
            import base64

            pair = f"{urllib.parse.quote(p.client_id)}:{urllib.parse.quote(self.client_secret)}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            form["client_id"] = p.client_id
            if self.client_secret:
                form["client_secret"] = self.client_secret
        return form, headers

    def _refusal(self, data: dict[str, Any], status: int, grant: str) -> ProviderError:
        p = self.provider
        error = str(data.get("error") or f"http_{status}")
        description = str(data.get("error_description") or data.get("message") or "").strip()
        text = f"{p.provider_name} refused the token request: {error}" + (f" ({description})" if description else "")
        text = redact(text, self.secrets)
        if error == "invalid_client":
            hint = (
                f"check options.client_id in the manifest and the client secret: "
                f"slackctl external-auth add-secret --provider {p.key} --local"
            )
        elif error == "invalid_grant" and grant == "refresh":
            hint = f"the refresh token no longer works; authorize again: slackctl external-auth add --provider {p.key}"
        elif error == "invalid_grant":
            hint = (
                "the authorization code was refused (expired, already used, or a redirect/PKCE mismatch); "
                f"try again: slackctl external-auth add --provider {p.key}"
            )
        elif error == "invalid_scope":
            hint = f"check options.scope of provider '{p.key}' in the manifest"
        else:
            hint = f"check provider '{p.key}' in the manifest and its settings at {p.provider_name}"
        return ProviderError(text, hint, error=error, status=status)

    # -- identity and revocation ------------------------------------------------------------------------------
    def identity(self, access_token: str) -> str:
        """The account identifier read from identity_config.url with the new access token."""
        p = self.provider
        headers = dict(p.identity_headers)
        headers["Authorization"] = f"Bearer {access_token}"
        response = self._send("GET", p.identity_url, "identity_config.url", headers=headers)
        data = self._json(response, "identity_config.url")
        if response.status_code >= 400:
            error = str(data.get("error") or f"HTTP {response.status_code}")
            description = str(data.get("error_description") or data.get("message") or "")
            raise ProviderError(
                redact(
                    f"{p.provider_name} identity endpoint refused the new token: {error}"
                    + (f" ({description})" if description else ""),
                    self.secrets,
                ),
                f"check options.identity_config.url of provider '{p.key}' and the scopes it needs",
                error=error,
                status=response.status_code,
            )
        account = read_identifier(data, p.account_identifier)
        if not account:
            fields = ", ".join(sorted(data)) or "none"
            raise ProviderError(
                f"{p.provider_name} identity response has no {p.account_identifier} (top-level fields: {fields})",
                f"fix options.identity_config.account_identifier of provider '{p.key}'",
            )
        return account

    def revoke(self, token: str, hint: str) -> None:
        """RFC 7009 revocation; a provider without a revocation_url is simply not told."""
        p = self.provider
        if not p.revocation_url:
            return
        self.secrets.append(token)
        form, headers = self._with_client_auth({"token": token, "token_type_hint": hint})
        response = self._send("POST", p.revocation_url, "revocation_url", data=form, headers=headers)
        if response.status_code >= 400:
            data = _json_or_empty(response) or {}
            error = str(data.get("error") or f"HTTP {response.status_code}")
            description = str(data.get("error_description") or "")
            raise ProviderError(
                redact(
                    f"{p.provider_name} refused to revoke the token: {error}"
                    + (f" ({description})" if description else ""),
                    self.secrets,
                ),
                "the local copy was kept; retry, or remove it anyway with --keep-remote",
                error=error,
                status=response.status_code,
            )

    # -- plumbing -----------------------------------------------------------------------------------------------
    def _send(
        self,
        method: str,
        url: str,
        field: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        if self.log:
            self.log(f"> {method} {url}")
        all_headers = dict(self._headers, **(headers or {}))
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        name = self.provider.provider_name
        try:
            response = self._http.request(method, url, all_headers, body, what=f"{name} {field}")
        except NetworkError as exc:
            if exc.kind in ("connect", "dropped"):
                # The provider's URL comes from the manifest: point there rather than at --slack-url.
                raise NetworkError(
                    f"cannot reach {name} at {url} ({exc.message.rsplit(': ', 1)[-1]})",
                    f"check options.{field} of provider '{self.provider.key}' in the manifest",
                    kind=exc.kind,
                ) from None
            if exc.kind == "timeout":
                raise NetworkError(
                    f"{name}: no answer from {url} within the timeout", "retry later", kind=exc.kind
                ) from None
            raise
        if self.log:
            self.log(
                f"< {response.status_code} {response.reason} "
                f"({response.headers.get('content-type', 'no content type')})"
            )
        return response

    def _json(self, response: Response, field: str) -> dict[str, Any]:
        data = _json_or_empty(response, strict=True)
        if data is None:
            ctype = response.headers.get("content-type", "no content type").split(";")[0]
            raise ProviderError(
                f"{self.provider.provider_name} {field} {response.url} answered HTTP "
                f"{response.status_code} {ctype}, not JSON",
                f"check options.{field} of provider '{self.provider.key}' in the manifest",
                error="not_json",
                status=response.status_code,
            )
        return data


def _json_or_empty(response: Response, strict: bool = False) -> dict[str, Any] | None:
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        # GitHub's token endpoint answers form-encoded when a client forgets Accept: application/json.
        return dict(urllib.parse.parse_qsl(response.text))
    try:
        data = json.loads(response.content or b"")
    except ValueError:
        return None if strict else {}
    if not isinstance(data, dict):
        return None if strict else {}
    return data
