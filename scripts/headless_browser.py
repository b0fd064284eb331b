"""A stand-in browser for headless demos: GET a URL and follow redirects, like a browser on a consent page
that was auto-approved. Used by `make demo` through the BROWSER variable."""

from __future__ import annotations

import sys
import urllib.request


def main() -> None:
    url = sys.argv[1]
    if not url.startswith(("http://127.0.0.1", "http://localhost", "https://127.0.0.1", "https://localhost")):
        raise SystemExit(f"headless_browser: refusing non-loopback URL {url}")
    with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 - loopback only, checked above
        resp.read()


if __name__ == "__main__":
    main()
