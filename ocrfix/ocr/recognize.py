"""One page image in, one :class:`~ocrfix.model.Page` of words out.

A module-level function with picklable arguments and result, so a process
pool can run one page per worker; each Tesseract run gets one OpenMP thread.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from ocrfix.config import BLOCK_MODES, OcrConfig
from ocrfix.errors import BadInputError
from ocrfix.model import Page, Step, with_ids
from ocrfix.ocr.hocr import attach_choices, parse_hocr_words
from ocrfix.ocr.layout import blocks_as_configured
from ocrfix.ocr.tesseract import TesseractInfo, command_variables, probe, run_tesseract
from ocrfix.ocr.tsv import blocks_from_rows, parse_tsv

STEP_NAME = "tesseract"


def recognize(image: np.ndarray, config: OcrConfig, *, source: str = "") -> Page:
    """OCR a uint8 grayscale (or binary, or RGB) page image with Tesseract."""
    pixels = _checked_image(image)
    if config.blocks not in BLOCK_MODES:
        raise BadInputError(f"unknown ocr.blocks {config.blocks!r}; expected one of {', '.join(BLOCK_MODES)}")
    info = probe(config)
    with tempfile.TemporaryDirectory(prefix="ocrfix-ocr-") as work:
        work_dir = Path(work)
        image_path = _written(pixels, work_dir, config.dpi)
        output = run_tesseract(image_path, work_dir, config, info, source=source)
    blocks = blocks_from_rows(parse_tsv(output.tsv))
    blocks = blocks_as_configured(blocks, config.blocks)
    if config.char_alternatives and output.hocr:
        blocks = attach_choices(blocks, parse_hocr_words(output.hocr))
    height, width = pixels.shape[:2]
    page = with_ids(Page(blocks, width=int(width), height=int(height), source=source))
    return page.with_step(Step(STEP_NAME, info.version, tesseract_settings(config, info)))


def _written(pixels: np.ndarray, directory: Path, dpi: int) -> Path:
    """``pixels`` written for one Tesseract run (the file lives for that run only), uncompressed: a PNG's
    filtering and zlib cost 0.1-0.15 CPU s on an A4 page, more than the writing saves.

    A binary image (ink 0 and paper 255 only, as a binarised preparation is) goes as a 1-bit PBM:
    Tesseract reads the same pixels (the same TSV and hOCR), skips thresholding them again, and its
    run takes about 4% less CPU; the file is an eighth of the size. Any other image goes as a TIFF.
    (A PBM states no resolution: Tesseract takes ``--dpi``, given on every run, and so reads the TIFF's too.)
    """
    if is_binary(pixels):
        path = directory / "page.pbm"
        height, width = pixels.shape
        path.write_bytes(b"P4\n%d %d\n" % (width, height) + np.packbits(pixels == 0, axis=1).tobytes())  # 1: ink
        return path
    path = directory / "page.tif"
    Image.fromarray(pixels).save(path, format="TIFF", dpi=(dpi, dpi), compression="raw")
    return path


def is_binary(pixels: np.ndarray) -> bool:
    """Whether a uint8 image is grey and holds no value but 0 and 255."""
    # (values 1..254 are those that 1 less is below 254, the others wrapping round to 254 and 255)
    return pixels.ndim == 2 and not np.any((pixels - np.uint8(1)) < 254)


def tesseract_settings(config: OcrConfig, info: TesseractInfo) -> dict[str, Any]:
    """Everything needed to rerun Tesseract the same way."""
    return {
        "languages": config.languages,
        "psm": config.psm,
        "oem": config.oem,
        "dpi": config.dpi,
        "omp_thread_limit": config.omp_thread_limit,
        "char_alternatives": config.char_alternatives,
        "blocks": config.blocks,
        "variables": dict(command_variables(config)),
        "traineddata": dict(info.traineddata),
    }


def _checked_image(image: np.ndarray) -> np.ndarray:
    if not isinstance(image, np.ndarray):
        raise BadInputError(f"OCR needs a numpy image, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise BadInputError(f"OCR needs a uint8 image, got {image.dtype}")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if not (image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 3)):
        raise BadInputError(f"OCR needs a grayscale or RGB image, got shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise BadInputError(f"OCR got an empty image of shape {image.shape}")
    return np.ascontiguousarray(image)
