"""How fat are the strokes? Over-inked type fills its letters' counters and runs them together.

A fresh ribbon or a heavy strike spreads the ink: strokes measured at a third
of the x-height or more (typewriter and print strokes measure 0.1-0.25) merge
л into п and в into з for Tesseract. The stroke width is twice the median
distance from the ink's ridge (its medial pixels) to the paper, on an Otsu
split; thinning is a grey dilation (the paper eats one pixel of ink from every
edge), done only when the premise, fat strokes, is measured.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocrfix.preprocess.util import otsu_ink


def stroke_width(gray: np.ndarray) -> float | None:
    """The ink's typical stroke width in pixels, or None without ink.

    Measured on the ink's bounding box and two pixels of paper around it, within the image
    (a page's margins hold no ink, and the distances inside the box are those on the whole
    page): half the work on a typical page.
    """
    ink, _ = otsu_ink(gray)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    height, width = ink.shape
    ink = ink[max(0, rows[0] - 2) : min(height, rows[-1] + 3), max(0, cols[0] - 2) : min(width, cols[-1] + 3)]
    distance = cv2.distanceTransform(ink, cv2.DIST_L2, 5)
    ridge = (distance > 0) & (distance >= cv2.dilate(distance, np.ones((3, 3), np.uint8)))
    if not ridge.any():
        return None
    return 2.0 * float(np.median(distance[ridge]))


def thin(gray: np.ndarray) -> np.ndarray:
    """Ink one pixel thinner at every edge (dark on light paper)."""
    return cv2.dilate(gray, np.ones((3, 3), np.uint8))
