"""How noisy is the paper? The premise of sharpening and binarising.

A clean scan (a digital render, a good 600 dpi scan) has paper of one grey;
sensor noise, grain, JPEG blocks and toner dust make its paper busy. Measured
on the flattened page as the mean deviation of paper pixels from their 5x5
median (ink excluded), in grey levels, on a central window so it costs the
same on any page size.
"""

from __future__ import annotations

import cv2
import numpy as np

WINDOW = 1200  # side of the central window measured, pixels
PAPER = 0.9  # a pixel whose 5x5 median is above this share of white is paper


def paper_noise(gray: np.ndarray) -> float:
    """Mean absolute deviation of the paper from its local median, grey levels (flattened page)."""
    height, width = gray.shape
    top, left = max(0, (height - WINDOW) // 2), max(0, (width - WINDOW) // 2)
    window = np.ascontiguousarray(gray[top : top + WINDOW, left : left + WINDOW])
    median = cv2.medianBlur(window, 5)
    paper = median > PAPER * 255
    if not paper.any():
        return 0.0
    return float(np.abs(window.astype(np.int16) - median.astype(np.int16))[paper].mean())
