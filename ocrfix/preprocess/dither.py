"""Dithered toner cleared to paper at the ink's own darkness: the premise and the clearing of the dither step.

A photocopy of a photocopy prints grey toner as a dither: dots of one or two
pixels, dark or light, far finer than a typed stroke. Tesseract's threshold
keeps every dot, and the page reads as a field of symbols. Measured on the
flattened page: the mean deviation of each tile from its 3x3 median (a
median returns an isolated dot to the pixels around it, and leaves strokes
and their edges nearly as they are). Typed, printed and real typescript
pages keep under 20 grey levels in all but a handful of tiles; a dithered
blotch holds 20 to 50 over whole paragraphs.

Where the dithered tiles cover enough of the page, the strokes are told from
the toner by what each is, not by an average of both: typed strokes are
solid runs of the page's darkest grey, the toner a scatter of dots, each as
dark as ink at most but alone, and a dither's field lighter than ink as a
whole. Thresholded ever lighter from the ink's darkest grey, the ink a
threshold keeps in pieces larger than a dot grows fast while it fills the
strokes, slowly once their cores are whole (only their soft edges still
join), and fast again once the toner's dots touch each other and the
dither's field joins in. The level kept is the first where that growth
stops slowing: the strokes whole, the toner not yet joined. Pixels darker
than it in pieces of more than a few dots keep their grey; everything else
(each lone dot, the dither's field, the paper) becomes paper. Smoothing
the dots back into grey instead (an earlier form of this step) averages a
thin or lighter stroke with the paper or halo beside it into the grey of the
toner around it, and that stroke is lost. Elsewhere the step leaves the page
as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.preprocess.util import shrink_by

TILE = 32  # pixels: the side of the tiles measured
DITHERED_TILE = 20.0  # grey levels: a tile deviating more from its 3x3 median is dithered
DOT_AREA = 20  # pixels: a piece of ink under this is dots of toner (one or two pixels each); a typed period is twice that
FIRST_LEVEL = 30  # grey levels (paper 255 after flattening): the darkest threshold tried, inside the strokes' cores ...
LEVEL_STEP = 10  # ... then each this much lighter ...
LAST_LEVEL = 160  # ... up to this one (a dither's field is lighter than ink, a typed stroke's core darker)


@dataclass(frozen=True)
class Dither:
    """What the dither step measured (see :func:`descreen`)."""

    dithered_share: float  # share of the page's tiles found dithered
    cleared: np.ndarray | None  # the page with its toner set to paper when the step applies, else None
    ink_level: int | None = None  # the threshold that kept the strokes and cleared the toner (None: not applied)

    def settings(self) -> dict[str, float | bool | int | None]:
        return {"dithered_share": round(self.dithered_share, 3), "cleared": self.cleared is not None, "ink_level": self.ink_level}


def dithered_share(gray: np.ndarray) -> float:
    """Share of ``gray``'s whole tiles whose mean deviation from the 3x3 median is above :data:`DITHERED_TILE`."""
    rows, cols = gray.shape[0] // TILE, gray.shape[1] // TILE
    if rows == 0 or cols == 0:
        return 0.0
    deviation = cv2.absdiff(gray, cv2.medianBlur(gray, 3))
    tiles = shrink_by(deviation[: rows * TILE, : cols * TILE], TILE)
    return float(np.count_nonzero(tiles > DITHERED_TILE)) / tiles.size


def _pieces(gray: np.ndarray, level: int) -> tuple[np.ndarray, np.ndarray]:
    """The labels of the pieces darker than ``level`` and each label's area (label 0: the rest)."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats((gray < level).astype(np.uint8), connectivity=8)
    return labels, stats[:, cv2.CC_STAT_AREA]


def _solid(labels: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Mask of the pieces of at least :data:`DOT_AREA` pixels."""
    keep = areas >= DOT_AREA
    keep[0] = False  # (the background)
    return keep[labels]


def ink_level(gray: np.ndarray) -> int:
    """The threshold that keeps the strokes whole and leaves the toner's dots apart (see the module's text):
    from :data:`FIRST_LEVEL` lighter by :data:`LEVEL_STEP`, the first level after which the ink kept in
    pieces larger than a dot grows no slower than before it."""
    return _solid_ink(gray)[0]


def _solid_ink(gray: np.ndarray) -> tuple[int, np.ndarray]:
    """:func:`ink_level` and the mask of the pixels darker than it in pieces (8-connected) of at least
    :data:`DOT_AREA` pixels, from the labelling the search made at that level."""
    previous = None  # the previous level's pieces
    previous_area = previous_growth = None
    for level in range(FIRST_LEVEL, LAST_LEVEL + 1, LEVEL_STEP):
        pieces = _pieces(gray, level)
        areas = pieces[1][1:]
        area = int(areas[areas >= DOT_AREA].sum())
        if previous_area is not None:
            growth = (area - previous_area) / max(previous_area, 1)
            if previous_growth is not None and growth >= previous_growth:
                return level - LEVEL_STEP, _solid(*previous)
            previous_growth = growth
        previous, previous_area = pieces, area
    return LAST_LEVEL, _solid(*previous)


def descreen(gray: np.ndarray, min_share: float) -> Dither:
    """The dither step on the flattened page (paper light): when at least ``min_share`` of its tiles are
    dithered, every pixel but the solid ink under :func:`ink_level` set to paper; else left as it is
    (``cleared`` None)."""
    share = dithered_share(gray)
    if share < min_share:
        return Dither(share, None)
    level, ink = _solid_ink(gray)
    cleared = np.full_like(gray, 255)
    cleared[ink] = gray[ink]
    return Dither(share, cleared, level)
