"""A third witness: the scan's unsure lines read again by another model.

Where Tesseract's ``rus`` model read a line unsurely, its ``Cyrillic`` script
model (Debian ``tesseract-ocr-script-cyrl``) reads the same lines of the same
image (:func:`ocrfix.ocr.regions.read_regions`, run by the pipeline when
``[reconcile] third_witness`` is on). Its words are matched to the scan's by
their boxes: each goes to the scan word of its line it overlaps most. A unit
whose scan words are all on such lines then has a third reading, which votes
like the published one (:mod:`.decide`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ocrfix.model import BBox, Page, enclosing

MODEL = "Cyrillic"  # Tesseract's script model for Cyrillic, Debian package tesseract-ocr-script-cyrl


def unsure_lines(page: Page, below: float) -> tuple[int, ...]:
    """The lines (indexes into ``page.lines``) whose words' mean confidence is below ``below``."""
    found = []
    for number, line in enumerate(page.lines):
        confidences = [w.confidence for w in line.words if w.confidence is not None]
        if confidences and line_box(page, number) is not None and sum(confidences) / len(confidences) < below:
            found.append(number)
    return tuple(found)


def line_box(page: Page, number: int) -> BBox | None:
    return enclosing(w.bbox for w in page.lines[number].words)


def third_readings(page: Page, other: Page, lines: Sequence[int]) -> Mapping[int, str]:
    """Per word of ``page`` on ``lines`` (its index in ``page.words``), what ``other`` reads there
    ("" where it reads nothing): each word of ``other`` goes to the scan word of the line it overlaps
    most, and a scan word's reading is the words it got, left to right."""
    first_word = []
    count = 0
    for line in page.lines:
        first_word.append(count)
        count += len(line.words)
    words = page.words
    got: dict[int, list[tuple[int, str]]] = {}
    for number in lines:
        for offset, _ in enumerate(page.lines[number].words):
            got[first_word[number] + offset] = []
    boxes = {number: line_box(page, number) for number in lines}
    for word in other.words:
        if word.bbox is None or not word.text.strip():
            continue
        line = max(lines, key=lambda n: _overlap(word.bbox.top, word.bbox.bottom, boxes[n].top, boxes[n].bottom),
                   default=None)
        if line is None or _overlap(word.bbox.top, word.bbox.bottom, boxes[line].top, boxes[line].bottom) < 0.5 * word.bbox.height:
            continue
        start = first_word[line]
        candidates = [start + i for i, w in enumerate(page.lines[line].words) if w.bbox is not None]
        best = max(candidates, key=lambda i: _overlap(word.bbox.left, word.bbox.right, words[i].bbox.left, words[i].bbox.right))
        if _overlap(word.bbox.left, word.bbox.right, words[best].bbox.left, words[best].bbox.right) > 0:
            got[best].append((word.bbox.left, word.text))
    return {index: " ".join(text for _, text in sorted(found)) for index, found in got.items()}


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))
