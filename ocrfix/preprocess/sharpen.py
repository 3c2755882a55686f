"""Unsharp masking: restore the edges that scanner blur and ink spread soften.

Blurred bold type closes the counters of н, и, е and ш; subtracting a blurred
copy steepens each edge, so the threshold that follows finds the letter's
own outline instead of a blob.
"""

from __future__ import annotations

import cv2
import numpy as np


def unsharp(gray: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    """``gray + amount * (gray - blur(gray, sigma))``, saturated to uint8."""
    if amount <= 0 or sigma <= 0:
        return gray
    blurred = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1.0 + amount, blurred, -amount, 0)
