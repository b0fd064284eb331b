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
        with httpx.Client(base_url=emu.url.replace("127.0.0.1", "localhost"),
                          verify=ssl.create_default_context(cafile=emu.ca_file)) as client:
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
