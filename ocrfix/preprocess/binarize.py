"""Black text on white paper: global (Otsu) or local (Sauvola) thresholds.

Otsu's single threshold is right for evenly lit pages with steady ink;
Sauvola's threshold follows local mean and contrast, and keeps faint or
unevenly inked letters that a global threshold loses. ``choose_method``
picks one per page from how well one global threshold separates the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocrfix.preprocess import marks
from ocrfix.preprocess.util import components, odd

INK, PAPER = 0, 255
DUST_SIZE = 0.2  # x-heights: no mark of type is this small across (periods measure 0.23-0.3)
DUSTY_PAGE = 0.01  # specks far from text per letter from which a page counts as dusty ...
MIN_DUST_SPECKS = 5  # ... and at least this many


@dataclass(frozen=True)
class Binarized:
    image: np.ndarray  # uint8, 0 = ink, 255 = paper
    method: str  # "otsu" or "sauvola"
    threshold: float | None  # Otsu's global threshold; None for a local method


def otsu(gray: np.ndarray) -> Binarized:
    threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return Binarized(binary, "otsu", float(threshold))


def sauvola(gray: np.ndarray, window: int, k: float = 0.2, dynamic_range: float = 128.0) -> Binarized:
    """T = mean * (1 + k * (std / R - 1)) over a ``window`` square around each pixel."""
    window = odd(window)
    values = gray.astype(np.float32)
    mean = cv2.boxFilter(values, cv2.CV_32F, (window, window), borderType=cv2.BORDER_REFLECT)
    mean_of_squares = cv2.sqrBoxFilter(values, cv2.CV_32F, (window, window), normalize=True, borderType=cv2.BORDER_REFLECT)
    deviation = np.sqrt(np.maximum(mean_of_squares - mean * mean, 0.0))
    threshold = mean * (1.0 + k * (deviation / dynamic_range - 1.0))
    binary = np.where(values > threshold, PAPER, INK).astype(np.uint8)
    return Binarized(binary, "sauvola", None)


def separability(gray: np.ndarray) -> float:
    """Otsu's effectiveness: between-class variance over total variance (0..1)."""
    histogram = cv2.calcHist([np.ascontiguousarray(gray)], [0], None, [256], [0, 256]).ravel().astype(np.float64)
    total = histogram.sum()
    if total == 0:
        return 0.0
    p = histogram / total
    levels = np.arange(256, dtype=np.float64)
    omega = np.cumsum(p)
    mu = np.cumsum(p * levels)
    mu_total = mu[-1]
    variance = float(np.sum(p * (levels - mu_total) ** 2))
    if variance == 0:
        return 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu_total * omega - mu) ** 2 / (omega * (1.0 - omega))
    return float(np.nanmax(between[:-1]) / variance)


def choose_method(gray: np.ndarray, min_separability: float = 0.6) -> str:
    """"otsu" when one global threshold separates ink from paper well, else "sauvola"."""
    return "otsu" if separability(gray) >= min_separability else "sauvola"


@dataclass(frozen=True)
class SpeckleReport:
    tiny: int  # specks too small to be any mark
    isolated: int  # small marks far from every letter (dust in margins and between lines)
    edge: int  # large marks touching the image edge (remains of a scanner border)
    stray: int = 0  # small marks in text lines that cannot be punctuation (see marks.dust_among_marks)


