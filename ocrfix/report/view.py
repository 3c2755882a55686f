"""The page report as data: lines of the hypothesis, each with what the other texts have there.

Pure functions only; :mod:`ocrfix.report.page` renders the result to HTML and JSON.
The hypothesis (the corrected reading) is the pivot: one report line per line
of it. Each column is a tuple of :class:`Piece` runs that share one look
(unchanged, substituted, inserted, deleted, layout), one correction and one
low-confidence mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ocrfix.align import Slot, Token, pivot_alignment, split_lines
from ocrfix.model import Correction, Page

# How a token of a column looks, by how its text relates to the pivot there.
_OTHER_LOOK = {"equal": "same", "replace": "sub", "delete": "del"}
_PIVOT_LOOK = {"equal": "same", "replace": "sub", "insert": "ins"}


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    look: str  # "same", "sub", "ins", "del" or "layout" (a line-end hyphen, a line break)
    correction: int | None = None  # index into the page's corrections
    confidence: float | None = None  # set when the OCR confidence is below the threshold


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # "reference", "raw" or "hypothesis"
    label: str


@dataclass(frozen=True, slots=True)
class ReportLine:
    number: int  # 1-based
    cells: tuple[tuple[Piece, ...], ...]  # one per column, in the order of PageView.columns
    differs: bool  # the hypothesis differs from the first other text (beyond whitespace)
    corrected: bool  # the corrector changed something on this line
    low_confidence: bool
    corrections: tuple[int, ...]
    page_lines: tuple[int, ...]  # indexes into Page.lines that this line covers, when the page is known


@dataclass(frozen=True, slots=True)
class LocatedCorrection:
    index: int
    correction: Correction
    hypothesis_span: tuple[int, int] | None  # where its replacement is in the hypothesis text


@dataclass(frozen=True, slots=True)
class PageView:
    columns: tuple[Column, ...]
    lines: tuple[ReportLine, ...]
    corrections: tuple[LocatedCorrection, ...]


@dataclass(frozen=True, slots=True)
class _PageWords:
    """Page.text with, for each character, the (line index, confidence) of its word."""

    text: str
    line_of: tuple[int, ...]
    confidence_of: tuple[float | None, ...]
    span_of: dict[str, tuple[int, int]]  # word id -> where the word is in text


def _page_words(page: Page) -> _PageWords:
    parts: list[str] = []
    line_of: list[int] = []
    confidence_of: list[float | None] = []
    span_of: dict[str, tuple[int, int]] = {}

    def add(text: str, line: int, confidence: float | None) -> None:
        parts.append(text)
        line_of.extend([line] * len(text))
        confidence_of.extend([confidence] * len(text))

    line_index = 0
    for block_number, block in enumerate(page.blocks):
        if block_number:
            add("\n", -1, None)
        for line in block.lines:
            for word_number, word in enumerate(line.words):
                if word_number:
                    add(" ", line_index, None)
                if word.id:
                    span_of[word.id] = (len(line_of), len(line_of) + len(word.text))
                add(word.text, line_index, word.confidence)
            add("\n", -1, None)
            line_index += 1
    return _PageWords("".join(parts), tuple(line_of), tuple(confidence_of), span_of)


def locate_by_words(span_of: dict[str, tuple[int, int]], corrections: Sequence[Correction]) -> tuple[LocatedCorrection, ...]:
    """Where each correction sits in the corrected page's text, found by the ids of the words
    it replaced (``Correction.word_ids``; a correction that merged words kept the first one's id).
    No offsets are re-derived, so nothing drifts; a correction none of whose words is left
    (a speck removed with its word) is kept without a span."""
    located = []
    for index, correction in enumerate(corrections):
        spans = [span_of[i] for i in correction.word_ids if i in span_of and span_of[i][1] > span_of[i][0]]
        span = (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None
        located.append(LocatedCorrection(index, correction, span))
    return tuple(located)


def locate_corrections(raw: str, hypothesis: str, corrections: Sequence[Correction]) -> tuple[LocatedCorrection, ...]:
    """Where each correction's replacement sits in the hypothesis.

    Corrections carry offsets into the raw text; applying them in order
    shifts later offsets by the change in length. A correction whose
    original is not at its offsets in ``raw`` (or whose replacement is not
    where expected in ``hypothesis``) is kept, without a span.
    """
    located = []
    shift = 0
    for index, correction in sorted(enumerate(corrections), key=lambda item: (item[1].start, item[0])):
        span: tuple[int, int] | None = None
        start = correction.start + shift
        end = start + len(correction.replacement)
        if raw[correction.start : correction.end] != correction.original:
            located.append(LocatedCorrection(index, correction, None))  # not applied to this raw text
            continue
        if hypothesis[start:end] == correction.replacement:
            span = (start, end)
        shift += len(correction.replacement) - (correction.end - correction.start)
        located.append(LocatedCorrection(index, correction, span))
    return tuple(sorted(located, key=lambda item: item.index))


def _span_marks(length: int, spans: Sequence[tuple[int, tuple[int, int]]]) -> list[int | None]:
    marks: list[int | None] = [None] * length
    for index, (start, end) in spans:
        for position in range(max(0, start), min(length, end)):
            marks[position] = index
    return marks


def _display(text: str, token: Token) -> list[tuple[str, bool]]:
    """(text, is_layout) parts showing a token: a space for whitespace, a visible mark for a folded hyphen break."""
    if token.is_space:
        return [(" ", False)]
    body = text[token.start : token.start + len(token.key)]
    tail = text[token.start + len(token.key) : token.end]
    if not tail:
        return [(body, False)]
    return [(body, False), ("".join(c for c in tail if not c.isspace()) + "\u21b5", True)]


class _CellBuilder:
    def __init__(self) -> None:
        self.pieces: list[Piece] = []

    def add(self, text: str, look: str, correction: int | None = None, confidence: float | None = None) -> None:
        if not text:
            return
        last = self.pieces[-1] if self.pieces else None
        if last and (last.look, last.correction, last.confidence) == (look, correction, confidence):
            self.pieces[-1] = Piece(last.text + text, look, correction, confidence)
        else:
            self.pieces.append(Piece(text, look, correction, confidence))

    def result(self) -> tuple[Piece, ...]:
        pieces = list(self.pieces)
        while pieces and pieces[-1].look == "same" and pieces[-1].text.strip() == "":
            pieces.pop()
        if pieces and pieces[-1].look == "same":
            pieces[-1] = Piece(pieces[-1].text.rstrip(), "same", pieces[-1].correction, pieces[-1].confidence)
        return tuple(pieces)


def _visible_change(slot: Slot, kind_index: int) -> bool:
    kind = slot.kinds[kind_index]
    if kind in ("equal", "none"):
        return False
    if slot.pivot is not None and not slot.pivot.is_space:
        return True
    return any(not token.is_space for token in slot.others[kind_index])


def build_page_view(
    *,
    hypothesis: str,
    others: Sequence[tuple[str, str, str]],
    raw_key: str | None = None,
    hypothesis_label: str = "corrected",
    corrections: Sequence[Correction] = (),
    page: Page | None = None,
    low_confidence_below: float = 60.0,
) -> PageView:
    """The report lines for ``hypothesis`` against ``others`` = [(key, label, text), ...].

    All texts must be NFC. The hypothesis column is marked against the first
    other text. ``raw_key`` names the other text the corrections were made on
    (the raw OCR); without it corrections are not drawn. With ``page`` (the
    corrected page, whose text is the hypothesis) corrections are found by the
    ids of the words they replaced; without it, by their character offsets.
    """
    texts = [text for _, _, text in others]
    page_words = _page_words(page) if page is not None else None
    aligned_texts = texts + ([page_words.text] if page_words is not None else [])
    slots = pivot_alignment(hypothesis, aligned_texts)
    page_slot = len(texts) if page_words is not None else None

    raw_index = next((i for i, (key, _, _) in enumerate(others) if key == raw_key), None)
    located: tuple[LocatedCorrection, ...] = ()
    if raw_index is not None:
        keyed = page_words is not None and page_words.text == hypothesis and all(c.word_ids for c in corrections)
        located = (locate_by_words(page_words.span_of, corrections) if keyed and page_words is not None
                   else locate_corrections(texts[raw_index], hypothesis, corrections))
    hyp_marks = _span_marks(len(hypothesis), [(c.index, c.hypothesis_span) for c in located if c.hypothesis_span])
    raw_marks = (
        _span_marks(len(texts[raw_index]), [
            (c.index, (c.correction.start, c.correction.end)) for c in located
            if c.hypothesis_span and texts[raw_index][c.correction.start:c.correction.end] == c.correction.original])
        if raw_index is not None
        else []
    )

    lines = []
    for number, row in enumerate(split_lines(slots, hypothesis), start=1):
        cells = [_CellBuilder() for _ in range(len(others) + 1)]
        differs = corrected = low = False
        row_corrections: set[int] = set()
        page_lines: list[int] = []
        for slot in row:
            confidence = None
            if page_slot is not None and page_words is not None:
                for token in slot.others[page_slot]:
                    line_index = page_words.line_of[token.start]
                    if line_index >= 0 and not token.is_space:
                        page_lines.append(line_index)
                    value = page_words.confidence_of[token.start]
                    if value is not None and value < low_confidence_below and not token.is_space:
                        confidence = value
            low = low or confidence is not None
            differs = differs or (bool(others) and _visible_change(slot, 0))
            if raw_index is not None:
                corrected = corrected or _visible_change(slot, raw_index)
            for column, (_key, _, text) in enumerate(others):
                for token in slot.others[column]:
                    mark = raw_marks[token.start] if column == raw_index else None
                    if mark is not None:
                        row_corrections.add(mark)
                    look = _OTHER_LOOK.get(slot.kinds[column], "same")
                    for part, is_layout in _display(text, token):
                        cells[column].add(part, "layout" if is_layout else look, mark, confidence if column == raw_index else None)
            if slot.pivot is not None:
                if "\n" in hypothesis[slot.pivot.start : slot.pivot.end] and slot.pivot.is_space:
                    continue
                mark = hyp_marks[slot.pivot.start]
                if mark is not None:
                    row_corrections.add(mark)
                look = _PIVOT_LOOK.get(slot.kinds[0], "same") if others else "same"
                for part, is_layout in _display(hypothesis, slot.pivot):
                    cells[-1].add(part, "layout" if is_layout else look, mark, confidence)
        lines.append(
            ReportLine(
                number=number,
                cells=tuple(cell.result() for cell in cells),
                differs=differs,
                corrected=corrected,
                low_confidence=low,
                corrections=tuple(sorted(row_corrections)),
                page_lines=tuple(sorted(set(page_lines))),
            )
        )
    columns = tuple(Column(key, label) for key, label, _ in others) + (Column("hypothesis", hypothesis_label),)
    return PageView(columns, tuple(lines), tuple(located))
