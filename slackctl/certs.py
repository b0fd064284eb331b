"""Certificates for localhost: the one builder (make_ca, make_leaf) and the self-signed certificate for the
https://localhost loopback redirect, generated once into the config dir (the emulator's --tls CA and server
certificate are built here too, by emulator/exec/servercerts.py and emulator/exec/proxycerts.py).

It is a leaf (CA:FALSE, no keyCertSign): a browser told to trust it, or a client given it as its CA file, trusts
this one certificate for localhost and nothing it could sign. (Firefox also refuses a CA certificate used as a
server's own.)"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path
from typing import Any

from slackctl.config import atomic_write, ensure_dir, file_lock

CERT_FILE = "loopback-cert.pem"
KEY_FILE = "loopback-key.pem"
# Long enough that the browser's "proceed anyway" decision is not asked again for ages; renewed before it ends.
VALID_DAYS = 825
RENEW_BEFORE_DAYS = 14


def certificate_paths(directory: Path) -> tuple[Path, Path]:
    return directory / CERT_FILE, directory / KEY_FILE


def _still_good(cert_path: Path, key_path: Path) -> bool:
    cert = valid_for(cert_path, dt.timedelta(days=RENEW_BEFORE_DAYS))
    return cert is not None and key_path.exists() and not _is_ca(cert)


def _is_ca(cert: object) -> bool:
    """Certificates made by earlier versions were CAs: replace them rather than keep serving one."""
    from cryptography import x509

    assert isinstance(cert, x509.Certificate)
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def has_certificate(directory: Path) -> bool:
    return _still_good(*certificate_paths(directory))


def loopback_certificate(directory: Path) -> tuple[Path, Path]:
    """(cert.pem, key.pem) for localhost / 127.0.0.1 / ::1; created (key 0600) when missing or nearly expired.
    Locked, so two logins starting at once agree on one certificate."""
    cert_path, key_path = certificate_paths(directory)
    if _still_good(cert_path, key_path):
        return cert_path, key_path
    ensure_dir(directory)
    with file_lock(directory, ".cert.lock"):
        if not _still_good(cert_path, key_path):
            cert_pem, key_pem = _generate()
            atomic_write(key_path, key_pem, mode=0o600)
            atomic_write(cert_path, cert_pem, mode=0o644)
    return cert_path, key_path


def fingerprint(cert_path: Path) -> str:
    """SHA-256 fingerprint as browsers show it (AA:BB:…), so a user can check the warning is about our cert."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def _generate() -> tuple[bytes, bytes]:
    key, cert = make_leaf("localhost", organization="slackctl loopback (self-signed)", days=VALID_DAYS)
    return cert_pem(cert), key_pem(key)


# -- the one certificate builder (the loopback redirect's leaf here; the emulator's --tls CA and leaf in
# emulator/exec/servercerts.py, its HTTPS proxy's in emulator/exec/proxycerts.py)
LOCAL_HOSTS = ("localhost",)
LOCAL_IPS = ("127.0.0.1", "::1")


def make_ca(common_name: str, *, days: int, organization: str = "") -> tuple[Any, Any]:
    """(key, certificate) of a private CA that can sign server certificates and nothing below them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    name = x509.Name(attributes)
    cert = (
        _builder(name, name, key.public_key(), days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_leaf(
    common_name: str,
    *,
    days: int,
    issuer: tuple[Any, Any] | None = None,
    organization: str = "",
    hosts: tuple[str, ...] = LOCAL_HOSTS,
    ips: tuple[str, ...] = LOCAL_IPS,
) -> tuple[Any, Any]:
    """(key, certificate) of a server certificate for `hosts` and `ips`: a leaf (CA:FALSE, no keyCertSign),
    signed by `issuer` (a make_ca pair) or by itself. Key identifiers are included: Python 3.13's strict
    verification (VERIFY_X509_STRICT) wants them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    name = x509.Name(attributes)
    issuer_key, issuer_cert = issuer if issuer is not None else (key, None)
    sans = [x509.DNSName(h) for h in hosts] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (
        _builder(name, issuer_cert.subject if issuer_cert is not None else name, key.public_key(), days)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )
    return key, cert


def valid_for(cert_path: Path, margin: dt.timedelta) -> Any | None:
    """The certificate at `cert_path` when it is readable and still valid `margin` from now, else None."""
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (OSError, ValueError):
        return None
    return cert if cert.not_valid_after_utc - dt.datetime.now(dt.UTC) > margin else None


def cert_pem(cert: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(cert.public_bytes(serialization.Encoding.PEM))


def key_pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _builder(subject: Any, issuer: Any, public_key: Any, days: int) -> Any:
    from cryptography import x509

    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
    )
