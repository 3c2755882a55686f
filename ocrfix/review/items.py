"""What the reviewer decides on: a page's corrections and its disagreements
with the published transcription, each tied to a run of words and their box.

An item covers a run of consecutive words (``first``..``last`` inclusive, in
``Page.words`` order). Three readings of the run matter:

* ``ocr_text``: what Tesseract read (the words' original readings);
* ``current_text``: what ocrfix wrote (the corrected words);
* ``published_text``: what the archive published for the same words, when a
  published transcription exists.

What each decision keeps is the same for every kind of item (see
:mod:`ocrfix.review.decisions`): ``accept`` keeps ocrfix's reading, ``reject``
the OCR reading, ``published`` the published one. A correction and a
disagreement that share words become one item, so items never overlap.

A third kind, ``carried``, holds a reviewer's decision carried from an earlier
run onto words where ocrfix now proposes nothing and the published text
agrees, so that every decision that still applies has an item to show it.

On a page reconciled with its published transcription (``ocrfix.reconcile``),
each recorded decision between the two witnesses is a ``choice`` item, found
by its words' ids; its reason says "scan reads X · published Y · ocrfix chose
Z because …". The same actions apply: ``accept`` keeps ocrfix's choice,
``reject`` the scan's reading, ``published`` the published one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ocrfix.correct.confidence import raw_confidence as correction_confidence
from ocrfix.model import BBox, enclosing
from ocrfix.review.layout import PageLayout, ocr_reading

CORRECTION = "correction"
DISAGREEMENT = "disagreement"
CHOICE = "choice"  # a decision between the scan and the published transcription (ocrfix.reconcile)
CARRIED = "carried"


@dataclass(frozen=True, slots=True)
class CorrectionInfo:
    """The corrector's record of one change (as in corrections.json)."""

    original: str
    replacement: str
    start: int
    end: int
    line: int
    score: float
    reason: str
    candidates: tuple[tuple[str, float], ...] = ()
    recorded_confidence: float | None = None  # the corrector's calibrated confidence, when it recorded one
    # set for a choice between the witnesses (corrections.json of a reconciled page)
    word_ids: tuple[str, ...] = ()
    source: str | None = None
    rejected: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> CorrectionInfo:
        recorded = data.get("confidence")
        return cls(
            original=str(data.get("original", "")),
            replacement=str(data.get("replacement", "")),
            start=int(data.get("start", -1)),
            end=int(data.get("end", -1)),
            line=int(data.get("line", -1)),
            score=float(data.get("score", 0.0)),
            reason=str(data.get("reason", "")),
            candidates=tuple((str(c), float(s)) for c, s in data.get("candidates", ())),
            recorded_confidence=float(recorded) if isinstance(recorded, (int, float)) else None,
            word_ids=tuple(str(i) for i in data.get("word_ids", ()) or ()),
            source=None if data.get("source") is None else str(data["source"]),
            rejected=None if data.get("rejected") is None else str(data["rejected"]),
        )

    @property
    def confidence(self) -> float:
        """How sure the corrector was, 0..1: the probability it recorded, else (a run before
        calibration) the raw rank of its evidence (:func:`ocrfix.correct.confidence.raw_confidence`)."""
        if self.recorded_confidence is not None:
            return self.recorded_confidence
        return correction_confidence(self.replacement, self.score, self.candidates, self.original)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    item_id: str
    kind: str  # CORRECTION, DISAGREEMENT or CARRIED
    first: int  # first word (index in Page.words)
    last: int  # last word, inclusive
    ocr_text: str
    current_text: str
    published_text: str | None
    bbox: BBox | None
    line_first: int  # index in Page.lines
    line_last: int
    line_bbox: BBox | None
    corrections: tuple[CorrectionInfo, ...] = ()
    word_confidence: float | None = None  # lowest OCR confidence of the words, 0..100
    word_ids: tuple[str, ...] = ()  # ids of the words first..last

    @property
    def confidence(self) -> float | None:
        """The corrector's confidence in its change (lowest over the item's corrections)."""
        if not self.corrections:
            return None
        return min(c.confidence for c in self.corrections)

    @property
    def score(self) -> float | None:
        return max((c.score for c in self.corrections), default=None)

    @property
    def reason(self) -> str:
        if self.corrections:
            return "; ".join(dict.fromkeys(c.reason for c in self.corrections if c.reason))
        if self.kind == CARRIED:
            return "a reviewer's decision from an earlier run; ocrfix proposes nothing here now"
        return "differs from the published transcription"

    @property
    def candidates(self) -> tuple[tuple[str, float], ...]:
        merged: dict[str, float] = {}
        for correction in self.corrections:
            for text, cost in correction.candidates:
                merged[text] = min(cost, merged.get(text, cost))
        return tuple(sorted(merged.items(), key=lambda kv: kv[1]))

    def word_texts(self, layout: PageLayout) -> tuple[str, ...]:
        """The corrected words this item covers (used to check a decision still fits)."""
        return tuple(w.text for w in layout.words[self.first : self.last + 1])

    def to_dict(self) -> dict:
        compare_current_with = {
            CORRECTION: self.ocr_text,
            CHOICE: (self.published_text or "") if self.current_text == self.ocr_text else self.ocr_text,
        }.get(self.kind, self.published_text or "")
        return {
            "marks": {
                "ocr": diff_segments(self.ocr_text, self.current_text),
                "current": diff_segments(self.current_text, compare_current_with),
                "published": diff_segments(self.published_text or "", self.current_text),
            },
            "id": self.item_id,
            "kind": self.kind,
            "first": self.first,
            "last": self.last,
            "ocr": self.ocr_text,
            "current": self.current_text,
            "published": self.published_text,
            "word_ids": list(self.word_ids),
            "bbox": self.bbox.as_list() if self.bbox else None,
            "line_bbox": self.line_bbox.as_list() if self.line_bbox else None,
            "line": self.line_first,
            "score": self.score,
            "confidence": self.confidence,
            "word_confidence": self.word_confidence,
            "reason": self.reason,
            "candidates": [[c, round(s, 4)] for c, s in self.candidates],
        }


