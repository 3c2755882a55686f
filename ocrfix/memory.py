"""The collection memory: what reviewers taught ocrfix, kept beside the batches.

Built from the decisions in a batch's ``<page>/decisions.json`` files (by
:mod:`ocrfix.review.learn`, which reads them), it holds, for the corrector's next run:

* **fixes**: OCR readings reviewers corrected (``Ворошнлову`` -> ``Ворошилову``),
  made automatically when the same reading comes up again;
* **forbidden** changes: corrections reviewers rejected, stored exactly as the
  corrector proposed them (its original and replacement), never proposed again;
* **words**: readings reviewers confirmed or gave, for the collection lexicon;
* **confusions**: character confusions (OCR -> true) counted over the learned
  fixes, for the error model.

A memory must not be able to turn the text against itself, so a lesson is
only learned as a fix when it is safe (see :func:`refusal`): a fix never turns
a dictionary word into a non-word (a reviewer who took the published
``секрешном`` for ``секретном`` teaches nothing), and a fix from one
dictionary word to another needs two decisions, or the reviewer's explicit
"always". Refused lessons are listed with the reason.

Every lesson keeps where it came from (batch and page, item, word ids, date).
The file stores each page's contribution separately (keyed by the batch folder
and the page id) and every total is computed from them, so learning from the
same decisions twice changes nothing and a page reviewed again replaces what
it taught before. ``ocrfix memory list`` shows the lessons with their ids;
``ocrfix memory remove ID`` removes one: the decisions that taught it are not
learned from again (a decision made later is).

A change both accepted and rejected somewhere counts as what reviewers did
more often: a fix when accepted more often than rejected, forbidden otherwise.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from ocrfix import schema
from ocrfix.errors import BadInputError, SavedDataError
from ocrfix.fileio import atomic_write_json, read_json

FORMAT_NAME = "ocrfix-memory"
FORMAT_VERSION = 2

ACCEPTED = "accepted"  # a change of ocrfix's the reviewer kept
PUBLISHED = "published"  # a published reading the reviewer took
TYPED = "typed"  # a reading the reviewer typed
REJECTED = "rejected"  # a change of ocrfix's the reviewer undid: never propose it again
CONFIRMED = "confirmed"  # a reading the reviewer kept as right (a word for the lexicon)
EVENT_KINDS = (ACCEPTED, PUBLISHED, TYPED, REJECTED, CONFIRMED)
FIX_KINDS = (ACCEPTED, PUBLISHED, TYPED)

# What a memory file may hold (checked when it is loaded, before any page is read): a
# reviewer's reading is at most the review app's typed length, and the file's size
# bounds the rest. A file over these is refused (SavedDataError, exit 8), not trusted.
MAX_MEMORY_BYTES = 64 * 1024 * 1024
MAX_READING_LENGTH = 500
MAX_SOURCE_KEY_LENGTH = 4096
MAX_EVENTS = 1_000_000

# Entry classes of `ocrfix memory list/remove`
FIX, FORBIDDEN, WORD = "fix", "forbidden", "word"

_CORE = regex.compile(r"^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$", regex.DOTALL)
HAS_LETTER = regex.compile(r"\p{L}")

Known = Callable[[str], bool]  # is this word in the dictionary?


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a reviewer taught: a kind, the OCR reading with the right one, and where it came from."""

    kind: str
    original: str
    replacement: str
    item: str = ""  # the review item it was decided on
    word_ids: tuple[str, ...] = ()
    decided_at: str = ""
    always: bool = False  # the reviewer asked for this fix everywhere

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "original": self.original, "replacement": self.replacement}
        if self.item:
            data["item"] = self.item
        if self.word_ids:
            data["word_ids"] = list(self.word_ids)
        if self.decided_at:
            data["decided_at"] = self.decided_at
        if self.always:
            data["always"] = True
        return data

    @classmethod
    def from_data(cls, data: Any, where: str = "event") -> Event:
        """An event from its stored form (format 2: an object; format 1: [kind, original, replacement])."""
        reading = {"max_length": MAX_READING_LENGTH}
        if isinstance(data, list):
            if len(data) != 3:
                raise schema.Invalid(f"{where} must be [kind, original, replacement]")
            return cls(
                schema.choice(data[0], f"{where}[0]", EVENT_KINDS),
                schema.string(data[1], f"{where}[1]", **reading),
                schema.string(data[2], f"{where}[2]", **reading),
            )
        data = schema.obj(data, where)
        return cls(
            schema.choice(data.get("kind"), f"{where}.kind", EVENT_KINDS),
            schema.string(data.get("original"), f"{where}.original", **reading),
            schema.string(data.get("replacement"), f"{where}.replacement", **reading),
            schema.string(data.get("item", ""), f"{where}.item", max_length=200),
            tuple(
                schema.string(i, f"{where}.word_ids[{n}]", max_length=200)
                for n, i in enumerate(schema.array(data.get("word_ids", []), f"{where}.word_ids", max_items=1000))
            ),
            schema.string(data.get("decided_at", ""), f"{where}.decided_at", max_length=64),
            schema.boolean(data.get("always", False), f"{where}.always"),
        )

    @property
    def entry(self) -> str:
        """The class of lesson this event belongs to (what `memory remove` removes)."""
        return FIX if self.kind in FIX_KINDS else FORBIDDEN if self.kind == REJECTED else WORD


