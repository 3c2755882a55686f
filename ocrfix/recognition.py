"""Recognise one loaded page: prepare it, OCR it, check the reading, and fall back when it is doubtful.

The first reading is Tesseract on the preprocessed page, in a segmentation
mode that fits what the image holds: a whole page (the configured mode), a
small block of a few lines (``--psm 6``) or a single text line (``--psm 7``),
told apart by the image's height in x-heights (or, for a crop with too few
letters to measure one, by its bands of inked rows: :mod:`ocrfix.preprocess.lines`).

A line or a small crop is the exception: it was cut out already, needs no
layout analysis, and Tesseract fits its baseline and scales the line to its
own height itself, so it is read first as loaded, unless the preprocessing
had something to repair that Tesseract cannot (a negative, a scanner-bed
border, a turned page, a slant that moves the baseline by half an x-height
or more). Straightening a line by a fraction of a degree, rescaling it or
thresholding it only resamples its letters, which changes single letters at
random, for the better about as often as for the worse.

A page the preprocessing found empty only after changing it (flattening
found no ink darker than the paper, or thresholding and despeckling only
specks, as a small word's or a short line's small letters can be) is read as
loaded too: that is a judgement, not a fact. It is empty only when that reads
nothing either.

The reading is then checked from the OCR result alone
(:mod:`ocrfix.ocr.quality`). When the check finds a page's reading poor and
it holds garbage tokens (the sign of a wrong tone preparation: see
:func:`_nothing_to_mend`), other preparations are read too: the image as loaded with Tesseract's own page
analysis (what plain Tesseract does) or the preprocessed image, whichever was
not read first, then, for a binarised page and only when that was a close
call, the same geometry kept grey (no sharpening, thresholding or
despeckling), read only where the first reading is weak (:mod:`ocrfix.weak_lines`); a page the preparation kept grey (calm paper) is read
binarised, then as loaded. A page of dense toner blotches the filter could
not clear is read as loaded only: no tone preparation reads such blotches,
and Tesseract takes many times its plain time on each. The image as loaded is read as plain Tesseract reads it, with
the resolution its file states and its own page analysis (``--psm 3``; a
single line ``--psm 7``, where that analysis can find nothing). Another reading replaces the first only on
evidence (:func:`_clearly_better`): fewer garbage characters and an estimate
no worse, or an estimate higher by SWITCH_MARGIN (on a line of a few words, by
more: the estimate is a mean over words, as noisy as its fewest words allow)
with more characters estimated right, both with the lexicon and without it.
The estimate is rough, and close calls go to the first reading. Only poorly estimated pages pay for the extra runs,
thinned pages not estimated excellent (thinning changes every stroke on one global measure), and single
text lines, always read in both their preparations (a line is judged by their agreement: :func:`_line_doubt`).
A page read once that the verdict would flag anyway (its estimated CER above the bar, dense toner, lines
read out of order) is read as loaded too before it is given out: a doubtful page always has what plain
Tesseract reads among its readings, to be kept by the same rule or to mend the kept one's lines.
A line read first as loaded, or first preprocessed for a slant or a border (not turned or inverted), is not switched whole:
its two readings are merged word by word
(:mod:`ocrfix.line_merge`), each stretch where they differ taken from the preprocessed reading only
on evidence (fewer garbage tokens; more words the lexicon knows, with Tesseract's own confidence behind
them), else as loaded: what plain Tesseract reads.
A page (or a block) read more than once keeps the reading chosen whole, checked against its lines,
but each of its lines is mended from the other readings where they read the same place better
(:mod:`ocrfix.page_merge`: their words paired with the kept lines by place, in the kept reading's
frame; a stretch taken only as long, on the same evidence, and with more characters estimated right
by Tesseract's confidence): damage is local, and another preparation often reads a few lines better.
No more Tesseract is run for it; the verdict still judges the whole readings as read.

Every page says how it was read in a ``recognition`` step: the input kind
and mode, the preparations tried with their estimates, which one won and
why, the winner's quality and least sure word, and the page's status: "ok", "empty" (nothing on
the page) or "doubtful" (with the reason: for a single text line, preparations that read different
words or a least sure word more likely wrong than right; for a page, a poor estimate, another reading the estimate
rates higher than the one kept, or as high with different words (too close a call to switch), ink on the page
but no text read, dense toner blotches the preprocessing could not clear, or a
reading that goes back up the page: lines read in pieces side by side, whose
order the estimate, which judges words, does not see).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ocrfix import line_check, line_merge, line_order, ocr, page_merge, preprocess, weak_lines
from ocrfix.config import Config
from ocrfix.errors import OcrError
from ocrfix.model import BBox, Page, Step
from ocrfix.ocr import error_scale
from ocrfix.ocr import quality as page_quality
from ocrfix.ocr.quality import Quality
from ocrfix.ocr.regions import read_regions
from ocrfix.preprocess.gray import channel_mean
from ocrfix.preprocess.lines import Band, text_bands, text_line_bands

STEP_NAME = "recognition"
# 5: weakest_word; a line's verdict goes by its readings' agreement and its least sure word
# 6: a word the lexicon knows is never garbage, nor are repeated digits (quality 4)
# 7: a line read first as loaded is merged word by word with its preprocessed reading (line_merge)
# 8: a page read more than once keeps its lines mended from the other readings on evidence (page_merge)
# 9: lines bent by a fold are put straight (preprocess.unbend)
# 10: line_merge and page_merge record every stretch weighed in one shape (readings by name, kept, why)
# 11: a page is doubtful by its estimated CER (ocr.error_scale), not by the score below 0.7
# 12: the preparations are read without Tesseract's own per-line inversion (ocr.invert_lines)
# 13: a page read once but doubted is read as loaded too; a line's merge never takes a longer stretch
# 14: another reading also wins with more words and a clearly better estimate without the lexicon
# 15: a line read first preprocessed (not turned or inverted) is merged into its reading as loaded too
# 16: a line whose readings disagree is doubtful only where they are not settled (disputed_word)
STEP_VERSION = "18"  # 18: a line another reading holds where the kept one has none is added (page_merge.lost_lines)
# 17: a page's grey or binarised fallback is read only where its first reading is weak (weak_lines)
GOOD_SCORE = 0.85  # a first reading estimated at least this good is kept without trying others
THINNED_GOOD_SCORE = 0.95  # ... of a page whose strokes the preprocessing thinned, at least this good
WEAK_WORD = 0.5  # a line whose least sure word is right with a lower chance (more likely wrong than right) is doubtful
SURE_WORD = 0.8  # a word a line's readings disagree on, read with a lower chance, leaves the line doubtful
SCALE_MIN_WORDS = 20  # a page (or crop) of fewer words is judged by its least sure word, not its estimated CER
CLEAN_GARBAGE = 0.01  # a page read with less of its characters in garbage tokens shows no wrong preparation to mend
ESTIMATE_TIE = 0.01  # two readings estimated within this of each other are a tie the estimate cannot break
SWITCH_MARGIN = 0.05  # another reading wins only with an estimate this much higher (and more characters right) ...
SWITCH_NOISE = 0.2  # ... or, on a few words, this much over the square root of their count (a line's estimate is noisier)
LINE_HEIGHT = 3.5  # x-heights: an image at most this high holds one text line
BLOCK_HEIGHT = 14.0  # ... at most this high, a small block of a few lines
MERGED = "merged"  # the name of a line's reading merged word by word from its two readings
LINE_MODE, BLOCK_MODE, PLAIN_PAGE_MODE = 7, 6, 3  # Tesseract's modes for a line, a block, a page read plainly
MAX_LINE_PIXELS_HIGH = 120  # without a measured x-height: a strip at most this high and ...
MIN_LINE_ASPECT = 5.0  # ... this many times as wide is a line
MIN_BAND_ASPECT = 2.0  # without an x-height: an image this many band heights wide (text lines are) and ...
LINE_HEIGHT_IN_BANDS = 2.0  # ... of one inked band, at most this many band heights high, is a line (a word or two cut out);
MAX_BLOCK_BANDS = 4  # ... of at most this many bands, ...
BLOCK_PITCH_IN_BANDS = 3.0  # ... at most this many band heights apart (double spacing), a block
LINE_DRIFT = 0.5  # x-heights: a line whose baseline moves less over its length is read unstraightened
LINE_IN_X_HEIGHTS = 2.0  # a line image as cut is about this many x-heights high (ascenders to descenders)


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
    weakest: tuple[str, float] | None = None  # its least sure word and that word's chance (quality.weakest_word)
    merge: dict[str, Any] | None = None  # a line's readings merged word by word: each word's reading, the stretches weighed
    page_merge: list[dict[str, Any]] | None = None  # a page's lines weighed against the other readings (page_merge)
    regions: int | None = None  # read only in this many regions, the first reading's elsewhere (weak_lines); None: whole

    @classmethod
    def judged(cls, name: str, page: Page, image: np.ndarray, prepared: preprocess.PreprocessResult | None,
               knows: Callable[[str], bool] | None) -> _Reading:
        """The reading of ``page``, with the self-check's estimate and least sure word of it."""
        return cls(name, page, image, prepared, page_quality.estimate(page, knows), page_quality.weakest_word(page, knows))

    @property
    def x_height(self) -> float:
        """The x-height of a prepared reading's image (the default where none was measured)."""
        measured = self.prepared.x_height if self.prepared is not None else None
        return measured or preprocess.DEFAULT_X_HEIGHT

    @cached_property
    def line_bands(self) -> list[Band]:
        """The text lines of a prepared reading's image (:func:`ocrfix.preprocess.lines.text_line_bands`),
        measured once for the checks that look at them: the line check, and a fallback read only where
        this reading is weak (:mod:`ocrfix.weak_lines`)."""
        return text_line_bands(self.image, self.x_height)


