"""Offline tests of Slack request verification (stdlib only)."""

import hashlib
import hmac

from signing import MAX_AGE_SECONDS, compute_signature, verify_request, verify_signature

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BODY = "token=xyz&team_id=T1&command=%2Fhello&text=Ada"
NOW = 1_700_000_000


def signed(body=BODY, ts=NOW, secret=SECRET):
    base = f"v0:{ts}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def test_compute_signature_matches_slacks_recipe():
    assert compute_signature(SECRET, str(NOW), BODY) == signed()


def test_a_correct_signature_is_accepted():
    assert verify_signature(SECRET, str(NOW), BODY, signed(), now=NOW)


def test_bytes_bodies_are_accepted():
    assert verify_signature(SECRET, str(NOW), BODY.encode(), signed(), now=NOW)


def test_a_tampered_body_is_refused():
    assert not verify_signature(SECRET, str(NOW), BODY + "x", signed(), now=NOW)


def test_a_wrong_secret_is_refused():
    assert not verify_signature("another-secret", str(NOW), BODY, signed(), now=NOW)


def test_an_old_timestamp_is_refused_as_a_replay():
    old = NOW - MAX_AGE_SECONDS - 1
    assert not verify_signature(SECRET, str(old), BODY, signed(ts=old), now=NOW)


def test_missing_or_malformed_headers_are_refused():
    assert not verify_signature(SECRET, None, BODY, signed(), now=NOW)
    assert not verify_signature(SECRET, "soon", BODY, signed(), now=NOW)
    assert not verify_signature(SECRET, str(NOW), BODY, None, now=NOW)


def test_headers_are_read_whatever_their_case_and_shape():
    headers = {"x-slack-request-timestamp": [str(NOW)], "X-SLACK-SIGNATURE": signed()}
    assert verify_request(SECRET, headers, BODY, now=NOW)
