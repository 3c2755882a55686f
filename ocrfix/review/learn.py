"""What reviewers' decisions teach the collection memory (:mod:`ocrfix.memory`):
the review side of learning, so that the memory itself knows nothing of review."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ocrfix.memory import (
    ACCEPTED,
    CONFIRMED,
    HAS_LETTER,
    REJECTED,
    TYPED,
    Event,
    Memory,
    load_memory,
    save_memory,
    source_key,
    split_core,
    word_pairs,
)
from ocrfix.review.batch import list_pages, load_page_review
from ocrfix.review.decisions import ACCEPT, EDIT, REJECT
from ocrfix.review.items import CORRECTION


def events_from_decision(decision) -> list[Event]:
    """What one review decision teaches (see :class:`ocrfix.review.decisions.Decision`)."""
    events: list[Event] = []
    chosen, ocr, current = decision.text, decision.ocr, decision.current

    def learn(kind: str, original: str, replacement: str) -> None:
        events.extend(Event(kind, a, b) for a, b in word_pairs(original, replacement))

    def confirm(reading: str) -> None:
        events.extend(Event(CONFIRMED, "", split_core(w)[1]) for w in reading.split() if HAS_LETTER.search(w))

    if decision.kind == CORRECTION:
        if decision.action == ACCEPT or chosen == current:
            learn(ACCEPTED, ocr, current)
        elif decision.action == REJECT or chosen == ocr:
            learn(REJECTED, ocr, current)
            confirm(ocr)
        else:  # typed something else: the corrector's change was wrong too
            learn(REJECTED, ocr, current)
            learn(TYPED, ocr, chosen)
    else:  # a disagreement with the published transcription
        if decision.action == REJECT or chosen == current:
            if current == ocr:
                confirm(ocr)
        elif decision.action == ACCEPT:
            learn(ACCEPTED, ocr, chosen)
        elif decision.action == EDIT:
            learn(TYPED, ocr, chosen)
    return [e for e in events if e.kind == CONFIRMED or e.original != e.replacement]


def events_from_page(decisions: Iterable) -> tuple[Event, ...]:
    events: list[Event] = []
    for decision in decisions:
        events.extend(events_from_decision(decision))
    return tuple(events)


def update_memory_from_decisions(out_dir: Path, memory_path: Path) -> Memory:
    """Learn from every decision in the batch ``out_dir`` and save the memory at ``memory_path``."""
    memory = load_memory(memory_path)
    sources = dict(memory.sources)
    batch = Path(out_dir).resolve()
    for page in list_pages(batch):
        review = load_page_review(page)
        key = source_key(batch, page.page_id)
        events = events_from_page(review.decisions.decisions.values())
        if events:
            sources[key] = events  # replaces what this page taught before
        else:
            sources.pop(key, None)
    updated = Memory(sources)
    save_memory(updated, memory_path)
    return updated
