"""Reading some regions of a page again, with another model.

:func:`read_regions` blanks everything of the page image outside the given
boxes (lines, padded) and recognises what is left in one Tesseract run, with
the languages asked for (``Cyrillic``: Tesseract's script model). The words it
returns are in the page's own frame, so they line up with the first reading's
boxes. A missing model is a :class:`~ocrfix.errors.MissingDependencyError`
naming its Debian package (:func:`ocrfix.ocr.tesseract.probe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ocrfix.config import OcrConfig
from ocrfix.model import BBox, Page
from ocrfix.ocr.recognize import recognize

PAD = 4  # pixels of white kept around each region: the ink of a line reaches a little beyond its box


def read_regions(image: np.ndarray, boxes: Sequence[BBox], config: OcrConfig, languages: str, *,
                 source: str = "") -> Page:
    """The words Tesseract reads in ``boxes`` of ``image`` with ``languages`` (one run, page frame)."""
    pixels = image if image.ndim == 2 else image[..., :3].mean(axis=2).astype(np.uint8)
    kept = np.full_like(pixels, 255)
    height, width = pixels.shape[:2]
    for box in boxes:
        top, bottom = max(0, box.top - PAD), min(height, box.bottom + PAD)
        left, right = max(0, box.left - PAD), min(width, box.right + PAD)
        kept[top:bottom, left:right] = pixels[top:bottom, left:right]
    return recognize(kept, replace(config, languages=languages, char_alternatives=False), source=source)