def input_kind(height: int, width: int, x_height: float | None, bands: tuple[int, int] | None = None) -> str:
    """"line", "block" or "page": what an image of this size holds, judged in x-heights.

    Without an x-height (too few letters to measure), by ``bands``: the count
    of inked row bands and the tallest one's height (:func:`ocrfix.preprocess.lines.text_bands`).
    """
    if x_height:
        if height <= LINE_HEIGHT * x_height:
            return "line"
        if height <= BLOCK_HEIGHT * x_height:
            return "block"
        return "page"
    if height <= MAX_LINE_PIXELS_HIGH and width >= MIN_LINE_ASPECT * height:
        return "line"
    if bands is not None and width >= MIN_BAND_ASPECT * bands[1]:  # bands as wide as text lines are
        lines, line_height = bands
        if lines == 1 and height <= LINE_HEIGHT_IN_BANDS * line_height:
            return "line"
        if lines <= MAX_BLOCK_BANDS and height <= BLOCK_PITCH_IN_BANDS * lines * line_height:
            return "block"
    return "page"


def _kind(image: np.ndarray, x_height: float | None) -> str:
    """What ``image`` holds (:func:`input_kind`). A strip (MIN_LINE_ASPECT times as wide as high: no
    page is) whose inked rows form one band is one text line, whatever x-height specks among its
    letters suggest (a speckled newspaper line)."""
    height, width = image.shape[:2]
    strip = width >= MIN_LINE_ASPECT * height
    found = text_bands(image if image.ndim == 2 else channel_mean(image)) if strip or not x_height else None
    if strip and found is not None and found.lines == 1:
        return "line"
    bands = None if x_height or found is None else (found.lines, found.line_height)
    return input_kind(height, width, x_height, bands)


