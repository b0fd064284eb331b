"""Request signing agrees with python-slack-sdk's own verifier (what Bolt apps run), both ways."""

from __future__ import annotations

from slack_sdk.signature import SignatureVerifier

from slackctl.slack import signing

SECRET = "8f742231b10e8888abcd99aaabbbcccc"
BODY = b"token=x&team_id=T1&command=%2Fweather&text=94070"


def test_signature_we_make_is_accepted_by_slack_sdk() -> None:
    hdrs = signing.headers(SECRET, BODY, timestamp=1_700_000_000)
    verifier = SignatureVerifier(SECRET, clock=_Clock(1_700_000_010))
    assert verifier.is_valid(BODY, hdrs["X-Slack-Request-Timestamp"], hdrs["X-Slack-Signature"])


def test_signature_slack_sdk_makes_is_verified_by_us() -> None:
    sig = SignatureVerifier(SECRET).generate_signature(timestamp="1700000000", body=BODY)
    assert sig is not None
    assert signing.verify(SECRET, "1700000000", sig, BODY, now=1_700_000_100).ok


def test_changed_body_or_wrong_secret_is_refused_with_a_reason() -> None:
    sig = signing.signature(SECRET, 1_700_000_000, BODY)
    changed = signing.verify(SECRET, "1700000000", sig, BODY + b"x", now=1_700_000_000)
    wrong = signing.verify("another-secret-entirely", "1700000000", sig, BODY, now=1_700_000_000)
    assert not changed.ok and "does not match" in changed.reason
    assert not wrong.ok


def test_stale_or_malformed_timestamp_is_refused_as_a_replay() -> None:
    sig = signing.signature(SECRET, 1_700_000_000, BODY)
    stale = signing.verify(SECRET, "1700000000", sig, BODY, now=1_700_000_000 + 301)
    assert not stale.ok and "replay" in stale.reason
    assert signing.verify(SECRET, "1700000000", sig, BODY, now=1_700_000_000 + 301, max_age=600).ok
    assert not signing.verify(SECRET, "soon", sig, BODY, now=1_700_000_000).ok


class _Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def now(self) -> float:
        return self.t