def entry_id(entry: str, original: str, replacement: str) -> str:
    """A short stable id for a lesson: its class and its two readings."""
    blob = "\x1f".join((entry, original, replacement)).encode("utf-8")
    return entry[0] + hashlib.sha256(blob).hexdigest()[:7]


@dataclass(frozen=True, slots=True)
class Removal:
    """A lesson the user removed: events of it decided up to ``removed_at`` are not learned from."""

    entry: str
    original: str
    replacement: str
    removed_at: str

    def covers(self, event: Event) -> bool:
        return (
            event.entry == self.entry
            and (event.original, event.replacement) == (self.original, self.replacement)
            and event.decided_at <= self.removed_at
        )


@dataclass(frozen=True)
class Memory:
    """A collection memory: per-page contributions, the removed lessons, and the totals derived from them."""

    sources: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)
    removed: tuple[Removal, ...] = ()

    def events(self) -> list[tuple[str, Event]]:
        """(source, event) for every event that counts (not removed)."""
        return [
            (key, e)
            for key, events in sorted(self.sources.items())
            for e in events
            if not any(r.covers(e) for r in self.removed)
        ]

    def _count(self, kinds: Iterable[str]) -> Counter:
        kinds = set(kinds)
        return Counter((e.original, e.replacement) for _, e in self.events() if e.kind in kinds)

    @property
    def accepted(self) -> Counter:
        return self._count((ACCEPTED,))

    @property
    def rejected(self) -> Counter:
        return self._count((REJECTED,))

    @property
    def typed(self) -> Counter:
        return self._count((TYPED,))

    @property
    def learned(self) -> Counter:
        """Every reading reviewers gave an OCR reading (kept, published or typed), with how often."""
        return self._count(FIX_KINDS)

    def always(self) -> set[tuple[str, str]]:
        return {(e.original, e.replacement) for _, e in self.events() if e.kind in FIX_KINDS and e.always}

    def refused(self, known: Known | None) -> dict[tuple[str, str], str]:
        """Lessons not learned as fixes, with the reason (see :func:`refusal`)."""
        always = self.always()
        out = {}
        for pair, count in sorted(self.learned.items()):
            reason = refusal(*pair, count, pair in always, known)
            if reason:
                out[pair] = reason
        return out

    def fixes(self, known: Known | None = None) -> dict[str, str]:
        """OCR reading -> the reading reviewers gave it, for single words seen more often fixed than refused.

        ``known`` tells dictionary words: without it nothing is learned from a
        change between two words or from a word into a non-word (the safe side).
        When reviewers fixed one reading in two ways, the more frequent one wins
        (ties: the one first in alphabetical order, so the result is stable).
        """
        rejected = self.rejected
        refused = self.refused(known)
        best: dict[str, tuple[int, str]] = {}
        for (original, replacement), count in self.learned.items():
            if " " in original or " " in replacement or original == replacement or not replacement:
                continue
            if (original, replacement) in refused or count <= rejected.get((original, replacement), 0):
                continue
            current = best.get(original)
            if current is None or (count, _reverse_key(replacement)) > (current[0], _reverse_key(current[1])):
                best[original] = (count, replacement)
        return {original: replacement for original, (_, replacement) in sorted(best.items())}

    def forbidden(self) -> frozenset[tuple[str, str]]:
        """Changes of the corrector's (original, replacement) reviewers rejected at least as often as they kept."""
        learned = self.learned
        return frozenset(pair for pair, count in self.rejected.items() if count >= learned.get(pair, 0))

    def words(self, known: Known | None = None) -> Counter:
        """Readings reviewers confirmed or gave: words for the lexicon, with how often (refused lessons give none)."""
        refused = self.refused(known)
        counts: Counter = Counter()
        for _, event in self.events():
            if event.kind == CONFIRMED or (event.kind in FIX_KINDS and (event.original, event.replacement) not in refused):
                for word in event.replacement.split():
                    if HAS_LETTER.search(word):
                        counts[word] += 1
        return counts

    def confusions(self, known: Known | None = None) -> Counter:
        """(OCR character, true character) -> count over the learned fixes that are not refused; either may be empty."""
        from rapidfuzz.distance import Levenshtein

        refused = self.refused(known)
        counts: Counter = Counter()
        for (original, replacement), count in self.learned.items():
            if original == replacement or (original, replacement) in refused:
                continue
            for op in Levenshtein.editops(original, replacement):
                if op.tag == "replace":
                    counts[(original[op.src_pos], replacement[op.dest_pos])] += count
                elif op.tag == "delete":  # the OCR printed a character that was not typed
                    counts[(original[op.src_pos], "")] += count
                else:  # the OCR dropped a typed character
                    counts[("", replacement[op.dest_pos])] += count
        return counts

    def entries(self, known: Known | None = None) -> list[dict[str, Any]]:
        """Every lesson with its id, state and sources, for `ocrfix memory list`."""
        fixes = self.fixes(known)
        forbidden = self.forbidden()
        refused = self.refused(known)
        grouped: dict[tuple[str, str, str], list[tuple[str, Event]]] = {}
        for source, event in self.events():
            grouped.setdefault((event.entry, event.original, event.replacement), []).append((source, event))
        out = []
        for (entry, original, replacement), events in sorted(grouped.items()):
            if entry == FIX:
                state = (
                    "active" if fixes.get(original) == replacement
                    else f"refused: {refused[(original, replacement)]}" if (original, replacement) in refused
                    else "not used (rejected as often, or another fix of the same reading is more frequent)"
                )
            elif entry == FORBIDDEN:
                state = "active" if (original, replacement) in forbidden else "not used (kept more often than rejected)"
            else:
                state = "active"
            out.append(
                {
                    "id": entry_id(entry, original, replacement),
                    "entry": entry,
                    "original": original,
                    "replacement": replacement,
                    "count": len(events),
                    "state": state,
                    "sources": [
                        {"page": source, "item": e.item, "word_ids": list(e.word_ids), "decided_at": e.decided_at,
                         "kind": e.kind, **({"always": True} if e.always else {})}
                        for source, e in events
                    ],
                }
            )
        return out

    def without(self, ids: Iterable[str], removed_at: str) -> tuple[Memory, list[dict[str, Any]]]:
        """The memory with the lessons ``ids`` removed, and those lessons; unknown ids raise BadInputError."""
        wanted = set(ids)
        entries = {e["id"]: e for e in self.entries()}
        unknown = sorted(wanted - set(entries))
        if unknown:
            raise BadInputError(f"no lesson with id {', '.join(unknown)} in this memory", hint="see `ocrfix memory list`")
        gone = [entries[i] for i in sorted(wanted)]
        removals = tuple(Removal(e["entry"], e["original"], e["replacement"], removed_at) for e in gone)
        return Memory(self.sources, self.removed + removals), gone

    def to_dict(self, known: Known | None = None) -> dict:
        def pairs(counter: Counter) -> list[dict]:
            return [
                {"original": o, "replacement": r, "count": c}
                for (o, r), c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            ]

        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "fixes": [{"original": o, "replacement": r} for o, r in self.fixes(known).items()],
            "refused": [{"original": o, "replacement": r, "why": why} for (o, r), why in self.refused(known).items()],
            "forbidden": [{"original": o, "replacement": r} for o, r in sorted(self.forbidden())],
            "words": dict(sorted(self.words(known).items())),
            "confusions": [
                {"ocr": o, "true": t, "count": c}
                for (o, t), c in sorted(self.confusions(known).items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "learned": pairs(self.learned),
            "rejected": pairs(self.rejected),
            "sources": {key: [e.to_dict() for e in events] for key, events in sorted(self.sources.items())},
            "removed": [
                {"entry": r.entry, "original": r.original, "replacement": r.replacement, "removed_at": r.removed_at}
                for r in self.removed
            ],
        }


def refusal(original: str, replacement: str, count: int, always: bool, known: Known | None) -> str:
    """Why a reviewer's reading of ``original`` must not become a fix made everywhere ('' when it may).

    * a dictionary word is never turned into a non-word (the published
      transcription's typo ``секрешном`` for ``секретном``), however often;
    * a dictionary word becomes another only after two decisions, or one marked "always".
    """
    if " " in original or " " in replacement:
        return ""  # multi-word readings are never made as fixes anyway
    if known is None:
        return "" if count >= 2 or always else "no dictionary to check it against"
    was_word = bool(split_core(original)[1]) and known(split_core(original)[1])
    if not was_word:
        return ""
    if not known(split_core(replacement)[1]):
        return f"it would turn the dictionary word «{original}» into the non-word «{replacement}»"
    if count < 2 and not always:
        return f"a fix from one dictionary word to another («{original}» → «{replacement}») needs two decisions or «always»"
    return ""


def _reverse_key(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)




def load_memory(path: Path) -> Memory:
    """The memory at ``path``; an empty one when the file does not exist yet.

    Every field is checked (types, lengths, counts, nesting); a file that breaks the
    format raises :class:`SavedDataError` naming the file and the field.
    """
    path = Path(path)
    if not path.exists():
        return Memory()
    data = read_json(path, "the collection memory", error=SavedDataError, max_bytes=MAX_MEMORY_BYTES)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise SavedDataError(f"{path} is not an ocrfix collection memory")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise SavedDataError(
            f"{path} has memory format version {version!r:.40}; this ocrfix reads up to {FORMAT_VERSION}",
            hint="upgrade ocrfix",
        )
    try:
        return Memory(_parse_sources(data.get("sources", {})), _parse_removed(data.get("removed", [])))
    except schema.Invalid as exc:
        raise SavedDataError(f"{path}: {exc}") from exc


def _parse_sources(value) -> dict[str, tuple[Event, ...]]:
    sources: dict[str, tuple[Event, ...]] = {}
    total = 0
    for key, events in schema.obj(value, "sources").items():
        where = f"sources[{key[:60]!r}]"
        schema.string(key, f"a key of sources ({key[:60]!r})", max_length=MAX_SOURCE_KEY_LENGTH)
        parsed = [
            Event.from_data(event, f"{where}[{number}]")
            for number, event in enumerate(schema.array(events, where, max_items=MAX_EVENTS - total))
        ]
        total += len(parsed)
        sources[key] = tuple(parsed)
    return sources


def _parse_removed(value) -> tuple[Removal, ...]:
    removed = []
    for number, entry in enumerate(schema.array(value, "removed", max_items=MAX_EVENTS)):
        where = f"removed[{number}]"
        entry = schema.obj(entry, where)
        removed.append(
            Removal(
                schema.choice(entry.get("entry"), f"{where}.entry", (FIX, FORBIDDEN, WORD)),
                schema.string(entry.get("original"), f"{where}.original", max_length=MAX_READING_LENGTH),
                schema.string(entry.get("replacement"), f"{where}.replacement", max_length=MAX_READING_LENGTH),
                schema.string(entry.get("removed_at"), f"{where}.removed_at", max_length=64),
            )
        )
    return tuple(removed)


def save_memory(memory: Memory, path: Path, known: Known | None = None) -> None:
    atomic_write_json(Path(path), memory.to_dict(known))


def split_core(word: str) -> tuple[str, str, str]:
    """(leading punctuation, the word, trailing punctuation)."""
    match = _CORE.match(word)
    return (match.group(1), match.group(2), match.group(3)) if match else ("", word, "")


def word_pairs(original: str, replacement: str) -> list[tuple[str, str]]:
    """The word-level changes between two readings of the same words.

    Readings with the same number of words pair word by word, without the
    punctuation around them when it is the same on both sides; other
    readings pair whole.
    """
    ours, theirs = original.split(), replacement.split()
    if len(ours) != len(theirs):
        return [(" ".join(ours), " ".join(theirs))] if ours != theirs else []
    pairs = []
    for a, b in zip(ours, theirs, strict=True):
        if a == b:
            continue
        a_lead, a_core, a_trail = split_core(a)
        b_lead, b_core, b_trail = split_core(b)
        if a_lead == b_lead and a_trail == b_trail and a_core and b_core:
            pairs.append((a_core, b_core))
        else:
            pairs.append((a, b))
    return pairs


def source_key(batch: Path, page_id: str) -> str:
    """Where a contribution came from: the batch folder and the page id."""
    return f"{batch.as_posix()}#{page_id}"


def dictionary() -> Known:
    """Whether a word is in ocrfix's lexicon (the default one; loads it once)."""
    from ocrfix.config import CorrectConfig
    from ocrfix.lexicon.shared import get_lexicon

    return get_lexicon(CorrectConfig()).knows


_loaded: dict[tuple[str, int, int], Memory] = {}


def load_memory_cached(path: Path) -> Memory:
    """:func:`load_memory`, read once per process while the file stays the same (for batch workers)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return load_memory(path)  # missing: empty; unreadable: the error
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = load_memory(path)
    return _loaded[key]


def page_corrector_options(memory_path: str | Path | None, lexicon, page, *, collection=None) -> dict:
    """Options for ``correct_page(page, lexicon, config, **options)``: none without a memory.

    ``collection`` is the batch's collection lexicon (counted with the memory by
    :func:`corrector_options` over every page of the batch); without it, the
    collection is counted over this page's text.
    """
    if not memory_path:
        return {} if collection is None else {"collection": collection}
    from ocrfix.ocr import to_text

    texts = [] if collection is not None else [to_text(page)]
    return corrector_options(load_memory_cached(Path(memory_path)), lexicon, texts, collection=collection)


def corrector_options(memory: Memory, lexicon, texts: Iterable[str], *, collection=None) -> dict:
    """Keyword options for :func:`ocrfix.correct.correct_page` / ``correct_text`` that apply ``memory``.

    ``texts`` are the OCR texts the collection lexicon is counted over (the
    page itself, or the whole batch), unless ``collection`` is given: one
    counted already (a batch's, by this function). The options make every
    learned fix that is safe, never make a forbidden change, know the
    confirmed words, and use an error model updated with the learned
    character confusions.
    """
    from ocrfix.correct import build_collection_lexicon, confusion_counts, default_error_model

    known = lexicon.knows
    refused = memory.refused(known)
    pairs = [
        pair
        for pair, count in memory.learned.items()
        if " " not in pair[0] + pair[1] and pair not in refused
        for _ in range(count)
    ]
    model = default_error_model(lexicon)
    counts = confusion_counts(pairs)
    if counts:
        model = model.updated(counts)
    if collection is None:
        collection = build_collection_lexicon(list(texts), lexicon, error_model=model, extra_words=memory.words(known))
    return {
        "collection": collection,
        "error_model": model,
        "forbidden": tuple(sorted(memory.forbidden())),
        "fixes": memory.fixes(known),
    }


def memory_entries(path: Path, known: Known | None = None) -> list[dict[str, Any]]:
    """The lessons of the memory at ``path`` (see :meth:`Memory.entries`)."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such memory file: {path}")
    return load_memory(path).entries(known)


def remove_entries(path: Path, ids: Iterable[str], removed_at: str, known: Known | None = None) -> list[dict[str, Any]]:
    """Remove the lessons ``ids`` from the memory at ``path``; return them."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such memory file: {path}")
    memory, gone = load_memory(path).without(ids, removed_at)
    save_memory(memory, path, known)
    return gone