def _measured_x_height(prepared: preprocess.PreprocessResult) -> float | None:
    """The letters' x-height as measured, in the prepared image's pixels, even where the rescale step
    set it aside (it disagreed with the lines' dense core: noise among the letters). Letters enough
    to measure one mean a page of text, not a crop of a few words; its exact value matters little."""
    for step in prepared.steps:
        if step.name == "preprocess.rescale" and step.settings.get("x_height_before"):
            return float(step.settings["x_height_before"]) * float(step.settings.get("factor", 1.0))
    return None


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
        kind = _kind(original, None)
        reading = _read("original", original, None, (), kind, config, source, knows, plain=False)
        return _verdict(reading, [reading], kind, "preprocessing switched off", has_ink=True)

    shaped, prepared, kind = _prepared(loaded, config, intermediates_dir)
    if prepared.empty:
        readings = []
        if _emptied_by_cleaning(prepared):
            # The image had contrast until flattening or thresholding and despeckling found no ink or
            # only specks in it (a small word's letters, a short line's at 150 dpi): a judgement, not
            # a fact, so the image as loaded is read; the page is empty only if that reads nothing either.
            readings.append(_original_reading(loaded, prepared, kind, config, knows))
            if readings[0].quality.words:
                why = "the preprocessing's cleaning left nothing to read: read as loaded"
                return _verdict(readings[0], readings, kind, why, has_ink=True)
        page = _no_words(prepared, source)
        reading = _Reading("preprocessed", page, prepared.image, prepared, page_quality.estimate(page))
        reason = _empty_reason(prepared)
        why = f"the preprocessing found nothing on the page ({reason})"
        return _verdict(reading, [reading, *readings], kind, why, has_ink=False, empty_reason=reason)

    order = _preparations(prepared, kind, original.shape[:2])
    failed: list[tuple[str, OcrError]] = []
    try:
        first = _reading(order[0], loaded, shaped, prepared, kind, config, knows)
    except OcrError as error:  # e.g. Tesseract lost in noise the preprocessing made: another preparation may still read
        failed.append((order[0], error))
        first = None
    if first is None:
        first = _Reading(order[0], _no_words(prepared, source), prepared.image, prepared, page_quality.estimate(Page(())))
    readings = [first]
    # (a line's first reading is never good enough alone: see _line_doubt)
    good = kind != "line" and first.quality.score >= _good_score(prepared, first.name)
    tone_in_doubt = not _nothing_to_mend(first.quality, kind)
    # (on a thinned page the call to check is the thinning, whatever garbage its reading holds: the page
    # is read as loaded, unthinned; the other tone preparation, thinned too, only when the tone call is in doubt)
    checked: tuple[_Reading, dict[str, Any]] | None = None  # the first reading line-checked, when it was
    if good or not (tone_in_doubt or _read_thinned(prepared, first.name)):
        checked = _with_lines_checked(first, kind, config, knows)
        why = f"first reading ({first.name}) " + ("estimated good" if good else "read without garbage: no preparation to mend")
        judged = _judgement(checked[0], readings, kind, has_ink=True, lines=checked[1])
        if judged.status != "doubtful" or first.name == "original":
            return _recorded(checked[0], readings, kind, why, judged)
        # a page the verdict doubts is never left without what plain Tesseract reads among its readings
        others: tuple[str, ...] = ("original",)
        doubted = f"read once, doubtful ({judged.reason}): read as loaded too; "
    else:
        others, doubted = order[1:] if tone_in_doubt else ("original",), ""
    for name in others:
        if name == "grey" and _clearly_better(first.quality, readings[-1].quality):
            break  # the image as loaded reads clearly worse: a reading between the two will not win either
        try:
            # (a preparation read after the image as loaded, on a close call between it and the first, is
            # read only where the first reading is weak: weak_lines)
            closing = any(r.name == "original" for r in readings)
            reading = _reading(name, loaded, shaped, prepared, kind, config, knows, weak_of=first if closing else None)
        except OcrError as error:
            failed.append((name, error))
            continue
        if reading is None:
            continue
        readings.append(reading)
        if first.quality.words and _clearly_better(reading.quality, first.quality):
            break  # (after a reading of no words any reading is "clearly better": the others are read too)
    if failed and failed[0][0] == order[0] and len(readings) == 1:
        raise failed[0][1]  # no preparation could be read at all
    if kind == "line" and (merged := _merged_line(readings, knows)) is not None:
        return _verdict(merged, readings, kind, _merge_why(merged), has_ink=True)
    best, evidence = first, ""
    if not first.quality.words:  # nothing read first: close calls go to what plain Tesseract reads
        best = next((r for r in readings if r.name == "original" and r.quality.words), first)
        evidence = f"the first reading, {first.name}, read no words"
    for reading in readings[1:]:
        if (found := _switch_evidence(reading.quality, best.quality)) is not None:
            best, evidence = reading, f"{found}, against {best.name}"
    if best is first:
        why = "no other reading clearly better (fewer garbage characters, or a higher estimate with and without the lexicon)"
    else:
        why = f"{best.name}: {evidence} ({len(readings)} readings)"
    why = doubted + why
    if failed:
        why += "; Tesseract failed on " + ", ".join(f"{name} ({error.message})" for name, error in failed)
    best, lines = checked if checked is not None and best is first else _with_lines_checked(best, kind, config, knows)
    if kind != "line":  # (a line read first preprocessed keeps the whole-reading rules)
        best = _mended_lines(best, readings, knows)
    if best.page_merge and (taken := _stretches_taken(best.page_merge, best.name)):
        why += f"; {taken} stretch(es) of its lines taken from the other readings on evidence"
    return _verdict(best, readings, kind, why, has_ink=True, lines=lines)


def _mended_lines(best: _Reading, readings: list[_Reading], knows: Callable[[str], bool] | None) -> _Reading:
    """A page (or a block) read more than once: the reading kept, each of its lines mended from the
    other readings where they read the same place better, on evidence (:mod:`ocrfix.page_merge`);
    its boxes stay in the kept reading's frame. Its ``page_merge`` records, per line weighed, the
    reading each word came from and every stretch weighed."""
    others = [r for r in readings if r.name != best.name and r.quality.words]
    if not others or not best.page.words:
        return best
    merged = page_merge.merge(
        best.page, best.name, [page_merge.Other(r.name, r.page, _frame_map(r, best)) for r in others], knows
    )
    record = list(merged.lines) + [{"added": a} for a in merged.added]
    if not merged.took_other:
        return replace(best, page_merge=record)
    return replace(_Reading.judged(best.name, merged.page, best.image, best.prepared, knows), page_merge=record)


