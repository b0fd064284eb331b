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
import datetime as dt
import ipaddress
import os
import shutil
import ssl
import tempfile
from pathlib import Path

# Names the proxy answers for itself (terminating TLS) instead of tunnelling.
SLACK_DOMAINS = ("slack.com", "slack-gov.com")
LOOPBACK_NAMES = ("localhost",)
LOOPBACK_IPS = ("127.0.0.1", "::1")
DIR_PREFIX = "slackctl-proxy-"  # a proxy's private temp dir (0700): its trust bundle and public certificates
LEGACY_KEY = "proxy-key.pem"  # where slackctl before issue 24 kept the leaf key for the proxy's lifetime


def is_slack_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in SLACK_DOMAINS)


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def make_certificates(directory: Path, extra_hosts: tuple[str, ...] = ()) -> tuple[Path, Path, bytes]:
    """(ca.pem, leaf.pem, the leaf's key as PEM bytes): a CA valid for a day and a leaf for Slack and loopback;
    only the two certificates are written to `directory`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(minutes=5), now + dt.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "slackctl emulator proxy CA"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "slackctl (local, this run only)")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    names: list[x509.GeneralName] = []
    for domain in SLACK_DOMAINS:
        names += [x509.DNSName(domain), x509.DNSName(f"*.{domain}")]
    names += [x509.DNSName(h) for h in (*LOOPBACK_NAMES, *extra_hosts) if not _is_ip(h)]
    ips = {*LOOPBACK_IPS, *(h for h in extra_hosts if _is_ip(h))}
    names += [x509.IPAddress(ipaddress.ip_address(i)) for i in sorted(ips)]
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "slack.com")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_path, leaf_path = directory / "proxy-ca.pem", directory / "proxy-leaf.pem"
    _write(ca_path, ca.public_bytes(pem), 0o644)
    _write(leaf_path, leaf.public_bytes(pem) + ca.public_bytes(pem), 0o644)
    return ca_path, leaf_path, key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


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
    _write(path, b"\n".join(part.rstrip(b"\n") + b"\n" for part in parts), 0o644)
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
        pid = path.name[len(DIR_PREFIX):].split("-", 1)[0]
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
