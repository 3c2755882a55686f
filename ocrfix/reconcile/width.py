"""How many characters the scan shows at a place: a typewriter's characters all have one width.

On a typescript every character, a space included, takes one cell of the same
width (the pitch), so a word's box on the scan says how many characters were
typed there whatever the OCR made of them: ``№2`` and ``№ 2``, ``торговца-уйгура``
and ``торговца -уйгура``, ``прошло.`` and ``прошлого,`` differ by a cell. The
pitch is measured on the page (the width of the boxes of the words Tesseract
is sure of against their length, a straight line); a page whose boxes do not
follow one pitch closely (a proportional font, too few words) gives no evidence.

:func:`observed_cells` is the width of the scan's words of a unit in cells (for
a unit the scan has no word in, the width from the word before to the word
after, on one line); :func:`width_score` is the log10 probability of a reading
of that many characters, against a reading that fits exactly (0 or less).

correct/pitch.py measures a typewriter's pitch too, for another question, and the two are not
one fit: it asks whether one word's box holds a cell its reading lost, against the median width
per character of the word's own line (no offset, a mark ending a word counted as part of a cell,
every word of three characters or more, sure or not); this one scores how many characters a unit
of any length holds, so it fits one straight line over the whole page's sure words, whose offset
and spread the probability needs, and counts every character a whole cell (this module's
:func:`typed_cells`: counting a mark at the end as less made bench_reconcile's development part
worse). Each was measured on its own benchmark; one fit for both would change both's outputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ocrfix.align import nfc
from ocrfix.model import Word

MIN_WORDS = 20  # words the pitch is measured on, at least
SURE_CONFIDENCE = 85.0  # the words measured: read at least this surely, at least two characters long
MAX_SPREAD = 0.25  # cells: a page whose boxes stray more from one pitch (median absolute deviation) is not monospaced
MIN_SIGMA = 0.15  # cells: the least spread of a box's width assumed
OUTLIER = 0.05  # share of boxes that do not follow the pitch at all (a speck in the box, a letter cut off)
RANGE = 10.0  # cells over which such a box's width is spread


@dataclass(frozen=True, slots=True)
class Pitch:
    cell: float  # pixels per character
    offset: float  # pixels: a box of n characters is n * cell + offset wide (the ink's side bearings)
    sigma: float  # cells: how far a box's width strays from that


def measure_pitch(words: Sequence[Word]) -> Pitch | None:
    """The page's pitch, from the boxes of its sure words; None where they follow no one pitch."""
    points = [(typed_cells(w.text), float(w.bbox.width)) for w in words
              if w.bbox is not None and (w.confidence or 0.0) >= SURE_CONFIDENCE and len(nfc(w.text)) >= 2]
    for _ in range(2):  # fit, then fit again without the boxes more than half a cell off
        if len(points) < MIN_WORDS:
            return None
        cell, offset = _line(points)
        if cell <= 0:
            return None
        residuals = [(width - cell * n - offset) / cell for n, width in points]
        points = [p for p, r in zip(points, residuals) if abs(r) <= 0.5]
    residuals = sorted(abs((width - cell * n - offset) / cell) for n, width in points)
    spread = 1.4826 * residuals[len(residuals) // 2]
    if spread > MAX_SPREAD:
        return None
    return Pitch(cell, offset, max(MIN_SIGMA, spread))


def typed_cells(text: str) -> float:
    """The cells a box around ``text`` spans: one per character. (A punctuation mark at an end leaves part
    of its cell without ink, a quarter of a cell on the development pages of bench_reconcile; counting it
    made them worse, 1.03% -> 1.05%: a speck read as a mark widens the box as much.)"""
    return float(len(nfc(text)))


def _line(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return 0.0, 0.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / var
    return slope, mean_y - slope * mean_x


def observed_cells(words: Sequence[Word], line_of: Sequence[int], covered: Sequence[int], after: int,
                   pitch: Pitch) -> tuple[float, str, str] | None:
    """The width, in cells, the scan shows for a unit, and the scan's words around the reading inside it.

    ``covered``: the unit's page words (indexes into ``words``), all on one line; the
    width is their span and nothing is around. A unit with no page word (``covered``
    empty) lies after word ``after``: the span from that word to the next one on its
    line, and around the reading are those two words.
    None where the words have no box or are on different lines.
    """
    if covered:
        first, last = covered[0], covered[-1]
        before = following = ""
    else:
        first, last = after, after + 1
        if first < 0 or last >= len(words):
            return None
        before, following = words[first].text, words[last].text
    if line_of[first] != line_of[last] or any(words[i].bbox is None for i in range(first, last + 1)):
        return None
    left, right = words[first].bbox.left, words[last].bbox.right  # type: ignore[union-attr]
    return (right - left - pitch.offset) / pitch.cell, before, following


def width_score(reading: str, observed: tuple[float, str, str] | None, pitch: Pitch | None) -> float:
    """log10 probability of a reading of this many characters in the width observed, against an exact fit."""
    if observed is None or pitch is None:
        return 0.0
    cells, before, following = observed
    typed = typed_cells(" ".join(part for part in (before, reading, following) if part))
    return _log_density(cells - typed, pitch.sigma) - _log_density(0.0, pitch.sigma)


def _log_density(miss: float, sigma: float) -> float:
    normal = math.exp(-0.5 * (miss / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    return math.log10((1 - OUTLIER) * normal + OUTLIER / RANGE)
