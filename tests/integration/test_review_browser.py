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

import contextlib
import hashlib
import json
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import interruptible, needs_tesseract, render_typed_lines

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.tesseract, needs_tesseract]

# What the typist wrote (misspellings included): the OCR reads it faithfully,
# the corrector proposes fixes, and the published transcription disagrees in places.
TYPED = ("Выписки поспаны: т.т. Литвинову,", "Ворошипову, Ежову, Берзину.", "Петевести средства советсхому", "банку до 15 июпя.")
HOSTILE = '<img src=x onerror="window.__pwned=1">'
PUBLISHED = "Выписки посланы: т.т. Литвинову,\nВорошилову, Ежову, Берзину.\nПеревести средства советскому\nбанку до 15 июля. " + HOSTILE + "\n"
# A disagreement where the scan is right: the published transcription has a typo (секрешном).
SECRET = ("Выписка о секретном заседании", "хранить в секретном архиве.")
SECRET_PUBLISHED = "Выписка о секрешном заседании\nхранить в секрешном архиве.\n"
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
    pairs = {(c["original"].strip(":,."), c["replacement"].strip(":,.")) for c in corrections}
    assert {("поспаны", "посланы"), ("Ворошипову", "Ворошилову")} <= pairs, corrections
    return out


@contextlib.contextmanager
def review_server(batch: Path):
    """``ocrfix review OUTDIR`` on a free port; yields the address it printed (with the token)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ocrfix", "review", str(batch), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
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
    try:
        yield url
    finally:  # a failing test must not leave its server running
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(batch: Path):
    with review_server(batch) as url:
        yield url


def item(page, text: str):
    return page.locator("#page-text .item", has_text=text).first


def decisions_of(batch: Path) -> dict:
    path = batch / "doc1" / "decisions.json"
    return json.loads(path.read_text(encoding="utf-8"))["decisions"] if path.exists() else {}


def wait_image_shown(page, selector: str) -> None:
    """Wait until the image has loaded with pixels (its src may have just been set); fail after 10 s."""
    page.wait_for_function(
        "selector => { const img = document.querySelector(selector); return img && img.complete && img.naturalWidth > 0; }",
        arg=selector,
        timeout=10_000,
    )


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
    wait_image_shown(page, "#scan-image")

    # Accept one change (a), reject another (r), type a third reading (e, Enter).
    item(page, "посланы").click()
    assert page.locator("#reading-ocr").inner_text() == "поспаны:"
    assert "cost" in page.locator(".evidence").inner_text() and page.locator("#item-reason").inner_text()
    wait_image_shown(page, "#item-crop")
    page.keyboard.press("a")
    wait_saved(page, batch, 1)

    item(page, "Ворошилову").click()
    page.keyboard.press("r")
    expect(page.locator("#page-text .item.is-reject")).to_have_count(1)
    wait_saved(page, batch, 2)

    item(page, "июля").click()
    assert page.locator("#reading-published").inner_text().startswith("июля.")
    assert HOSTILE in page.locator("#reading-published").inner_text()  # shown as text, never as markup
    page.keyboard.press("e")
    page.keyboard.press("Control+A")
    page.keyboard.type("июня.")
    page.keyboard.press("Enter")
    expect(page.locator("#page-text .item.is-edit")).to_have_count(1)
    wait_saved(page, batch, 3)

    # A reload (or a crash) loses nothing: the three decisions come back from decisions.json.
    page.reload()
    page.wait_for_selector("#page-text .item")
    assert page.locator("#page-text .item.is-accept").inner_text() == "посланы:"
    assert page.locator("#page-text .item.is-reject").inner_text() == "Ворошипову,"
    assert page.locator("#page-text .item.is-edit").inner_text() == "июня."
    assert "3/" in page.locator("#progress").inner_text()
    stored = {d["action"]: d["text"] for d in decisions_of(batch).values()}
    assert stored == {"accept": "посланы:", "reject": "Ворошипову,", "edit": "июня."}
    assert page.evaluate("window.__pwned") is None and page.locator("#item-card img[src='x']").count() == 0
    assert errors == []
    page.screenshot(path=str(tmp_path / "review.png"))
    page.close()

    # regenerate writes exactly those decisions; the undecided corrections are undone (policy "reviewed").
    clean = tmp_path / "clean"
    memory = tmp_path / "collection.memory.json"
    result = ocrfix("regenerate", batch, "-o", clean, "--memory", memory, "--policy", "reviewed")
    assert result.returncode == 0, result.stderr
    assert "1 accepted, 1 rejected, 0 published, 1 typed" in result.stdout
    assert "undecided correction(s) of 1 page(s) not reviewed (policy 'reviewed'" in result.stdout
    # Undecided corrections are undone, so the text is the OCR reading with exactly the three decisions.
    raw = (batch / "doc1" / "raw.txt").read_text(encoding="utf-8")
    assert "Ворошипову," in raw and "Петевести" in raw and "советсхому" in raw
    expected = raw.replace("поспаны:", "посланы:", 1).replace("июпя.", "июня.", 1)
    assert (clean / "doc1.txt").read_text(encoding="utf-8") == expected
    alto = (clean / "doc1.alto.xml").read_text(encoding="utf-8")
    assert 'CONTENT="посланы:"' in alto and 'CONTENT="Ворошипову,"' in alto and '"policy": "reviewed"' in alto

    # The memory learned the fixes and the rule; a second run with it on a new page uses both.
    learned = json.loads(memory.read_text(encoding="utf-8"))
    assert {"original": "поспаны", "replacement": "посланы"} in learned["fixes"]
    assert {"original": "июпя", "replacement": "июня"} in learned["fixes"]
    assert {"original": "Ворошипову", "replacement": "Ворошилову"} in learned["forbidden"]
    later = tmp_path / "later"
    later.mkdir()
    render_typed_lines(LATER, later / "doc2.png")
    corrections = _second_run(later, tmp_path / "out2", memory)
    by_original = {c["original"]: c for c in corrections}
    assert by_original["поспаны"]["replacement"] == "посланы"
    assert by_original["поспаны"]["reason"].startswith("collection memory")
    assert by_original["июпя"]["replacement"] == "июня"
    assert "Ворошипову" not in by_original  # rejected once: never proposed again


def _second_run(scans: Path, out: Path, memory: Path) -> list[dict]:
    """``ocrfix run --memory`` on new pages; the corrections it made."""
    result = ocrfix("run", scans, "-o", out, "--memory", memory, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return json.loads((out / "doc2" / "corrections.json").read_text(encoding="utf-8"))



# ---- decisions survive every rerun -----------------------------------------------


def russian_key(page, code: str, key: str) -> None:
    """Press the physical key ``code`` as a Russian (ЙЦУКЕН) layout types it: ``key`` is the Cyrillic letter."""
    session = page.context.new_cdp_session(page)
    for kind in ("keyDown", "keyUp"):
        session.send("Input.dispatchKeyEvent", {"type": kind, "code": code, "key": key, "text": key if kind == "keyDown" else ""})
    session.detach()


def stored_decisions(out: Path, page_id: str = "doc1") -> dict:
    return json.loads((out / page_id / "decisions.json").read_text(encoding="utf-8"))


def every_decision(out: Path) -> dict[str, tuple[str, str]]:
    """OCR reading -> (chosen reading, stale reason) of every decision kept for doc1, applying or stale."""
    data = stored_decisions(out)
    found = {d["ocr"]: (d["text"], "") for d in data["decisions"].values()}
    found.update({d["ocr"]: (d["text"], d["stale"]) for d in data["stale"]})
    return found


def page_note(out: Path, page_id: str = "doc1") -> str | None:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return next(p for p in summary["pages"] if p["page_id"] == page_id)["review"]


def _forge_code_change(out: Path) -> None:
    """What the page's record looks like after an ocrfix upgrade: made by other code, another version."""
    done = out / "doc1" / "_done.json"
    record = json.loads(done.read_text(encoding="utf-8"))
    record["inputs"]["versions"]["code"] = "0" * 16
    record["inputs"]["versions"]["ocrfix"] = "0.1.0"
    blob = json.dumps(record["inputs"], sort_keys=True, ensure_ascii=True)
    record["key"] = hashlib.sha256(blob.encode("ascii")).hexdigest()
    done.write_text(json.dumps(record), encoding="utf-8")


