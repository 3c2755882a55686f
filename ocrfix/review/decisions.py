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

from ocrfix.errors import BadInputError
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
    def from_dict(cls, item_id: str, data: dict[str, Any]) -> Decision:
        action = data.get("action")
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        return cls(
            item_id=item_id,
            action=action,
            text=_nfc(data.get("text", "")),
            kind=str(data.get("kind", "")),
            ocr=_nfc(data.get("ocr", "")),
            current=_nfc(data.get("current", "")),
            proposed=_nfc(data.get("proposed", "")),
            published=None if data.get("published") is None else _nfc(data["published"]),
            words=tuple(_nfc(w) for w in data.get("words", ())),
            confidence=data.get("confidence"),
            decided_at=str(data.get("decided_at", "")),
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
    data = read_json(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise BadInputError(f"{path} is not an ocrfix decisions file")
    if int(data.get("version", 0)) > FORMAT_VERSION:
        raise BadInputError(
            f"{path} has format version {data.get('version')}; this ocrfix reads up to {FORMAT_VERSION}",
            hint="upgrade ocrfix",
        )
    decisions = {}
    for item_id, entry in (data.get("decisions") or {}).items():
        try:
            decisions[str(item_id)] = Decision.from_dict(str(item_id), entry)
        except (ValueError, TypeError, AttributeError) as exc:
            raise BadInputError(f"{path}: decision {item_id!r}: {exc}") from exc
    stale = []
    for entry in data.get("stale") or ():
        try:
            stale.append(Decision.from_dict(str(entry["item_id"]), entry))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise BadInputError(f"{path}: stale decision: {exc}") from exc
    return PageDecisions(
        page_id=str(data.get("page_id", page_id)),
        page_fingerprint=str(data.get("page_fingerprint", "")),
        decisions=decisions,
        marked_reviewed=bool(data.get("marked_reviewed", False)),
        updated=str(data.get("updated", "")),
        stale=tuple(stale),
    )


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
