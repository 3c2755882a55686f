"""The reviewer's decisions for one page, as stored in ``<page>/decisions.json``.

A decision names the item it was made on (see :mod:`ocrfix.review.items`),
what the reviewer did and the reading that resulted, and records what the
reviewer saw at that moment: the words (their ids and readings), the OCR,
ocrfix and published readings, and the corrector's own changes in the item.
Those facts never change afterwards; they are what the collection memory
learns from (:mod:`ocrfix.memory`).

Where a decision applies is its anchor: the ids of its words and their OCR
reading. A rerun of the batch makes a new page; the decisions are carried
into it and anchored again (:mod:`ocrfix.review.anchor`): by the word ids when
the words there still read the same, else by the same OCR reading near the same
place. A decision whose words are gone is kept, marked stale with the reason,
and never applied; nothing a reviewer decided is ever dropped.

Actions (what each keeps, whatever the item's kind):

* ``accept``: ocrfix's text is right (the item's current reading);
* ``reject``: undo ocrfix's change (the OCR reading);
* ``published``: take the published transcription's reading;
* ``edit``: the reading the reviewer typed.

The file is rewritten whole and atomically on every change. Version 1 files
(where ``accept`` on a disagreement took the published reading) are read and
their decisions relabelled.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ocrfix import schema
from ocrfix.errors import SavedDataError
from ocrfix.fileio import atomic_write_json, read_json
from ocrfix.locks import folder_lock
from ocrfix.outputs import DECISIONS
from ocrfix.review.items import DISAGREEMENT, ReviewItem

DECISIONS_FILE = DECISIONS
FORMAT_NAME = "ocrfix-decisions"
FORMAT_VERSION = 2

ACCEPT = "accept"  # ocrfix's text is right
REJECT = "reject"  # undo ocrfix's change: the OCR reading
PUBLISHED = "published"  # take the published reading
EDIT = "edit"  # the reviewer typed the reading
ACTIONS = (ACCEPT, REJECT, PUBLISHED, EDIT)

# What a decisions file may hold (checked on every load; a file over these, or with a
# field of the wrong type, raises SavedDataError naming the file and the field).
MAX_DECISIONS_BYTES = 32 * 1024 * 1024
MAX_DECISIONS = 20_000  # per page
MAX_READING_LENGTH = 10_000
MAX_WORDS = 1_000  # words one item covers
MAX_ID_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Change:
    """One change the corrector proposed inside an item (as in corrections.json)."""

    original: str
    replacement: str
    word_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"original": self.original, "replacement": self.replacement, "word_ids": list(self.word_ids)}

    @classmethod
    def from_dict(cls, data: Any, where: str = "change") -> Change:
        data = schema.obj(data, where)
        return cls(
            schema.string(data.get("original"), f"{where}.original", max_length=MAX_READING_LENGTH),
            schema.string(data.get("replacement"), f"{where}.replacement", max_length=MAX_READING_LENGTH),
            _ids(data.get("word_ids", []), f"{where}.word_ids"),
        )


@dataclass(frozen=True, slots=True)
class Decision:
    item_id: str  # the item it is anchored to now
    action: str
    text: str  # the reading the reviewer chose
    kind: str
    ocr: str  # the words' OCR reading when the decision was made
    current: str  # ocrfix's reading then
    published: str | None
    words: tuple[str, ...]  # the corrected words the item covered
    word_ids: tuple[str, ...] = ()  # their ids: the anchor
    first: int = -1  # index of the first word when anchored (to find the words near it again)
    changes: tuple[Change, ...] = ()  # the corrector's changes inside the item, exactly as proposed
    always: bool = False  # the reviewer said: make this fix everywhere (a word -> word fix needs it, or a second decision)
    confidence: float | None = None
    decided_at: str = ""
    carried: int = 0  # how many reruns of the page this decision has been carried through
    stale: str = ""  # why it no longer applies (empty: it applies)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "action": self.action,
            "text": self.text,
            "kind": self.kind,
            "ocr": self.ocr,
            "current": self.current,
            "published": self.published,
            "words": list(self.words),
            "word_ids": list(self.word_ids),
            "first": self.first,
            "changes": [c.to_dict() for c in self.changes],
            "always": self.always,
            "confidence": self.confidence,
            "decided_at": self.decided_at,
            "carried": self.carried,
        }
        if self.stale:
            data["stale"] = self.stale
        return data

    @classmethod
    def from_dict(cls, item_id: str, data: Any, version: int = FORMAT_VERSION, where: str = "decision") -> Decision:
        """A decision from its stored form; :class:`ocrfix.schema.Invalid` names the field that does not fit."""
        data = schema.obj(data, where)
        reading = {"max_length": MAX_READING_LENGTH}
        action = schema.choice(data.get("action"), f"{where}.action", ACTIONS)
        kind = schema.string(data.get("kind", ""), f"{where}.kind", max_length=40)
        if version < 2 and action == ACCEPT and kind == DISAGREEMENT:
            action = PUBLISHED  # version 1: accepting a disagreement took the published reading
        first = data.get("first", -1)
        if isinstance(first, bool) or not isinstance(first, int) or first < -1:
            raise schema.Invalid(f"{where}.first must be a word index, not {first!r:.40}")
        carried = data.get("carried", 0)
        if isinstance(carried, bool) or not isinstance(carried, int) or carried < 0:
            raise schema.Invalid(f"{where}.carried must be a count, not {carried!r:.40}")
        return cls(
            item_id=item_id,
            action=action,
            text=schema.string(data.get("text", ""), f"{where}.text", **reading),
            kind=kind,
            ocr=schema.string(data.get("ocr", ""), f"{where}.ocr", **reading),
            current=schema.string(data.get("current", ""), f"{where}.current", **reading),
            published=schema.optional_string(data.get("published"), f"{where}.published", **reading),
            words=tuple(
                schema.string(w, f"{where}.words[{i}]", **reading)
                for i, w in enumerate(schema.array(data.get("words", []), f"{where}.words", max_items=MAX_WORDS))
            ),
            word_ids=_ids(data.get("word_ids", []), f"{where}.word_ids"),
            first=first,
            changes=tuple(
                Change.from_dict(c, f"{where}.changes[{i}]")
                for i, c in enumerate(schema.array(data.get("changes", []), f"{where}.changes", max_items=MAX_WORDS))
            ),
            always=schema.boolean(data.get("always", False), f"{where}.always"),
            confidence=schema.optional_number(data.get("confidence"), f"{where}.confidence", low=0.0, high=1.0),
            decided_at=schema.string(data.get("decided_at", ""), f"{where}.decided_at", max_length=64),
            carried=carried,
            stale=schema.string(data.get("stale", ""), f"{where}.stale", max_length=MAX_READING_LENGTH),
        )


def _ids(value: Any, where: str) -> tuple[str, ...]:
    return tuple(
        schema.string(i, f"{where}[{n}]", max_length=MAX_ID_LENGTH)
        for n, i in enumerate(schema.array(value, where, max_items=MAX_WORDS))
    )


@dataclass(frozen=True, slots=True)
class PageDecisions:
    page_id: str
    page_fingerprint: str  # the page.json the decisions are anchored to
    decisions: dict[str, Decision] = field(default_factory=dict)
    marked_reviewed: bool = False  # the reviewer said "done" (undecided items keep ocrfix's reading)
    updated: str = ""
    stale: tuple[Decision, ...] = ()  # no longer anchored to the page: kept, shown, never applied

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "page_id": self.page_id,
            "page_fingerprint": self.page_fingerprint,
            "marked_reviewed": self.marked_reviewed,
            "updated": self.updated,
            "decisions": {k: d.to_dict() for k, d in sorted(self.decisions.items(), key=_item_order)},
            "stale": [{"item_id": d.item_id, **d.to_dict()} for d in self.stale],
        }

    @property
    def all(self) -> tuple[Decision, ...]:
        """Every decision, applying or stale."""
        return (*self.decisions.values(), *self.stale)


def _item_order(entry: tuple[str, Any]) -> tuple[int, str]:
    key = entry[0]
    try:
        return (int(key[1:].split("-")[0]), key)
    except ValueError:
        return (1 << 30, key)


def _nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fingerprint_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def read_decisions_file(path: Path, page_id: str) -> PageDecisions | None:
    """The decisions stored in ``path`` (None when there is no such file), anchored as they were saved.

    Every field is checked (types, lengths, counts); a file that breaks the format
    raises :class:`SavedDataError` naming the file and the field.
    """
    path = Path(path)
    if not path.exists():
        return None
    data = read_json(path, error=SavedDataError, max_bytes=MAX_DECISIONS_BYTES)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise SavedDataError(f"{path} is not an ocrfix decisions file")
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise SavedDataError(f"{path}: version must be a whole number, not {version!r:.40}")
    if version > FORMAT_VERSION:
        raise SavedDataError(
            f"{path} has format version {version}; this ocrfix reads up to {FORMAT_VERSION}",
            hint="upgrade ocrfix",
        )
    try:
        decisions = {}
        stored = schema.obj(data.get("decisions", {}), "decisions", max_items=MAX_DECISIONS)
        for item_id, entry in stored.items():
            decisions[item_id] = Decision.from_dict(item_id, entry, version, f"decisions[{item_id[:40]!r}]")
        stale = []
        for number, entry in enumerate(schema.array(data.get("stale", []), "stale", max_items=MAX_DECISIONS)):
            entry = schema.obj(entry, f"stale[{number}]")
            item_id = schema.string(entry.get("item_id"), f"stale[{number}].item_id", max_length=MAX_ID_LENGTH)
            stale.append(Decision.from_dict(item_id, entry, version, f"stale[{number}]"))
        if version < 2:  # version 1 kept stale decisions without a reason
            stale = [d if d.stale else replace(d, stale="made on an earlier run of the page") for d in stale]
        page = data.get("page_id", page_id)
        return PageDecisions(
            page_id=schema.string(page, "page_id", max_length=1000),
            page_fingerprint=schema.string(data.get("page_fingerprint", ""), "page_fingerprint", max_length=200),
            decisions=decisions,
            marked_reviewed=schema.boolean(data.get("marked_reviewed", False), "marked_reviewed"),
            updated=schema.string(data.get("updated", ""), "updated", max_length=64),
            stale=tuple(stale),
        )
    except schema.Invalid as exc:
        raise SavedDataError(f"{path}: {exc}") from exc


def load_decisions(page_dir: Path, page_id: str, page_fingerprint: str) -> PageDecisions:
    """The page's stored decisions, or an empty set when there is no file yet."""
    stored = read_decisions_file(Path(page_dir) / DECISIONS_FILE, page_id)
    return stored if stored is not None else PageDecisions(page_id, page_fingerprint)