def test_decisions_survive_every_rerun(browser, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    scans = tmp_path / "scans"
    scans.mkdir()
    render_typed_lines((*TYPED, *SECRET), scans / "doc1.png")
    (scans / "doc1.published.txt").write_text(PUBLISHED + SECRET_PUBLISHED, encoding="utf-8")
    out = tmp_path / "out"
    assert ocrfix("run", scans, "-o", out, "--jobs", "1").returncode == 0

    with review_server(out) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url.replace("/?", "/pages/doc1?"))
        page.wait_for_selector("#page-text .item")
        # Four decisions, with the shortcuts typed on a Russian layout (the keys of a, r, e, p).
        item(page, "посланы").click()
        russian_key(page, "KeyA", "ф")
        expect(page.locator("#page-text .item.is-accept")).to_have_count(1)
        item(page, "Ворошилову").click()
        russian_key(page, "KeyR", "к")
        expect(page.locator("#page-text .item.is-reject")).to_have_count(1)
        item(page, "июля").click()
        russian_key(page, "KeyE", "у")
        page.keyboard.press("Control+A")
        page.keyboard.type("июня.")
        page.keyboard.press("Enter")
        expect(page.locator("#page-text .item.is-edit")).to_have_count(1)
        page.locator("#page-text .item", has_text="секретном").first.click()
        assert page.locator("#use-published").inner_text().startswith("p take published")
        russian_key(page, "KeyP", "з")
        expect(page.locator("#page-text .item.is-published")).to_have_count(1)
        expect(page.locator("#status")).to_have_text("saved")
        decided = every_decision(out)
        assert len(decided) == 4 and all(not why for _, why in decided.values())

        def rerun(*args: object, expect_note: str = "carried over") -> subprocess.CompletedProcess:
            result = ocrfix("run", scans, "-o", out, "--jobs", "1", *args)
            assert result.returncode == 0, result.stderr
            after = every_decision(out)
            assert set(after) == set(decided), (args, after)  # nothing lost
            for ocr, (text, why) in after.items():
                assert text == decided[ocr][0] and (not why or "«" in why), (args, ocr, why)  # same reading, or stale with its reason
            assert expect_note in (page_note(out) or ""), (args, page_note(out), result.stderr)
            return result

        rerun("--force")
        config = tmp_path / "settings.toml"
        config.write_text("[correct]\nprotect_confidence = 96.0\n", encoding="utf-8")
        result = ocrfix("--config", config, "run", scans, "-o", out, "--jobs", "1")
        assert result.returncode == 0 and "4 decision(s) carried over" in page_note(out)
        assert set(every_decision(out)) == set(decided)
        _forge_code_change(out)
        rerun()
        render_typed_lines(("Отправить в Кашгарбек", "и в Кашгарбек снова."), scans / "doc2.png")
        rerun()  # a new page brings a new recurring word: the collection changed, doc1 is corrected again
        assert "carried" in page_note(out)
        memory = tmp_path / "memory.json"
        learned = ocrfix("regenerate", out, "-o", tmp_path / "clean", "--memory", memory)
        assert learned.returncode == 0, learned.stderr
        rerun("--memory", memory)  # the README's loop: what was learned is now the corrector's own
        (scans / "doc1.published.txt").write_text(PUBLISHED.replace("Берзину", "Берзину,"), encoding="utf-8")
        rerun("--memory", memory)  # the input changed

        # The browser shows every decision again after a reload.
        page.reload()
        page.wait_for_selector("#page-text .item")
        for text, why in every_decision(out).values():
            if not why:
                assert page.locator("#page-text .item", has_text=text.rstrip(".,:")).count() >= 1, text
        assert page.locator("#stale-list li").count() == sum(1 for _, why in every_decision(out).values() if why)

        # Marking the page reviewed with undecided items asks first.
        russian_key(page, "KeyM", "ь")
        expect(page.locator("#confirm-reviewed")).to_be_visible()
        assert "undecided" in page.locator("#confirm-reviewed-text").inner_text()
        page.locator("#confirm-reviewed-yes").click()
        expect(page.locator("#mark-reviewed")).to_have_text("page marked reviewed ✓")
        page.close()

    # A reviewed page is kept as it is, and the run says why; --redo-reviewed redoes it, carrying everything.
    before = (out / "doc1" / "decisions.json").read_bytes()
    result = ocrfix("run", scans, "-o", out, "--jobs", "1", "--force", "--memory", memory)
    assert "doc1: reviewed, kept as it is although --force was given" in result.stderr
    assert (out / "doc1" / "decisions.json").read_bytes() == before
    assert page_note(out).startswith("reviewed: kept although --force was given")
    rerun("--force", "--redo-reviewed", "--memory", memory)
    assert stored_decisions(out)["marked_reviewed"] is True


