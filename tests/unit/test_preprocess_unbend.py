"""Lines bent by a fold put straight again (ocrfix.preprocess.unbend), on small typed pages rendered here and bent as a fold bends them."""

from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein
from test_preprocess import LINES, typed_page

from ocrfix.config import OcrConfig, PreprocessConfig
from ocrfix.preprocess import preprocess, scale, unbend


def folded(page: np.ndarray, depth: float) -> np.ndarray:
    """``page`` with a fold across its lines: in a strip in its middle third the columns are moved
    down and back up again (a chevron ``depth`` pixels deep at its point), as a page folded and
    flattened again shows its lines."""
    height, width = page.shape
    left, right = width // 3, 2 * width // 3
    middle = (left + right) / 2
    columns = np.arange(width, dtype=np.float32)
    shift = np.clip(1 - np.abs(columns - middle) / ((right - left) / 2), 0, 1) * depth
    map_x = np.tile(columns, (height, 1))
    map_y = (np.arange(height, dtype=np.float32)[:, None] - shift[None, :]).astype(np.float32)
    return cv2.remap(page, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def test_a_fold_is_measured_and_its_lines_put_straight() -> None:
    page = typed_page(lines=LINES * 2)
    x_height = scale.estimate_x_height(page)
    bent = folded(page, 1.5 * x_height)
    bend = unbend.measure(bent, x_height)
    assert unbend.is_bent(bend, x_height)
    assert 0.7 * 1.5 * x_height <= bend.span <= 1.3 * 1.5 * x_height  # the fold's depth
    straight = unbend.straightened(bent, bend)
    # the rows of ink come out clearly sharper than the bent page's
    assert _row_energy(straight) > 1.1 * _row_energy(bent)


def test_boxes_in_the_bend_are_mapped_back_onto_the_folded_page() -> None:
    page = typed_page(lines=LINES * 2)
    x_height = scale.estimate_x_height(page)
    depth = 1.5 * x_height
    result = preprocess(folded(page, depth), PreprocessConfig(deskew=False))
    transform = result.transform
    assert transform.bend is not None and not transform.is_identity
    width = result.image.shape[1]
    point, side = width // 2, width // 20  # the fold's point, and a column beyond the fold
    _, top_at_point, _, bottom_at_point = transform.box_to_original(point - 2, 400, point + 2, 440)
    _, top_beside, _, bottom_beside = transform.box_to_original(side - 2, 400, side + 2, 440)
    # the columns at the fold's point lay lower on the folded page by its depth (in the page's pixels)
    assert (top_at_point - top_beside) == pytest.approx(depth, rel=0.3)
    # and back: the folded page's box at the fold's point is level with the one beside it once straight
    back = transform.box_from_original(*transform.box_to_original(point - 2, 400, point + 2, 440))
    assert back[1] == pytest.approx(400, abs=8) and back[3] == pytest.approx(440, abs=8)
    assert transform.from_dict(transform.to_dict()).to_dict() == transform.to_dict()


def _row_energy(image: np.ndarray) -> float:
    rows = (image < 128).sum(axis=1).astype(float)
    return float(np.dot(rows, rows))


def test_straight_lines_are_left_as_they_are() -> None:
    page = typed_page(lines=LINES * 2)  # (a page this small is enlarged to the target x-height first)
    result = preprocess(page, PreprocessConfig())
    step = next(s.settings for s in result.steps if s.name == "preprocess.unbend")
    assert step["bent"] is False and step["shifts"] == []
    assert step["gain"] < unbend.MIN_GAIN


@pytest.mark.tesseract
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract binary not found on PATH")
def test_a_folded_page_reads_as_well_as_the_flat_one() -> None:
    from ocrfix.ocr import recognize

    page = typed_page(lines=LINES * 2)
    bent = folded(page, 1.5 * scale.estimate_x_height(page))
    truth = "\n".join(LINES * 2)

    def cer(config: PreprocessConfig) -> float:
        text = "\n".join(line.text for line in recognize(preprocess(bent, config).image, OcrConfig()).lines)
        return Levenshtein.distance(" ".join(text.split()), " ".join(truth.split())) / len(truth)

    straightened, as_bent = cer(PreprocessConfig()), cer(PreprocessConfig(unbend=False))
    assert straightened < 0.05
    assert as_bent > straightened + 0.1
