"""Certificates for the emulator's HTTPS proxy: a CA made fresh for each proxy, and one leaf certificate for
Slack's hosts (slack.com, *.slack.com, GovSlack) and loopback, signed by it.

The CA's private key never leaves memory: only the public certificate is written, into the trust bundle a child
process is given (SSL_CERT_FILE / REQUESTS_CA_BUNDLE / NODE_EXTRA_CA_CERTS), so nothing on disk can mint
certificates that other programs trust. The leaf key is returned as bytes: `ssl.SSLContext.load_cert_chain` only
reads files, so the proxy writes it 0600 into its private (0700) temp dir, loads it and deletes it at once
(`load_leaf`); a proxy killed with SIGKILL leaves only public certificates behind.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import ssl
import tempfile
from pathlib import Path

from slackctl.config import atomic_write

# Names the proxy answers for itself (terminating TLS) instead of tunnelling.
SLACK_DOMAINS = ("slack.com", "slack-gov.com")
LOOPBACK_NAMES = ("localhost",)
LOOPBACK_IPS = ("127.0.0.1", "::1")
DIR_PREFIX = "slackctl-proxy-"  # a proxy's private temp dir (0700): its trust bundle and public certificates
LEGACY_KEY = "proxy-key.pem"  # where slackctl before issue 24 kept the leaf key for the proxy's lifetime


def is_slack_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in SLACK_DOMAINS)


def make_certificates(directory: Path, extra_hosts: tuple[str, ...] = ()) -> tuple[Path, Path, bytes]:
    """(ca.pem, leaf.pem, the leaf's key as PEM bytes): a CA valid for a day and a leaf for Slack and loopback;
    only the two certificates are written to `directory`."""
    from slackctl.certs import cert_pem, key_pem, make_ca, make_leaf

    ca_key, ca = make_ca("slackctl emulator proxy CA", days=1, organization="slackctl (local, this run only)")
    hosts = [name for domain in SLACK_DOMAINS for name in (domain, f"*.{domain}")]
    hosts += [h for h in (*LOOPBACK_NAMES, *extra_hosts) if not _is_ip(h)]
    ips = sorted({*LOOPBACK_IPS, *(h for h in extra_hosts if _is_ip(h))})
    key, leaf = make_leaf("slack.com", days=1, issuer=(ca_key, ca), hosts=tuple(hosts), ips=tuple(ips))
    ca_path, leaf_path = directory / "proxy-ca.pem", directory / "proxy-leaf.pem"
    atomic_write(ca_path, cert_pem(ca), 0o644)
    atomic_write(leaf_path, cert_pem(leaf) + cert_pem(ca), 0o644)
    return ca_path, leaf_path, key_pem(key)


def load_leaf(ctx: ssl.SSLContext, directory: Path, leaf: Path, key: bytes) -> None:
    """Load the leaf and its key into CTX; the key touches the disk only for the call (0600, in the proxy's
    0700 dir), and is deleted whatever happens."""
    fd, name = tempfile.mkstemp(prefix="key-", suffix=".pem", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        ctx.load_cert_chain(str(leaf), name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


def write_bundle(path: Path, ca_file: Path, extra: list[Path]) -> Path:
    """A PEM bundle: our CA, any extra CAs (the emulator's own --tls CA), then certifi's roots, so every other
    HTTPS site the child talks to still verifies."""
    import certifi

    parts = [ca_file.read_bytes()]
    parts += [p.read_bytes() for p in extra]
    parts.append(Path(certifi.where()).read_bytes())
    atomic_write(path, b"\n".join(part.rstrip(b"\n") + b"\n" for part in parts), 0o644)
    return path


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def remove_stale_dirs(root: Path | None = None) -> None:
    """Remove what proxies that died without stopping (SIGKILL) left in the temp dir: a `slackctl-proxy-PID-*` dir
    of ours whose PID is gone, and any leaf key an older slackctl kept on disk (a live proxy has loaded its own)."""
    root = root or Path(tempfile.gettempdir())
    try:
        entries = [p for p in root.iterdir() if p.name.startswith(DIR_PREFIX)]
    except OSError:
        return
    for path in entries:
        try:
            if path.is_symlink() or not path.is_dir() or path.stat().st_uid != os.geteuid():
                continue
        except OSError:
            continue
        pid = path.name[len(DIR_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                (path / LEGACY_KEY).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
