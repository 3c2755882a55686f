"""A small damaged scan reads (almost) like the clean page once preprocessed (real Tesseract)."""

from __future__ import annotations

import shutil
import unicodedata

import cv2
import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein
from test_preprocess import rotated, typed_page

from ocrfix.config import OcrConfig, PreprocessConfig
from ocrfix.preprocess import preprocess

pytestmark = [
    pytest.mark.tesseract,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract binary not found on PATH"),
]

LINES = (
    "Выписки посланы: т.т.Литвинову,",
    "Гринько, Арбузову. О Синьцзяне.",
    "Поручить врид. генконсула в Кашгаре",
    "дать устный ответ на его обращения.",
)


def damaged(clean: np.ndarray, seed: int = 7) -> np.ndarray:
    """Skewed on a dark bed, unevenly lit, yellowed, noisy and dusty."""
    rng = np.random.default_rng(seed)
    sheet = rotated(clean, 2.5, fill=30).astype(np.float32)
    sheet = cv2.copyMakeBorder(sheet, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=30)
    height, width = sheet.shape
    light = np.linspace(1.0, 0.7, width, dtype=np.float32)[None, :]
    sheet = sheet * light * 0.9
    for _ in range(150):
        cv2.circle(sheet, (int(rng.integers(0, width)), int(rng.integers(0, height))), int(rng.integers(1, 3)), 60.0, -1)
    sheet = cv2.GaussianBlur(sheet, (0, 0), 0.8) + rng.normal(0, 8, sheet.shape)
    gray = np.clip(sheet, 0, 255).astype(np.uint8)
    tint = np.array([1.0, 0.93, 0.78], np.float32)
    return np.clip(gray[..., None] * tint, 0, 255).astype(np.uint8)


def cer(text: str, truth: str) -> float:
    norm = lambda s: "\n".join(" ".join(line.split()) for line in unicodedata.normalize("NFC", s).splitlines() if line.strip())  # noqa: E731
    return Levenshtein.distance(norm(text), norm(truth)) / len(norm(truth))


def test_preprocessed_damaged_page_reads_close_to_the_clean_one() -> None:
    from ocrfix.ocr import recognize

    clean = typed_page(font_px=48, lines=LINES)  # x-height about 20 px: no rescaling needed
    scan = damaged(clean)
    truth = "\n".join(LINES)
    config = OcrConfig()
    raw = cer(recognize(scan, config).text, truth)
    result = preprocess(scan, PreprocessConfig())
    prepared = cer(recognize(result.image, config).text, truth)
    assert result.skew_degrees == pytest.approx(2.5, abs=0.2)
    assert prepared <= 0.05
    assert prepared < raw
