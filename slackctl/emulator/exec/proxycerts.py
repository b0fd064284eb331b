"""Certificates for the emulator's HTTPS proxy: a CA made fresh for each proxy, and one leaf certificate for
Slack's hosts (slack.com, *.slack.com, GovSlack) and loopback, signed by it.

The CA's private key never leaves memory: only the public certificate is written, into the trust bundle a child
process is given (SSL_CERT_FILE / REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS), so nothing on disk can mint
certificates that other programs trust. The leaf key is written 0600 to the proxy's private temp dir because
`ssl.SSLContext.load_cert_chain` only reads files; the dir is removed when the proxy stops.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

# Names the proxy answers for itself (terminating TLS) instead of tunnelling.
SLACK_DOMAINS = ("slack.com", "slack-gov.com")
LOOPBACK_NAMES = ("localhost",)
LOOPBACK_IPS = ("127.0.0.1", "::1")


def is_slack_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in SLACK_DOMAINS)


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def make_certificates(directory: Path, extra_hosts: tuple[str, ...] = ()) -> tuple[Path, Path, Path]:
    """(ca.pem, leaf.pem, leaf-key.pem) in `directory`: a CA valid for a day and a leaf for Slack and loopback."""
    from slackctl.certs import cert_pem, key_pem, make_ca, make_leaf

    ca_key, ca = make_ca("slackctl emulator proxy CA", days=1, organization="slackctl (local, this run only)")
    hosts = [name for domain in SLACK_DOMAINS for name in (domain, f"*.{domain}")]
    hosts += [h for h in (*LOOPBACK_NAMES, *extra_hosts) if not _is_ip(h)]
    ips = sorted({*LOOPBACK_IPS, *(h for h in extra_hosts if _is_ip(h))})
    key, leaf = make_leaf("slack.com", days=1, issuer=(ca_key, ca), hosts=tuple(hosts), ips=tuple(ips))
    ca_path, leaf_path, key_path = directory / "proxy-ca.pem", directory / "proxy-leaf.pem", directory / "proxy-key.pem"
    _write(key_path, key_pem(key), 0o600)
    _write(ca_path, cert_pem(ca), 0o644)
    _write(leaf_path, cert_pem(leaf) + cert_pem(ca), 0o644)
    return ca_path, leaf_path, key_path


def write_bundle(path: Path, ca_file: Path, extra: list[Path]) -> Path:
    """A PEM bundle: our CA, any extra CAs (the emulator's own --tls CA), then certifi's roots, so every other
    HTTPS site the child talks to still verifies."""
    import certifi

    parts = [ca_file.read_bytes()]
    parts += [p.read_bytes() for p in extra]
    parts.append(Path(certifi.where()).read_bytes())
    _write(path, b"\n".join(part.rstrip(b"\n") + b"\n" for part in parts), 0o644)
    return path


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
