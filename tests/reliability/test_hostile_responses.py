"""`slackctl api call` against hostile servers on loopback (issue 15 items 4, 5 and 7's deep JSON): a 600 MB
body, an endless chunked body, a gzip bomb, a 100k-deep JSON document and Retry-After values nobody should obey.
Memory is the peak RSS of the real slackctl process (getrusage of the child), not an estimate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib

import pytest

from tests.slack.servers import answering, json_answer

MB = 1024 * 1024
# Runs slackctl as a child and prints its peak RSS (KiB on Linux) as the last line of stderr.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "p = subprocess.run([sys.executable, '-m', 'slackctl', *sys.argv[1:]])\n"
    "sys.stderr.write('\\nmaxrss_kib=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(p.returncode)\n"
)


def _measured(url: str, *args: str, env: dict[str, str], timeout: float = 60) -> tuple[int, str, int, float]:
    """(exit code, stderr without the measurement, peak RSS in MB, seconds) of `slackctl api call` at `url`."""
    full = dict(os.environ, **env, SLACKCTL_SLACK_URL=url)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, env=full, timeout=timeout
    )
    elapsed = time.monotonic() - started
    stderr, _, rss = proc.stderr.rpartition("maxrss_kib=")
    return proc.returncode, stderr.strip(), int(rss) // 1024, elapsed


def _one_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "this is a bug" not in stderr
    return lines[0]


@pytest.fixture
def token_env(slackctl_env):
    return {"SLACK_BOT_TOKEN": "xoxb-1111-2222-hostiletest"}


def _huge_body(total: int, chunked: bool):
    block = b" " * MB

    def answer(head, wfile):
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
        wfile.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\n\r\n".encode())
        for _ in range(total // MB):
            wfile.write(b"100000\r\n" + block + b"\r\n" if chunked else block)
        if chunked:
            wfile.write(b"0\r\n\r\n")

    return answer


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_600_mb_body_is_refused_at_the_limit_in_bounded_memory(token_env, chunked):
    with answering(_huge_body(600 * MB, chunked)) as url:
        code, stderr, rss, _ = _measured(url, "api", "call", "users.list", env=token_env)
    line = _one_line(stderr)
    assert code == 3, stderr
    assert "larger than the 64 MB limit" in line and "SLACKCTL_MAX_RESPONSE_MB" in line
    assert rss < 200, f"peak RSS {rss} MB"


def test_the_limit_is_raised_with_its_variable(token_env):
    body = b'{"ok":true,"pad":"' + b"x" * (3 * MB) + b'"}'
    with answering(json_answer(body)) as url:
        small = _measured(
            url, "api", "call", "auth.test", "--jq", ".ok", env=dict(token_env, SLACKCTL_MAX_RESPONSE_MB="2")
        )
        large = _measured(
            url, "api", "call", "auth.test", "--jq", ".ok", env=dict(token_env, SLACKCTL_MAX_RESPONSE_MB="4")
        )
    assert small[0] == 3 and "larger than the 2 MB limit" in small[1]
    assert large[0] == 0, large[1]


def test_a_gzip_bomb_stops_at_the_limit_in_bounded_memory(token_env):
    # 1.5 GB of zeros in ~1.5 MB: 1500 gzip members of 1 MB each, one after another (RFC 1952 allows it).
    member = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    one = member.compress(bytes(MB)) + member.flush()
    bomb = one * 1500
    assert len(bomb) < 2 * MB
    with answering(json_answer(bomb, headers={"Content-Encoding": "gzip"})) as url:
        code, stderr, rss, _ = _measured(url, "api", "call", "users.list", env=token_env)
    assert code == 3 and "larger than the 64 MB limit" in _one_line(stderr)
    assert rss < 200, f"peak RSS {rss} MB"


def test_timeout_5_against_an_endless_body_ends_within_10_s_with_exit_3(token_env):
    def endless(head, wfile):
        wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        wfile.write(b"1\r\n[\r\n")
        while True:
            wfile.write(b"400\r\n" + b" " * 1024 + b"\r\n")  # 1 KB every 10 ms: never over the size limit
            wfile.flush()
            time.sleep(0.01)  # the server's pace

    with answering(endless) as url:
        # auth.test is a read, so retries are allowed: a body still arriving at the deadline is not retried.
        code, stderr, rss, elapsed = _measured(url, "api", "call", "auth.test", "--timeout", "5", env=token_env)
    line = _one_line(stderr)
    assert code == 3 and "within the timeout" in line and "still arriving" in line
    assert elapsed < 10, elapsed
    assert rss < 200


@pytest.mark.parametrize("paging", [[], ["--paginate"]], ids=["json", "orjson-paging"])
def test_a_100k_deep_json_response_is_a_clear_error(cli, token_env, paging):
    deep = b"[" * 100_000 + b"]" * 100_000
    body = b'{"ok":true,"deep":' + deep + b"}"
    with answering(json_answer(body)) as url:
        result = cli("--slack-url", url, "api", "call", "users.list", *paging, env=token_env)
    assert result.exit_code == 3
    line = _one_line(result.stderr)
    assert "users.list" in line and "nested too deeply" in line


# -- Retry-After ---------------------------------------------------------------------------------------------
def _rate_limited(value: str, then_ok: bool = False):
    calls: list[bytes] = []

    def answer(head, wfile):
        calls.append(head)
        if then_ok and len(calls) > 1:
            json_answer(b'{"ok":true}')(head, wfile)
            return
        json_answer(b'{"ok":false,"error":"ratelimited"}', "429 Too Many Requests", {"Retry-After": value})(head, wfile)

    return answer, calls


@pytest.mark.parametrize("value", ["999999", "1e10", "121"])
def test_a_retry_after_beyond_the_cap_is_an_error_naming_it(cli, token_env, instant_waits, value):
    answer, calls = _rate_limited(value)
    with answering(answer) as url:
        result = cli("--slack-url", url, "api", "call", "chat.postMessage", "channel=C1", "text=x", env=token_env)
    assert result.exit_code == 1
    line = _one_line(result.stderr)
    assert f"Retry-After: {value}" in line and "120s" in line and "SLACKCTL_MAX_RETRY_WAIT" in line
    assert len(calls) == 1 and instant_waits == []  # never waited, never repeated


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-5", "soon"])
def test_a_non_finite_negative_or_unreadable_retry_after_is_malformed(cli, token_env, instant_waits, value):
    answer, calls = _rate_limited(value)
    with answering(answer) as url:
        result = cli("--slack-url", url, "api", "call", "auth.test", env=token_env)
    assert result.exit_code == 1
    line = _one_line(result.stderr)
    assert f"malformed Retry-After: {value!r}" in line and "OverflowError" not in line
    assert len(calls) == 1 and instant_waits == []


def test_a_wait_within_the_cap_is_announced_on_stderr_even_when_piped(cli, token_env, instant_waits):
    answer, calls = _rate_limited("90", then_ok=True)
    with answering(answer) as url:
        result = cli("--slack-url", url, "api", "call", "auth.test", env=token_env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"ok": True}
    assert instant_waits == [90.0] and len(calls) == 2
    assert "rate-limited on auth.test: retrying in 90.0s" in result.stderr


def test_the_cap_is_raised_with_its_variable(cli, token_env, instant_waits):
    answer, calls = _rate_limited("200", then_ok=True)
    with answering(answer) as url:
        result = cli("--slack-url", url, "api", "call", "auth.test", env=dict(token_env, SLACKCTL_MAX_RETRY_WAIT="300"))
    assert result.exit_code == 0, result.stderr
    assert instant_waits == [200.0]


def test_an_http_date_retry_after_is_read_as_seconds_from_now():
    from email.utils import formatdate

    from slackctl.slack.client import parse_retry_after

    now = 1_700_000_000.0
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert parse_retry_after(None) == 1.0 and parse_retry_after("2.5") == 2.5
