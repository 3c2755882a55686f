"""Text line bands and stroke widths measured from the ink alone (ocrfix.preprocess.lines, strokes), on small typed pages rendered here."""

from __future__ import annotations

import cv2
import numpy as np
from test_preprocess import LINES, typed_page

from ocrfix.preprocess import scale
from ocrfix.preprocess.lines import text_line_bands


def test_every_typed_line_is_one_band_in_order() -> None:
    page = typed_page(font_px=56)
    x_height = scale.estimate_x_height(page)
    bands = text_line_bands(page, x_height)
    assert len(bands) == len(LINES)
    assert all(a.bottom <= b.top for a, b in zip(bands, bands[1:]))
    ink_rows = np.nonzero((page < 128).any(axis=1))[0]
    assert bands[0].top >= ink_rows[0] and bands[-1].bottom <= ink_rows[-1] + 1


def test_fat_type_whose_letters_run_together_still_makes_its_lines() -> None:
    """Over-inked type: each word one blob with its descenders; its middle still lies on the line."""
    page = cv2.erode(typed_page(font_px=56), np.ones((7, 7), np.uint8))
    bands = text_line_bands(page, scale.estimate_x_height(typed_page(font_px=56)))
    assert len(bands) == len(LINES)


def test_specks_and_blots_make_no_band() -> None:
    rng = np.random.default_rng(3)
    page = np.full((900, 1200), 255, np.uint8)
    for y, x in zip(rng.integers(0, 900, 400), rng.integers(0, 1200, 400)):
        cv2.circle(page, (int(x), int(y)), int(rng.integers(1, 3)), 0, -1)  # dust
    for _ in range(6):
        cv2.circle(page, (int(rng.integers(100, 1100)), int(rng.integers(100, 800))), int(rng.integers(30, 60)), 40, -1)
    assert text_line_bands(page, 24.0) == []


def test_fat_strokes_are_thinned_and_normal_ones_left_alone() -> None:
    """Over-inked type (strokes a third of the x-height and more) is thinned before thresholding;
    type of normal weight is not touched."""
    from ocrfix.config import PreprocessConfig
    from ocrfix.preprocess import preprocess, strokes

    normal = typed_page(font_px=56)
    fat = cv2.erode(normal, np.ones((7, 7), np.uint8))
    x_height = scale.estimate_x_height(normal)
    assert strokes.stroke_width(normal) < 0.25 * x_height <= 0.33 * x_height <= strokes.stroke_width(fat)
    steps = {s.name: s.settings for s in preprocess(fat, PreprocessConfig()).steps}
    assert steps["preprocess.thin"]["thinned"] is True
    steps = {s.name: s.settings for s in preprocess(normal, PreprocessConfig()).steps}
    assert steps.get("preprocess.thin", {}).get("thinned") is not True
    steps = {s.name: s.settings for s in preprocess(fat, PreprocessConfig(fat_stroke=0)).steps}
    assert "preprocess.thin" not in steps
    thinner = strokes.thin(fat)
    assert np.count_nonzero(thinner < 128) < np.count_nonzero(fat < 128)
