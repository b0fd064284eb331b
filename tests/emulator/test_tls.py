"""--tls: a locally generated CA; clients trust the emulator through ca_file."""

from __future__ import annotations

import ssl

import httpx
import pytest

from slackctl.emulator import start_emulator
from tests.emulator.conftest import call


def test_tls_emulator_is_trusted_through_its_ca_file(tmp_path):
    with start_emulator(tls=True, cert_dir=tmp_path) as emu:
        assert emu.url.startswith("https://127.0.0.1:")
        assert emu.ca_file == str(tmp_path / "ca.pem")
        with httpx.Client(base_url=emu.url, verify=ssl.create_default_context(cafile=emu.ca_file)) as client:
            assert call(client, "auth.test", emu.mint_token("bot")["token"])["ok"] is True
        with httpx.Client(
            base_url=emu.url.replace("127.0.0.1", "localhost"), verify=ssl.create_default_context(cafile=emu.ca_file)
        ) as client:
            assert client.get("/").status_code == 200
        with pytest.raises(httpx.ConnectError), httpx.Client(base_url=emu.url) as untrusting:
            untrusting.get("/")


def test_certificates_are_cached_in_cert_dir(tmp_path):
    with start_emulator(tls=True, cert_dir=tmp_path) as emu:
        first = (tmp_path / "server.pem").read_bytes()
        ca_file = emu.ca_file
    with start_emulator(tls=True, cert_dir=tmp_path) as emu:
        assert emu.ca_file == ca_file
        assert (tmp_path / "server.pem").read_bytes() == first


def test_the_server_certificate_is_a_leaf_signed_by_the_ca_and_verifies_strictly(tmp_path):
    """The emulator's certificates come from the one builder in certs.py: a CA, and a leaf it signed."""
    from cryptography import x509

    from slackctl.emulator.exec.servercerts import ensure_certs

    ca_file, cert_file, _key = ensure_certs(tmp_path)
    ca = x509.load_pem_x509_certificate(ca_file.read_bytes())
    leaf = x509.load_pem_x509_certificate(cert_file.read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert leaf.issuer == ca.subject
    leaf.verify_directly_issued_by(ca)
    with start_emulator(tls=True, cert_dir=tmp_path) as emu:
        strict = ssl.create_default_context(cafile=emu.ca_file)
        strict.verify_flags |= getattr(ssl, "VERIFY_X509_STRICT", 0)  # Python 3.13's default
        with httpx.Client(base_url=emu.url, verify=strict) as client:
            assert client.get("/").status_code == 200
