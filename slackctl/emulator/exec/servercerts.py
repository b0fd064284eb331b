"""A private CA and a localhost server certificate for `--tls`, generated with `cryptography` and cached.

The files live in `cert_dir` (default: one temp directory per process for the Python API; the CLI uses
the user cache dir, e.g. ~/.cache/slackctl/emulator-tls). They are regenerated when missing, unreadable or
within a day of expiry. Clients trust the emulator through the CA file (`Emulator.ca_file`).
"""

from __future__ import annotations

import datetime as dt
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
    from slackctl.certs import valid_for

    return valid_for(cert, dt.timedelta(days=1)) is not None


def _generate(ca_path: Path, cert_path: Path, key_path: Path) -> None:
    from slackctl.certs import cert_pem, key_pem, make_ca, make_leaf
    from slackctl.config import atomic_write

    ca_key, ca_cert = make_ca("slackctl emulator local CA", days=825)
    key, cert = make_leaf("localhost", days=397, issuer=(ca_key, ca_cert), hosts=HOSTS, ips=IPS)
    atomic_write(key_path, key_pem(key), 0o600)
    atomic_write(ca_path, cert_pem(ca_cert), 0o644)
    atomic_write(cert_path, cert_pem(cert) + cert_pem(ca_cert), 0o644)


def server_context(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(cert_file), str(key_file))
    return ctx
