"""How noisy is the paper? The premises of sharpening and binarising, and of the toner filter.

A clean scan (a digital render, a good 600 dpi scan) has paper of one grey;
sensor noise, grain, JPEG blocks and toner dust make its paper busy. Measured
on the flattened page as the mean deviation of paper pixels from their 5x5
median (ink excluded), in grey levels, on a central window so it costs the
same on any page size. Toner dust (:func:`toner_dust`) is counted apart, as
specks per letter, and filtered where a median clears it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.preprocess.util import components, otsu_ink

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



SPECK_PIXELS = (2, 4)  # a dark component of this many pixels is a toner grain (no letter, no full stop at 150 dpi is this small;
# a lone dark pixel is sensor noise, which Tesseract's thresholding ignores)
LETTER_PIXELS = 30  # ... of at least this many, a letter or a part of one
CLEARED = 0.6  # the median must clear at least this share of the specks ...
CLUMPED = 1.05  # ... and leave at most this many times the letter-sized components it found


@dataclass(frozen=True)
class TonerDust:
    """What the toner filter measured (see :func:`toner_dust`)."""

    specks_per_letter: float
    specks_cleared: float  # share of the specks a 3x3 median removes
    letters_after: float  # letter-sized components after the median, per one before
    filtered: np.ndarray | None  # the median-filtered page when the filter applies, else None
    dense: bool = False  # sown with grains the median could not clear (dense dithered blotches): left as it is

    def settings(self) -> dict[str, float | bool]:
        return {
            "specks_per_letter": round(self.specks_per_letter, 2),
            "specks_cleared": round(self.specks_cleared, 3),
            "letters_after": round(self.letters_after, 3),
            "filtered": self.filtered is not None,
            "dense": self.dense,
        }


def toner_dust(gray: np.ndarray, min_specks_per_letter: float) -> TonerDust:
    """The toner filter and its premise, on the flattened page.

    A typed or printed page has next to no specks of a few pixels in its Otsu
    threshold (under 0.8 per letter-sized component on clean, faded, JPEG, tinted,
    skewed and folded pages); a photocopy of a photocopy is sown with toner grains, several
    per letter, which mislead every later measure (skew, x-height) and which
    Tesseract reads as symbols. A 3x3 median returns an isolated grain to the
    paper around it and keeps strokes wider than its window. It applies only
    where it works: when the grains are dense (a dithered grey blotch), the
    median merges them into letter-sized clumps instead, and the page is left as it is.
    """
    specks, letters = _components(gray)
    ratio = specks / max(1, letters)
    if ratio < min_specks_per_letter:
        return TonerDust(ratio, 0.0, 1.0, None)
    filtered = cv2.medianBlur(gray, 3)
    specks_after, letters_after = _components(filtered)
    cleared = 1.0 - specks_after / max(1, specks)
    growth = letters_after / max(1, letters)
    works = cleared >= CLEARED and growth <= CLUMPED
    return TonerDust(ratio, cleared, growth, filtered if works else None, dense=not works)


def _components(gray: np.ndarray) -> tuple[int, int]:
    """(specks, letter-sized components) of the page's Otsu threshold."""
    ink, _ = otsu_ink(gray)
    _, _, stats = components(ink)
    areas = stats[1:, cv2.CC_STAT_AREA]
    return int(np.count_nonzero((areas >= SPECK_PIXELS[0]) & (areas <= SPECK_PIXELS[1]))), int(np.count_nonzero(areas >= LETTER_PIXELS))
