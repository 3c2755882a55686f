"""Flatten uneven lighting and paper tint: divide by the estimated background.

The background is what the page would look like without ink. On a reduced
copy, a grey closing wider than any letter removes the text; a median blur
smooths what remains. Dividing the page by it brings the paper to white
everywhere while ink keeps its contrast to the paper around it.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocrfix.preprocess.util import grey_closing, odd, shrink_by

WORK_FACTOR = 4  # the background is estimated on a copy this many times smaller


def estimate_background(gray: np.ndarray, letter_px: float = 60.0, reduction: int = WORK_FACTOR) -> np.ndarray:
    """The page without its ink, same size as ``gray``.

    ``letter_px`` is an upper bound on a letter's size in ``gray`` pixels; the background is
    estimated on a copy ``reduction`` times smaller (1: ``gray`` is a reduced copy already).
    """
    height, width = gray.shape
    small = shrink_by(gray, reduction)
    kernel_side = odd(letter_px / reduction)
    background = grey_closing(small, kernel_side)
    background = cv2.medianBlur(background, odd(kernel_side * 1.5))
    return cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)


def flatten(gray: np.ndarray, letter_px: float = 60.0, reduction: int = WORK_FACTOR) -> np.ndarray:
    """``gray`` divided by its background: paper near 255, ink as dark as before relative to it."""
    background = estimate_background(gray, letter_px, reduction)
    return cv2.divide(gray, np.maximum(background, 1), scale=255)
