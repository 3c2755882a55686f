"""The reviewer's decisions for one page, as stored in ``<page>/decisions.json``.

Each decision names an item (see :mod:`ocrfix.review.items`), what was done
(``accept``, ``reject`` or ``edit``) and the resulting reading, with the
readings the item offered at the time, so the file explains itself and a
decision can be checked against the page it was made on: a batch that was run
again produces a new ``page.json``, and decisions whose words no longer match
are reported as stale rather than applied to the wrong words.

The file is rewritten whole and atomically on every change.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ocrfix import schema
from ocrfix.errors import SavedDataError
from ocrfix.fileio import atomic_write_json, read_json
from ocrfix.outputs import DECISIONS
from ocrfix.review.items import ReviewItem

DECISIONS_FILE = DECISIONS
FORMAT_NAME = "ocrfix-decisions"
FORMAT_VERSION = 1

ACCEPT = "accept"
REJECT = "reject"
EDIT = "edit"
ACTIONS = (ACCEPT, REJECT, EDIT)

# What a decisions file may hold (checked on every load; a file over these, or with a
# field of the wrong type, raises SavedDataError naming the file and the field).
MAX_DECISIONS_BYTES = 32 * 1024 * 1024
MAX_DECISIONS = 20_000  # per page
MAX_READING_LENGTH = 10_000
MAX_WORDS = 1_000  # words one item covers


@dataclass(frozen=True, slots=True)
class Decision:
    item_id: str
    action: str
    text: str  # the reading the reviewer chose
    kind: str
    ocr: str
    current: str
    proposed: str
    published: str | None
    words: tuple[str, ...]  # the corrected words the item covered
    confidence: float | None = None
    decided_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "text": self.text,
            "kind": self.kind,
            "ocr": self.ocr,
            "current": self.current,
            "proposed": self.proposed,
            "published": self.published,
            "words": list(self.words),
            "confidence": self.confidence,
            "decided_at": self.decided_at,
        }

    @classmethod
    def from_dict(cls, item_id: str, data: Any, where: str = "decision") -> Decision:
        """A decision from its stored form; :class:`ocrfix.schema.Invalid` names the field that does not fit."""
        data = schema.obj(data, where)
        reading = {"max_length": MAX_READING_LENGTH}
        confidence = schema.optional_number(data.get("confidence"), f"{where}.confidence", low=0.0, high=1.0)
        return cls(
            item_id=item_id,
            action=schema.choice(data.get("action"), f"{where}.action", ACTIONS),
            text=schema.string(data.get("text", ""), f"{where}.text", **reading),
            kind=schema.string(data.get("kind", ""), f"{where}.kind", max_length=40),
            ocr=schema.string(data.get("ocr", ""), f"{where}.ocr", **reading),
            current=schema.string(data.get("current", ""), f"{where}.current", **reading),
            proposed=schema.string(data.get("proposed", ""), f"{where}.proposed", **reading),
            published=schema.optional_string(data.get("published"), f"{where}.published", **reading),
            words=tuple(
                schema.string(w, f"{where}.words[{i}]", **reading)
                for i, w in enumerate(schema.array(data.get("words", []), f"{where}.words", max_items=MAX_WORDS))
            ),
            confidence=confidence,
            decided_at=schema.string(data.get("decided_at", ""), f"{where}.decided_at", max_length=64),
        )


@dataclass(frozen=True, slots=True)
class PageDecisions:
    page_id: str
    page_fingerprint: str
    decisions: dict[str, Decision] = field(default_factory=dict)
    marked_reviewed: bool = False  # the reviewer said "done" (undecided items keep ocrfix's reading)
    updated: str = ""
    stale: tuple[Decision, ...] = ()  # made on an earlier run of the page: kept in the file, never applied

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


def load_decisions(page_dir: Path, page_id: str, page_fingerprint: str) -> PageDecisions:
    """The page's decisions, or an empty set when there is no file yet."""
    path = Path(page_dir) / DECISIONS_FILE
    if not path.exists():
        return PageDecisions(page_id, page_fingerprint)
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
            decisions[item_id] = Decision.from_dict(item_id, entry, f"decisions[{item_id[:40]!r}]")
        stale = []
        for number, entry in enumerate(schema.array(data.get("stale", []), "stale", max_items=MAX_DECISIONS)):
            entry = schema.obj(entry, f"stale[{number}]")
            item_id = schema.string(entry.get("item_id"), f"stale[{number}].item_id", max_length=200)
            stale.append(Decision.from_dict(item_id, entry, f"stale[{number}]"))
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


def save_decisions(page_dir: Path, decisions: PageDecisions) -> None:
    atomic_write_json(Path(page_dir) / DECISIONS_FILE, decisions.to_dict())


def decide(item: ReviewItem, action: str, words: tuple[str, ...], text: str | None = None) -> Decision:
    """A decision on ``item``: accept its proposal, reject it, or type the right reading."""
    if action == ACCEPT:
        chosen = item.proposed_text
    elif action == REJECT:
        chosen = item.kept_text
    elif action == EDIT:
        if text is None:
            raise ValueError("an edit needs the typed text")
        chosen = " ".join(_nfc(text).split())
    else:
        raise ValueError(f"unknown action {action!r}")
    return Decision(
        item_id=item.item_id,
        action=action,
        text=chosen,
        kind=item.kind,
        ocr=item.ocr_text,
        current=item.current_text,
        proposed=item.proposed_text,
        published=item.published_text,
        words=words,
        confidence=item.confidence,
        decided_at=now(),
    )


def decision_fits(decision: Decision, item: ReviewItem | None, words: tuple[str, ...]) -> bool:
    """Whether a stored decision still refers to the same words of the page."""
    return item is not None and decision.words == words and decision.ocr == item.ocr_text
