"""The cells of a typewritten line a word's box spans: evidence from the scan for spacing.

A typewriter is monospaced: every character, a space too, takes one cell of the line's
pitch. So a word's box says how many characters were typed where the OCR read it: a token
read as '№1' whose box spans three cells held a space the OCR lost; one spanning two was
typed glued. A line's pitch is the median of its words' box width per character (words of
MIN_CHARS or more, counted as :func:`typed_cells` counts them); a word is measured against
its line's other words, or the page's where its line has too few. A page whose words' boxes
stray from their lines' pitches as a proportional font's do (:func:`monospaced`) has no
pitch, and nothing is said of its words.

The box is the ink's: a character's ink leaves a little of its cell blank on each side, and
a period, comma, colon or semicolon ending a word leaves about a third of its cell blank after
it (Tesseract's word box includes such a mark: 'Экз.' is 89 px wide at a pitch of 24.6 px,
3.6 cells). :func:`typed_cells` counts a word's characters as its box shows them: such a trailing
mark as TRAILING_MARK_CELLS of a cell. ``scripts/measure_pitch.py`` prints the figures these
come from. (reconcile/width.py fits one pitch to a whole page's sure words, a straight line with
an offset and a spread, and counts a mark ending a word a whole cell, for the probability of the
widths of the units it compares; this one measures a word against its own line. They answer
different questions, each tuned on its own benchmark, and are not one fit: see width.py.)
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from statistics import median

from ocrfix.correct import tables
from ocrfix.model import Word

MIN_CHARS = 3  # a word shorter gives no pitch: its ink's blank edges weigh too much
MIN_WORDS = 3  # words of MIN_CHARS or more a line needs for a pitch
MAX_PAGE_SPREAD = 0.1  # cells: the page's words' spare cells' median absolute deviation above which it is not monospaced
TRAILING_MARKS = tables.marks("trailing")  # (mark_sets.tsv)
TRAILING_MARK_CELLS = 0.65  # the ink of a mark ending a word ends about a third of a cell before its cell does


def typed_cells(text: str) -> float:
    """The cells the ink of ``text`` spans, as a word's box shows them: one a character, a
    period, comma, colon or semicolon ending it TRAILING_MARK_CELLS."""
    return len(text) - (1 - TRAILING_MARK_CELLS) * (len(text) - len(text.rstrip(TRAILING_MARKS)))


def line_pitch(words: Iterable[Word]) -> float | None:
    """The pitch in pixels of the line ``words`` were typed on (their median box width per typed
    cell), or None: fewer than MIN_WORDS words of MIN_CHARS or more with boxes."""
    pitches = [w.bbox.width / typed_cells(w.text) for w in words
               if w.bbox is not None and len(w.text) >= MIN_CHARS and w.bbox.width > 0]
    return median(pitches) if len(pitches) >= MIN_WORDS else None


def spread(lines: Iterable[Sequence[Word]]) -> float | None:
    """How far the words' boxes stray from their lines' pitches, in cells: the median absolute
    deviation of the spare cells of the words of two characters or more, each against its line's
    pitch; None where no line has a pitch."""
    spares = []
    for words in lines:
        pitch = line_pitch(words)
        if pitch is not None:
            spares += [spare_cells(w, pitch) for w in words if w.bbox is not None and len(w.text) >= 2]
    if not spares:
        return None
    middle = median(spares)
    return median(abs(spare - middle) for spare in spares)


def monospaced(lines: Iterable[Sequence[Word]]) -> bool:
    """Whether the words' boxes follow their lines' pitches as a typewriter's do (:func:`spread`
    MAX_PAGE_SPREAD or less; the development pages: 0.06 to 0.07 cells; the same texts set in
    proportional fonts, DejaVu Sans, Liberation Serif and Sans, FreeSerif: 0.11 to 0.18)."""
    found = spread(lines)
    return found is not None and found <= MAX_PAGE_SPREAD


def spare_cells(word: Word, pitch: float | None) -> float | None:
    """The cells ``word``'s box spans beyond its characters' (about 0 for a word read with every
    character, about 1 for one whose box holds a character, a space say, the reading lost);
    None without a box or a pitch."""
    if word.bbox is None or pitch is None:
        return None
    return word.bbox.width / pitch - typed_cells(word.text)


class Cells:
    """What the boxes say of a text's words: ``word(start, end)``, the word of the text that
    holds [start, end) and its spare cells (:func:`spare_cells`; None where it has no box or
    no pitch). A word's pitch is its line's other words' (:func:`line_pitch`); a line with too
    few of them (a heading, 'Экз. №1') is typed at the page's pitch, all its words' (one
    typewriter); a page whose boxes do not follow their pitches (:func:`monospaced`) has none.
    Made of the text's lines' words and each word's place in the text, all lines' words in
    order: a tuple ending with the word's start and end (the page layout's (block, line, word,
    start, end), or (start, end)); the pitches are found when first asked for (most pages never ask)."""

    def __init__(self, lines: Sequence[Sequence[Word]], spans: Sequence[tuple[int, ...]]) -> None:
        self._lines = lines
        self._spans = spans

    @cached_property
    def _ends(self) -> list[int]:
        """Each word's end in the text, in text order."""
        return [span[-1] for span in self._spans]

    @cached_property
    def _where(self) -> list[tuple[int, int]]:
        """(line, word in it) of each word, in text order."""
        return [(li, wi) for li, words in enumerate(self._lines) for wi in range(len(words))]

    def _words(self) -> Iterator[Word]:
        return (word for words in self._lines for word in words)

    @cached_property
    def _page_pitch(self) -> float | None:
        """The page's pitch, all its words' (None where it is not monospaced)."""
        return line_pitch(self._words()) if monospaced(self._lines) else None

    def _pitch(self, li: int, wi: int) -> float | None:
        if self._page_pitch is None:
            return None
        others = [w for i, w in enumerate(self._lines[li]) if i != wi]
        return line_pitch(others) or self._page_pitch

    def word(self, start: int, end: int) -> tuple[int, float | None] | None:
        """(its start, its spare cells or None) of the word holding [start, end); None where none does."""
        ends = self._ends
        i = bisect.bisect_left(ends, end)
        if i == len(ends) or self._spans[i][-2] > start:
            return None
        li, wi = self._where[i]
        word = self._lines[li][wi]
        return self._spans[i][-2], spare_cells(word, self._pitch(li, wi))

    def shifted(self, start: int, end: int) -> Cells:
        """The cells of the piece [start, end) of the text, its offsets from ``start``."""
        return _Piece(self, start, end)


class _Piece(Cells):
    """The cells of a piece of a text (bounds.correct_in_chunks), asked of the whole text's."""

    def __init__(self, whole: Cells, start: int, end: int) -> None:
        self._whole, self._start, self._end = whole, start, end

    def word(self, start: int, end: int) -> tuple[int, float | None] | None:
        found = self._whole.word(start + self._start, end + self._start)
        if found is None or found[0] < self._start:
            return None
        return found[0] - self._start, found[1]