def _frame_map(reading: _Reading, kept: _Reading) -> Callable[[BBox], BBox] | None:
    """The map of ``reading``'s boxes into ``kept``'s frame, through the image as loaded (None: one frame).
    The preprocessed, grey and binarised images share their geometry; the image as loaded has none."""
    source = reading.prepared.transform if reading.prepared is not None else None
    target = kept.prepared.transform if kept.prepared is not None else None
    if source == target:
        return None

    def to_kept(box: BBox) -> BBox:
        if source is not None:
            box = BBox(*source.box_to_original(box.left, box.top, box.right, box.bottom))
        if target is not None:
            box = BBox(*target.box_from_original(box.left, box.top, box.right, box.bottom))
        return box

    return to_kept


def _stretches_taken(record: list[dict[str, Any]], kept: str) -> int:
    return sum(1 for line in record for s in line.get("stretches", ()) if s["kept"] != kept)


def _merged_line(readings: list[_Reading], knows: Callable[[str], bool] | None) -> _Reading | None:
    """A single text line's reading as loaded, merged word by word with its preprocessed reading
    (:mod:`ocrfix.line_merge`); None when there is nothing to merge (one reading of no words, or a line
    the preprocessing turned or inverted, whose reading as loaded reads other shapes than letters: the
    whole-reading rules then choose). ``readings`` are the line's, in the order read.

    The merge is the reading as loaded (what plain Tesseract reads) with each stretch where the
    preprocessed reading differs taken from it only on evidence, whichever was read first: a line
    read first preprocessed because the preprocessing straightened a slant or cut a border is merged
    the same way (a development line at 600 dpi, a border found beside it, read ``ес печность``
    cropped and ``беспечность`` as loaded, was kept cropped on a close call). Its boxes are in the frame of the image as loaded. Its ``merge`` records which
    reading each word came from and every stretch weighed."""
    base = next((r for r in readings if r.name == "original" and r.quality.words), None)
    other = next((r for r in readings if r.name == "preprocessed" and r.quality.words), None)
    read_first = readings[0].name
    if base is None or other is None or (read_first != "original" and (other.prepared is None or _turned(other.prepared))):
        return None
    merged = line_merge.merge(base.page, other.page, knows, _frame_map(other, base))
    names = {line_merge.FIRST: base.name, line_merge.OTHER: other.name}
    record = {
        "words_from": [names[source] for source in merged.sources],
        "stretches": [s.record(base.name, other.name) for s in merged.stretches],
    }
    if not merged.took_other:
        return replace(base, merge=record)
    reading = _Reading.judged(MERGED, merged.page, base.image, None, knows)
    return replace(reading, merge=record)


def _merge_why(merged: _Reading) -> str:
    record = merged.merge or {"stretches": []}
    stretches = record["stretches"]
    if not stretches:
        return "a line's readings, as loaded and preprocessed, read the same words"
    taken = _stretches_taken([record], "original")
    return (f"a line's readings merged word by word: {taken} of {len(stretches)} stretch(es) where they differ "
            "taken from the preprocessed reading on evidence, the others as loaded")


def _prepared(
    loaded: preprocess.LoadedImage, config: Config, intermediates_dir: Path | None
) -> tuple[preprocess.Shaped, preprocess.PreprocessResult, str]:
    """The page shaped (shared by every preparation), finished as configured, and its input kind."""
    shaped = preprocess.shape(loaded, config.preprocess, intermediates_dir=intermediates_dir)
    prepared = preprocess.finish(shaped, config.preprocess, intermediates_dir=intermediates_dir)
    return shaped, prepared, _kind(prepared.image, prepared.x_height or _measured_x_height(prepared))


def _with_lines_checked(
    reading: _Reading, kind: str, config: Config, knows: Callable[[str], bool] | None
) -> tuple[_Reading, dict[str, Any]]:
    """The reading checked against the image's text lines (see :mod:`ocrfix.line_check`): lines it left
    out read again, lines read from noise dropped; then, when the reading goes back up the page, its
    lines put back in rows (:mod:`ocrfix.line_order`: a page read as one column is read top to bottom).

    Only a prepared page (deskewed, paper flattened) is measured: on the image as loaded
    a skew or a shadow would blur its lines, and it is read with Tesseract's own page analysis,
    which may find real columns.
    """
    prepared = reading.prepared
    if kind != "page" or prepared is None or not reading.page.words:
        return reading, _unchecked_lines()
    x_height, bands = reading.x_height, reading.line_bands  # both checks look at the same bands
    page, noise = line_check.drop_noise_lines(reading.page, reading.image, x_height, knows, bands=bands)
    page, missed = line_check.fill_missed_lines(page, reading.image, x_height, config.ocr, knows, page.source, bands=bands)
    breaks = line_order.order_breaks(page)
    if breaks:
        page = line_order.in_rows(page, config.ocr.blocks)
    if page is not reading.page:
        reading = _Reading.judged(reading.name, page, reading.image, reading.prepared, knows)
    return reading, {"missed_lines": [line.to_dict() for line in missed], "noise_lines": noise, "order_breaks": breaks}


def _unchecked_lines() -> dict[str, Any]:
    """What :func:`_with_lines_checked` records of a reading it did not check: no line read again,
    dropped or put back in rows, and its order not looked at (None: :func:`_verdict` counts its breaks)."""
    return {"missed_lines": [], "noise_lines": [], "order_breaks": None}


