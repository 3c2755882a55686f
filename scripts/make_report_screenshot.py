"""Screenshot a page report for the docs (docs/report.png), in Debian's headless Chromium.

    .venv/bin/ocrfix run scans/sample -o out/sample       # or any run that wrote a diff.html
    .venv/bin/python scripts/make_report_screenshot.py out/sample/page1/diff.html docs/report.png

Clicks the first correction so the explanation panel shows. Never downloads a
browser: needs /usr/bin/chromium (apt-get install chromium) and the playwright package.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(report: str, output: str) -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(Path(report).resolve().as_uri())
        corrections = page.locator("td.text [data-corr]")
        if corrections.count():
            corrections.first.click()
        page.screenshot(path=output)
        browser.close()
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