def despeckle(binary: np.ndarray, x_height: float, speck_size: float) -> tuple[np.ndarray, SpeckleReport]:
    """Remove ink that cannot be text.

    - any mark at most ``speck_size * x_height`` across (by area), or
      at most DUST_SIZE x-heights wide and high;
    - marks smaller than a letter (but for dashes), and thin rules, with no
      letter within 1.5 x-heights sideways or 0.6 above/below: punctuation,
      underlines and the dots of й and ё always sit next to a letter, dust
      and the edge of a scanner bed often do not;
    - marks larger than two x-heights touching the image edge;
    - on a dusty page only (specks in the margins and between the lines, at
      least DUSTY_PAGE per letter), small marks next to letters that sit
      where no punctuation can be on their line (:func:`marks.dust_among_marks`);
      on a clean page such a mark is more likely a piece of a broken letter.
    """
    ink = (binary == INK).astype(np.uint8)
    count, labels, stats = components(ink)
    if count <= 1:
        return binary, SpeckleReport(0, 0, 0, 0)
    left, top = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    tiny = (area <= (speck_size * x_height) ** 2) | (np.maximum(width, height) <= DUST_SIZE * x_height)
    dash = (width >= 2.5 * height) & (width >= 0.3 * x_height) & (width <= 2.0 * x_height)
    rule = (np.maximum(width, height) > 2.0 * x_height) & (np.minimum(width, height) < 0.4 * x_height)
    # Smaller than a letter: little ink and shorter than the x-height (a thin г or т has little ink too).
    mark = (area <= (0.5 * x_height) ** 2) & (np.maximum(width, height) < 0.75 * x_height) & ~dash
    small = ~tiny & (mark | rule)
    rows, cols = binary.shape
    touches_edge = (left <= 1) | (top <= 1) | (left + width >= cols - 1) | (top + height >= rows - 1)
    edge = touches_edge & (np.maximum(width, height) > 2 * x_height)
    for flags in (tiny, small, edge):
        flags[0] = False  # label 0 is the paper
    letters = ~(tiny | small | edge)
    letters[0] = False
    isolated = np.zeros(count, bool)
    if small.any():
        isolated[np.nonzero(small)[0]] = ~_near_letters(stats, small, letters, x_height, binary.shape)
    # Marks inside text lines are judged only on a dusty page: where the margins and the gaps
    # between lines are clean, a small mark in a line is far more likely a piece of a broken letter.
    # Specks far from any text are the evidence: tiny ones may be only the scan's grain or JPEG blocks.
    dusty = int(isolated.sum()) >= max(MIN_DUST_SPECKS, DUSTY_PAGE * int(letters.sum()))
    stray = np.zeros(count, bool)
    if dusty:
        stray = marks.dust_among_marks(stats, small & ~isolated & ~rule, letters | (small & ~isolated), x_height).dust
    remove = tiny | isolated | edge | stray
    if not remove.any():
        return binary, SpeckleReport(0, 0, 0, 0)
    cleaned = binary.copy()
    removed = np.nonzero(remove)[0]
    if len(removed) > 4000:  # noise everywhere: one pass over the whole page is quicker
        cleaned[remove[labels]] = PAPER  # indexing, not np.take: take turns 16-bit labels into 64-bit ones first, 8x slower
    else:  # paint each mark inside its own box
        for i in removed:
            x, y, w, h = left[i], top[i], width[i], height[i]
            box = cleaned[y : y + h, x : x + w]
            box[labels[y : y + h, x : x + w] == i] = PAPER
    return cleaned, SpeckleReport(int(tiny.sum()), int(isolated.sum()), int(edge.sum()), int(stray.sum()))


def _near_letters(stats: np.ndarray, small: np.ndarray, letters: np.ndarray, x_height: float, shape: tuple[int, ...]) -> np.ndarray:
    """For each small mark: does a letter's box lie within 1.5 x-heights sideways, 0.6 up or down?

    Worked out on a grid of cells a quarter x-height wide, from the letters' boxes.
    """
    cell = max(1, int(x_height // 4))
    rows, cols = shape[0] // cell + 2, shape[1] // cell + 2
    grid = np.zeros((rows, cols), np.uint8)
    left, top = stats[:, cv2.CC_STAT_LEFT] // cell, stats[:, cv2.CC_STAT_TOP] // cell
    right = (stats[:, cv2.CC_STAT_LEFT] + stats[:, cv2.CC_STAT_WIDTH]) // cell + 1
    bottom = (stats[:, cv2.CC_STAT_TOP] + stats[:, cv2.CC_STAT_HEIGHT]) // cell + 1
    for i in np.nonzero(letters)[0]:
        grid[top[i] : bottom[i], left[i] : right[i]] = 1
    reach_x, reach_y = int(np.ceil(1.5 * x_height / cell)), int(np.ceil(0.6 * x_height / cell))
    grid = cv2.dilate(grid, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach_x + 1, 2 * reach_y + 1)))
    summed = cv2.integral(grid)
    index = np.nonzero(small)[0]
    x0, y0, x1, y1 = left[index], top[index], right[index], bottom[index]
    overlap = summed[y1, x1] - summed[y0, x1] - summed[y1, x0] + summed[y0, x0]
    return overlap > 0
