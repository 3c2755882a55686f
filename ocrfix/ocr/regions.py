"""Reading some regions of a page image again, their words in the page's frame.

:func:`read_regions` blanks what lies outside the given boxes (each padded by
``pad`` pixels) and recognises what is left in one Tesseract run with the
settings asked for (another model, another page segmentation mode), shown
either the boxes' extent cut out (``crop``) or the whole page. The words,
lines and blocks it returns have their boxes in the page image's frame, so they
line up with the first reading's. Used for a line the page's reading left out
(``ocrfix.line_check``: one band cut out, ``--psm 7`` or ``13``) and for the
scan's unsure lines read by another model (the third witness of
``ocrfix.reconcile``: ``Cyrillic``, on the whole page, where its page analysis
sees the lines in place; cut out, one development page of bench_reconcile read
differently). A missing model is a :class:`~ocrfix.errors.MissingDependencyError`
naming its Debian package (:func:`ocrfix.ocr.tesseract.probe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ocrfix.config import OcrConfig
from ocrfix.model import BBox, Line, Page, Word
from ocrfix.ocr.recognize import recognize

PAD = 4  # pixels of white kept around each region: the ink of a line reaches a little beyond its box


def read_regions(image: np.ndarray, boxes: Sequence[BBox], config: OcrConfig, *, pad: int = PAD, crop: bool = True,
                 source: str = "") -> Page:
    """The words Tesseract reads in ``boxes`` of ``image`` (each padded by ``pad``), in one run, in the
    image's frame (the page's size is the image's); ``crop``: Tesseract is shown only the boxes' extent."""
    height, width = image.shape[:2]
    padded = [(max(0, b.top - pad), min(height, b.bottom + pad), max(0, b.left - pad), min(width, b.right + pad))
              for b in boxes]
    padded = [(y0, y1, x0, x1) for y0, y1, x0, x1 in padded if y1 > y0 and x1 > x0]
    if not padded:
        return Page((), width=int(width), height=int(height), source=source)
    top, left = (min(p[0] for p in padded), min(p[2] for p in padded)) if crop else (0, 0)
    bottom, right = (max(p[1] for p in padded), max(p[3] for p in padded)) if crop else (height, width)
    area = image[top:bottom, left:right]
    if crop and len(padded) == 1:
        shown = np.ascontiguousarray(area)
    else:  # white outside the regions: only they are read
        shown = np.full_like(area, 255)
        for y0, y1, x0, x1 in padded:
            shown[y0 - top : y1 - top, x0 - left : x1 - left] = area[y0 - top : y1 - top, x0 - left : x1 - left]
    page = recognize(shown, config, source=source)
    return replace(_shifted(page, left, top), width=int(width), height=int(height))


def _shifted(page: Page, dx: int, dy: int) -> Page:
    """``page`` with every box moved by (dx, dy)."""
    def box(b: BBox | None) -> BBox | None:
        return None if b is None else BBox(b.left + dx, b.top + dy, b.right + dx, b.bottom + dy)

    def word(w: Word) -> Word:
        return replace(w, bbox=box(w.bbox))

    def line(ln: Line) -> Line:
        return replace(ln, words=tuple(word(w) for w in ln.words), bbox=box(ln.bbox))

    return replace(page, blocks=tuple(replace(b, lines=tuple(line(ln) for ln in b.lines), bbox=box(b.bbox))
                                      for b in page.blocks))