def _reading(
    name: str,
    loaded: preprocess.LoadedImage,
    shaped: preprocess.Shaped,
    prepared: preprocess.PreprocessResult,
    kind: str,
    config: Config,
    knows: Callable[[str], bool] | None,
    *,
    weak_of: _Reading | None = None,
) -> _Reading | None:
    """The reading of preparation ``name`` ("preprocessed", "original", "grey" or "binarised"); None when it
    leaves nothing to read, or nothing new. The grey and binarised preparations differ from the
    preprocessed one only in the tone steps: they finish the same ``shaped`` page. Read as a fallback of
    the page's first reading ``weak_of`` of the same geometry, one of them is read only where that
    reading is weak (:mod:`ocrfix.weak_lines`), unless most of it is."""
    source = loaded.source
    if name == "preprocessed":
        return _read(name, prepared.image, prepared, prepared.steps, kind, config, source, knows, plain=False)
    if name == "original":
        return _original_reading(loaded, prepared, kind, config, knows)
    if name == "grey":
        settings = replace(config.preprocess, binarize="none", sharpen_amount=0.0, denoise=False)
    else:  # "binarised": the page treated as damaged, whatever its paper's calm
        settings = replace(config.preprocess, clean_paper_noise=0.0)
    other = preprocess.finish(shaped, settings)
    if other.empty or (name == "binarised" and not any(s.name == "preprocess.binarize" for s in other.steps)):
        return None  # nothing to read, or nothing changed (ink and paper apart already: the page stays grey)
    if kind == "page" and weak_of is not None and weak_of.prepared is not None and weak_of.prepared.transform == other.transform:
        # (one shaped page: the first reading's x-height is this preparation's, and its line bands are measured once)
        found = weak_lines.regions(weak_of.page, weak_of.image, weak_of.x_height, knows, bands=weak_of.line_bands)
        if found is not None:
            weak, boxes = found
            ocr_config = replace(config.ocr, psm=page_mode(kind, config.ocr.psm))
            read_again = read_regions(other.image, boxes, ocr_config, pad=0, source=source)
            page = weak_lines.replaced(weak_of.page, weak, read_again)
            page = replace(page, steps=tuple(other.steps) + read_again.steps)
            return replace(_Reading.judged(name, page, other.image, other, knows), regions=len(boxes))
    return _read(name, other.image, other, other.steps, kind, config, source, knows, plain=False)


def _original_reading(
    loaded: preprocess.LoadedImage,
    prepared: preprocess.PreprocessResult,
    kind: str,
    config: Config,
    knows: Callable[[str], bool] | None,
) -> _Reading:
    """The image as loaded, read as plain Tesseract reads it (its own page analysis, the file's resolution)."""
    original = loaded.pixels
    x_height = None if kind == "page" else _loaded_x_height(prepared)
    dpi = round(loaded.dpi) if loaded.dpi else config.ocr.dpi
    return _read("original", original, None, (), _kind(original, x_height), config, loaded.source, knows, plain=True, dpi=dpi)


def _emptied_by_cleaning(prepared: preprocess.PreprocessResult) -> bool:
    """Was the page found empty only after it was changed (flattened, thresholded, despeckled),
    not for want of contrast in the image as loaded?"""
    return _empty_reason(prepared) != preprocess.NO_CONTRAST


def _empty_reason(prepared: preprocess.PreprocessResult) -> str:
    return str(_settings_of(prepared, "preprocess.empty").get("reason", ""))


def _settings_of(prepared: preprocess.PreprocessResult, step: str) -> dict[str, Any]:
    """The settings the preprocessing's step ``step`` recorded ({} when the step did not run)."""
    return next((s.settings for s in prepared.steps if s.name == step), {})


def _preparations(prepared: preprocess.PreprocessResult, kind: str, loaded_shape: tuple[int, int]) -> tuple[str, ...]:
    """The preparations to read, in order (see the module's description): the first is read
    always, the others only while the readings so far are poor."""
    if kind != "page" and not _repaired(prepared, kind, loaded_shape):
        return ("original", "preprocessed")
    return ("preprocessed", *_fallbacks(prepared))


def _repaired(prepared: preprocess.PreprocessResult, kind: str, loaded_shape: tuple[int, int]) -> bool:
    """Did the preprocessing repair more than a line needs (see the module's description)?

    A slant is measured against the x-height; on a line image, the strip's own height stands
    for two x-heights (ascenders to descenders), as specks can pass for letters when measuring one.
    """
    if _turned(prepared):
        return True
    for step in prepared.steps:
        settings = step.settings
        if step.name == "preprocess.crop" and settings.get("border_found"):
            return True
        if step.name == "preprocess.deskew":
            slope = abs(np.tan(np.radians(float(settings.get("skew_degrees", 0.0)))))
            if kind == "line":
                drift, x_height = loaded_shape[1] * slope, loaded_shape[0] / LINE_IN_X_HEIGHTS
            else:
                drift, x_height = prepared.image.shape[1] * slope, prepared.x_height or preprocess.DEFAULT_X_HEIGHT
            if drift >= LINE_DRIFT * x_height:
                return True
    return False


def _turned(prepared: preprocess.PreprocessResult) -> bool:
    """Did the preprocessing invert the image's polarity or turn it (a quarter turn, upside down)? Then
    the image as loaded shows other shapes than letters; a slant straightened or a border cut leaves
    them the letters plain Tesseract reads through or around."""
    invert, deskew = _settings_of(prepared, "preprocess.invert"), _settings_of(prepared, "preprocess.deskew")
    return bool(invert.get("inverted") or deskew.get("quarter_turns") or deskew.get("upside_down"))


def _no_words(prepared: preprocess.PreprocessResult, source: str) -> Page:
    height, width = prepared.image.shape[:2]
    return Page((), width=int(width), height=int(height), source=source, steps=prepared.steps)


def _nothing_to_mend(first: Quality, kind: str) -> bool:
    """Is a page's first reading, though estimated below GOOD_SCORE, not worth reading another way?

    The other preparations revisit one judgement call, clean or damaged (kept grey, or sharpened and
    binarised). A wrong call shows in the reading as garbage: paper noise and toner left on a page kept
    grey read as symbols, letters a threshold broke read as fragments (a letter read as two, letters
    between digits). A page read without garbage (under CLEAN_GARBAGE of its characters) shows no sign
    of it: its estimate is low for Tesseract's confidence or for words the lexicon does not know (a Komi
    page read with ``rus``: every one of them), which another preparation of the same image does not
    change. Not for a reading of no words, nor for a line or a small crop (read as loaded first).
    """
    return kind == "page" and first.words > 0 and first.garbage_share < CLEAN_GARBAGE


def _clearly_better(candidate: Quality, current: Quality) -> bool:
    """A reading replaces another only on evidence: the estimate is rough, and close calls go to the first.

    The evidence is either of two, and the lexicon never carries it alone (a Komi line read with
    ``rus``, a Czech page: a reading that turns an unknown word into a known word of another
    language gains by the lexicon only):

    - fewer garbage characters (a token no text is made of, :func:`ocrfix.ocr.quality.is_garbage`),
      and not worse by the estimate: the other reading holds broken letters or noise this one does not;
    - clearly better (by :func:`switch_margin`, and more characters estimated right) by the estimate
      *and* by the same estimate without the lexicon (Tesseract's confidence and garbage alone);
    - more words read, and clearly better by the estimate without the lexicon: the other reading lost
      text (a preparation that cleared toner blotches with the letters under them reads half the
      words, those with Tesseract's confidence far lower, while a few words the lexicon knows keep its
      score up). Its characters estimated right are not asked: garbage counts against them, and a
      reading that lost half the text has less of everything, garbage too.
    """
    return _switch_evidence(candidate, current) is not None


