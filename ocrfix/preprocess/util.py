"""Small image helpers shared by the preprocessing steps."""

from __future__ import annotations

import cv2
import numpy as np

STROKE_CLOSING = 0.4  # x-heights: wider than a typed stroke (about a fifth of the x-height), narrower than a stain's mottle
MIN_SIDE = 5  # pixels: the stroke closing is made on a half-size copy only where it spans at least this there


def shrink_to(gray: np.ndarray, longest_side: int) -> np.ndarray:
    """A copy about ``longest_side`` long or less, reduced by a whole factor.

    Area averaging by an exact whole factor is several times faster in
    OpenCV than by an arbitrary one, so the last few rows and columns that do
    not fill a whole block are dropped: this copy is for measuring, not output.
    """
    return shrink_by(gray, _shrink_factor(gray.shape, longest_side))


def shrunk_width(shape: tuple[int, ...], longest_side: int) -> int:
    """The width of :func:`shrink_to`'s copy of an image of ``shape``, without making it."""
    factor = _shrink_factor(shape, longest_side)
    return shape[1] if factor <= 1 else max(1, shape[1] // factor)


def _shrink_factor(shape: tuple[int, ...], longest_side: int) -> int:
    height, width = shape[:2]
    return int(np.ceil(max(height, width) / longest_side))


def shrink_by(gray: np.ndarray, factor: int) -> np.ndarray:
    """Reduce by the whole ``factor`` (area averaging); the ragged edge is dropped."""
    if factor <= 1:
        return gray
    height, width = gray.shape[:2]
    rows, cols = max(1, height // factor), max(1, width // factor)
    if height < factor or width < factor:
        return cv2.resize(gray, (cols, rows), interpolation=cv2.INTER_AREA)
    block = gray[: rows * factor, : cols * factor]
    return cv2.resize(block, (cols, rows), interpolation=cv2.INTER_AREA)


def otsu_ink(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Ink mask (1 = darker than Otsu's threshold) and the threshold."""
    threshold, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink, float(threshold)


def odd(value: float, minimum: int = 3) -> int:
    number = max(minimum, int(round(value)))
    return number if number % 2 else number + 1


def grey_closing(gray: np.ndarray, side: float) -> np.ndarray:
    """``gray`` (paper light) closed by an ellipse :func:`odd` (``side``) pixels across, its border
    replicated: every dark feature narrower than that filled in from the paper around it."""
    width = odd(side)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (width, width))
    return cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)


def closed_over_strokes(gray: np.ndarray, x_height: float) -> np.ndarray:
    """``gray`` (paper light) with every dark feature narrower than STROKE_CLOSING x-heights closed over.

    Closed on a copy half as large where the closing still spans MIN_SIDE pixels there (a quarter of
    the time, and what is closed over is smooth), then brought back to ``gray``'s size.
    """
    height, width = gray.shape[:2]
    reduction = 2 if STROKE_CLOSING * x_height / 2 >= MIN_SIDE else 1
    closed = grey_closing(shrink_by(gray, reduction), STROKE_CLOSING * x_height / reduction)
    if reduction == 1:
        return closed
    return cv2.resize(closed, (width, height), interpolation=cv2.INTER_LINEAR)


def components(ink: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """8-connected components of a 0/1 mask: (count, labels, stats).

    16-bit labels are several times faster to write than 32-bit ones; a page
    with more than 65535 marks (pure noise) falls back to 32 bits.
    """
    try:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_16U)
    except cv2.error:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8, ltype=cv2.CV_32S)
    return count, labels, stats