def diff_segments(text: str, other: str) -> list[list]:
    """``text`` as runs of [characters, changed, names]: changed runs differ from ``other``.

    ``names`` spells out the changed characters' Unicode names, so a change that
    looks like nothing (a Latin ``c`` for a Cyrillic ``с``) can be seen.
    """
    from rapidfuzz.distance import Levenshtein

    segments: list[list] = []
    for op in Levenshtein.opcodes(text, other):
        piece = text[op.src_start : op.src_end]
        if not piece:
            continue
        changed = op.tag != "equal"
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in piece) if changed else ""
        if segments and segments[-1][1] == changed:
            segments[-1][0] += piece
            segments[-1][2] = ", ".join(filter(None, (segments[-1][2], names)))
        else:
            segments.append([piece, changed, names])
    return segments


@dataclass(slots=True)
class _Cluster:
    first: int
    last: int
    corrections: list[CorrectionInfo] = field(default_factory=list)
    changed: bool = False  # holds a word the corrector changed
    disagrees: bool = False
    choice: bool = False  # holds a decision between the witnesses


def tokens(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).split()


def build_items(
    layout: PageLayout,
    corrections: Sequence[CorrectionInfo],
    published: str | None,
    carried: Sequence[tuple[int, int]] = (),
) -> tuple[ReviewItem, ...]:
    """Every correction and every disagreement of a page, in reading order.

    ``carried`` are word runs (first, last) of reviewers' decisions that need an
    item of their own; a run that overlaps another item is left out (the
    caller anchors those decisions to that item or marks them stale).
    """
    words = layout.words
    if not words:
        return ()
    clusters: list[_Cluster] = []
    choices = [c for c in corrections if c.source is not None]
    for first, last, info in _choice_runs(layout, choices):
        clusters.append(_Cluster(first, last, [info], choice=True))
    for first, last, infos in _correction_runs(layout, [c for c in corrections if c.source is None], choices):
        clusters.append(_Cluster(first, last, list(infos), changed=True))
    published_runs: list[tuple[int, int, list[str]]] = []
    if published is not None:
        published_runs = _disagreement_runs([w.text for w in words], tokens(published))
        for first, last, _ in published_runs:
            clusters.append(_Cluster(first, last, disagrees=True))
    merged = _merge(clusters)
    taken = {i for c in merged for i in range(c.first, c.last + 1)}
    for first, last in carried:
        if 0 <= first <= last < len(words) and not taken.intersection(range(first, last + 1)):
            merged.append(_Cluster(first, last))
            taken.update(range(first, last + 1))
    merged.sort(key=lambda c: c.first)
    items = []
    for cluster in merged:
        items.append(_make_item(layout, cluster, published_runs, published is not None))
    return tuple(items)


