"""`slackctl doctor`'s checks: versions, keyring, config files, the Slack host (proxy, CA), clock skew and each
profile's tokens against the project's manifest. Each check returns one Check; none prints or raises."""

from __future__ import annotations

import email.utils
import os
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slackctl import __version__, settings
from slackctl.errors import SlackctlError

if TYPE_CHECKING:
    from pathlib import Path

    from keyring.backend import KeyringBackend

    from slackctl.config import Profile
    from slackctl.core.session import Session

OK, WARN, FAIL = "ok", "warn", "fail"
CHECK_TIMEOUT = 10.0


@dataclass
class Check:
    name: str
    status: str  # ok, warn, fail
    detail: str
    fix: str = ""
    # The error behind a failure, so the CLI can word its fix with its own flag names (cli/hints.py).
    error: SlackctlError | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "fix": self.fix}


def run_checks(session: Session) -> Iterator[Check]:
    """Every check, in the order a person would fix things; each is yielded as soon as it is known."""
    yield Check(
        "python",
        OK if sys.version_info >= (3, 11) else FAIL,
        f"Python {sys.version.split()[0]} ({sys.executable})",
        "slackctl needs Python 3.11 or newer",
    )
    yield Check("slackctl", OK, f"slackctl {__version__}")
    yield from check_config(session)
    keyring = check_keyring(session)
    yield keyring
    skew_seen: list[float] = []
    yield check_slack(session, skew_seen)
    if skew_seen:
        yield check_skew(skew_seen[0])
    yield from check_profiles(session, keyring if keyring.status != OK else None)
    yield from check_project()


def check_project() -> Iterator[Check]:
    """The project in the working directory, when it has a .slack/hooks.json: its hooks and its SDK's versions
    and updates, from the SDK's own `doctor` and `check-update` hooks (core/sdkcheck.py)."""
    from slackctl.core import sdkcheck
    from slackctl.core.project import HOOKS_FILE, SLACK_DIR, Project, find_project_root

    root = find_project_root()
    if root is None or not (root / SLACK_DIR / HOOKS_FILE).is_file():
        return
    for name, status, detail, fix, error in sdkcheck.project_checks(Project(root)):
        yield Check(name, status, detail, fix, error=error)


# -- local state ----------------------------------------------------------------------------------
def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def check_config(session: Session) -> Iterator[Check]:
    from slackctl.config import config_path

    directory = session.config_dir
    if not directory.exists():
        yield Check("config", OK, f"{directory} (not created yet: nothing stored)")
        return
    mode = _mode(directory)
    if mode & 0o077:
        yield Check("config", WARN, f"{directory} is mode {mode:04o} (others may list it)", f"chmod 700 {directory}")
    else:
        yield Check("config", OK, f"{directory} (mode {mode:04o})")
    path = config_path()
    if path.exists():
        mode = _mode(path)
        try:
            session.config  # noqa: B018 - parsing it is the check
        except SlackctlError as exc:
            yield Check("config file", FAIL, f"{path}: {exc.message}", exc.hint or f"fix or remove {path}", error=exc)
        else:
            status = WARN if mode & 0o022 else OK
            yield Check(
                "config file",
                status,
                f"{path} (mode {mode:04o})",
                f"chmod 600 {path} (others may change it)" if status == WARN else "",
            )
    plaintext = directory / settings.PLAINTEXT_FILE
    if plaintext.exists():
        mode = _mode(plaintext)
        if mode & 0o077:
            yield Check(
                "plaintext secrets",
                FAIL,
                f"{plaintext} is mode {mode:04o}: others can read the tokens",
                f"chmod 600 {plaintext}, then revoke and replace the tokens it holds",
            )
        else:
            yield Check("plaintext secrets", OK, f"{plaintext} (mode {mode:04o}, --insecure-storage)")


def _keyring_needed(session: Session) -> bool:
    try:
        return any(p.storage == "keyring" for p in session.config.profiles.values())
    except SlackctlError:
        return False