def _switch_evidence(candidate: Quality, current: Quality) -> str | None:
    """Which evidence of :func:`_clearly_better` ``candidate`` has over ``current`` (words where it
    read none, fewer garbage characters, a clearly better estimate, or more words and a clearly
    better estimate without the lexicon), or None: a close call."""
    if current.words == 0:
        return "words where it read none" if candidate.words > 0 else None
    if candidate.garbage_characters < current.garbage_characters and (
        candidate.net >= current.net and candidate.score >= current.score
    ):
        return "fewer garbage characters and an estimate no worse"
    margin = switch_margin(candidate, current)
    by_estimate = candidate.net > current.net and candidate.score >= current.score + margin
    without_lexicon = candidate.free_net > current.free_net and candidate.free_score >= current.free_score + margin
    if by_estimate and without_lexicon:
        return "a clearly better estimate, with and without the lexicon"
    if candidate.words > current.words and candidate.free_score >= current.free_score + margin:
        return "more words read, and a clearly better estimate by Tesseract's confidence"
    return None


def switch_margin(candidate: Quality, current: Quality) -> float:
    """How much higher another reading's estimate must be to count as clearly better."""
    words = max(1, min(candidate.words, current.words))
    return max(SWITCH_MARGIN, SWITCH_NOISE / float(np.sqrt(words)))


def _fallbacks(prepared: preprocess.PreprocessResult) -> tuple[str, ...]:
    """The other readings. The preparation's one judgement call is clean-or-damaged (keep the page
    grey, or sharpen and binarise it); the fallbacks revisit it from the other side:

    - a binarised page: the image as loaded (what plain Tesseract reads), then, only on a
      close call, the same geometry kept grey;
    - a page kept grey (its paper measured calm): the same geometry binarised (faint ink under
      a texture the calm-paper measure does not see), then the image as loaded.

    A page sown with toner grains the filter could not clear (dense dithered blotches) is read
    as loaded only: no tone preparation reads such blotches (``scripts/probe_photocopy.py``),
    Tesseract spends many times plain Tesseract's time on each, and what plain Tesseract reads
    is the reading the page must not fall below. A page whose dithered toner was cleared to paper
    is read as loaded first too: the clearing keeps only ink darker than one level measured on the
    whole page, and where toner as dark as ink lies thick over part of it (or the level falls short
    of the strokes' edges) the letters come out broken, which the other tone preparation, made
    from the same cleared page, cannot mend; a reading of it clearly better than the first would
    otherwise stop the fallbacks before the image as loaded.
    """
    if _dense_toner(prepared):
        return ("original",)
    binarised = any(s.name in ("preprocess.binarize", "preprocess.sharpen") for s in prepared.steps)
    other_tone = "grey" if binarised else "binarised"
    return ("original", other_tone) if binarised or _dithered(prepared) else (other_tone, "original")


def _dense_toner(prepared: preprocess.PreprocessResult | None) -> bool:
    return prepared is not None and bool(_settings_of(prepared, "preprocess.toner").get("dense"))


def _dithered(prepared: preprocess.PreprocessResult | None) -> bool:
    return prepared is not None and bool(_settings_of(prepared, "preprocess.dither").get("cleared"))


def _good_score(prepared: preprocess.PreprocessResult, first: str) -> float:
    """How well a first reading must be estimated to be kept without trying others.

    Thinning changes every stroke of the page on one global measure (the strokes' median width
    against the x-height), and a thinned page Tesseract reads worse than the page as loaded is
    estimated about as well as a good one (0.85-0.9): a thinned page's first reading stands
    alone only when estimated excellent, and is otherwise checked against the others (the
    image as loaded, unthinned, among them). A first reading of the image as loaded (a line or
    a crop) was not thinned, whatever the preprocessing did, and needs no more than any other."""
    return THINNED_GOOD_SCORE if _read_thinned(prepared, first) else GOOD_SCORE


def _read_thinned(prepared: preprocess.PreprocessResult, reading: str) -> bool:
    """Was the reading named ``reading`` made from a thinned image?"""
    return bool(_settings_of(prepared, "preprocess.thin").get("thinned")) and reading != "original"


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
    dpi: int | None = None,
) -> _Reading:
    psm = PLAIN_PAGE_MODE if plain and kind != "line" else page_mode(kind, config.ocr.psm)
    # (Tesseract's own second reading of weak lines inverted is left to images whose polarity the
    # preprocessing did not judge: the image as loaded is read as plain Tesseract reads it)
    invert = config.ocr.invert_lines or prepared is None
    page = ocr.recognize(image, replace(config.ocr, psm=psm, dpi=dpi or config.ocr.dpi, invert_lines=invert), source=source)
    page = replace(page, steps=tuple(steps) + page.steps)
    return _Reading.judged(name, page, image, prepared, knows)


def _verdict(
    chosen: _Reading, readings: list[_Reading], kind: str, why: str, *, has_ink: bool,
    lines: dict[str, Any] | None = None, empty_reason: str = "",
) -> Recognition:
    judged = _judgement(chosen, readings, kind, has_ink=has_ink, lines=lines, empty_reason=empty_reason)
    return _recorded(chosen, readings, kind, why, judged)


@dataclass(frozen=True)
class _Judgement:
    """A reading's status and its reason, as the verdict records them (:func:`_judgement`)."""

    status: str
    reason: str
    cer: float  # the reading's estimated CER, on the scale fitted to true CER
    lines: dict[str, Any]  # the line check's record
    breaks: int  # times the reading went back up the page
    put_back: bool  # whether the line check put its lines back in rows
    disputed: tuple[str, float] | None = None  # a line's least sure word its readings disagree on (:func:`_disputed_word`)


