"""SIGTERM (or Ctrl-C) at any moment of start-up, while modules are still importing: slackctl ends quietly —
exit 130, or killed by the signal before Python ran any of slackctl, or done already — never with a traceback
through slackctl's code (Python's own, for a Ctrl-C before the interpreter runs any of slackctl, is not ours).
Real signals to a real `python -m slackctl`, at delays spread over the first ~150 ms."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import slackctl

DELAYS_MS = range(0, 160, 8)
SLACKCTL_SOURCE = str(Path(slackctl.__file__).parent)  # a traceback frame in our code names this directory


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the runner may be a background job, with SIGINT ignored


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("args", [["--help"], ["api", "list"]], ids=["typer", "api-list"])
def test_an_interrupt_during_start_up_never_prints_a_traceback(slackctl_env, args, sig):
    codes = []
    for delay in DELAYS_MS:
        proc = subprocess.Popen(
            [sys.executable, "-m", "slackctl", *args],
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_default_signals,
        )
        time.sleep(delay / 1000)  # the signal's moment is the thing under test, not a wait for a server
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        if sig == signal.SIGINT and "Traceback" in err and SLACKCTL_SOURCE not in err:
            # Ctrl-C inside Python's own start-up (site, runpy), before any line of slackctl ran: not ours.
            continue
        assert "Traceback" not in err and "Exception ignored" not in err, f"after {delay} ms:\n{err}"
        assert proc.returncode in (0, 130, -sig), f"after {delay} ms: exit {proc.returncode}\n{err}"
        codes.append(proc.returncode)
    assert 130 in codes, codes  # some signals did land while slackctl was starting
