"""The text lines of an image, from its ink alone (no OCR).

Two measures:

- :func:`text_bands`: how many lines an image holds, for telling a line or a
  small crop from a page. The x-height tells a strip of one line from a page
  (:func:`ocrfix.recognition.input_kind`), but a crop of a word or two has too
  few letters to measure one. Its rows still tell: the rows that carry ink form
  one band per text line, separated by blank rows. Bands much lower than the
  tallest are marks above or below a line (diacritics, a rule, a speck), not
  lines of their own.
- :func:`text_line_bands`: where the text lines of a prepared page lie. A text
  line is a horizontal run of letters: components about one x-height tall
  (0.5-2.5x; any width, as fat type runs a word's letters together) that stand
  beside another of their size at the same height
  (:func:`ocrfix.preprocess.scale.on_text_lines`, on their middles). Specks,
  blots, rules and stains fail one test or the other. The rows those letters
  cover, merged where they overlap, are the page's line bands, each with the
  horizontal extent of its letters. Needs a deskewed page with dark ink on
  light paper (grey or binary).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.preprocess import scale
from ocrfix.preprocess.util import components, otsu_ink

MIN_ROW_INK = 0.05  # a row carries ink when it holds at least this share of the most inked row's ink
MIN_LINE_SHARE = 0.4  # a band at least this share of the tallest band's height is a text line
MIN_LETTER, MAX_LETTER = 0.5, 2.5  # x-heights: the height of a component counted as a letter
MIN_LETTERS = 4  # a band with fewer letters is not a text line


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


@dataclass(frozen=True)
class Band:
    """One text line's place: rows [top, bottom), columns [left, right), and how many letters it holds."""

    top: int
    bottom: int
    left: int
    right: int
    letters: int


def text_line_bands(gray: np.ndarray, x_height: float) -> list[Band]:
    """The text lines of ``gray`` (see the module's description), top to bottom."""
    ink, _ = otsu_ink(gray)
    count, _, stats = components(ink)
    if count <= 1:
        return []
    left, top = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_TOP]
    width, height = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    letter = (height >= MIN_LETTER * x_height) & (height <= MAX_LETTER * x_height)  # any width: fat type joins letters
    index = np.nonzero(letter)[0]
    if len(index) == 0:
        return []
    # the neighbour test on the components' middles, not their bottoms: a word run together into one
    # component reaches down with its descenders, while its middle stays on the line's
    middle = top[index] + height[index] // 2
    on_line = scale.on_text_lines(left[index], width[index], middle, height[index], band=max(2.0, 0.5 * x_height))
    index = index[on_line]
    rows = np.zeros(gray.shape[0] + 1, np.int32)
    np.add.at(rows, top[index], 1)
    np.add.at(rows, top[index] + height[index], -1)
    covered = np.cumsum(rows)[:-1] > 0
    edges = np.flatnonzero(np.diff(np.concatenate(([0], covered.astype(np.int8), [0]))))
    bands = []
    for start, stop in zip(edges[0::2], edges[1::2]):
        inside = index[(top[index] >= start) & (top[index] + height[index] <= stop)]
        if len(inside) < MIN_LETTERS:
            continue
        bands.append(Band(int(start), int(stop), int(left[inside].min()), int((left[inside] + width[inside]).max()),
                          len(inside)))  # fmt: skip
    return bands
