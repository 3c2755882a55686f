"""Colour to gray, and the check for negative (white-on-black) scans."""

from __future__ import annotations

import cv2
import numpy as np

from ocrfix.preprocess.util import shrink_to


def to_gray(pixels: np.ndarray) -> np.ndarray:
    """uint8 gray from gray or RGB pixels (the ITU-R 601 luma OpenCV uses)."""
    if pixels.ndim == 2:
        return np.ascontiguousarray(pixels, dtype=np.uint8)
    if pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        code = cv2.COLOR_RGB2GRAY if pixels.shape[2] == 3 else cv2.COLOR_RGBA2GRAY
        return cv2.cvtColor(np.ascontiguousarray(pixels, dtype=np.uint8), code)
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        return np.ascontiguousarray(pixels[..., 0], dtype=np.uint8)
    raise ValueError(f"expected a gray or RGB image, got an array of shape {pixels.shape}")


def dark_share_of_centre(gray: np.ndarray) -> float:
    """Share of the page centre darker than its Otsu threshold.

    On a positive scan text is the minority of the centre (usually under
    25%); on a negative it is the majority. The centre is used because dark
    scanner-bed borders would otherwise count as "dark paper".
    """
    small = shrink_to(gray, 600)
    height, width = small.shape
    centre = small[height // 4 : height - height // 4, width // 4 : width - width // 4]
    if centre.size == 0 or int(centre.max()) - int(centre.min()) < 16:
        return 0.0
    threshold, _ = cv2.threshold(centre, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(np.count_nonzero(centre <= threshold)) / centre.size


def is_negative(gray: np.ndarray, limit: float = 0.5) -> bool:
    return dark_share_of_centre(gray) > limit
