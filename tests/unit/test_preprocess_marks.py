"""Dust is told from punctuation by where it sits on its text line (no Tesseract here)."""

from __future__ import annotations

import cv2
import numpy as np
from test_preprocess import typed_page

from ocrfix.preprocess import binarize, marks, scale

LINES = (
    "Заявить Ма-Ху-шаню: т.т.Литвинову,",
    "для уплаты правительству половины",
    "сумм, присужденных по искам к бывш.",
    "Гринько, Арбузову. О Синьцзяне.",
)


def _page() -> tuple[np.ndarray, float]:
    binary = binarize.otsu(typed_page(font_px=40, lines=LINES)).image
    x_height = scale.estimate_x_height(binary)
    assert x_height is not None
    return binary, float(x_height)


def _line_letters(binary: np.ndarray, x_height: float, line: int) -> tuple[np.ndarray, float]:
    """Stats of the x-height letters of typed line ``line`` and its baseline."""
    _, _, stats, _ = cv2.connectedComponentsWithStats((binary == 0).astype(np.uint8), connectivity=8)
    pitch, margin = int(40 * 1.7), 40
    top, height = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_HEIGHT]
    in_line = (top >= margin + line * pitch) & (top < margin + (line + 1) * pitch)
    x_letters = stats[in_line & (height >= 0.8 * x_height) & (height <= 1.2 * x_height)]
    x_letters = x_letters[np.argsort(x_letters[:, cv2.CC_STAT_LEFT])]
    baseline = float(np.median(x_letters[:, cv2.CC_STAT_TOP] + x_letters[:, cv2.CC_STAT_HEIGHT]))
    return x_letters, baseline


def test_dust_beside_under_and_over_letters_goes_and_punctuation_stays() -> None:
    clean, x_height = _page()
    letters, baseline = _line_letters(clean, x_height, 1)  # "для уплаты правительству половины"
    radius = max(2, round(0.18 * x_height))  # a dot as large as a full stop
    first = letters[0]
    # End of the first word: the first gap between letters wider than half an x-height.
    rights = letters[:, cv2.CC_STAT_LEFT] + letters[:, cv2.CC_STAT_WIDTH]
    gaps = letters[1:, cv2.CC_STAT_LEFT] - rights[:-1]
    word_end = int(rights[int(np.argmax(gaps > 0.5 * x_height))])
    centre_x = int(first[cv2.CC_STAT_LEFT] + first[cv2.CC_STAT_WIDTH] // 2)
    dusty = clean.copy()
    spots = [
        (word_end + round(0.45 * x_height), round(baseline - 0.6 * x_height)),  # mid-line, right after "для": reads as "·" or "."
        (centre_x, round(baseline + 0.75 * x_height)),  # under the baseline, under a letter without a descender
        (centre_x, round(baseline - 1.45 * x_height)),  # a lone round dot over a letter: reads as "ё" or "'"
    ]
    for x, y in spots:
        cv2.circle(dusty, (x, y), radius, 0, -1)
    # a dusty page: specks in the right margin too (on a clean page marks in a line are left alone)
    rng = np.random.default_rng(3)
    for y in rng.integers(10, clean.shape[0] - 10, 12):
        cv2.circle(dusty, (int(clean.shape[1] - 10), int(y)), 3, 0, -1)
    cleaned, report = binarize.despeckle(dusty, x_height, speck_size=0.12)
    assert report.stray >= len(spots)
    # Every dot is gone and nothing else changed: periods, commas, the colon and the hyphens stay.
    assert np.array_equal(cleaned, clean)


def test_typed_punctuation_is_never_called_dust() -> None:
    clean, x_height = _page()
    cleaned, report = binarize.despeckle(clean, x_height, speck_size=0.12)
    assert report.stray == 0 and report.isolated == 0
    assert np.array_equal(cleaned, clean)


def test_each_dust_rule_is_named() -> None:
    """The verdicts say which rule removed a mark (the despeckle step records the counts)."""
    clean, x_height = _page()
    letters, baseline = _line_letters(clean, x_height, 1)
    dusty = clean.copy()
    x = int(letters[2, cv2.CC_STAT_LEFT] + letters[2, cv2.CC_STAT_WIDTH] // 2)
    cv2.circle(dusty, (x, round(baseline - 1.45 * x_height)), max(2, round(0.18 * x_height)), 0, -1)
    count, _, stats, _ = cv2.connectedComponentsWithStats((dusty == 0).astype(np.uint8), connectivity=8)
    height = stats[:, cv2.CC_STAT_HEIGHT]
    small = height < 0.6 * x_height
    small[0] = False
    letters_mask = ~small
    letters_mask[0] = False
    verdicts = marks.dust_among_marks(stats, small, letters_mask | small, x_height)
    assert verdicts.floating == 1
    assert verdicts.dust.sum() == 1
    assert marks.REASONS[int(verdicts.reason[verdicts.dust][0]) - 1] == "floating"


def test_marks_in_lines_stay_on_a_clean_page() -> None:
    """Without dust elsewhere on the page, a small mark in a line may be a piece of a broken letter: kept."""
    clean, x_height = _page()
    letters, baseline = _line_letters(clean, x_height, 1)
    x = int(letters[2, cv2.CC_STAT_LEFT] + letters[2, cv2.CC_STAT_WIDTH] // 2)
    marked = clean.copy()
    cv2.circle(marked, (x, round(baseline - 1.45 * x_height)), max(2, round(0.18 * x_height)), 0, -1)
    cleaned, report = binarize.despeckle(marked, x_height, speck_size=0.12)
    assert report.stray == 0
    assert np.array_equal(cleaned, marked)
