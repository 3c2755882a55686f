"""How many text lines does an image hold? Bands of inked rows, for telling a line or a small crop from a page.

The x-height tells a strip of one line from a page (:func:`ocrfix.recognition.input_kind`),
but a crop of a word or two has too few letters to measure one. Its rows still
tell: the rows that carry ink form one band per text line, separated by blank
rows. Bands much lower than the tallest are marks above or below a line
(diacritics, a rule, a speck), not lines of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ocrfix.preprocess.util import otsu_ink

MIN_ROW_INK = 0.05  # a row carries ink when it holds at least this share of the most inked row's ink
MIN_LINE_SHARE = 0.4  # a band at least this share of the tallest band's height is a text line


@dataclass(frozen=True)
class TextBands:
    lines: int  # bands tall enough to be text lines
    line_height: int  # the tallest band's height, pixels (ascenders to descenders)


def text_bands(gray: np.ndarray) -> TextBands | None:
    """The text-line bands of a deskewed grey image (paper light), or None without ink."""
    ink, _ = otsu_ink(gray)
    profile = ink.sum(axis=1).astype(np.float64)
    top = float(profile.max()) if profile.size else 0.0
    if top <= 0:
        return None
    inked = np.concatenate(([False], profile >= MIN_ROW_INK * top, [False]))
    edges = np.flatnonzero(np.diff(inked.astype(np.int8)))
    heights = edges[1::2] - edges[0::2]
    if heights.size == 0:
        return None
    tallest = int(heights.max())
    return TextBands(lines=int(np.count_nonzero(heights >= MIN_LINE_SHARE * tallest)), line_height=tallest)
