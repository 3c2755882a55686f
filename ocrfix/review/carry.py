"""Reviewers' decisions across reruns of a batch: carried into the new page, never lost.

A batch that redoes a page writes the new page into a staging folder and then
replaces the old folder (:mod:`ocrfix.batch.store`). Before that,
:func:`carry_decisions` copies the old folder's ``decisions.json`` into the new
one and anchors every decision to the new words (:mod:`ocrfix.review.anchor`);
what no longer applies is kept as stale, with the reason.

:func:`reviewed_state` tells the batch whether a finished page was reviewed,
so that it is redone only when its input changed or when asked to.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from ocrfix.errors import OcrfixError
from ocrfix.outputs import DECISIONS, PAGE_JSON
from ocrfix.review.batch import BatchPage, PageReview, load_page_review
from ocrfix.review.decisions import save_decisions


@dataclass(frozen=True)
class Carried:
    """What happened to a page's decisions when it was redone."""

    decisions: int  # anchored to the new page
    stale: int  # kept, marked stale (their words are gone)
    newly_stale: int  # of which became stale in this rerun
    marked_reviewed: bool  # the page is still reviewed (nothing new to look at)
    was_reviewed: bool = False

    def describe(self) -> str:
        text = f"{self.decisions} decision(s) carried over"
        if self.stale:
            text += f", {self.stale} stale (kept, not applied"
            text += f"; {self.newly_stale} new)" if self.newly_stale else ")"
        if self.was_reviewed and not self.marked_reviewed:
            text += "; the page needs review again"
        return text


def has_decisions(page_dir: Path) -> bool:
    return (Path(page_dir) / DECISIONS).is_file()


def _review(page_id: str, page_dir: Path, image_path: str) -> PageReview:
    return load_page_review(BatchPage(page_id, "ok", image_path, Path(page_dir)))


def reviewed_state(page_id: str, page_dir: Path, image_path: str) -> bool:
    """Whether the finished page in ``page_dir`` was reviewed (marked, or every item decided)."""
    if not has_decisions(page_dir) or not (Path(page_dir) / PAGE_JSON).is_file():
        return False
    try:
        return _review(page_id, page_dir, image_path).reviewed
    except (OcrfixError, OSError, ValueError):
        return True  # a decisions file we cannot read: treat the page as reviewed, never as disposable


def carry_decisions(page_id: str, old_dir: Path, new_dir: Path, image_path: str) -> Carried | None:
    """Copy ``old_dir``'s decisions into ``new_dir`` (a new run of the page) anchored to its words.

    None when the old page has no decisions. The file is copied first, byte
    for byte, so that even a decision this code cannot anchor is never lost.
    """
    old_dir, new_dir = Path(old_dir), Path(new_dir)
    if not has_decisions(old_dir):
        return None
    shutil.copy2(old_dir / DECISIONS, new_dir / DECISIONS)
    try:
        old = _review(page_id, old_dir, image_path)
    except (OcrfixError, OSError, ValueError):
        return Carried(0, 0, 0, False)  # unreadable: the copy stays as it was, for a person to look at
    new = _review(page_id, new_dir, image_path)
    was_stale = {(d.decided_at, d.ocr, d.text) for d in old.stale}
    newly_stale = sum(1 for d in new.stale if (d.decided_at, d.ocr, d.text) not in was_stale)
    decided = new.decisions.decisions
    before = {(i.word_ids, i.ocr_text, i.current_text) for i in old.items}
    unseen = [
        i for i in new.items if i.item_id not in decided and (i.word_ids, i.ocr_text, i.current_text) not in before
    ]
    marked = old.reviewed and not newly_stale and not unseen
    decisions = replace(
        new.decisions,
        decisions={k: replace(d, carried=d.carried + 1) for k, d in decided.items()},
        marked_reviewed=marked and old.decisions.marked_reviewed,
    )
    save_decisions(new_dir, decisions)
    return Carried(len(decided), len(new.stale), newly_stale, marked, old.reviewed)
