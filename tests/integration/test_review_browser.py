"""The review application in a real headless Chromium, end to end.

A typed page with misspellings goes through the real ``ocrfix run`` (Tesseract
and the corrector). ``ocrfix review`` serves it; in the browser the reviewer
accepts one change, rejects another and types a third reading; after a reload
all three are still there. ``ocrfix regenerate`` then writes exactly those
decisions, the decisions become a collection memory, and a second run on a
new page makes the accepted fix by itself and never proposes the rejected one.

Uses Debian's chromium through Playwright (never downloads a browser) and
skips when either is missing.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import needs_tesseract, render_typed_lines

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.tesseract, needs_tesseract]

# What the typist wrote (misspellings included): the OCR reads it faithfully,
# the corrector proposes fixes, and the published transcription disagrees in places.
TYPED = ("Выписки поспаны: т.т. Литвинову,", "Ворошипову, Ежову, Берзину.", "Петевести средства советсхому", "банку до 15 июпя.")
HOSTILE = '<img src=x onerror="window.__pwned=1">'
PUBLISHED = "Выписки посланы: т.т. Литвинову,\nВорошилову, Ежову, Берзину.\nПеревести средства советскому\nбанку до 15 июля. " + HOSTILE + "\n"
# A later page with the same misreadings.
LATER = ("Копии поспаны т. Ворошипову", "и т. Ежову 15 июпя 1936 г.")


def ocrfix(*args: object, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ocrfix", *map(str, args)], capture_output=True, text=True, timeout=timeout
    )



@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    scans = tmp_path_factory.mktemp("scans")
    render_typed_lines(TYPED, scans / "doc1.png")
    (scans / "doc1.published.txt").write_text(PUBLISHED, encoding="utf-8")
    out = tmp_path_factory.mktemp("batch") / "out"
    result = ocrfix("run", scans, "-o", out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    corrections = json.loads((out / "doc1" / "corrections.json").read_text(encoding="utf-8"))
    pairs = {(c["original"], c["replacement"]) for c in corrections}
    assert {("поспаны", "посланы"), ("Ворошипову", "Ворошилову")} <= pairs, corrections
    return out


@pytest.fixture(scope="module")
def server(batch: Path):
    """``ocrfix review OUTDIR`` on a free port; yields the address it printed (with the token)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ocrfix", "review", str(batch), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()  # drain the request log
    try:
        first = lines.get(timeout=60)
    except queue.Empty:
        process.kill()
        pytest.fail("ocrfix review printed no address")
    assert first.startswith("review: http://127.0.0.1:"), first
    url = first.split(" ", 1)[1].strip()
    assert "?token=" in url
    yield url
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def item(page, text: str):
    return page.locator("#page-text .item", has_text=text).first


def decisions_of(batch: Path) -> dict:
    path = batch / "doc1" / "decisions.json"
    return json.loads(path.read_text(encoding="utf-8"))["decisions"] if path.exists() else {}


def wait_saved(page, batch: Path, count: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_have_text("saved")
    assert len(decisions_of(batch)) == count


def test_review_regenerate_and_learn(browser, batch: Path, server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The token from the address becomes a cookie; the index links to the page.
    page.goto(server)
    assert "token" not in page.url
    page.get_by_role("link", name="doc1").click()
    page.wait_for_selector("#page-text .item")
    assert page.locator("#scan-image").evaluate("img => img.complete && img.naturalWidth > 0")

    # Accept one change (a), reject another (r), type a third reading (e, Enter).
    item(page, "посланы").click()
    assert page.locator("#reading-ocr").inner_text() == "поспаны:"
    assert "cost" in page.locator(".evidence").inner_text() and page.locator("#item-reason").inner_text()
    assert page.locator("#item-crop").evaluate("img => img.complete && img.naturalWidth > 0")
    page.keyboard.press("a")
    wait_saved(page, batch, 1)

    item(page, "Ворошилову").click()
    page.keyboard.press("r")
    expect(page.locator("#page-text .item.is-reject")).to_have_count(1)
    wait_saved(page, batch, 2)

    item(page, "июпя").click()
    assert page.locator("#reading-published").inner_text().startswith("июля.")
    assert HOSTILE in page.locator("#reading-published").inner_text()  # shown as text, never as markup
    page.keyboard.press("e")
    page.keyboard.press("Control+A")
    page.keyboard.type("июля.")
    page.keyboard.press("Enter")
    expect(page.locator("#page-text .item.is-edit")).to_have_count(1)
    wait_saved(page, batch, 3)

    # A reload (or a crash) loses nothing: the three decisions come back from decisions.json.
    page.reload()
    page.wait_for_selector("#page-text .item")
    assert page.locator("#page-text .item.is-accept").inner_text() == "посланы:"
    assert page.locator("#page-text .item.is-reject").inner_text() == "Ворошипову,"
    assert page.locator("#page-text .item.is-edit").inner_text() == "июля."
    assert "3/" in page.locator("#progress").inner_text()
    stored = {d["action"]: d["text"] for d in decisions_of(batch).values()}
    assert stored == {"accept": "посланы:", "reject": "Ворошипову,", "edit": "июля."}
    assert page.evaluate("window.__pwned") is None and page.locator("#item-card img[src='x']").count() == 0
    assert errors == []
    page.screenshot(path=str(tmp_path / "review.png"))
    page.close()

    # regenerate writes exactly those decisions; the undecided corrections are undone (policy "reviewed").
    clean = tmp_path / "clean"
    memory = tmp_path / "collection.memory.json"
    result = ocrfix("regenerate", batch, "-o", clean, "--memory", memory)
    assert result.returncode == 0, result.stderr
    assert "1 accepted, 1 rejected, 1 typed" in result.stdout
    # Undecided corrections are undone, so the text is the OCR reading with exactly the three decisions.
    raw = (batch / "doc1" / "raw.txt").read_text(encoding="utf-8")
    assert "Ворошипову," in raw and "Петевести" in raw and "советсхому" in raw
    expected = raw.replace("поспаны:", "посланы:", 1).replace("июпя.", "июля.", 1)
    assert (clean / "doc1.txt").read_text(encoding="utf-8") == expected
    alto = (clean / "doc1.alto.xml").read_text(encoding="utf-8")
    assert 'CONTENT="посланы:"' in alto and 'CONTENT="Ворошипову,"' in alto and '"policy": "reviewed"' in alto

    # The memory learned the fixes and the rule; a second run with it on a new page uses both.
    learned = json.loads(memory.read_text(encoding="utf-8"))
    assert {"original": "поспаны", "replacement": "посланы"} in learned["fixes"]
    assert {"original": "июпя", "replacement": "июля"} in learned["fixes"]
    assert {"original": "Ворошипову", "replacement": "Ворошилову"} in learned["forbidden"]
    later = tmp_path / "later"
    later.mkdir()
    render_typed_lines(LATER, later / "doc2.png")
    corrections = _second_run(later, tmp_path / "out2", memory)
    by_original = {c["original"]: c for c in corrections}
    assert by_original["поспаны"]["replacement"] == "посланы"
    assert by_original["поспаны"]["reason"].startswith("collection memory")
    assert by_original["июпя"]["replacement"] == "июля"
    assert "Ворошипову" not in by_original  # rejected once: never proposed again


def _second_run(scans: Path, out: Path, memory: Path) -> list[dict]:
    """``ocrfix run --memory`` on new pages; the corrections it made."""
    result = ocrfix("run", scans, "-o", out, "--memory", memory, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return json.loads((out / "doc2" / "corrections.json").read_text(encoding="utf-8"))