def check_keyring(session: Session) -> Check:
    """The backend, and whether it answers and is unlocked, found without prompting anyone to unlock it."""
    from slackctl.credentials import KeyringStore
    from slackctl.errors import KeyringError

    store = KeyringStore()
    needed = _keyring_needed(session)
    try:
        backend = store.check_available()
    except KeyringError as exc:
        return Check("keyring", FAIL if needed else WARN, exc.message, exc.hint or "", error=exc)
    name = f"{type(backend).__module__}.{type(backend).__name__}".removeprefix("keyring.backends.")
    try:
        locked = _is_locked(backend, store.timeout)
        if locked:
            return Check(
                "keyring",
                FAIL if needed else WARN,
                f"{name}: locked",
                "unlock it (log in to the desktop session, or: gnome-keyring-daemon --unlock), "
                "or store tokens with --insecure-storage",
            )
        store.get("slackctl-doctor", "probe")  # a read of an entry that never exists: reachable and answering
    except KeyringError as exc:
        return Check("keyring", FAIL if needed else WARN, f"{name}: {exc.message}", exc.hint or "", error=exc)
    return Check("keyring", OK, f"{name}: reachable, unlocked (service {store.service})")


def _is_locked(backend: KeyringBackend, timeout: float) -> bool:
    """Secret Service only: the default collection's Locked property, read without asking to unlock it."""
    if "SecretService" not in type(backend).__module__:
        return False
    import threading

    answer: list[bool] = []

    def ask() -> None:
        try:
            import secretstorage

            conn = secretstorage.dbus_init()
            try:
                answer.append(secretstorage.get_default_collection(conn).is_locked())
            finally:
                conn.close()
        except Exception:  # noqa: BLE001, S110 - any failure is left to the probe read, which words it
            pass

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(answer and answer[0])


# -- the network ----------------------------------------------------------------------------------
def check_slack(session: Session, skew_out: list[float]) -> Check:
    """api.test against the Slack host, naming the proxy and CAs the transport uses for it; the Date header of
    its answer gives the clock skew."""
    url = session.slack_url()
    try:
        client = session.client(None, max_retries=0, timeout=CHECK_TIMEOUT)
    except SlackctlError as exc:  # a CA bundle that is not there, a malformed proxy URL
        return Check("slack", FAIL, f"{url}: {exc.message}", exc.hint or "", error=exc)
    with client:
        proxy, cas = client.transport.route(client.api_url("api.test"))
        via = f"via {proxy}" if proxy else "direct"
        where = f"{url} ({via}; CAs: {cas if url.startswith('https:') else 'none, plain http'})"
        sent = time.time()
        try:
            response = client.call("api.test", idempotent=True, raise_on_error=False)
        except SlackctlError as exc:
            return Check("slack", FAIL, f"{where}: {exc.message}", exc.hint or "", error=exc)
        received = time.time()
    date = response.headers.get("date")
    if date:
        try:
            skew_out.append(email.utils.parsedate_to_datetime(date).timestamp() - (sent + received) / 2)
        except (TypeError, ValueError):
            pass
    if not response.ok:
        return Check(
            "slack",
            FAIL,
            f"{where}: api.test answered {response.data.get('error', 'not ok')}",
            "check --slack-url / SLACKCTL_SLACK_URL points at Slack",
        )
    return Check("slack", OK, f"{where}: reachable ({(received - sent) * 1000:.0f} ms)")


def check_skew(skew: float) -> Check:
    """Slack refuses request signatures more than 5 minutes off; Date has 1 s resolution, hence the slack."""
    ahead = "ahead of" if skew < 0 else "behind"
    detail = f"this clock is {abs(skew):.0f}s {ahead} Slack's (from its Date header)"
    fix = (
        "sync the clock with NTP (e.g. timedatectl set-ntp true); Slack refuses signed requests more than 5 minutes off"
    )
    if abs(skew) > settings.DOCTOR_SKEW_FAIL_SECONDS:
        return Check("clock", FAIL, detail, fix)
    if abs(skew) > settings.DOCTOR_SKEW_WARN_SECONDS:
        return Check("clock", WARN, detail, fix)
    return Check("clock", OK, detail if abs(skew) >= 2 else "in step with Slack's (within 2s)")