def test_disagreement_trap_closed_and_memory_refuses_poison(browser, tmp_path: Path) -> None:
    """The scan reads секретном (right), the published text секрешном (a typo): "a" keeps the scan's
    reading; a reviewer who takes the published one anyway, even "always", teaches the memory nothing
    that would turn секретном into секрешном elsewhere."""
    from playwright.sync_api import expect

    scans = tmp_path / "scans"
    scans.mkdir()
    render_typed_lines(SECRET, scans / "trap.png")
    (scans / "trap.published.txt").write_text(SECRET_PUBLISHED, encoding="utf-8")
    out = tmp_path / "out"
    assert ocrfix("run", scans, "-o", out, "--jobs", "1").returncode == 0

    def decisions() -> dict:
        path = out / "trap" / "decisions.json"
        return json.loads(path.read_text(encoding="utf-8"))["decisions"] if path.exists() else {}

    with review_server(out) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url.replace("/?", "/pages/trap?"))
        traps = page.locator("#page-text .item", has_text="секретном")
        expect(traps).to_have_count(2)
        traps.first.click()
        assert page.locator("#reading-published").inner_text() == "секрешном"
        assert page.locator("#accept").inner_text() == "a keep scan reading: секретном"
        assert page.locator("#use-published").inner_text() == "p take published: секрешном"
        russian_key(page, "KeyA", "ф")  # "a" on a Russian layout: ocrfix's (the scan's) reading is right
        expect(page.locator("#status")).to_have_text("saved")
        assert [d["text"] for d in decisions().values()] == ["секретном"]

        # The second one (the OCR may raise other items between them): take the published reading,
        # "always", then undo and redo it.
        traps.nth(1).click()
        assert page.locator("#reading-published").inner_text() == "секрешном"
        position = page.locator("#item-position").inner_text()
        page.locator("#always").check()
        russian_key(page, "KeyP", "з")
        expect(page.locator("#page-text .item.is-published")).to_have_count(1)
        russian_key(page, "KeyU", "г")  # u: undo the last decision and go back to it
        expect(page.locator("#page-text .item.is-published")).to_have_count(0)
        expect(page.locator("#item-position")).to_have_text(position)
        assert len(decisions()) == 1
        page.locator("#always").check()
        russian_key(page, "KeyP", "з")
        expect(page.locator("#page-text .item.is-published")).to_have_count(1)
        published = [d for d in decisions().values() if d["action"] == "published"]
        assert [(d["text"], d["always"]) for d in published] == [("секрешном", True)]
        page.close()

    memory = tmp_path / "memory.json"
    result = ocrfix("regenerate", out, "-o", tmp_path / "clean", "--memory", memory)
    assert result.returncode == 0, result.stderr
    assert "not learned секретном → секрешном: it would turn the dictionary word «секретном» into the non-word «секрешном»" in result.stderr
    learned = json.loads(memory.read_text(encoding="utf-8"))
    assert not any(f["original"] == "секретном" for f in learned["fixes"]) and "секрешном" not in learned["words"]
    assert (tmp_path / "clean" / "trap.txt").read_text(encoding="utf-8").count("секретном") == 1  # as decided

    # The next run with that memory leaves every секретном alone.
    later = tmp_path / "later"
    later.mkdir()
    render_typed_lines(("Доклад о секретном совещании.",), later / "doc2.png")
    result = ocrfix("run", later, "-o", tmp_path / "out2", "--memory", memory, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "секретном" in (tmp_path / "out2" / "doc2" / "corrected.txt").read_text(encoding="utf-8")
