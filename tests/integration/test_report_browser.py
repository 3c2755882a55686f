"""The HTML reports in a real headless Chromium (Debian's package, driven by Playwright).

Never downloads a browser: it uses /usr/bin/chromium (or whatever ``chromium``
is on PATH) and skips when there is none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from ocrfix.model import BBox, Block, Correction, Line, Page, Word, page_from_text
from ocrfix.report import IndexRow, write_index, write_page_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
RAW = "Выписки послани: т.т.Литвинову.\nПоручить т. Смирнову " + HOSTILE + "\nСоветское правительство"
CORRECTED = "Выписки посланы: т.т.Литвинову.\nПоручить т. Смирнову " + HOSTILE + "\nСоветское правительство"
PUBLISHED = "Выписки посланы: т.т.Литвинову.\nПоручить т. Смирнову <svg onload=window.__pwned=3>\nСоветское правительство"
REASON = "not in the lexicon; и→ы is a frequent typewriter confusion <b onmouseover=window.__pwned=4>"



@pytest.fixture()
def report(tmp_path: Path) -> Path:
    start = RAW.index("послани")
    correction = Correction("послани", "посланы", start, start + 7, 0, 0.42, REASON, (("посланы", 0.42), ("послание", 1.3)))
    write_page_report(
        tmp_path, reference=PUBLISHED, raw=RAW, corrected=CORRECTED, corrections=[correction], page=page_from_text(CORRECTED)
    )
    return tmp_path / "diff.html"


def _open(browser, path: Path):
    page = browser.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, requests, dialogs, errors


def test_report_renders_and_a_click_explains_a_correction(browser, report: Path) -> None:
    page, requests, _, errors = _open(browser, report)
    assert page.title() == report.parent.name
    assert page.locator("tbody.line").count() == 3
    assert page.locator("table.totals tbody tr").count() == 3
    explanation = page.locator("#correction-0")
    assert not explanation.is_visible()
    page.locator("td.text [data-corr='0']").first.click()
    assert explanation.is_visible()
    assert "и→ы is a frequent typewriter confusion" in explanation.inner_text()
    assert "послание" in explanation.inner_text()
    assert page.locator("td.text .corr.active").count() >= 1
    assert not page.locator("#explain-hint").is_visible()
    assert errors == []
    assert all(url.startswith("file://") for url in requests)  # nothing from the network


def test_injected_markup_stays_inert_text(browser, report: Path) -> None:
    page, requests, dialogs, errors = _open(browser, report)
    page.locator("td.text [data-corr='0']").first.click()
    page.mouse.move(5, 5)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == [] and errors == []
    assert page.locator("td.text img, td.text script, td.text svg, .reason b").count() == 0
    texts = page.locator("tbody.line").nth(1).inner_text()
    assert "<img src=x onerror=" in texts and "<svg onload=" in texts
    assert all(not url.endswith("/x") for url in requests)


def test_filters_hide_unchanged_lines(browser, report: Path) -> None:
    page, *_ = _open(browser, report)
    assert page.locator("tbody.line:visible").count() == 3
    page.check("#filter-corrected")
    assert page.locator("tbody.line:visible").count() == 1
    page.uncheck("#filter-corrected")
    page.check("#filter-differs")
    assert page.locator("tbody.line:visible").count() == 1  # only line 2 differs from the published text


def test_scan_crops_display_under_the_policy(browser, tmp_path: Path) -> None:
    image = Image.new("L", (900, 150), 255)
    draw = ImageDraw.Draw(image)
    lines = []
    for number, text in enumerate(CORRECTED.splitlines()):
        top, words, left = 10 + 45 * number, [], 10
        for word in text.split():
            box = BBox(left, top, left + 9 * len(word), top + 30)
            draw.rectangle((box.left, box.top + 6, box.right, box.bottom - 6), fill=30)
            words.append(Word(word, box, 90.0))
            left = box.right + 9
        lines.append(Line(tuple(words), BBox(10, top, left, top + 30)))
    image.save(tmp_path / "scan.png")
    page_model = Page((Block(tuple(lines)),), width=image.width, height=image.height)
    write_page_report(tmp_path, reference=PUBLISHED, raw=RAW, corrected=CORRECTED, corrections=[], page=page_model, image_path=tmp_path / "scan.png")
    page, requests, dialogs, errors = _open(browser, tmp_path / "diff.html")
    crops = page.locator("tr.scan img")
    assert crops.count() == 2  # line 1 was corrected, line 2 differs from the published text, line 3 neither
    assert crops.evaluate_all("imgs => imgs.every(img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0)")
    assert crops.first.is_visible()
    assert errors == [] and dialogs == [] and all(url.startswith(("file://", "data:")) for url in requests)


def test_index_sorts_by_clicked_column(browser, tmp_path: Path) -> None:
    rows = [
        IndexRow("page-a", "ok", cer_published=0.30, corrections=1),
        IndexRow("page-b", "ok", cer_published=0.05, corrections=7),
        IndexRow("page-c", "failed", error="<script>window.__pwned=5</script>"),
    ]
    write_index(tmp_path, rows)
    page, _, dialogs, errors = _open(browser, tmp_path / "index.html")

    def first_column() -> list[str]:
        return page.locator("#pages tbody tr td:first-child").all_inner_texts()

    header = page.locator("#pages thead th", has_text="(corrected)")
    header.click()
    assert first_column() == ["page-b", "page-a", "page-c"]  # ascending, missing last
    header.click()
    assert first_column() == ["page-a", "page-b", "page-c"]
    page.locator("#pages thead th", has_text="corrections").click()
    assert first_column() == ["page-a", "page-b", "page-c"]
    assert page.evaluate("window.__pwned") is None and dialogs == [] and errors == []