DECISIONS_LOCK = ".ocrfix-decisions.lock"


@contextmanager
def decisions_lock(out_dir: Path) -> Iterator[None]:
    """Hold OUTDIR's decisions lock while reading and rewriting a page's decisions.

    The review application holds it for each decision it saves, a batch while it
    carries a page's decisions into the page's new run and moves that into place:
    a decision saved during a rerun lands either before the carry (and is carried)
    or after the move (into the new page), never into a folder about to go.
    """
    with folder_lock(Path(out_dir) / DECISIONS_LOCK):
        yield


def save_decisions(page_dir: Path, decisions: PageDecisions) -> None:
    atomic_write_json(Path(page_dir) / DECISIONS_FILE, decisions.to_dict())


def reading_for(item: ReviewItem, action: str, text: str | None = None) -> str:
    """The reading ``action`` gives ``item`` (see the module's list of actions)."""
    if action == ACCEPT:
        return item.current_text
    if action == REJECT:
        return item.ocr_text
    if action == PUBLISHED:
        if item.published_text is None:
            raise ValueError("this page has no published transcription")
        return item.published_text
    if action == EDIT:
        if text is None:
            raise ValueError("an edit needs the typed text")
        return " ".join(_nfc(text).split())
    raise ValueError(f"unknown action {action!r}")


def decide(
    item: ReviewItem,
    action: str,
    words: tuple[str, ...],
    text: str | None = None,
    *,
    word_ids: tuple[str, ...] = (),
    always: bool = False,
) -> Decision:
    """A decision on ``item``: keep ocrfix's reading, undo its change, take the published one, or type one."""
    return Decision(
        item_id=item.item_id,
        action=action,
        text=reading_for(item, action, text),
        kind=item.kind,
        ocr=item.ocr_text,
        current=item.current_text,
        published=item.published_text,
        words=words,
        word_ids=word_ids,
        first=item.first,
        changes=tuple(Change(c.original, c.replacement, c.word_ids) for c in item.corrections),
        always=always,
        confidence=item.confidence,
        decided_at=now(),
    )


def state_of(decision: Decision, item: ReviewItem) -> str:
    """What a decision amounts to on ``item`` as it reads now (an action name).

    The same as ``decision.action`` for a decision made on this item; a decision
    carried from an earlier run is named by the reading it keeps.
    """
    if decision.text == item.current_text:
        return ACCEPT
    if decision.text == item.ocr_text:
        return REJECT
    if item.published_text is not None and decision.text == item.published_text:
        return PUBLISHED
    return EDIT
