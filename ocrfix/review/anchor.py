"""Find the words a stored decision is about on a page, which may be a new run of it.

A decision is anchored by the ids of its words and their OCR reading
(:class:`ocrfix.review.decisions.Decision`). On a page where those ids still
carry the same OCR reading, that is the place. An id alone proves nothing: a
rerun with other settings may give the id to another word, so the reading must
match too. Otherwise the same OCR reading is looked for near the old place
(runs of one to a few more words than before, since a rerun may split or join
words differently). When neither finds it, the decision is stale, with the
reason; it is kept and shown, never applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ocrfix.review.decisions import Decision, PageDecisions
from ocrfix.review.items import ReviewItem
from ocrfix.review.layout import PageLayout, ocr_reading

SEARCH_WINDOW = 40  # words either side of the old place, at least; a tenth of the page's words when more
EXTRA_WORDS = 2  # a run found by its reading may have this many more words than the decision's


@dataclass(frozen=True, slots=True)
class Located:
    decision: Decision
    run: tuple[int, int] | None  # (first, last) word indices; None: not found
    reason: str = ""  # why not found


def old_position(decision: Decision) -> int:
    """Where the decision's words began (its ``first``, or the item id's first index for old files)."""
    if decision.first >= 0:
        return decision.first
    try:
        return int(decision.item_id[1:].split("-")[0])
    except ValueError:
        return -1


def locate_all(decisions: Iterable[Decision], layout: PageLayout) -> list[Located]:
    """Each decision's run of words on ``layout``; a later decision wins a place two decisions claim."""
    readings = [ocr_reading(w) for w in layout.words]
    index_of = {w.id: i for i, w in enumerate(layout.words) if w.id}
    ordered = sorted(decisions, key=lambda d: (d.decided_at, not d.stale), reverse=True)  # the latest first
    taken: set[int] = set()
    located: list[Located] = []
    for decision in ordered:
        run, reason = _locate(decision, readings, index_of, taken)
        if run is not None:
            taken.update(range(run[0], run[1] + 1))
        located.append(Located(decision, run, reason))
    return located


def _locate(
    decision: Decision, readings: Sequence[str], index_of: dict[str, int], taken: set[int]
) -> tuple[tuple[int, int] | None, str]:
    target = " ".join(decision.ocr.split())
    ids = decision.word_ids
    if ids and all(i in index_of for i in ids):
        indices = [index_of[i] for i in ids]
        first, last = indices[0], indices[-1]
        if indices == list(range(first, last + 1)) and " ".join(readings[first : last + 1]) == target:
            if taken.isdisjoint(range(first, last + 1)):
                return (first, last), ""
    run = _search(target, len(ids) or len(decision.words) or 1, old_position(decision), readings, taken)
    if run is not None:
        return run, ""
    if ids and all(i in index_of for i in ids):
        now = " ".join(readings[index_of[i]] for i in ids)
        if now == target:
            return None, f"another decision now covers the words «{target}»"
        return None, f"the OCR now reads «{now}» where this decision was made on «{target}»"
    return None, f"the words «{target}» are no longer on the page"


def _search(target: str, size: int, near: int, readings: Sequence[str], taken: set[int]) -> tuple[int, int] | None:
    """The run of words reading ``target`` closest to word ``near`` (within the search window)."""
    if not target:
        return None
    count = len(readings)
    window = max(SEARCH_WINDOW, count // 10)
    best: tuple[int, int] | None = None
    best_distance = window + 1
    lo = 0 if near < 0 else max(0, near - window)
    hi = count if near < 0 else min(count, near + window + 1)
    for first in range(lo, hi):
        for length in range(1, size + EXTRA_WORDS + 1):
            last = first + length - 1
            if last >= count:
                break
            text = " ".join(readings[first : last + 1])
            if len(text) > len(target):
                break
            if text == target and taken.isdisjoint(range(first, last + 1)):
                distance = 0 if near < 0 else abs(first - near)
                if distance < best_distance:
                    best, best_distance = (first, last), distance
    return best


def anchor(
    stored: PageDecisions, located: Sequence[Located], items: Sequence[ReviewItem], fingerprint: str
) -> PageDecisions:
    """The stored decisions, each tied to the item over its words, or stale with the reason.

    ``items`` were built with the located runs as carried runs (see
    :func:`ocrfix.review.items.build_items`), so a run that matches no item
    exactly lies inside a larger item: that decision is stale too (its words
    are now part of a larger change; it has to be made again).
    """
    by_run = {(i.first, i.last): i for i in items}
    decisions: dict[str, Decision] = {}
    stale: list[Decision] = []
    for entry in located:
        decision = entry.decision
        item = by_run.get(entry.run) if entry.run is not None else None
        if item is None:
            reason = entry.reason
            if entry.run is not None:
                bigger = next((i for i in items if i.first <= entry.run[1] and entry.run[0] <= i.last), None)
                reason = (
                    f"its words are now part of a larger item «{bigger.current_text}»: decide that one again"
                    if bigger is not None
                    else "its words have no item on the page"
                )
            stale.append(replace(decision, stale=reason or decision.stale or "not found on the page"))
            continue
        moved = item.item_id != decision.item_id or item.word_ids != decision.word_ids or item.first != decision.first
        decisions[item.item_id] = replace(
            decision, item_id=item.item_id, word_ids=item.word_ids, first=item.first, stale=""
        ) if moved or decision.stale else decision
    marked = stored.marked_reviewed and stored.page_fingerprint == fingerprint
    return PageDecisions(stored.page_id, fingerprint, decisions, marked, stored.updated, tuple(stale))
