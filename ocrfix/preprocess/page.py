"""Find the sheet of paper in a scan and drop what lies outside it.

Scanner beds, black photocopy margins and the shadow along the paper's edge
are darker than the paper. On a reduced copy, Otsu's threshold splits bright
from dark; closing fills the text holes in the bright part; the largest
bright region, made convex, is the sheet. The image is cropped to the sheet's
box, and what lies outside the sheet (the corners of a skewed sheet) is
painted with the paper's own grey, so no later step sees a border. Text lies
inside the paper, so it is never cropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.model import BBox
from ocrfix.preprocess.util import shrink_to

WORK_SIDE = 800  # longest side of the reduced copy the search runs on
MIN_PAPER_SHARE = 0.2  # a "sheet" smaller than this share of the scan is not trusted
BED_DARKNESS = 0.7  # the bed's median grey is below this share of the paper's
BLACK_BED = 0.35  # below this share it is a bed without further question
MAX_STROKES_LEFT_OUT = 0.01  # a bed holds at most this share of the strokes the sheet holds ...
MIN_BED_STROKES = 0.002  # ... or next to none (this share of its own area)
STROKE_FLOOR = 0.08  # and a stroke is at least this share of the paper's grey darker than its surroundings
STROKE_CONTRAST = 0.2  # a stroke is this much darker than the paper around it (share of the paper's grey)


@dataclass(frozen=True)
class PaperRegion:
    box: BBox  # in the input image's pixels
    outline: np.ndarray  # convex polygon of the sheet, (N, 2) int32, in input pixels
    paper_level: int  # typical grey of the paper
    found_border: bool


def find_paper(gray: np.ndarray, inset_fraction: float = 0.01) -> PaperRegion:
    """The sheet in ``gray``; the whole image when no border is found.

    ``inset_fraction`` (of the shorter side) pulls the outline inwards so the
    grey transition at the paper's edge is dropped with the bed.
    """
    height, width = gray.shape
    whole = BBox(0, 0, width, height)
    small = shrink_to(gray, WORK_SIDE)
    factor = width / small.shape[1]
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    threshold, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper_level = int(np.median(small[bright > 0])) if np.any(bright) else 255
    close_size = max(3, round(min(small.shape) * 0.03)) | 1
    # Open away light specks on the bed (they would pull the outline outwards), then close
    # the text holes; the dark padding keeps thin bed strips at the image edge from being closed over.
    open_size = max(3, round(min(small.shape) * 0.012)) | 1
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (open_size, open_size)))
    padded = cv2.copyMakeBorder(bright, close_size, close_size, close_size, close_size, cv2.BORDER_CONSTANT, value=0)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (close_size, close_size))
    bright = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, kernel)[close_size:-close_size, close_size:-close_size]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=4)
    if count < 2:
        return PaperRegion(whole, _box_outline(whole), paper_level, False)
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[largest, cv2.CC_STAT_AREA] < MIN_PAPER_SHARE * small.size:
        return PaperRegion(whole, _box_outline(whole), paper_level, False)
    mask = (labels == largest).astype(np.uint8)
    # A sheet touching every edge with only specks outside is the whole image.
    dark_share = 1.0 - float(np.count_nonzero(mask)) / mask.size
    if dark_share < 0.01:
        return PaperRegion(whole, _box_outline(whole), paper_level, False)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(max(contours, key=cv2.contourArea)).reshape(-1, 2).astype(np.float64)
    if not _looks_like_bed(small, hull, paper_level):
        return PaperRegion(whole, _box_outline(whole), paper_level, False)
    hull = _inset(hull, inset_fraction * min(small.shape))
    outline = np.round(hull * factor).astype(np.int32)
    outline[:, 0] = np.clip(outline[:, 0], 0, width)
    outline[:, 1] = np.clip(outline[:, 1], 0, height)
    left, top = outline.min(axis=0)
    right, bottom = outline.max(axis=0)
    box = BBox(int(left), int(top), int(right), int(bottom))
    if box.width < 8 or box.height < 8:
        return PaperRegion(whole, _box_outline(whole), paper_level, False)
    return PaperRegion(box, outline, paper_level, True)


def crop_to_paper(gray: np.ndarray, region: PaperRegion) -> tuple[np.ndarray, np.ndarray | None]:
    """The sheet's box, with the area outside the sheet painted paper-grey.

    Also returns the mask of that outside area (None when there is none), so
    a later step can paint it white once the paper itself is white.
    """
    box = region.box
    cropped = np.ascontiguousarray(gray[box.top : box.bottom, box.left : box.right])
    if not region.found_border:
        return cropped.copy(), None
    inside = np.zeros(cropped.shape, np.uint8)
    cv2.fillConvexPoly(inside, region.outline - np.array([box.left, box.top], np.int32), 1)
    outside = inside == 0
    result = cropped.copy()
    result[outside] = region.paper_level
    return result, outside


def _looks_like_bed(small: np.ndarray, hull: np.ndarray, paper_level: int) -> bool:
    """Is what lies outside ``hull`` a scanner bed rather than dim paper?

    A bed is clearly darker than the paper and carries no text; a shaded part
    of an unevenly lit sheet is darker too, but carries strokes about as
    dense as the lit part. A stroke is judged against the paper around it
    (and a floor against the paper's grey, so the noise of a black bed is no
    stroke): text on shaded paper is as contrasted, relative to its paper, as
    text in the light.
    """
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(hull).astype(np.int32), 1)
    outside = inside == 0
    if np.count_nonzero(outside) < 0.01 * small.size:
        return False
    outside_level = float(np.median(small[outside]))
    if outside_level > BED_DARKNESS * paper_level:
        return False
    if outside_level < BLACK_BED * paper_level:
        return True  # far darker than any shaded paper: a bed, whatever its noise
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    contrast = cv2.subtract(closed, small).astype(np.float32)
    strokes = (contrast > STROKE_CONTRAST * closed) & (contrast > STROKE_FLOOR * paper_level)
    outside_strokes = float(np.count_nonzero(strokes[outside]))
    inside_strokes = float(np.count_nonzero(strokes[~outside]))
    # Cropping must never cut text: the part left out may hold only a sliver of the strokes.
    return outside_strokes <= max(MIN_BED_STROKES * np.count_nonzero(outside), MAX_STROKES_LEFT_OUT * inside_strokes)


def _inset(polygon: np.ndarray, distance: float) -> np.ndarray:
    """Move a convex polygon's points towards its centre by about ``distance``."""
    if distance <= 0 or len(polygon) < 3:
        return polygon
    centre = polygon.mean(axis=0)
    offsets = polygon - centre
    lengths = np.maximum(np.linalg.norm(offsets, axis=1, keepdims=True), 1e-6)
    return polygon - offsets / lengths * np.minimum(distance, lengths * 0.5)


def _box_outline(box: BBox) -> np.ndarray:
    return np.array([[box.left, box.top], [box.right, box.top], [box.right, box.bottom], [box.left, box.bottom]], np.int32)