def _judgement(
    chosen: _Reading, readings: list[_Reading], kind: str, *, has_ink: bool,
    lines: dict[str, Any] | None = None, empty_reason: str = "",
) -> _Judgement:
    """The status of ``chosen`` among ``readings`` ("ok", "empty" or "doubtful") and why, without
    recording it: a reading read once is judged before others are read (:func:`recognize_loaded`)."""
    quality = chosen.quality
    cer = error_scale.estimated_cer(quality)  # the page's, on the scale fitted to true CER
    disputed = _disputed_word(chosen, readings) if kind == "line" else None
    lines = lines or _unchecked_lines()
    counted = lines["order_breaks"]  # by the line check, which put the lines of a reading going back up in rows
    put_back = bool(counted)
    # a reading the line check did not check (the page as loaded) may go back up too: counted here, left as read
    breaks = counted if counted is not None else (line_order.order_breaks(chosen.page) if kind == "page" else 0)
    if not has_ink:
        status, reason = "empty", f"nothing on the page: {empty_reason or 'no ink darker than the paper'}"
    elif quality.words == 0:
        status, reason = "doubtful", "ink on the page but no text read"
    elif doubt := (_line_doubt(chosen, readings, disputed) if kind == "line" else _estimate_doubt(chosen, readings, cer)):
        status, reason = "doubtful", doubt
    elif any(_dense_toner(r.prepared) for r in readings):
        status, reason = "doubtful", "dense blotches of toner the preprocessing could not clear (a photocopy of a photocopy)"
    elif any(_dithered(r.prepared) for r in readings):
        status, reason = "doubtful", "dithered toner cleared to paper (a photocopy of a photocopy): strokes lighter than the ink it kept may be lost"
    elif breaks:
        status, reason = "doubtful", (
            f"the reading went back up the page {breaks} time(s): its lines were read in pieces side by side "
            "(a fold, a stain, columns)" + (", put back in rows by their place on the page" if put_back else "")
            + ", and their order may be wrong"
        )
    else:
        status, reason = "ok", ""
    return _Judgement(status, reason, cer, lines, breaks, put_back, disputed)


def _recorded(chosen: _Reading, readings: list[_Reading], kind: str, why: str, judged: _Judgement) -> Recognition:
    """``chosen`` as given out: its page with the recognition step recording ``judged`` and the readings tried."""
    quality = chosen.quality
    settings: dict[str, Any] = {
        "input": kind,
        "chosen": chosen.name,
        "why": why,
        "tried": [{"preparation": r.name, "score": round(r.quality.score, 4), "net": round(r.quality.net, 1),
                   "free_score": round(r.quality.free_score, 4), "garbage_characters": r.quality.garbage_characters,
                   "words": r.quality.words, **({"regions": r.regions} if r.regions is not None else {})}
                  for r in readings],
        "quality": quality.to_dict(),
        "estimated_cer": round(judged.cer, 4),
        "weakest_word": None if chosen.weakest is None else {"text": chosen.weakest[0], "chance": round(chosen.weakest[1], 4)},
        "quality_version": page_quality.VERSION,  # which estimate judged the readings
        **({"line_merge": chosen.merge} if chosen.merge is not None else {}),
        **({"disputed_word": _disputed_record(judged.disputed)} if kind == "line" else {}),
        **({"page_merge": chosen.page_merge} if chosen.page_merge is not None else {}),
        **judged.lines,
        "order_breaks": judged.breaks,  # found by the line check or by this verdict
        "order_put_back": judged.put_back,  # whether the lines were put back in rows
        "status": judged.status,
        "reason": judged.reason,
    }
    page = chosen.page.with_step(Step(STEP_NAME, STEP_VERSION, settings))
    return Recognition(page, chosen.image, chosen.prepared, judged.status, judged.reason, quality)


def _estimate_doubt(chosen: _Reading, readings: list[_Reading], cer: float) -> str:
    """Why a page's (or a block's) reading is doubtful by the estimate: rated poor, or another reading
    rated higher or as high with other words; "" when it is not. ``cer`` is the reading's estimated CER.

    Rated poor is judged on the estimate's scale fitted to true CER (:mod:`ocrfix.ocr.error_scale`),
    from what means the same on every source (Tesseract's confidence, garbage), not by the score,
    whose lexicon judges only the words of its language: a Russian page and a Czech one read as
    badly get different scores. The scale was fitted on pages of a hundred words and more; a crop of
    fewer than SCALE_MIN_WORDS (a word or two cut out) is judged by its least sure word, as a line is."""
    if chosen.quality.words < SCALE_MIN_WORDS:  # a mean over a few words is noise: judged by the least sure one, as a line
        if weak := _weak_word(chosen):
            return weak
    elif cer > (bar := error_scale.shipped_scale().doubtful):
        return f"estimated character error rate {cer:.1%} (from Tesseract's confidence and garbage) is above {bar:.1%}"
    if (favoured := _favoured_elsewhere(chosen, readings)) is not None:
        kept = _as_read(chosen, readings).quality.score
        verb = "favours another reading" if favoured.quality.score > kept else "cannot tell the reading kept from another"
        return f"the estimate {verb} ({favoured.name}: {favoured.quality.score:.3f} against {kept:.3f}), not clearly enough to take it"
    return ""


def _line_doubt(chosen: _Reading, readings: list[_Reading], disputed: tuple[str, float] | None) -> str:
    """Why a single text line's reading is doubtful; "" when it is not.

    The estimate is a mean over a page's words; a line has a handful, and is read right only if
    each of them is. Its mean rates the line's vocabulary more than its reading: the lexicon
    does not know the pieces of words hyphenated at the line's ends, names, or another language
    read with this one's letters (a Komi line read with ``rus`` is estimated 0.4-0.7 read
    perfectly, as poorly as one with a word misread). A line is therefore judged as a line, word by word:

    - its preparations read different words (each line is read in both, so a line whose letters
      depend on how its image is prepared shows it: ӧ read as б, small letters as capitals, a letter
      broken in two), and the words they disagree on are not settled (:func:`_disputed_doubt`): a word
      given out that is not what plain Tesseract reads there, or one Tesseract is not sure of
      (``disputed``: the least sure of them, :func:`_disputed_word`);
    - its least sure word (:func:`ocrfix.ocr.quality.weakest_word`: Tesseract's confidence, garbage
      nil, a word the lexicon knows as likely right) is more likely wrong than right (WEAK_WORD).
    """
    reference = _as_read(chosen, readings)
    words = _word_texts(reference.page)
    other = next((r for r in readings if r.name != reference.name and r.quality.words and _word_texts(r.page) != words), None)
    if other is not None and (why := _disputed_doubt(chosen, readings, disputed)):
        return (f"its readings disagree ({other.name} read \"{' '.join(_word_texts(other.page))}\" against "
                f"\"{' '.join(words)}\"), and {why}")
    return _weak_word(chosen)


