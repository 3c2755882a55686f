"""Skew and quarter-turn orientation from projection profiles of the ink.

For a candidate angle, every ink pixel is projected onto the direction
perpendicular to the text lines; when the angle matches the lines, the
projection has sharp peaks (lines) and empty valleys (gaps between them), so
the sum of squared differences of neighbouring bins is largest. The search
runs coarse on a small copy, then fine around the best angle on a larger one,
and the peak is refined by a parabola through its neighbours.

Angles are degrees, positive = the content is rotated counter-clockwise as
the image is viewed; deskewing rotates by the negative angle.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.geometry import GeometricStep
from ocrfix.preprocess import transform
from ocrfix.preprocess.util import components, otsu_ink, shrink_to

COARSE_SIDE = 700  # longest side of the copy for the coarse search
FINE_SIDE = 1600  # ... and for the fine search
COARSE_STEP = 0.25
FINE_STEP = 0.02
QUARTER_TURN_MARGIN = 1.1  # a quarter turn must make line contrast this much higher
BLOB_SHARE = 1 / 8  # a dark region at least this share of the page's height and of its width is no text
COLUMN_GROUP = 4  # columns summed into one before projecting (keeps row precision, cuts work)


@dataclass(frozen=True)
class SkewEstimate:
    degrees: float
    quarter_turns: int  # counter-clockwise quarter turns that make lines horizontal (0 or 3)
    score: float  # sharpness of the best profile (relative; for comparing candidates)
    confident: bool  # False when the page has too little ink for a measurement


def estimate_skew(gray: np.ndarray, max_degrees: float = 10.0, detect_quarter_turn: bool = True) -> SkewEstimate:
    """The angle of the text lines in ``gray`` (flattened: paper light, ink dark)."""
    coarse_ink = _ink(shrink_to(gray, COARSE_SIDE))
    if np.count_nonzero(coarse_ink) < 50:
        return SkewEstimate(0.0, 0, 0.0, False)
    angle, _ = _search(coarse_ink, -max_degrees, max_degrees, COARSE_STEP)
    turns = 0
    if detect_quarter_turn:
        turned_ink = np.ascontiguousarray(np.rot90(coarse_ink, 3))
        turned_angle, _ = _search(turned_ink, -max_degrees, max_degrees, COARSE_STEP)
        # Monospaced type lines its letters up in columns, so the profile score alone
        # cannot tell lines from columns; lines leave far deeper gaps between them. Dark regions
        # far larger than any letter (a blotch of toner down one side, a stain) are left out of
        # that comparison: a band of them makes the rows across it look like lines.
        text_ink = without_blobs(coarse_ink)
        turned_text = np.ascontiguousarray(np.rot90(text_ink, 3))
        if line_contrast(turned_text, turned_angle) > QUARTER_TURN_MARGIN * line_contrast(text_ink, angle):
            angle, turns = turned_angle, 3
    fine_ink = _ink(shrink_to(gray, FINE_SIDE))
    if turns:
        fine_ink = np.ascontiguousarray(np.rot90(fine_ink, turns))
    span = COARSE_STEP * 1.5
    low, high = max(-max_degrees, angle - span), min(max_degrees, angle + span)
    fine_angle, fine_score = _search(fine_ink, low, high, FINE_STEP, refine=True)
    return SkewEstimate(round(fine_angle, 3), turns, fine_score, True)


def without_blobs(ink: np.ndarray) -> np.ndarray:
    """``ink`` without its connected regions that span BLOB_SHARE of the page both ways (no letter,
    word or line of text does: blotches, stains, pictures)."""
    _, labels, stats = components(ink)
    height, width = ink.shape
    big = np.flatnonzero((stats[1:, cv2.CC_STAT_HEIGHT] > BLOB_SHARE * height) & (stats[1:, cv2.CC_STAT_WIDTH] > BLOB_SHARE * width)) + 1
    if not len(big):
        return ink
    return np.where(np.isin(labels, big), 0, ink).astype(ink.dtype)


def _ink(gray: np.ndarray) -> np.ndarray:
    ink, _ = otsu_ink(gray)
    return ink


def _search(ink: np.ndarray, low: float, high: float, step: float, refine: bool = False) -> tuple[float, float]:
    """Best angle in [low, high] and its profile score."""
    rows, cols, weights = _grouped_points(ink)
    angles = np.arange(low, high + step / 2, step)
    scores = np.array([_profile_score(rows, cols, weights, a, ink.shape) for a in angles])
    best = int(np.argmax(scores))
    angle = float(angles[best])
    if refine and 0 < best < len(angles) - 1:
        left, centre, right = scores[best - 1 : best + 2]
        curvature = left - 2 * centre + right
        if curvature < 0:
            angle += step * 0.5 * (left - right) / curvature
    return angle, float(scores[best])


def _grouped_points(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ink counts per (row, group of COLUMN_GROUP columns), as point lists."""
    height, width = ink.shape
    groups = width // COLUMN_GROUP
    if groups < 2:
        rows, cols = np.nonzero(ink)
        return rows.astype(np.float64), cols.astype(np.float64), np.ones(len(rows))
    counts = ink[:, : groups * COLUMN_GROUP].reshape(height, groups, COLUMN_GROUP).sum(axis=2, dtype=np.int32)
    rows, group_index = np.nonzero(counts)
    weights = counts[rows, group_index].astype(np.float64)
    cols = group_index * COLUMN_GROUP + (COLUMN_GROUP - 1) / 2.0
    return rows.astype(np.float64), cols, weights


