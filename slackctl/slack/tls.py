"""TLS trust for the transport: which CA certificates to believe, decided once for every request."""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping

from slackctl.slack.errors import UsageError


def ssl_context(ca_bundle: str | None = None, env: Mapping[str, str] | None = None) -> ssl.SSLContext:
    """`ca_bundle`, else SSL_CERT_FILE / SSL_CERT_DIR (as OpenSSL and curl read them), else Mozilla's CA list
    from certifi (there on python.org macOS builds and slim containers, where OpenSSL's defaults are empty),
    else the system defaults."""
    env = os.environ if env is None else env
    cafile = ca_bundle or env.get("SSL_CERT_FILE") or None
    capath = None if ca_bundle else (env.get("SSL_CERT_DIR") or None)
    if not cafile and not capath:
        try:
            import certifi
        except ImportError:
            return ssl.create_default_context()
        return ssl.create_default_context(cafile=certifi.where())
    try:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(
            f"cannot load CA bundle {cafile or capath}: {exc}",
            "pass a PEM file of CA certificates",
            hint_key="ca_bundle",
        ) from None


def trust_source(ca_bundle: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """Which CAs ssl_context trusts, in words (for a `doctor` line or --verbose): the same order it follows."""
    env = os.environ if env is None else env
    if ca_bundle:
        return f"CA bundle {ca_bundle}"
    found = [f"{name}={env[name]}" for name in ("SSL_CERT_FILE", "SSL_CERT_DIR") if env.get(name)]
    if found:
        return " and ".join(found)
    try:
        import certifi
    except ImportError:
        return "the system's default CAs"
    return f"certifi's CA list ({certifi.where()})"


def check_ca_bundle(ca_bundle: str | None) -> None:
    """Cheap check now; the certificates load on the first https request (tens of ms plain http never needs)."""
    if ca_bundle and not os.path.isfile(ca_bundle):
        raise UsageError(
            f"cannot load CA bundle {ca_bundle}: no such file",
            "pass a PEM file of CA certificates",
            hint_key="ca_bundle",
        )