def _disputed_doubt(chosen: _Reading, readings: list[_Reading], unsure: tuple[str, float] | None) -> str:
    """Why the words a line's readings disagree on leave it doubtful; "" when they are settled.

    A disagreement says that one of two readings misreads a word, not which. It is settled when the
    line given out reads there what plain Tesseract reads (the image as loaded: the promise's
    reference; a word taken from another preparation on evidence is a departure from it, and is
    flagged) and Tesseract is sure of each such word (SURE_WORD; garbage nil). On the development
    lines most right lines whose readings disagree are a Komi ӧ read as о as loaded and as б
    preprocessed, confidently as loaded; a misread word is mostly read with less confidence.
    The lexicon does not vouch for a disputed word: both readings may be words it knows.
    ``unsure``: :func:`_disputed_word` of ``chosen`` among ``readings``."""
    plain = next((r for r in readings if r.name == "original" and r.quality.words), None)
    if plain is None or _unmatched(_word_texts(chosen.page), _word_texts(plain.page)):
        return "the line given out departs there from what plain Tesseract reads (the image as loaded)"
    if unsure is not None and unsure[1] < SURE_WORD:
        return f"Tesseract reads \"{unsure[0]}\", a word they disagree on, with a chance of {unsure[1]:.2f}"
    return ""


def _disputed_word(chosen: _Reading, readings: list[_Reading]) -> tuple[str, float] | None:
    """The least sure word of ``chosen`` that another of ``readings`` reads otherwise, and its chance
    (Tesseract's confidence, garbage nil, the lexicon not asked); None when they all agree with it."""
    given = chosen.page.words
    texts = tuple(w.text for w in given)
    disputed = set().union(*(_unmatched(texts, _word_texts(r.page)) for r in readings if r.quality.words))
    chances = [(given[i].text, page_quality.word_chance(given[i])) for i in sorted(disputed)]
    return min(chances, key=lambda found: found[1]) if chances else None


def _disputed_record(found: tuple[str, float] | None) -> dict[str, Any] | None:
    return None if found is None else {"text": found[0], "chance": round(found[1], 4)}


def _unmatched(words: tuple[str, ...], others: tuple[str, ...]) -> set[int]:
    """The indices of ``words`` that ``others``, aligned with them word by word, does not read alike."""
    matcher = SequenceMatcher(None, words, others, autojunk=False)
    matched = {i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)}
    return set(range(len(words))) - matched


def _weak_word(chosen: _Reading) -> str:
    """Why a reading of a few words is doubtful by its least sure word (more likely wrong than right); "" when it is not."""
    if chosen.weakest is not None and chosen.weakest[1] < WEAK_WORD:
        return f"its least sure word, \"{chosen.weakest[0]}\", is right with an estimated chance of {chosen.weakest[1]:.2f}"
    return ""


def _favoured_elsewhere(chosen: _Reading, readings: list[_Reading]) -> _Reading | None:
    """The reading tried that the estimate rates higher than the one kept, or as high (within
    ESTIMATE_TIE) with different words, if any.

    A reading is taken only on clear evidence (:func:`_clearly_better`), so a close call keeps
    the first; when the estimate itself prefers another reading, or rates two different readings
    alike, it cannot tell which of them is right, and the page is doubtful whichever is kept.
    (Compared as read, before the line check changed the kept one.)"""
    as_read = _as_read(chosen, readings)
    kept, words = as_read.quality.score, _word_texts(as_read.page)
    others = [r for r in readings if r.name != chosen.name and r.quality.words and (
        r.quality.score > kept or (r.quality.score > kept - ESTIMATE_TIE and _word_texts(r.page) != words))]  # fmt: skip
    return max(others, key=lambda r: r.quality.score) if others else None


def _word_texts(page: Page) -> tuple[str, ...]:
    return tuple(word.text for word in page.words)


def _as_read(chosen: _Reading, readings: list[_Reading]) -> _Reading:
    """The reading ``chosen`` is, as read (before the line check or a merge changed it); a line merged
    word by word from its readings (no reading of its name): its reading as loaded, the one it was merged into."""
    name = "original" if chosen.name == MERGED else chosen.name
    return next((r for r in readings if r.name == name), readings[0])


def verdict_of(page: Page) -> dict[str, Any] | None:
    """The ``recognition`` step's settings of a recognised page (status, reason, quality), or None."""
    for step in reversed(page.steps):
        if step.name == STEP_NAME:
            return dict(step.settings)
    return None


def preparations_of(
    loaded: preprocess.LoadedImage, config: Config, *, knows: Callable[[str], bool] | None = None
) -> tuple[str, tuple[str, ...], Callable[[str], tuple[Page, Quality] | None]]:
    """What :func:`recognize_loaded` chooses between for ``loaded``, to study the choice offline
    (``scripts/probe_reading_choice.py``): the input kind, the preparations in the order it tries them
    (none when the preprocessing found the page empty: it then reads the image as loaded, "original"),
    and a function reading any preparation ("preprocessed", "original", "grey", "binarised") as it
    does, to its page and estimate (None: it leaves nothing to read; the line check is not run)."""
    shaped, prepared, kind = _prepared(loaded, config, None)
    order = () if prepared.empty else _preparations(prepared, kind, loaded.pixels.shape[:2])

    def read(name: str) -> tuple[Page, Quality] | None:
        reading = _reading(name, loaded, shaped, prepared, kind, config, knows)
        return None if reading is None else (reading.page, reading.quality)

    return kind, order, read