def _profile(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, degrees: float, shape: tuple[int, int]) -> np.ndarray:
    """Projection of the ink along lines at ``degrees``."""
    height, width = shape
    slope = np.tan(np.radians(degrees))
    # A line rotated counter-clockwise by a rises to the right: y = y0 - x*tan(a).
    position = rows + cols * slope
    offset = min(0.0, width * slope)
    bins = np.rint(position - offset).astype(np.int64)
    return np.bincount(bins, weights=weights, minlength=height + int(abs(width * slope)) + 2)


def _profile_score(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, degrees: float, shape: tuple[int, int]) -> float:
    """Sum of squared differences of neighbouring bins of the projection."""
    return float(np.sum(np.diff(_profile(rows, cols, weights, degrees, shape)) ** 2))


def line_contrast(ink: np.ndarray, degrees: float) -> float:
    """Coefficient of variation of the projection at ``degrees``, over the inked span."""
    rows, cols, weights = _grouped_points(ink)
    profile = _profile(rows, cols, weights, degrees, ink.shape)
    inked = np.nonzero(profile)[0]
    if len(inked) < 2:
        return 0.0
    span = profile[inked[0] : inked[-1] + 1]
    return float(span.std() / max(span.mean(), 1e-9))


def rotate(gray: np.ndarray, degrees: float, scale: float = 1.0, fill: int = 255) -> np.ndarray:
    """Rotate by ``degrees`` (counter-clockwise) and scale, on a canvas that keeps every corner."""
    height, width = gray.shape
    matrix, new_width, new_height = _rotation(width, height, degrees, scale)
    interpolation = cv2.INTER_AREA if scale < 1.0 and degrees == 0 else cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_LINEAR
    if degrees == 0.0 and scale != 1.0:
        return cv2.resize(gray, (new_width, new_height), interpolation=interpolation)
    return cv2.warpAffine(
        gray, matrix, (new_width, new_height), flags=interpolation, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


def rotate_step(shape: tuple[int, ...], degrees: float, scale: float = 1.0) -> GeometricStep:
    """What :func:`rotate` does to the pixels of an image of ``shape``, as a map (for the page's transform)."""
    height, width = shape[:2]
    matrix, new_width, new_height = _rotation(width, height, degrees, scale)
    if degrees == 0.0 and scale != 1.0:
        return transform.resize(width, height, new_width, new_height)
    return transform.warp("rotate", matrix, new_width, new_height)


def _rotation(width: int, height: int, degrees: float, scale: float) -> tuple[np.ndarray, int, int]:
    """OpenCV's matrix for :func:`rotate` and the size of the canvas that keeps every corner."""
    radians = np.radians(degrees)
    cos, sin = abs(np.cos(radians)) * scale, abs(np.sin(radians)) * scale
    new_width = max(1, int(np.ceil(width * cos + height * sin)))
    new_height = max(1, int(np.ceil(width * sin + height * cos)))
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), degrees, scale)
    matrix[0, 2] += new_width / 2.0 - width / 2.0
    matrix[1, 2] += new_height / 2.0 - height / 2.0
    return matrix, new_width, new_height


def quarter_turn(gray: np.ndarray, turns: int) -> np.ndarray:
    """Rotate by ``turns`` quarter turns counter-clockwise."""
    return np.ascontiguousarray(np.rot90(gray, turns % 4))
