"""Stains lifted off the paper: the page divided by itself with its strokes closed over.

The illumination step divides the page by a background wider than any
letter, which takes lighting and tint away but leaves what is smaller than
that: a stain's mottle (blotches and rings a few letters across, as grey as
type). The paper between them is calm, so the page passes for clean and is
given to Tesseract grey, mottle and all; Tesseract then takes the blotches
for print, and a page whose letters a reader sees clearly comes out as
fragments and symbols.

What tells a stroke from a stain is width. A grey closing a little wider
than a stroke (STROKE_CLOSING x-heights: :func:`.util.closed_over_strokes`,
shared with the unbending step) takes the letters out and leaves the mottle;
dividing the page by it brings the mottle to white and keeps each stroke as
dark as it was against what lay under it.

The premise: calm paper (the grain a clean page has, no toner dust) with a
mottle larger than a letter, darker than STAIN_LEVEL over at least
STAIN_SHARE of the page once closed over at MOTTLE_CLOSING x-heights. A
closing that wide also takes out heavily inked letters and grainy paper
(real typescripts), which must keep their ink; dithered toner blotches
come with noisy or dusty paper and are the toner step's to judge.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.preprocess.util import closed_over_strokes, grey_closing, shrink_by

MOTTLE_CLOSING = 1.0  # x-heights: a mottle that survives a closing this wide is larger than a letter
STAIN_LEVEL = 225  # grey levels: the closed page darker than this is stained there (flattened paper is near 255)
STAIN_SHARE = 0.05  # the share of the page that must be stained for the page to be lifted
REDUCTION = 4  # the mottle is measured on a copy this many times smaller


@dataclass(frozen=True)
class Stains:
    share: float | None  # of the page under a mottle larger than a letter; None: not measured (paper not calm)
    lifted: np.ndarray | None  # the page with its stains lifted; None when the premise does not hold

    def settings(self) -> dict[str, object]:
        share = None if self.share is None else round(self.share, 3)
        return {"stained_share": share, "lifted": self.lifted is not None}


def stained_share(gray: np.ndarray, x_height: float) -> float:
    """The share of ``gray`` (flattened, paper light) under a mottle larger than a letter."""
    closed = grey_closing(shrink_by(gray, REDUCTION), MOTTLE_CLOSING * x_height / REDUCTION)
    return float(np.count_nonzero(closed < STAIN_LEVEL)) / max(closed.size, 1)


def lift(gray: np.ndarray, x_height: float, *, calm_paper: bool) -> Stains:
    """``gray`` (flattened, uint8) with its stains lifted, if it is stained (see the module's description)."""
    if not calm_paper:
        return Stains(None, None)
    share = stained_share(gray, x_height)
    if share < STAIN_SHARE:
        return Stains(share, None)
    closed = closed_over_strokes(gray, x_height)
    return Stains(share, cv2.divide(gray, np.maximum(closed, 1), scale=255))
