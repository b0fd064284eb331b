"""A private CA and a localhost server certificate for `--tls`, generated with `cryptography` and cached.

The files live in `cert_dir` (default: one temp directory per process for the Python API; the CLI uses
the user cache dir, e.g. ~/.cache/slackctl/emulator-tls). They are regenerated when missing, unreadable or
within a day of expiry. Clients trust the emulator through the CA file (`Emulator.ca_file`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import tempfile
import threading
from pathlib import Path

CA_FILE = "ca.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"
HOSTS = ("localhost",)
IPS = ("127.0.0.1", "::1")
_lock = threading.Lock()
_process_dir: Path | None = None


def default_cli_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("slackctl")) / "emulator-tls"


def ensure_certs(cert_dir: Path | None = None) -> tuple[Path, Path, Path]:
    """(ca_file, cert_file, key_file), created if needed."""
    global _process_dir
    with _lock:
        if cert_dir is None:
            if _process_dir is None:
                _process_dir = Path(tempfile.mkdtemp(prefix="slackctl-emulator-tls-"))
            cert_dir = _process_dir
        cert_dir.mkdir(parents=True, exist_ok=True)
        ca, cert, key = cert_dir / CA_FILE, cert_dir / CERT_FILE, cert_dir / KEY_FILE
        if not _still_good(cert):
            _generate(ca, cert, key)
        return ca, cert, key


def _still_good(cert: Path) -> bool:
    from cryptography import x509

    try:
        parsed = x509.load_pem_x509_certificate(cert.read_bytes())
    except (OSError, ValueError):
        return False
    return parsed.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=1)


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _generate(ca_path: Path, cert_path: Path, key_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "slackctl emulator local CA")])
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.DNSName(h) for h in HOSTS] + [x509.IPAddress(ipaddress.ip_address(i)) for i in IPS]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=397))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    _write(key_path, key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
           0o600)
    _write(ca_path, ca_cert.public_bytes(pem))
    _write(cert_path, cert.public_bytes(pem) + ca_cert.public_bytes(pem))


def server_context(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(cert_file), str(key_file))
    return ctx
