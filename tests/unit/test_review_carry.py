"""Decisions carried into a new run of a page: anchored by word ids and OCR reading, or stale with the reason."""

from __future__ import annotations

from pathlib import Path

from review_batch import LINES, PUBLISHED, page_from_spec, record_decisions, write_batch, write_page

from ocrfix.model import with_ids
from ocrfix.review.batch import list_pages, load_page_review
from ocrfix.review.carry import carry_decisions, reviewed_state
from ocrfix.review.decisions import read_decisions_file


def spec(lines: list[str]):
    page, corrections = page_from_spec(lines)
    return with_ids(page), corrections



def test_a_rerun_carries_every_decision_to_its_words_or_keeps_it_stale(tmp_path: Path) -> None:
    page, corrections = spec(LINES)
    out = write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})
    record_decisions(out, {"Литвнову,": ("accept", None), "Ворошнлову,": ("reject", None), "граниие": ("edit", "границе")})

    # The new run reads a word more on the second line (every later id moves on by one) and
    # the third line's misreading differently.
    lines = [LINES[0], "Копия " + LINES[1], LINES[2].replace("граниие>границе", "гранние>границе")]
    page, corrections = spec(lines)
    staged = write_page(tmp_path / "staging", "p1", page, corrections, PUBLISHED)
    carried = carry_decisions("p1", out / "p1", staged, "")
    assert (carried.decisions, carried.stale, carried.newly_stale) == (2, 1, 1)

    review = load_page_review(list_pages(out)[0].__class__("p1", "ok", "", staged))
    kept = {d.ocr: (d.text, review.item(k).current_text) for k, d in review.decisions.decisions.items()}
    assert kept == {"Литвнову,": ("Литвинову,", "Литвинову,"), "Ворошнлову,": ("Ворошнлову,", "Ворошилову,")}
    moved = next(d for d in review.decisions.decisions.values() if d.ocr == "Ворошнлову,")
    assert moved.word_ids != () and moved.carried == 1  # found by its reading near the old place: the id moved on
    (stale,) = review.stale
    assert stale.text == "границе" and stale.stale == "the OCR now reads «на» where this decision was made on «граниие»"
    stored = read_decisions_file(staged / "decisions.json", "p1")
    assert len(stored.decisions) == 2 and len(stored.stale) == 1  # written into the new page, nothing dropped


def test_a_reviewed_page_stays_reviewed_when_nothing_new_appears(tmp_path: Path) -> None:
    page, corrections = spec(LINES)
    out = write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})
    assert not reviewed_state("p1", out / "p1", "")
    record_decisions(out, {"Литвнову,": ("accept", None)}, mark=True)
    assert reviewed_state("p1", out / "p1", "")
    staged = write_page(tmp_path / "staging", "p1", page, corrections, PUBLISHED)  # the same reading again
    assert carry_decisions("p1", out / "p1", staged, "").marked_reviewed
    assert read_decisions_file(staged / "decisions.json", "p1").marked_reviewed

    changed = spec([LINES[0], LINES[1].replace("Ежову,", "Ежсву,>Ежову,"), LINES[2]])  # a new correction to look at
    staged = write_page(tmp_path / "staging2", "p1", *changed, PUBLISHED)
    carried = carry_decisions("p1", out / "p1", staged, "")
    assert not carried.marked_reviewed and "needs review again" in carried.describe()


def test_no_decisions_nothing_to_carry(tmp_path: Path) -> None:
    page, corrections = spec(LINES)
    out = write_batch(tmp_path / "out", {"p1": (page, corrections, PUBLISHED)})
    staged = write_page(tmp_path / "staging", "p1", page, corrections, PUBLISHED)
    assert carry_decisions("p1", out / "p1", staged, "") is None and not (staged / "decisions.json").exists()


def test_a_decision_saved_during_a_rerun_waits_for_the_page_to_move(tmp_path: Path) -> None:
    """The review application and a batch take turns on OUTDIR's decisions lock."""
    import threading

    from ocrfix.review.decisions import decisions_lock

    out = tmp_path / "out"
    out.mkdir()
    saved = threading.Event()

    def review_app_saves() -> None:
        with decisions_lock(out):
            saved.set()

    with decisions_lock(out):  # the batch carries and moves a page
        writer = threading.Thread(target=review_app_saves)
        writer.start()
        writer.join(timeout=0.5)
        assert not saved.is_set()
    writer.join(timeout=10)
    assert saved.is_set()