def _choice_runs(layout: PageLayout, choices: Sequence[CorrectionInfo]):
    """(first word, last word, record) for each choice between the witnesses, found by its words' ids
    (a choice that left no word on the page, a run only the published text had, has no place)."""
    index_of = {w.id: i for i, w in enumerate(layout.words) if w.id}
    runs = []
    for info in choices:
        hit = [index_of[i] for i in info.word_ids if i in index_of]
        if hit:
            runs.append((min(hit), max(hit), info))
    return runs


def _correction_runs(layout: PageLayout, corrections: Sequence[CorrectionInfo], choices: Sequence[CorrectionInfo] = ()):
    """(first word, last word, corrections) for each change the corrector made."""
    words = layout.words
    places = layout.places
    covered: set[int] = {i for first, last, _ in _choice_runs(layout, choices) for i in range(first, last + 1)}
    runs = []
    index_of = {w.id: i for i, w in enumerate(words) if w.id}
    for info in corrections:
        by_id = sorted(index_of[i] for i in info.word_ids if i in index_of)
        if by_id and any(words[i].changed for i in by_id):  # words merged by the change keep the first id
            hit = list(range(by_id[0], by_id[-1] + 1))
            covered.update(hit)
            runs.append((hit[0], hit[-1], (info,)))
            continue
        hit = [
            p.index
            for p in places
            if p.raw_start < max(info.end, info.start + 1) and info.start < p.raw_end
        ]
        if not hit or not any(words[i].changed for i in hit):
            hit = _find_by_reading(layout, info, covered)
        if not hit:
            continue
        covered.update(hit)
        runs.append((min(hit), max(hit), (info,)))
    # A word the corrector changed without a record still deserves review.
    for index, word in enumerate(words):
        if word.changed and index not in covered:
            runs.append((index, index, ()))
    return runs


def _find_by_reading(layout: PageLayout, info: CorrectionInfo, taken: set[int]) -> list[int]:
    """Fallback when offsets do not line up: the changed word with this original reading."""
    best: list[int] = []
    for place in layout.places:
        word = layout.words[place.index]
        if place.index in taken or not word.changed:
            continue
        if info.original and info.original.strip() in ocr_reading(word) or word.text == info.replacement:
            if not best or abs(place.raw_line - info.line) < abs(layout.places[best[0]].raw_line - info.line):
                best = [place.index]
    return best


