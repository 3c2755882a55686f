"""Screenshots of the review application for docs/review.md: docs/review.png, docs/review-index.png.

Runs ``ocrfix run`` on the sample scans (or takes a finished batch given with
``--batch``), copies the batch to a temporary folder, serves it with
``ocrfix review``, makes a few decisions in Debian's headless Chromium and
photographs the page and the index.

    .venv/bin/python scripts/make_review_screenshots.py [--batch OUTDIR] [--input scans/sample]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=Path, default=None, help="a finished batch (default: run the sample scans)")
    parser.add_argument("--input", type=Path, default=REPO / "scans" / "sample", help="what to run when no --batch")
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 4
    from playwright.sync_api import expect, sync_playwright
    from werkzeug.serving import make_server

    from ocrfix.review import create_app

    with tempfile.TemporaryDirectory() as scratch:
        batch = Path(scratch) / "batch"
        if args.batch is None:
            subprocess.run([sys.executable, "-m", "ocrfix", "run", str(args.input), "-o", str(batch)], check=True)
        else:
            shutil.copytree(args.batch, batch)
            for decisions in batch.glob("*/decisions.json"):
                decisions.unlink()
        server = make_server("127.0.0.1", 0, create_app(batch, token="screenshot"), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        args.docs.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{base}/?token=screenshot")
            page.locator("table.pages a").first.click()
            page.wait_for_selector("#page-text .item")
            # Page 1 has the archive's transcription: its items are mostly choices between the
            # two witnesses. A few decisions, as a reviewer would make them: accept, reject, published.
            items = page.locator("#page-text .item")
            items.nth(0).click()
            page.keyboard.press("a")
            expect(page.locator("#status")).to_have_text("saved")
            for key, button, state in (("r", "#reject", "is-reject"), ("p", "#use-published", "is-published")):
                for index in range(1, min(40, items.count())):  # the first item whose button is there
                    items.nth(index).click()
                    if "is-open" in (items.nth(index).get_attribute("class") or "") and page.locator(button).is_enabled():
                        page.keyboard.press(key)
                        expect(page.locator(f"#page-text .item.{state}")).to_have_count(1)
                        break
            # Show the choice the brief names: the scan reads иен where the archive published гоби.
            yen = page.locator("#page-text .item", has_text="иен")
            (yen if yen.count() else items.nth(5)).first.click()
            page.keyboard.press("+")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(400)
            page.screenshot(path=str(args.docs / "review.png"))
            if page.locator("#next-page").count():  # the next page: accept the confident items at once
                page.keyboard.press("]")
                page.wait_for_selector("#page-text .item")
                page.keyboard.press("Shift+A")
                expect(page.locator("#status")).to_contain_text("accepted")
            page.goto(f"{base}/")
            page.set_viewport_size({"width": 1000, "height": 360})
            page.screenshot(path=str(args.docs / "review-index.png"))
            browser.close()
        server.shutdown()
    print(f"wrote {args.docs / 'review.png'} and {args.docs / 'review-index.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
