"""The collection memory: what reviewers taught ocrfix, kept beside the batches.

Built from the decisions in a batch's ``<page>/decisions.json`` files (by
:mod:`ocrfix.review.learn`, which reads them), it holds, for the corrector's next run:

* **fixes**: OCR readings reviewers corrected (``Ворошнлову`` -> ``Ворошилову``),
  applied automatically when the same reading comes up again;
* **forbidden** pairs: changes reviewers rejected ("never change X to Y"),
  never proposed again;
* **words**: readings reviewers confirmed or typed, added to the lexicon;
* **confusions**: character confusions (OCR -> true) counted over every
  learned fix, for the error model.

The file is JSON with a format name and version, written atomically. It
stores each page's contribution separately (keyed by the batch folder and
the page id), and every total is computed from them, so learning from the
same decisions twice changes nothing, and a page reviewed again replaces what
it taught before.

A pair both accepted and rejected somewhere counts as what reviewers did
more often: a fix when accepted more often than rejected, forbidden otherwise.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ocrfix import schema
from ocrfix.errors import SavedDataError
from ocrfix.fileio import atomic_write_json, read_json

FORMAT_NAME = "ocrfix-memory"
FORMAT_VERSION = 1

ACCEPTED = "accepted"  # a change the reviewer confirmed (or a published reading taken)
REJECTED = "rejected"  # a change the reviewer refused: never propose it again
TYPED = "typed"  # a reading the reviewer typed
CONFIRMED = "confirmed"  # a reading the reviewer kept as right (a word for the lexicon)
EVENT_KINDS = (ACCEPTED, REJECTED, TYPED, CONFIRMED)

_CORE = regex.compile(r"^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$", regex.DOTALL)
HAS_LETTER = regex.compile(r"\p{L}")


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a reviewer taught: a kind, and the OCR reading with the right one."""

    kind: str
    original: str
    replacement: str

    def to_list(self) -> list[str]:
        return [self.kind, self.original, self.replacement]


