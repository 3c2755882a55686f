"""The page's reading checked against the text lines its image shows: lines left out are read
again, lines read from noise are dropped.

The image says where its text lines are (:func:`ocrfix.preprocess.lines.text_line_bands`,
letters standing side by side at one height), independently of Tesseract.

- **Lines left out.** Tesseract's page analysis sometimes drops a whole line
  of plain text (fat, over-inked type; a line taken for a picture; one
  segmentation mode's column guess), and a page that loses a line is worse
  than its scan. A band the reading has no words on is cut out and read alone
  as one text line (``--psm 7``), and when that gives nothing plausible, as a
  raw line (``--psm 13``: Tesseract's own analysis is what may have rejected
  it, e.g. fat type taken for a picture, and is bypassed). Its words join the
  page only when the self-check (:mod:`ocrfix.ocr.quality`) finds them
  plausible text: stains and scribbles that happen to pass for a line give
  garbage or low confidence and are left out.
- **Lines read from noise.** Toner dust, stains and folds are read as lines of
  symbols and stray letters. A line of the reading that lies on no band of the
  image *and* that the self-check estimates mostly wrong (both signals agree:
  no text there) is dropped. A line on a band is never dropped, however poor.

Every line read again or dropped is recorded with its box and text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ocrfix.config import OcrConfig
from ocrfix.model import BBox, Block, Line, Page, enclosing, with_ids
from ocrfix.ocr import quality as page_quality
from ocrfix.ocr.regions import read_regions
from ocrfix.preprocess.lines import Band, text_line_bands

ACCEPT_SCORE = 0.8  # a line read again joins the page when its estimate is at least this ...
MAX_GARBAGE = 0.2  # ... and at most this share of its characters are garbage
MAX_LINES = 12  # more missed lines than this: the page's reading is not missing lines, the "lines" are noise
NOISE_SCORE = 0.4  # a line on no band estimated below this (mostly wrong) is noise read as text
MARGIN = 0.5  # x-heights of paper kept above and below a line cut out
REACH = 4.0  # x-heights beyond its letters a line is cut out sideways (within the text column): a first or last
# word may have failed the letter test
LINE_MODES = (7, 13)  # one text line; then raw, past Tesseract's own analysis (which may be what dropped it)


@dataclass(frozen=True)
class LineReading:
    band: Band
    text: str
    mode: int  # Tesseract's page segmentation mode of the reading kept (or of the last tried)
    score: float
    garbage_share: float
    kept: bool

    def to_dict(self) -> dict[str, Any]:
        b = self.band
        return {"box": [b.left, b.top, b.right, b.bottom], "text": self.text, "psm": self.mode, "score": round(self.score, 4),
                "garbage_share": round(self.garbage_share, 4), "kept": self.kept}  # fmt: skip


def missed_bands(page: Page, bands: list[Band]) -> list[Band]:
    """The bands no word of the page lies on (a word on a band covers at least half its height or the band's)."""
    boxes = [w.bbox for w in page.words if w.bbox is not None and w.text.strip()]
    return [band for band in bands if not any(_on_a_band(box, [band]) for box in boxes)]


def fill_missed_lines(
    page: Page,
    image: np.ndarray,
    x_height: float,
    config: OcrConfig,
    knows: Callable[[str], bool] | None,
    source: str = "",
    *,
    bands: list[Band] | None = None,
) -> tuple[Page, list[LineReading]]:
    """The page with the lines it missed read again and put in place (when plausible), and each line's reading.

    ``bands``: the image's :func:`~ocrfix.preprocess.lines.text_line_bands`, when measured already.
    """
    bands = text_line_bands(image, x_height) if bands is None else bands
    missed = missed_bands(page, bands)
    if not missed or len(missed) > MAX_LINES:
        return page, []
    column = (min(b.left for b in bands), max(b.right for b in bands))
    margin = int(round(MARGIN * x_height))
    reach = int(round(REACH * x_height))
    height, width = image.shape[:2]
    readings: list[LineReading] = []
    new_lines: list[Line] = []
    for band in missed:
        top, bottom = max(0, band.top - margin), min(height, band.bottom + margin)
        left = max(0, min(band.left - margin, max(column[0] - margin, band.left - reach)))
        right = min(width, max(band.right + margin, min(column[1] + margin, band.right + reach)))
        for mode in LINE_MODES:
            line_page = read_regions(image, [BBox(left, top, right, bottom)], replace(config, psm=mode), pad=0,
                                     source=source)
            words = tuple(replace(w, id="") for w in line_page.words if w.text.strip())
            check = page_quality.estimate_words(words, knows)
            kept = bool(words) and check.score >= ACCEPT_SCORE and check.garbage_share <= MAX_GARBAGE
            if kept or mode == LINE_MODES[-1]:
                break
        text = " ".join(w.text for w in words)
        readings.append(LineReading(band, text, mode, check.score, check.garbage_share, kept))
        if kept:
            new_lines.append(Line(words, enclosing([w.bbox for w in words if w.bbox is not None])))
    if not new_lines:
        return page, readings
    return with_ids(inserted(page, new_lines)), readings


def inserted(page: Page, new_lines: list[Line]) -> Page:
    """``new_lines`` placed in the page's reading order: each after the last line that starts above it
    (in that line's block), or in a block of its own at the top when no line starts above it."""
    blocks = [list(block.lines) for block in page.blocks]
    leading: list[Line] = []
    for line in sorted(new_lines, key=lambda item: item.bbox.top if item.bbox else 0):
        top = line.bbox.top if line.bbox else 0
        place = None
        for b, lines in enumerate(blocks):
            for i, other in enumerate(lines):
                if other.bbox is not None and other.bbox.top < top:
                    place = (b, i)
        if place is None:
            leading.append(line)
        else:
            blocks[place[0]].insert(place[1] + 1, line)
    rebuilt = [
        block if len(lines) == len(block.lines) else replace(block, lines=tuple(lines), bbox=enclosing(
            [box for box in [block.bbox, *(ln.bbox for ln in lines)] if box is not None]))
        for block, lines in zip(page.blocks, blocks)
    ]  # fmt: skip
    if leading:
        rebuilt.insert(0, Block(tuple(leading), enclosing([ln.bbox for ln in leading if ln.bbox is not None])))
    return replace(page, blocks=tuple(rebuilt))


def drop_noise_lines(
    page: Page, image: np.ndarray, x_height: float, knows: Callable[[str], bool] | None,
    *, bands: list[Band] | None = None,
) -> tuple[Page, list[dict[str, Any]]]:
    """The page without the lines that lie on no text band of ``image`` and are estimated mostly wrong,
    and those lines (box, text, estimate). ``bands``: as for :func:`fill_missed_lines`."""
    bands = text_line_bands(image, x_height) if bands is None else bands
    dropped: list[dict[str, Any]] = []

    def noise(line: Line) -> bool:
        if line.bbox is None or _on_a_band(line.bbox, bands):  # only a line on no band is estimated
            return False
        check = page_quality.estimate_words(line.words, knows)
        if check.score >= NOISE_SCORE:
            return False
        dropped.append({"box": line.bbox.as_list(), "text": line.text, "score": round(check.score, 4)})
        return True

    kept = without_lines(page, noise)
    return (kept, dropped) if dropped else (page, [])


def without_lines(page: Page, leave_out: Callable[[Line], bool]) -> Page:
    """``page`` without the lines ``leave_out`` says (asked once each, in reading order); a block left
    with fewer lines is boxed around those it keeps, a block left with none is dropped."""
    blocks = []
    for block in page.blocks:
        kept = tuple(line for line in block.lines if not leave_out(line))
        if len(kept) == len(block.lines):
            blocks.append(block)
        elif kept:
            blocks.append(replace(block, lines=kept, bbox=enclosing(ln.bbox for ln in kept)))
    return replace(page, blocks=tuple(blocks))


def _on_a_band(box: BBox, bands: list[Band]) -> bool:
    return any(min(box.bottom, b.bottom) - max(box.top, b.top) >= 0.5 * min(box.height, b.bottom - b.top) for b in bands)
