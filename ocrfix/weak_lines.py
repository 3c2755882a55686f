"""A fallback preparation read only where the page's first reading is weak.

A binarised page whose first reading holds garbage is read as loaded, and, when
the two readings were a close call, once more kept grey (:mod:`ocrfix.recognition`).
That last reading finishes the same shaped page as the first, so its lines lie
in the same places, and the first reading says where it can change anything:
its weak lines (a garbage token, or estimated below WEAK_SCORE with the lexicon
or without it) and the text bands of the image it read no word on
(:func:`ocrfix.line_check.missed_bands`). Only those are read
(:func:`ocrfix.ocr.regions.read_regions`: one Tesseract run, the rest of the
page white), and the preparation's reading of the page is the first reading
with its weak lines replaced by what that run read there (:func:`replaced`).
The verdict weighs it as it weighs a whole reading, and its lines mend the kept
reading's as a whole reading's do (:mod:`ocrfix.page_merge`).

The second reading, which revisits the page's tone call (kept grey or
binarised), is read whole: a wrong call spoils every line, also lines
Tesseract reads confidently. And a page weak in more than WHOLE_SHARE of its
lines is read whole: reading nearly all its lines costs as much, and the
preparation's own page analysis may find lines the first reading's boxes cut apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from ocrfix import line_check
from ocrfix.model import BBox, Line, Page, with_ids
from ocrfix.ocr import quality as page_quality
from ocrfix.preprocess.lines import Band, text_line_bands

WEAK_SCORE = 0.85  # a line estimated below this (with the lexicon or without it) is weak
WHOLE_SHARE = 0.9  # a page with more of its lines weak than this share is read whole
PAD = 0.3  # x-heights of paper kept around a weak line's box (its ink reaches a little beyond it)


def weak_line_ids(page: Page, knows: Callable[[str], bool] | None) -> tuple[str, ...]:
    """The ids of the lines of ``page`` that hold a garbage token or are estimated below WEAK_SCORE."""
    weak = []
    for line in page.lines:
        if not line.words:
            continue
        check = page_quality.estimate_words(line.words, knows)
        if check.garbage_characters or check.score < WEAK_SCORE or check.free_score < WEAK_SCORE:
            weak.append(line.id)
    return tuple(weak)


def regions(
    page: Page, image: np.ndarray, x_height: float, knows: Callable[[str], bool] | None, *, bands: list[Band] | None = None
) -> tuple[tuple[str, ...], list[BBox]] | None:
    """The weak lines of ``page`` (read from ``image``) and the boxes to read again: theirs, padded, and
    the text bands ``page`` has no word on; None when the page is to be read whole (no line read, a
    line without a box among the weak ones, or more than WHOLE_SHARE of its lines weak). ``bands``:
    the image's :func:`~ocrfix.preprocess.lines.text_line_bands` at ``x_height``, when measured already."""
    lines = [line for line in page.lines if line.words]
    weak = weak_line_ids(page, knows)
    if not lines or not weak or len(weak) > WHOLE_SHARE * len(lines):
        return None
    boxes = [line.bbox for line in lines if line.id in weak]
    if any(box is None for box in boxes):
        return None
    pad = int(round(PAD * x_height))
    height, width = image.shape[:2]
    padded = [BBox(max(0, b.left - pad), max(0, b.top - pad), min(width, b.right + pad), min(height, b.bottom + pad))
              for b in boxes if b is not None]  # fmt: skip
    missed = line_check.missed_bands(page, text_line_bands(image, x_height) if bands is None else bands)
    return weak, padded + [BBox(b.left, b.top, b.right, b.bottom) for b in missed]


def replaced(page: Page, weak: Sequence[str], read_again: Page) -> Page:
    """``page`` with its lines ``weak`` (ids) left out and the lines of ``read_again`` (the same frame)
    put in their places on the page, with fresh ids."""
    dropped = set(weak)
    kept = line_check.without_lines(page, lambda line: line.id in dropped)
    new_lines = [Line(tuple(replace(w, id="") for w in line.words), line.bbox)
                 for line in read_again.lines if any(w.text.strip() for w in line.words)]  # fmt: skip
    return with_ids(line_check.inserted(kept, new_lines))
