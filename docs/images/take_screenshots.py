"""Take the screenshots used in the docs, from a running Caseline demo.

Start a demo on its own database first, so your own demo data is not touched::

    export DATABASE_URL=sqlite:////tmp/docs-demo.sqlite3
    export DJANGO_SETTINGS_MODULE=caseline.settings.dev
    .venv/bin/caseline demo --no-serve
    .venv/bin/caseline serve 127.0.0.1:8765 &
    .venv/bin/python docs/images/take_screenshots.py
    kill %1

It drives Debian's Chromium (``/usr/bin/chromium``) through Playwright's Python package;
it never downloads a browser.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
# The same flags as tests/browser/conftest.py: no calls home from a closed network.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
DEMO_PASSWORD = "caseline-demo"  # noqa: S105 - the published demo password


def take_home_page(base_url: str, username: str, output: Path) -> None:
    """Sign in as ``username`` and save the home page as a PNG."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{base_url}/accounts/sign-in/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base_url}/")
            page.screenshot(path=str(output))
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Take the screenshots used in the docs.")
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--username", default="team.manager")
    parser.add_argument("--output", type=Path, default=HERE / "home.png")
    args = parser.parse_args()
    take_home_page(args.base_url.rstrip("/"), args.username, args.output)
    print(f"Saved {args.output}")


if __name__ == "__main__":
    main()