# -- profiles -------------------------------------------------------------------------------------
def manifest_scopes(session: Session) -> tuple[dict[str, list[str]], str] | None:
    """The project's declared scopes by token kind (bot, user) and where the manifest came from, or None."""
    from slackctl.core.project import find_project_root

    root = find_project_root()
    if root is None:
        return None
    from slackctl.core.project import Project

    try:
        project = Project(root, None)
        manifest = project.manifest
    except SlackctlError:
        return None
    scopes = ((manifest.get("oauth_config") or {}).get("scopes") or {}) if isinstance(manifest, dict) else {}
    return {k: [str(s) for s in v] for k, v in scopes.items() if isinstance(v, list)}, str(root)


def check_profiles(session: Session, keyring_failure: Check | None = None) -> Iterator[Check]:
    """`keyring_failure`: the keyring check when it did not pass; tokens kept there are then not read (a locked
    or hung keyring would make each read wait for its timeout)."""
    from slackctl.credentials import env_token

    declared = manifest_scopes(session)
    env = env_token()
    if env is not None:  # it wins over every profile, so it is what commands would use (CI)
        yield check_env_token(session, env.variable, env.token, declared)
    try:
        profiles = session.config.profiles
    except SlackctlError:
        return  # check_config reported it
    if not profiles:
        if env is None:
            yield Check("profiles", WARN, "no profiles stored", "log in: slackctl auth login")
        return
    for profile in profiles.values():
        for kind in profile.kinds:
            if keyring_failure is not None and profile.storage == "keyring":
                yield Check(
                    f"profile {profile.name} ({kind})",
                    FAIL,
                    f"not checked: the token is in the keyring ({keyring_failure.detail})",
                    keyring_failure.fix,
                    error=keyring_failure.error,
                )
                continue
            yield check_token(session, profile, kind, declared)


def check_env_token(
    session: Session, variable: str, token: str, declared: tuple[dict[str, list[str]], str] | None
) -> Check:
    from slackctl.slack.tokens import guess_kind

    kind = guess_kind(token) or "bot"
    return _auth_test(
        session,
        f"token from {variable}",
        token,
        kind,
        None,
        declared,
        f"replace {variable} with a working {kind} token",
    )


def check_token(
    session: Session, profile: Profile, kind: str, declared: tuple[dict[str, list[str]], str] | None
) -> Check:
    name = f"profile {profile.name} ({kind})"
    relogin = f"slackctl auth login --profile {profile.name}"
    try:
        token = session.refreshed_token(profile, kind)
    except SlackctlError as exc:
        return Check(name, FAIL, f"token unreadable: {exc.message}", exc.hint or relogin, error=exc)
    if not token:
        return Check(name, FAIL, "token missing from the store", f"log in again: {relogin}")
    return _auth_test(session, name, token, kind, profile, declared, f"log in again: {relogin}")


def _auth_test(
    session: Session,
    name: str,
    token: str,
    kind: str,
    profile: Profile | None,
    declared: tuple[dict[str, list[str]], str] | None,
    fix: str,
) -> Check:
    if kind == "app":
        return Check(name, OK, "app-level token (auth.test does not take app-level tokens)")
    try:
        with session.client(token, profile=profile, max_retries=0, timeout=CHECK_TIMEOUT) as client:
            response = client.call("auth.test", token=token, idempotent=True, raise_on_error=False)
    except SlackctlError as exc:
        return Check(name, FAIL, f"auth.test: {exc.message}", exc.hint or "", error=exc)
    if not response.ok:
        return Check(name, FAIL, f"auth.test: {response.data.get('error', 'not ok')}", fix)
    relogin = f"slackctl auth login --profile {profile.name}" if profile else "slackctl auth login"
    who = f"{response.data.get('user', '?')} on {response.data.get('team', '?')}"
    wanted = (declared[0].get(kind) if declared else None) or []
    missing = sorted(set(wanted) - set(response.scopes)) if response.scopes or wanted else []
    if missing:
        flag = "--scopes" if kind == "bot" else "--user-scopes"
        where = declared[1] if declared else "the project"
        return Check(
            name,
            FAIL,
            f"{who}: lacks {', '.join(missing)} that the manifest in {where} declares",
            f"reinstall the app with them: {relogin} {flag} {','.join(wanted)}",
        )
    compared = " (scopes match the manifest)" if wanted else ""
    return Check(name, OK, f"{who}{compared}")