def _disagreement_runs(ours: list[str], theirs: list[str]) -> list[tuple[int, int, list[str]]]:
    """Runs of our words that differ from the published words: (first, last, published words).

    Consecutive edit operations form one run. A pure insertion (published
    words with nothing of ours in their place) is anchored to the word before
    it, or the first word, so it has a place on the scan.
    """
    from rapidfuzz.distance import Levenshtein

    if not ours:
        return []
    runs: list[tuple[int, int, int, int]] = []
    for op in Levenshtein.opcodes(ours, theirs):
        if op.tag == "equal":
            continue
        if runs and runs[-1][1] == op.src_start and runs[-1][3] == op.dest_start:
            a, _, c, _ = runs[-1]
            runs[-1] = (a, op.src_end, c, op.dest_end)
        else:
            runs.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    # A run that replaces as many words as it has is one item per word: each word is
    # decided on its own (and a decision on one of them still finds it after a rerun).
    split: list[tuple[int, int, int, int]] = []
    for src_start, src_end, dest_start, dest_end in runs:
        if src_end - src_start == dest_end - dest_start > 1:
            split.extend((src_start + k, src_start + k + 1, dest_start + k, dest_start + k + 1) for k in range(src_end - src_start))
        else:
            split.append((src_start, src_end, dest_start, dest_end))
    result = []
    for src_start, src_end, dest_start, dest_end in split:
        published = list(theirs[dest_start:dest_end])
        if src_start == src_end:  # insertion: anchor it
            if src_start > 0:
                src_start -= 1
                published = [ours[src_start]] + published
            else:
                src_end += 1
                published = published + [ours[0]]
        result.append((src_start, src_end - 1, published))
    # Anchoring may make runs touch or overlap; join those.
    joined: list[tuple[int, int, list[str]]] = []
    for first, last, published in result:
        if joined and first <= joined[-1][1]:
            a, b, p = joined[-1]
            overlap = b - first + 1
            joined[-1] = (a, max(b, last), p + published[overlap:])
        else:
            joined.append((first, last, published))
    return joined


def _merge(clusters: list[_Cluster]) -> list[_Cluster]:
    clusters = sorted(clusters, key=lambda c: (c.first, c.last))
    merged: list[_Cluster] = []
    for cluster in clusters:
        if merged and cluster.first <= merged[-1].last:
            top = merged[-1]
            top.last = max(top.last, cluster.last)
            top.corrections.extend(cluster.corrections)
            top.changed = top.changed or cluster.changed
            top.disagrees = top.disagrees or cluster.disagrees
            top.choice = top.choice or cluster.choice
        else:
            merged.append(_Cluster(cluster.first, cluster.last, list(cluster.corrections), cluster.changed, cluster.disagrees,
                                   cluster.choice))
    return merged


def _published_reading(
    words_text: list[str], first: int, last: int, runs: list[tuple[int, int, list[str]]]
) -> str:
    """The published words for words first..last: our words where we agree, theirs where not."""
    out: list[str] = []
    index = first
    for run_first, run_last, published in runs:
        if run_last < first or run_first > last:
            continue
        out.extend(words_text[index:run_first])
        out.extend(published)
        index = run_last + 1
    out.extend(words_text[index : last + 1])
    return " ".join(out)


def _make_item(
    layout: PageLayout, cluster: _Cluster, runs: list[tuple[int, int, list[str]]], have_published: bool
) -> ReviewItem:
    words = layout.words[cluster.first : cluster.last + 1]
    places = layout.places[cluster.first : cluster.last + 1]
    ocr_text = " ".join(ocr_reading(w) for w in words)
    current_text = " ".join(w.text for w in words)
    published = (
        _published_reading([w.text for w in layout.words], cluster.first, cluster.last, runs)
        if have_published
        else None
    )
    if cluster.choice:
        kind, prefix = CHOICE, "w"
    elif cluster.changed:
        kind, prefix = CORRECTION, "c"
    elif cluster.disagrees:
        kind, prefix = DISAGREEMENT, "d"
    else:
        kind, prefix = CARRIED, "k"
    line_first, line_last = places[0].line, places[-1].line
    confidences = [w.confidence for w in words if w.confidence is not None]
    return ReviewItem(
        item_id=f"{prefix}{cluster.first}-{cluster.last}",
        kind=kind,
        first=cluster.first,
        last=cluster.last,
        ocr_text=ocr_text,
        current_text=current_text,
        published_text=published,
        bbox=enclosing(w.bbox for w in words),
        line_first=line_first,
        line_last=line_last,
        line_bbox=enclosing(layout.line_bbox(i) for i in range(line_first, line_last + 1)),
        corrections=tuple(sorted(cluster.corrections, key=lambda c: c.start)),
        word_confidence=min(confidences) if confidences else None,
        word_ids=tuple(w.id for w in words),
    )