@dataclass(frozen=True)
class Memory:
    """A collection memory: per-page contributions, and the totals derived from them."""

    sources: Mapping[str, tuple[Event, ...]] = field(default_factory=dict)

    def _count(self, kind: str) -> Counter:
        return Counter((e.original, e.replacement) for events in self.sources.values() for e in events if e.kind == kind)

    @property
    def accepted(self) -> Counter:
        return self._count(ACCEPTED)

    @property
    def rejected(self) -> Counter:
        return self._count(REJECTED)

    @property
    def typed(self) -> Counter:
        return self._count(TYPED)

    def fixes(self) -> dict[str, str]:
        """OCR reading -> the reading reviewers gave it, for single words seen more often fixed than refused.

        When reviewers fixed one reading in two ways, the more frequent one wins
        (ties: the one first in alphabetical order, so the result is stable).
        """
        learned = self.accepted + self.typed
        rejected = self.rejected
        best: dict[str, tuple[int, str]] = {}
        for (original, replacement), count in learned.items():
            if " " in original or " " in replacement or original == replacement or not replacement:
                continue
            if count <= rejected.get((original, replacement), 0):
                continue
            current = best.get(original)
            if current is None or (count, _reverse_key(replacement)) > (current[0], _reverse_key(current[1])):
                best[original] = (count, replacement)
        return {original: replacement for original, (_, replacement) in sorted(best.items())}

    def forbidden(self) -> frozenset[tuple[str, str]]:
        """(original, replacement) pairs reviewers rejected at least as often as they accepted."""
        learned = self.accepted + self.typed
        return frozenset(pair for pair, count in self.rejected.items() if count >= learned.get(pair, 0))

    def words(self) -> Counter:
        """Readings reviewers confirmed or gave: words for the lexicon, with how often."""
        counts: Counter = Counter()
        for events in self.sources.values():
            for event in events:
                if event.kind in (ACCEPTED, TYPED, CONFIRMED):
                    for word in event.replacement.split():
                        if HAS_LETTER.search(word):
                            counts[word] += 1
        return counts

    def confusions(self) -> Counter:
        """(OCR character, true character) -> count over every learned fix; either may be empty."""
        from rapidfuzz.distance import Levenshtein

        counts: Counter = Counter()
        for (original, replacement), count in (self.accepted + self.typed).items():
            if original == replacement:
                continue
            for op in Levenshtein.editops(original, replacement):
                if op.tag == "replace":
                    counts[(original[op.src_pos], replacement[op.dest_pos])] += count
                elif op.tag == "delete":  # the OCR printed a character that was not typed
                    counts[(original[op.src_pos], "")] += count
                else:  # the OCR dropped a typed character
                    counts[("", replacement[op.dest_pos])] += count
        return counts

    def to_dict(self) -> dict:
        def pairs(counter: Counter) -> list[dict]:
            return [
                {"original": o, "replacement": r, "count": c}
                for (o, r), c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            ]

        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "fixes": [{"original": o, "replacement": r} for o, r in self.fixes().items()],
            "forbidden": [{"original": o, "replacement": r} for o, r in sorted(self.forbidden())],
            "words": dict(sorted(self.words().items())),
            "confusions": [
                {"ocr": o, "true": t, "count": c}
                for (o, t), c in sorted(self.confusions().items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "accepted": pairs(self.accepted),
            "rejected": pairs(self.rejected),
            "typed": pairs(self.typed),
            "sources": {key: [e.to_list() for e in events] for key, events in sorted(self.sources.items())},
        }


def _reverse_key(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# What a memory file may hold (checked when it is loaded, before any page is read): a
# reviewer's reading is at most the review app's typed length, and the file's size
# bounds the rest. A file over these is refused (SavedDataError, exit 8), not trusted.
MAX_MEMORY_BYTES = 64 * 1024 * 1024
MAX_READING_LENGTH = 500
MAX_SOURCE_KEY_LENGTH = 4096
MAX_EVENTS = 1_000_000


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
        return Memory(_parse_sources(data.get("sources", {})))
    except schema.Invalid as exc:
        raise SavedDataError(f"{path}: {exc}") from exc


def _parse_sources(value) -> dict[str, tuple[Event, ...]]:
    sources: dict[str, tuple[Event, ...]] = {}
    total = 0
    for key, events in schema.obj(value, "sources").items():
        where = f"sources[{key[:60]!r}]"
        schema.string(key, f"a key of sources ({key[:60]!r})", max_length=MAX_SOURCE_KEY_LENGTH)
        parsed = []
        for number, event in enumerate(schema.array(events, where, max_items=MAX_EVENTS - total)):
            entry = schema.array(event, f"{where}[{number}]")
            if len(entry) != 3:
                raise schema.Invalid(f"{where}[{number}] must be [kind, original, replacement]")
            kind = schema.choice(entry[0], f"{where}[{number}][0]", EVENT_KINDS)
            original = schema.string(entry[1], f"{where}[{number}][1]", max_length=MAX_READING_LENGTH)
            replacement = schema.string(entry[2], f"{where}[{number}][2]", max_length=MAX_READING_LENGTH)
            parsed.append(Event(kind, original, replacement))
        total += len(parsed)
        sources[key] = tuple(parsed)
    return sources


def save_memory(memory: Memory, path: Path) -> None:
    atomic_write_json(Path(path), memory.to_dict())


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
    learned fix, never make a forbidden change, know the confirmed words, and
    use an error model updated with the learned character confusions.
    """
    from ocrfix.correct import build_collection_lexicon, confusion_counts, default_error_model

    learned = memory.accepted + memory.typed
    pairs = [pair for pair, count in learned.items() if " " not in pair[0] + pair[1] for _ in range(count)]
    model = default_error_model(lexicon)
    counts = confusion_counts(pairs)
    if counts:
        model = model.updated(counts)
    if collection is None:
        collection = build_collection_lexicon(list(texts), lexicon, error_model=model, extra_words=memory.words())
    return {
        "collection": collection,
        "error_model": model,
        "forbidden": tuple(sorted(memory.forbidden())),
        "fixes": memory.fixes(),
    }
