"""What reviewers' decisions teach the collection memory (:mod:`ocrfix.memory`):
the review side of learning, so that the memory itself knows nothing of review."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ocrfix.memory import (
    ACCEPTED,
    CONFIRMED,
    HAS_LETTER,
    PUBLISHED,
    REJECTED,
    TYPED,
    Event,
    Known,
    Memory,
    dictionary,
    load_memory,
    save_memory,
    source_key,
    split_core,
    word_pairs,
)
from ocrfix.review.batch import list_pages, load_page_review
from ocrfix.review.decisions import ACCEPT, REJECT
from ocrfix.review.decisions import PUBLISHED as TAKE_PUBLISHED


def change_core(original: str, replacement: str) -> tuple[str, str]:
    """A change without the punctuation both sides share at its edges (``Ворошипову,`` ->
    ``Ворошилову,`` is the change ``Ворошипову`` -> ``Ворошилову``, as the corrector makes it
    on a page without a published text); anything else of it is kept exactly."""
    a_lead, a_core, a_trail = split_core(original)
    b_lead, b_core, b_trail = split_core(replacement)
    if a_lead == b_lead and a_trail == b_trail and a_core and b_core:
        return a_core, b_core
    return original, replacement


def events_from_decision(decision) -> list[Event]:
    """What one review decision teaches (see :class:`ocrfix.review.decisions.Decision`).

    From what the reviewer saw and chose when deciding (never from where the
    decision is anchored now): the corrector's changes the chosen reading does
    not keep are rejected, exactly as the corrector proposed them; a reading
    other than the OCR's is a fix of the OCR reading (kept from ocrfix,
    taken from the published text, or typed); the OCR reading kept confirms
    its words.
    """
    chosen, ocr, current = decision.text, decision.ocr, decision.current
    base = {"item": decision.item_id, "word_ids": tuple(decision.word_ids), "decided_at": decision.decided_at}
    events: list[Event] = []
    if chosen != current:
        if decision.changes:
            for change in decision.changes:
                if change.replacement not in chosen or decision.action == REJECT:
                    original, replacement = change_core(change.original, change.replacement)
                    ids = change.word_ids or base["word_ids"]
                    events.append(Event(REJECTED, original, replacement, **{**base, "word_ids": ids}))
        elif ocr != current:  # a decision of format 1: the changes were not recorded; pair the readings
            events.extend(Event(REJECTED, a, b, **base) for a, b in word_pairs(ocr, current))
    if chosen != ocr:
        kind = {ACCEPT: ACCEPTED, TAKE_PUBLISHED: PUBLISHED, REJECT: TYPED}.get(decision.action, TYPED)
        if decision.action == ACCEPT and chosen != current:
            kind = TYPED
        events.extend(Event(kind, a, b, **base, always=decision.always) for a, b in word_pairs(ocr, chosen))
    else:
        events.extend(Event(CONFIRMED, "", split_core(w)[1], **base) for w in ocr.split() if HAS_LETTER.search(w))
    return [e for e in events if e.kind == CONFIRMED or e.original != e.replacement]


def events_from_page(decisions: Iterable) -> tuple[Event, ...]:
    events: list[Event] = []
    for decision in decisions:
        events.extend(events_from_decision(decision))
    return tuple(events)


def update_memory_from_decisions(out_dir: Path, memory_path: Path, known: Known | None = None) -> Memory:
    """Learn from every decision in the batch ``out_dir`` (stale ones too: they are still the
    reviewer's word) and save the memory at ``memory_path``."""
    memory = load_memory(memory_path)
    sources = dict(memory.sources)
    batch = Path(out_dir).resolve()
    for page in list_pages(batch):
        review = load_page_review(page)
        key = source_key(batch, page.page_id)
        events = events_from_page(review.decisions.all)
        if events:
            sources[key] = events  # replaces what this page taught before
        else:
            sources.pop(key, None)
    updated = Memory(sources, memory.removed)
    save_memory(updated, memory_path, known if known is not None else dictionary())
    return updated
