"""Measure the text's x-height and choose the factor that brings it to Tesseract's liking.

In Russian lowercase most letters (а в г е ж з и к л м н о п с т х ч ш ъ ы ь э ю я)
are exactly x-height tall, so the most common height of letters is the
x-height. Only components that pass a noise check count as letters: a letter
stands on a text line, so another component of about its height stands
beside it on the same baseline (toner specks, dust and halftone dots, which
can outnumber the letters of a photocopy, scatter at random heights and
places). Measured on a half-size copy and refined to a fraction of a pixel
by a parabola through the histogram peak.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocrfix.preprocess.util import components, otsu_ink, shrink_by

MEASURE_REDUCTION = 2  # measured on a copy this many times smaller
MIN_COMPONENTS = 8  # letters on text lines needed to measure: a word or two (a line image, a small crop)
BASELINE_BAND = 3  # pixels of the measuring copy: letters of a line stand within this of one baseline
NEIGHBOURS_LOOKED_AT = 3  # components looked at to the right of each, within its band
NEIGHBOUR_GAP = 1.5  # x-heights: the widest gap between neighbouring letters of a word
MAX_UPSCALE = 3.0  # a page is never enlarged more (a 100 dpi scan reaches the target; a mismeasure cannot blow a page up)


def estimate_x_height(gray: np.ndarray) -> float | None:
    """The x-height in pixels of ``gray`` (deskewed, paper light), or None without enough letters."""
    height, width = gray.shape
    reduction = MEASURE_REDUCTION if min(height, width) >= 400 else 1
    small = shrink_by(gray, reduction)
    factor = 1.0 / reduction
    ink, _ = otsu_ink(small)
    count, _, stats = components(ink)
    if count <= MIN_COMPONENTS:
        return None
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    letter_like = (heights >= 4) & (heights <= max(small.shape) / 8) & (widths <= heights * 3) & (widths >= 2) & (areas >= 6)
    lefts, bottoms = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_TOP] + stats[1:, cv2.CC_STAT_HEIGHT]
    index = np.nonzero(letter_like)[0]
    on_line = on_text_lines(lefts[index], widths[index], bottoms[index], heights[index])
    heights = heights[index[on_line]]
    if len(heights) < MIN_COMPONENTS:
        return None
    histogram = np.bincount(heights).astype(np.float64)
    smoothed = np.convolve(histogram, [0.25, 0.5, 0.25], mode="same")
    peak = int(np.argmax(smoothed))
    refined = float(peak)
    if 0 < peak < len(smoothed) - 1:
        left, centre, right = smoothed[peak - 1 : peak + 2]
        curvature = left - 2 * centre + right
        if curvature < 0:
            refined += 0.5 * (left - right) / curvature
    return max(1.0, refined) / factor


def on_text_lines(
    left: np.ndarray, width: np.ndarray, bottom: np.ndarray, height: np.ndarray, band: float = BASELINE_BAND
) -> np.ndarray:
    """For each component: does one of about its height (0.6-1.6x) stand right after it on its baseline?

    Neighbours are looked for among the next few components, left to right,
    in bands of nearby baselines, ``band`` pixels high (two sets of bands, offset by
    half a band, so two bottoms a pixel apart always share one).
    """
    found = np.zeros(len(left), bool)
    right = left + width
    for offset in (0.0, band / 2.0):
        row = np.floor((bottom + offset) / band).astype(np.int64)
        order = np.lexsort((left, row))
        for step in range(1, NEIGHBOURS_LOOKED_AT + 1):
            a, b = order[:-step], order[step:]
            gap = left[b] - right[a]
            ratio = height[b] / np.maximum(height[a], 1)
            hit = (row[a] == row[b]) & (gap >= -1) & (gap <= NEIGHBOUR_GAP * height[a]) & (ratio >= 0.6) & (ratio <= 1.6)
            found[a[hit]] = True
            found[b[hit]] = True
    return found


def scale_factor(x_height: float | None, target: float, low: float, high: float, limits: tuple[float, float] = (0.25, MAX_UPSCALE)) -> float:
    """1.0 when the x-height is already within [low, high]; else the factor that reaches ``target``."""
    if x_height is None or x_height <= 0 or low <= x_height <= high:
        return 1.0
    return float(np.clip(target / x_height, *limits))


def line_core_height(gray: np.ndarray) -> float | None:
    """The median height of the text lines' dense core (x-height band), from the row profile of the ink.

    Noise scattered over the page raises the profile everywhere alike, so the
    floor (the gaps between lines) is subtracted first; what stands clearly
    above it, row after row, is the band between baseline and x-line where
    every letter has ink. Needs a deskewed page of a few lines.
    """
    height, width = gray.shape
    reduction = MEASURE_REDUCTION if min(height, width) >= 400 else 1
    small = shrink_by(gray, reduction)
    ink, _ = otsu_ink(small)
    profile = ink.sum(axis=1).astype(np.float64)
    profile = np.maximum(profile - np.percentile(profile, 10), 0.0)
    top = float(np.percentile(profile, 95))
    if top <= 0:
        return None
    dense = np.concatenate(([False], profile > 0.5 * top, [False]))
    edges = np.flatnonzero(np.diff(dense.astype(np.int8)))
    runs = edges[1::2] - edges[0::2]
    runs = runs[runs >= 2]
    if len(runs) < 3:
        return None
    return float(np.median(runs)) * reduction
