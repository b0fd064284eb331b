"""Make the README's screenshots of the emulator's web UI (docs/img/webui-*.png) from the same test run that
checks the UI in headless Chromium: tests/emulator/test_webui_browser.py saves each surface when
SLACKCTL_WEBUI_SCREENSHOTS names a directory. Usage: .venv/bin/python scripts/webui_screenshots.py [DIR]"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURFACES = ("messages", "thread", "slash-command", "home", "modal", "deliveries", "requests")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("webui-*.png"):
        stale.unlink()
    env = dict(os.environ, SLACKCTL_WEBUI_SCREENSHOTS=str(out))
    code = subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/emulator/test_webui_browser.py"],
        cwd=ROOT,
        env=env,
    )
    if code:
        print("the web UI tests failed: no screenshots kept", file=sys.stderr)
        for shot in out.glob("webui-*.png"):
            shot.unlink()
        return code
    missing = [name for name in SURFACES if not (out / f"webui-{name}.png").is_file()]
    if missing:
        print(f"the test run saved no screenshot of: {', '.join(missing)}", file=sys.stderr)
        return 1
    for name in SURFACES:
        shot = out / f"webui-{name}.png"
        print(f"{shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot}  {shot.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
