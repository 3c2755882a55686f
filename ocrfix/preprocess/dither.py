"""Dithered toner read back as grey: the premise and the low-pass of the dither step.

A photocopy of a photocopy prints grey toner as a dither: dots of one or two
pixels, dark or light, far finer than a typed stroke. Tesseract's threshold
keeps every dot, and the page reads as a field of symbols. Measured on the
flattened page: the mean deviation of each tile from its 3x3 median (a
median returns an isolated dot to the pixels around it, and leaves strokes
and their edges nearly as they are). Typed, printed and real typescript
pages keep under 20 grey levels in all but a handful of tiles; a dithered
blotch holds 20 to 50 over whole paragraphs. Where the dithered tiles cover
enough of the page, the page is smoothed at the dots' scale (averaged back
into the grey they print), divided by its local grey (the median over a
window wider than a letter, so a blotch becomes paper and strokes, darker
than the grey around them, keep their contrast), and what the smoothing
leaves of the dots, a mottle about the grey, is set to paper: the white
point lies a few of the mottle's spreads below the grey. Elsewhere the step
leaves the page as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.preprocess.util import odd, shrink_by

TILE = 32  # pixels: the side of the tiles measured
DITHERED_TILE = 20.0  # grey levels: a tile deviating more from its 3x3 median is dithered
GRAIN_SIGMA = 2.0  # pixels: the low-pass, wider than a dither's dot, narrower than a typed stroke's width
REDUCTION = 4  # the local grey is measured on a copy this many times smaller ...
GREY_WINDOW = 31  # ... over this many of its pixels (a window wider than a letter)
MOTTLE = 2.5  # spreads of the smoothed dither around its grey taken for paper
MIN_WHITE = 0.3  # the white point never below this share of the local grey


@dataclass(frozen=True)
class Dither:
    """What the dither step measured (see :func:`descreen`)."""

    dithered_share: float  # share of the page's tiles found dithered
    smoothed: np.ndarray | None  # the page read back as grey when the step applies, else None

    def settings(self) -> dict[str, float | bool]:
        return {"dithered_share": round(self.dithered_share, 3), "smoothed": self.smoothed is not None}


def dithered_share(gray: np.ndarray) -> float:
    """Share of ``gray``'s whole tiles whose mean deviation from the 3x3 median is above :data:`DITHERED_TILE`."""
    rows, cols = gray.shape[0] // TILE, gray.shape[1] // TILE
    if rows == 0 or cols == 0:
        return 0.0
    deviation = cv2.absdiff(gray, cv2.medianBlur(gray, 3))
    tiles = shrink_by(deviation[: rows * TILE, : cols * TILE], TILE)
    return float(np.count_nonzero(tiles > DITHERED_TILE)) / tiles.size


def descreen(gray: np.ndarray, min_share: float) -> Dither:
    """The dither step on the flattened page: smoothed and divided by its local grey when at least
    ``min_share`` of its tiles are dithered; else left as it is (``smoothed`` None)."""
    share = dithered_share(gray)
    if share < min_share:
        return Dither(share, None)
    smooth = cv2.GaussianBlur(gray, (0, 0), GRAIN_SIGMA)
    small = shrink_by(smooth, REDUCTION)
    grey = cv2.resize(cv2.medianBlur(small, odd(GREY_WINDOW)), (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    ratio = smooth.astype(np.float32) / np.maximum(grey, 1).astype(np.float32)
    # What the low-pass leaves of the dither is a mottle around the local grey; its spread, measured on the
    # whole page (mostly paper), sets the white point: a pixel within MOTTLE spreads of the grey is paper.
    sample = ratio[::4, ::4]
    centre = float(np.median(sample))
    spread = 1.4826 * float(np.median(np.abs(sample - centre)))
    white = max(MIN_WHITE, centre - MOTTLE * spread)
    return Dither(share, np.clip(ratio * (255.0 / white), 0, 255).astype(np.uint8))
