"""Measure the text's x-height and choose the factor that brings it to Tesseract's liking.

In Russian lowercase most letters (а в г е ж з и к л м н о п с т х ч ш ъ ы ь э ю я)
are exactly x-height tall, so the most common height of letter-sized
connected components is the x-height. Measured on a half-size copy and
refined to a fraction of a pixel by a parabola through the histogram peak.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocrfix.preprocess.util import components, otsu_ink, shrink_by

MEASURE_REDUCTION = 2  # measured on a copy this many times smaller
MIN_COMPONENTS = 20


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
    letter_like = (heights >= 4) & (heights <= small.shape[0] / 8) & (widths <= heights * 3) & (widths >= 2) & (areas >= 6)
    heights = heights[letter_like]
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


def scale_factor(x_height: float | None, target: float, low: float, high: float, limits: tuple[float, float] = (0.2, 5.0)) -> float:
    """1.0 when the x-height is already within [low, high]; else the factor that reaches ``target``."""
    if x_height is None or x_height <= 0 or low <= x_height <= high:
        return 1.0
    return float(np.clip(target / x_height, *limits))
