"""Stains lifted off the paper (ocrfix.preprocess.stains), on small typed pages rendered here and stained with a smooth mottle."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import needs_tesseract
from rapidfuzz.distance import Levenshtein
from test_preprocess import LINES, typed_page

from ocrfix.config import OcrConfig, PreprocessConfig
from ocrfix.preprocess import preprocess, scale, stains


def stained(page: np.ndarray, darkest: int = 120, seed: int = 3) -> np.ndarray:
    """``page`` under a smooth mottle of blotches a few letters across (grey down to ``darkest``), as a
    water stain lies on paper: the page is multiplied by it, so the letters under a blotch stay darker than it."""
    rng = np.random.default_rng(seed)
    height, width = page.shape
    coarse = rng.random((max(2, height // 40), max(2, width // 40))).astype(np.float32)
    field = cv2.GaussianBlur(cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC), (0, 0), 6)
    field = np.clip((field - 0.45) / 0.3, 0, 1)  # paper untouched where the field is low, a blotch where it is high
    paper = 255 - field * (255 - darkest)
    return (page.astype(np.float32) * paper / 255).astype(np.uint8)


def step(config: PreprocessConfig, image: np.ndarray) -> dict:
    return next(s.settings for s in preprocess(image, config).steps if s.name == "preprocess.stains")


def test_a_stained_page_is_lifted_and_its_letters_keep_their_ink() -> None:
    page = typed_page(lines=LINES * 2)
    x_height = scale.estimate_x_height(page)
    dirty = stained(page)
    found = stains.lift(dirty, x_height, calm_paper=True)
    assert found.share is not None and found.share >= stains.STAIN_SHARE and found.lifted is not None
    paper = page > 250  # where the clean page has no letter
    blotch = paper & (dirty < 200)  # ... and the stain lies dark
    assert blotch.sum() > 0.05 * paper.sum()
    assert np.median(found.lifted[blotch]) > 245  # the blotches are paper again
    letters = page < 100
    assert np.median(found.lifted[letters]) < 110  # and the letters under them still ink


def test_clean_or_noisy_paper_is_left_as_it_is() -> None:
    page = typed_page(lines=LINES * 2)
    x_height = scale.estimate_x_height(page)
    clean = stains.lift(page, x_height, calm_paper=True)
    assert clean.lifted is None and clean.share is not None and clean.share < stains.STAIN_SHARE
    # the same mottle on paper that is not calm (toner dust, noise) is the toner step's, not this one's
    assert stains.lift(stained(page), x_height, calm_paper=False) == stains.Stains(None, None)
    assert step(PreprocessConfig(), page)["lifted"] is False


@pytest.mark.tesseract
@needs_tesseract
def test_a_stained_page_reads_better_lifted() -> None:
    from ocrfix.ocr import recognize

    dirty = stained(typed_page(lines=LINES * 2), darkest=90)
    truth = "\n".join(LINES * 2)

    def cer(config: PreprocessConfig) -> float:
        text = "\n".join(line.text for line in recognize(preprocess(dirty, config).image, OcrConfig()).lines)
        return Levenshtein.distance(" ".join(text.split()), " ".join(truth.split())) / len(truth)

    assert step(PreprocessConfig(), dirty)["lifted"] is True
    lifted, as_stained = cer(PreprocessConfig()), cer(PreprocessConfig(lift_stains=False))
    assert lifted < 0.05
    assert as_stained > lifted + 0.05
