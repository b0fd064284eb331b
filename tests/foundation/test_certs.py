"""The loopback HTTPS certificate (auth login's https://localhost redirect) is a leaf, not a CA: checked with
cryptography, and a real TLS handshake with Python's default verification (strict flags on) still trusts it."""

from __future__ import annotations

import ssl

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from slackctl.certs import loopback_certificate


def _load(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_the_loopback_certificate_is_a_leaf_that_cannot_sign_certificates(tmp_path):
    cert = _load(loopback_certificate(tmp_path)[0])
    ext = cert.extensions
    assert ext.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = ext.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign is False and usage.crl_sign is False and usage.digital_signature is True
    assert ext.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.SERVER_AUTH]
    )
    names = ext.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    ski = ext.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier == ski.digest


def test_clients_given_the_certificate_still_verify_the_listener(tmp_path):
    from slackctl.slack.loopback import LoopbackListener
    from slackctl.slack.pkce import new_state

    cert, key = loopback_certificate(tmp_path)
    context = ssl.create_default_context(cafile=str(cert))
    context.verify_flags |= getattr(ssl, "VERIFY_X509_STRICT", 0)  # what Python 3.13 turns on by default
    state = new_state()
    with (
        LoopbackListener(0, state=state, tls=(str(cert), str(key))) as listener,
        ssl.create_connection(("127.0.0.1", listener.port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.getpeercert()["subject"]


def test_a_ca_certificate_left_by_an_earlier_version_is_replaced(tmp_path):
    import datetime as dt

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    cert_path, key_path = loopback_certificate(tmp_path)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    old = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=300))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(old.public_bytes(serialization.Encoding.PEM))
    loopback_certificate(tmp_path)
    assert _load(cert_path).extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert key_path.exists()
