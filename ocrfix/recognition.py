"""Recognise one loaded page: prepare it, OCR it, check the reading, and fall back when it is doubtful.

The first reading is Tesseract on the preprocessed page, in a segmentation
mode that fits what the image holds: a whole page (the configured mode), a
small block of a few lines (``--psm 6``) or a single text line (``--psm 7``),
told apart by the image's height in x-heights. The reading is then checked
from the OCR result alone (:mod:`ocrfix.ocr.quality`). When the check finds
it poor, other preparations are read too: first the original image as
loaded with Tesseract's own page analysis (what plain Tesseract does), then,
for a binarised page and only when that was a close call, the same geometry
kept grey (no sharpening, thresholding or despeckling). Another reading
replaces the first only when clearly better (a higher estimate by
SWITCH_MARGIN and more characters estimated right): the estimate is rough,
and close calls go to the first reading. Only poorly estimated pages pay for
the extra runs.

Every page says how it was read in a ``recognition`` step: the input kind
and mode, the preparations tried with their estimates, which one won and
why, the winner's quality, and the page's status: "ok", "empty" (nothing on
the page) or "doubtful" (with the reason: a poor estimate, or ink on the page
but no text read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ocrfix import ocr, preprocess
from ocrfix.config import Config
from ocrfix.errors import OcrError
from ocrfix.model import Page, Step
from ocrfix.ocr import quality as page_quality
from ocrfix.ocr.quality import Quality

STEP_NAME = "recognition"
STEP_VERSION = "1"
GOOD_SCORE = 0.85  # a first reading estimated at least this good is kept without trying others
DOUBTFUL_SCORE = 0.7  # a final reading estimated below this is doubtful
SWITCH_MARGIN = 0.05  # another reading wins only with an estimate this much higher (and more characters right)
LINE_HEIGHT = 3.5  # x-heights: an image at most this high holds one text line
BLOCK_HEIGHT = 14.0  # ... at most this high, a small block of a few lines
LINE_MODE, BLOCK_MODE, PLAIN_PAGE_MODE = 7, 6, 3  # Tesseract's modes for a line, a block, a page read plainly
MAX_LINE_PIXELS_HIGH = 120  # without a measured x-height: a strip at most this high and ...
MIN_LINE_ASPECT = 5.0  # ... this many times as wide is a line


@dataclass(frozen=True)
class Recognition:
    """One page recognised: the page (its steps say how), the image its boxes refer to, the verdict."""

    page: Page
    image: np.ndarray
    prepared: preprocess.PreprocessResult | None  # the winning preprocessing (None: the image as loaded)
    status: str  # "ok", "empty" or "doubtful"
    reason: str  # why the status is not "ok" ("" when it is)
    quality: Quality


@dataclass(frozen=True)
class _Reading:
    name: str
    page: Page
    image: np.ndarray
    prepared: preprocess.PreprocessResult | None
    quality: Quality


def input_kind(height: int, width: int, x_height: float | None) -> str:
    """"line", "block" or "page": what an image of this size holds, judged in x-heights."""
    if x_height:
        if height <= LINE_HEIGHT * x_height:
            return "line"
        if height <= BLOCK_HEIGHT * x_height:
            return "block"
        return "page"
    if height <= MAX_LINE_PIXELS_HIGH and width >= MIN_LINE_ASPECT * height:
        return "line"
    return "page"


def page_mode(kind: str, page_psm: int) -> int:
    return {"line": LINE_MODE, "block": BLOCK_MODE}.get(kind, page_psm)


def recognize_loaded(
    loaded: preprocess.LoadedImage,
    config: Config,
    *,
    knows: Callable[[str], bool] | None = None,
    intermediates_dir: Path | None = None,
) -> Recognition:
    """Prepare, read and check one page (see the module's description)."""
    source = loaded.source
    original = loaded.pixels
    if not config.preprocess.enabled:
        kind = input_kind(original.shape[0], original.shape[1], None)
        reading = _read("original", original, None, (), kind, config, source, knows, plain=False)
        return _verdict(reading, [reading], kind, "preprocessing switched off", has_ink=True)

    prepared = preprocess.preprocess(loaded, config.preprocess, intermediates_dir=intermediates_dir)
    kind = input_kind(prepared.image.shape[0], prepared.image.shape[1], prepared.x_height)
    if prepared.empty:
        page = Page((), width=prepared.image.shape[1], height=prepared.image.shape[0], source=source)
        reading = _Reading("preprocessed", replace(page, steps=prepared.steps), prepared.image, prepared, page_quality.estimate(page))
        return _verdict(reading, [reading], kind, "the preprocessing found nothing on the page", has_ink=False)

    failed: list[tuple[str, OcrError]] = []
    try:
        first = _read("preprocessed", prepared.image, prepared, prepared.steps, kind, config, source, knows, plain=False)
    except OcrError as error:  # e.g. Tesseract lost in noise the preprocessing made: the image as loaded may still read
        failed.append(("preprocessed", error))
        first = _Reading("preprocessed", _no_words(prepared, source), prepared.image, prepared, page_quality.estimate(Page(())))
    readings = [first]
    if first.quality.score >= GOOD_SCORE:
        return _verdict(first, readings, kind, "first reading estimated good", has_ink=True)
    for name in _fallbacks(prepared):
        if name == "grey" and _clearly_better(first.quality, readings[-1].quality):
            break  # the image as loaded reads clearly worse: a reading between the two will not win either
        try:
            reading = _fallback_reading(name, loaded, prepared, kind, config, knows)
        except OcrError as error:
            failed.append((name, error))
            continue
        if reading is None:
            continue
        readings.append(reading)
        if _clearly_better(reading.quality, first.quality):
            break
    if failed and failed[0][0] == "preprocessed" and len(readings) == 1:
        raise failed[0][1]  # no preparation could be read at all
    best = first
    for reading in readings[1:]:
        if _clearly_better(reading.quality, best.quality):
            best = reading
    if best is first:
        why = f"no other reading clearly better (by {SWITCH_MARGIN} of the estimate and more characters right)"
    else:
        why = f"{best.name}: clearly better estimate than the preprocessed reading ({len(readings)} readings)"
    if failed:
        why += "; Tesseract failed on " + ", ".join(f"{name} ({error.message})" for name, error in failed)
    return _verdict(best, readings, kind, why, has_ink=True)


def _fallback_reading(
    name: str,
    loaded: preprocess.LoadedImage,
    prepared: preprocess.PreprocessResult,
    kind: str,
    config: Config,
    knows: Callable[[str], bool] | None,
) -> _Reading | None:
    """The reading of preparation ``name`` ("original" or "grey"); None when it leaves nothing to read."""
    source = loaded.source
    if name == "original":
        original = loaded.pixels
        x_height = None if kind == "page" else _loaded_x_height(prepared)
        kind_as_loaded = input_kind(original.shape[0], original.shape[1], x_height)
        return _read("original", original, None, (), kind_as_loaded, config, source, knows, plain=True)
    grey = preprocess.preprocess(loaded, replace(config.preprocess, binarize="none", sharpen_amount=0.0, denoise=False))
    if grey.empty:
        return None
    return _read("grey", grey.image, grey, grey.steps, kind, config, source, knows, plain=False)


def _no_words(prepared: preprocess.PreprocessResult, source: str) -> Page:
    height, width = prepared.image.shape[:2]
    return Page((), width=int(width), height=int(height), source=source, steps=prepared.steps)


def _clearly_better(candidate: Quality, current: Quality) -> bool:
    """A reading replaces another only by a clear margin: the estimate is rough, and close calls go to the first."""
    if current.words == 0:
        return candidate.words > 0
    return candidate.net > current.net and candidate.score >= current.score + SWITCH_MARGIN


def _fallbacks(prepared: preprocess.PreprocessResult) -> tuple[str, ...]:
    """The other readings, the other extreme first: the image as loaded (what plain Tesseract
    reads), then, for a binarised page and only on a close call, the same geometry kept grey."""
    binarised = any(s.name in ("preprocess.binarize", "preprocess.sharpen") for s in prepared.steps)
    return ("original", "grey") if binarised else ("original",)


def _loaded_x_height(prepared: preprocess.PreprocessResult) -> float | None:
    if prepared.x_height is None or not prepared.scale:
        return None
    return prepared.x_height / prepared.scale


def _read(
    name: str,
    image: np.ndarray,
    prepared: preprocess.PreprocessResult | None,
    steps: tuple[Step, ...],
    kind: str,
    config: Config,
    source: str,
    knows: Callable[[str], bool] | None,
    *,
    plain: bool,
) -> _Reading:
    psm = PLAIN_PAGE_MODE if plain and kind == "page" else page_mode(kind, config.ocr.psm)
    page = ocr.recognize(image, replace(config.ocr, psm=psm), source=source)
    page = replace(page, steps=tuple(steps) + page.steps)
    return _Reading(name, page, image, prepared, page_quality.estimate(page, knows))


def _verdict(chosen: _Reading, readings: list[_Reading], kind: str, why: str, *, has_ink: bool) -> Recognition:
    quality = chosen.quality
    if not has_ink:
        status, reason = "empty", "nothing on the page: no ink darker than the paper"
    elif quality.words == 0:
        status, reason = "doubtful", "ink on the page but no text read"
    elif quality.score < DOUBTFUL_SCORE:
        status, reason = "doubtful", f"estimated quality {quality.score:.2f} is below {DOUBTFUL_SCORE}"
    else:
        status, reason = "ok", ""
    settings: dict[str, Any] = {
        "input": kind,
        "chosen": chosen.name,
        "why": why,
        "tried": [{"preparation": r.name, "score": round(r.quality.score, 4), "net": round(r.quality.net, 1),
                   "words": r.quality.words} for r in readings],
        "quality": quality.to_dict(),
        "status": status,
        "reason": reason,
    }
    page = chosen.page.with_step(Step(STEP_NAME, STEP_VERSION, settings))
    return Recognition(page, chosen.image, chosen.prepared, status, reason, quality)


def verdict_of(page: Page) -> dict[str, Any] | None:
    """The ``recognition`` step's settings of a recognised page (status, reason, quality), or None."""
    for step in reversed(page.steps):
        if step.name == STEP_NAME:
            return dict(step.settings)
    return None
