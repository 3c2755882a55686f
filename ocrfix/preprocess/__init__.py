"""Preprocessing: turn a damaged archive scan into a clean binary page for Tesseract.

Public API:

- :func:`count_pages` and :func:`load_page` read any archive file format;
- :func:`preprocess` runs the steps below on one page and records each one;
- :func:`shape` and :func:`finish` are its two halves: the steps every preparation
  shares (gray to unbend: what the page is, where its lines lie, how large its
  letters are), and the tone steps that depend on whether the page is treated as
  clean or damaged (denoise, sharpen, binarise, despeckle). A page read in
  several preparations is shaped once and finished once per preparation.

Steps, each switched and tuned by :class:`~ocrfix.config.PreprocessConfig`:
gray, invert (negatives), crop (scanner-bed borders), flatten (lighting and
tint), dither (a photocopy's dithered toner cleared at the ink's own level:
:mod:`dither`), toner (specks of a few pixels that outnumber the letters:
:mod:`noise`), orient + deskew, rescale (x-height), thin (over-inked strokes),
stains (a mottle wider than strokes), unbend (lines bent by a fold), denoise, sharpen, binarise
(Otsu or Sauvola), despeckle (dust by its size, and by its place on the
text line: see :mod:`marks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ocrfix import geometry
from ocrfix.config import PreprocessConfig
from ocrfix.errors import BadInputError
from ocrfix.fileio import atomic_write_bytes
from ocrfix.model import Step
from ocrfix.preprocess import binarize, deskew, dither, gray, illumination, noise, orientation, page, scale, sharpen, stains, strokes, transform, unbend
from ocrfix.preprocess.load import LoadedImage, count_pages, load_page

__all__ = ["LoadedImage", "PreprocessResult", "Shaped", "count_pages", "finish", "load_page", "preprocess", "shape"]

# 5: stains lifted (lift_stains), unbend measured under them and steeper folds followed
# 6: dithered toner read back as grey (dither_tiles)
STEP_VERSION = "7"  # 7: dithered toner cleared to paper at the ink's own darkness (dither.ink_level)
MIN_CONTRAST = 12  # grey levels between the darkest and lightest percentiles of a page with content
MIN_SKEW_TO_ROTATE = 0.05  # degrees; smaller measured skews are left alone
DEFAULT_X_HEIGHT = 22.0  # assumed when a page has too few letters to measure
INK_DARKNESS = 0.75  # ink is darker than this share of the paper's grey
MIN_INK_PIXELS = 60  # fewer such pixels than this: nothing is written on the page
MAX_OUTPUT_PIXELS = 60_000_000  # rescaling never makes a page larger than this
STRIP_ASPECT = 2.5  # an image this many times longer than high (or the reverse) is a strip of text, never turned
ALREADY_BINARY = 0.97  # Otsu's separability from which a page's ink and paper count as apart already
CORE_AGREEMENT = 1.6  # the x-height of the letters and the core of the lines agree within this factor
NO_CONTRAST = "no contrast"  # the reason of an empty page whose image as loaded is of one grey (the others are judgements)


@dataclass(frozen=True)
class PreprocessResult:
    image: np.ndarray  # uint8, binary (0 ink, 255 paper) unless binarisation is off
    steps: tuple[Step, ...]
    skew_degrees: float  # measured skew that was corrected (counter-clockwise positive)
    scale: float  # factor applied to the cropped page
    empty: bool  # True for a blank or all-black page; ``image`` is then plain white
    x_height: float | None = None  # measured x-height of the output image, pixels
    # the crop, turns, rotation and scaling that made ``image`` from the input (None: not recorded)
    transform: geometry.PageTransform | None = None


@dataclass(frozen=True)
class Shaped:
    """A page after the steps every preparation shares (gray, invert, crop, flatten, toner, deskew,
    rescale, thin, stains, unbend), which depend only on those steps' settings: the tone steps (:func:`finish`) start here."""

    image: np.ndarray  # uint8 grey, paper light
    steps: tuple[Step, ...]
    transform: geometry.PageTransform
    skew_degrees: float
    scale: float
    x_height: float | None  # measured x-height of ``image`` (None: too few letters, or not the letters')
    dusty: bool  # the toner filter found the page sown with toner grains (it stays damaged)
    paper_noise: float  # noise.paper_noise of ``image``, measured once for every preparation finished from it
    written: int = 0  # intermediate images written so far
    empty: PreprocessResult | None = None  # the page found empty before the tone steps (``finish`` returns it)


class _Recorder:
    """Collects steps (and the geometric ones' maps) and writes each step's image when asked to."""

    def __init__(self, directory: Path | None, shape: tuple[int, ...]) -> None:
        self.steps: list[Step] = []
        self.directory = directory
        self.written = 0
        self.transform = geometry.PageTransform.identity(shape[1], shape[0])

    @classmethod
    def resumed(cls, shaped: Shaped, directory: Path | None) -> _Recorder:
        """A recorder that goes on from a shaped page's steps (and its intermediate images' numbering)."""
        record = cls(directory, shaped.image.shape)
        record.steps = list(shaped.steps)
        record.written = shaped.written
        record.transform = shaped.transform
        return record

    def moved(self, step: geometry.GeometricStep) -> None:
        """Record a step that moved pixels (crop, turn, rotation, scaling), in the order they were moved."""
        self.transform = self.transform.then(step)

    def add(self, name: str, image: np.ndarray | None, **settings: Any) -> None:
        self.steps.append(Step(f"preprocess.{name}", STEP_VERSION, settings))
        if self.directory is not None and image is not None:
            ok, png = cv2.imencode(".png", image)
            if not ok:
                raise BadInputError(f"cannot encode the {name} image for {self.directory}")
            self.written += 1
            atomic_write_bytes(self.directory / f"{self.written:02d}-{name}.png", png.tobytes())


def preprocess(
    image: LoadedImage | np.ndarray,
    config: PreprocessConfig,
    *,
    intermediates_dir: Path | None = None,
) -> PreprocessResult:
    """Clean one page; every step that ran is recorded in ``steps``."""
    return finish(shape(image, config, intermediates_dir=intermediates_dir), config, intermediates_dir=intermediates_dir)


def shape(
    image: LoadedImage | np.ndarray,
    config: PreprocessConfig,
    *,
    intermediates_dir: Path | None = None,
) -> Shaped:
    """The steps every preparation shares, gray to unbend (see :class:`Shaped`)."""
    pixels = image.pixels if isinstance(image, LoadedImage) else image
    if not isinstance(pixels, np.ndarray) or pixels.size == 0:
        raise BadInputError("preprocess: the image has no pixels")
    if intermediates_dir is not None:
        intermediates_dir = Path(intermediates_dir)
        intermediates_dir.mkdir(parents=True, exist_ok=True)
    record = _Recorder(intermediates_dir, pixels.shape)

    work = gray.to_gray(pixels)
    record.add("gray", work, input_shape=list(pixels.shape))
    if _is_blank(work):
        return _shaped_empty(work, record, NO_CONTRAST)

    if config.invert_negatives:
        dark_share = gray.dark_share_of_centre(work)
        inverted = dark_share > 0.5
        if inverted:
            work = 255 - work
        record.add("invert", work if inverted else None, inverted=inverted, dark_share=round(dark_share, 3))

    outside_paper = None
    if config.crop_borders:
        region = page.find_paper(work)
        work, outside_paper = page.crop_to_paper(work, region)
        record.moved(transform.crop(region.box.left, region.box.top, work.shape[1], work.shape[0]))
        record.add("crop", work, box=region.box.as_list(), border_found=region.found_border)

    if config.flatten_illumination:
        work = illumination.flatten(work, letter_px=max(40.0, min(work.shape) / 40.0))
        if outside_paper is not None:
            work[outside_paper] = 255  # the bed's place, now that the paper is white too
        record.add("flatten", work)

    if _ink_pixels(work) < MIN_INK_PIXELS:
        return _shaped_empty(work, record, "no ink darker than the paper")

    # The premise of clearing a dither: dots finer than a stroke over much of the page (grey toner of a
    # photocopy of a photocopy printed as a dither). Before the toner filter, whose grains it clears too.
    if config.dither_tiles > 0:
        dither_found = dither.descreen(work, config.dither_tiles)
        if dither_found.cleared is not None:
            work = dither_found.cleared
        record.add("dither", dither_found.cleared, **dither_found.settings())

    # The premise of the toner filter: specks of a few pixels outnumber the letters (a photocopy of a
    # photocopy). They mislead every later measure (skew, x-height) and Tesseract reads them as symbols.
    # A page found dusty stays damaged after the filter (grains that touched letters are left for
    # thresholding and despeckling), however calm its paper then measures.
    dusty = False
    if config.toner_specks > 0:
        dust = noise.toner_dust(work, config.toner_specks)
        dusty = dust.filtered is not None
        if dusty:
            work = dust.filtered
        record.add("toner", dust.filtered, **dust.settings())

    skew = 0.0
    if config.deskew or config.detect_orientation:
        # A strip (a text line, a crop of a few lines) runs along its length: only a page-shaped image may lie on its side.
        strip = max(work.shape) >= STRIP_ASPECT * min(work.shape)
        estimate = deskew.estimate_skew(
            work, config.max_skew_degrees if config.deskew else 0.0, detect_quarter_turn=config.detect_orientation and not strip
        )
        turns = estimate.quarter_turns if config.detect_orientation else 0
        if turns:
            record.moved(transform.quarter_turn(turns, work.shape[1], work.shape[0]))
            work = deskew.quarter_turn(work, turns)
        skew = float(estimate.degrees) if config.deskew and estimate.confident else 0.0
        if abs(skew) >= MIN_SKEW_TO_ROTATE:
            record.moved(deskew.rotate_step(work.shape, -skew))
            work = deskew.rotate(work, -skew, fill=_paper_grey(work))
        else:
            skew = 0.0
        upside_down = False
        if config.detect_orientation:
            upside_down = orientation.is_upside_down(work)
            if upside_down:
                record.moved(transform.quarter_turn(2, work.shape[1], work.shape[0]))
                work = deskew.quarter_turn(work, 2)
                turns = (turns + 2) % 4
        record.add(
            "deskew",
            work,
            skew_degrees=skew,
            quarter_turns=turns,
            upside_down=upside_down,
            measured=estimate.confident,
        )

    x_height = components_x_height = scale.estimate_x_height(work)
    factor = 1.0
    if config.rescale:
        # The premise: the letters measured are the text's. When noise outnumbers the letters the
        # components mislead; the dense core of the text lines then disagrees, and the page keeps its size.
        core = scale.line_core_height(work)
        consistent = bool(x_height is None or core is None or 1 / CORE_AGREEMENT <= x_height / core <= CORE_AGREEMENT)
        if consistent:
            factor = scale.scale_factor(x_height, config.target_x_height, config.min_x_height, config.max_x_height)
        factor = min(factor, float(np.sqrt(MAX_OUTPUT_PIXELS / work.size)))
        if factor != 1.0:
            record.moved(deskew.rotate_step(work.shape, 0.0, scale=factor))
            work = deskew.rotate(work, 0.0, scale=factor)
        record.add(
            "rescale",
            work if factor != 1.0 else None,
            x_height_before=None if x_height is None else round(float(x_height), 2),
            line_core_height=None if core is None else round(float(core), 2),
            consistent=consistent,
            factor=round(factor, 4),
            target_x_height=config.target_x_height,
        )
        if not consistent:
            x_height = None  # not the letters' height: later steps assume a default
    out_x_height = None if x_height is None else float(x_height) * factor
    # The components' x-height, even where the line core disagreed: lines bent by a fold smear the
    # row profile the core is read from, and the bend is measured (and kept only if clear) at the letters' size.
    letters_x_height = None if components_x_height is None else float(components_x_height) * factor

    # The premise of thinning: strokes measured fat against the letters' size (over-inked type).
    if config.fat_stroke > 0 and out_x_height is not None:
        width = strokes.stroke_width(work)
        fat = bool(width is not None and width >= config.fat_stroke * out_x_height)
        if fat:
            work = strokes.thin(work)
        record.add("thin", work if fat else None, stroke_width=None if width is None else round(width, 2),
                   x_height=round(out_x_height, 2), thinned=fat)  # fmt: skip

    # The premise of lifting stains: calm paper, no toner dust, and a mottle larger than a letter on much of the page.
    measured: tuple[np.ndarray, float] | None = None  # the paper's noise and the image it was measured on
    if config.lift_stains and letters_x_height is not None:
        measured = (work, noise.paper_noise(work))
        calm = measured[1] < config.clean_paper_noise and not dusty
        found = stains.lift(work, letters_x_height, calm_paper=calm)
        if found.lifted is not None:
            work = found.lifted
        record.add("stains", found.lifted, **found.settings())

    # The premise of unbending: rows of ink measured bent (a fold) and clearly sharper once moved straight.
    if config.unbend and letters_x_height is not None:
        bend = unbend.measure(work, letters_x_height)
        bent = unbend.is_bent(bend, letters_x_height)
        if bent:
            work = unbend.straightened(work, bend)
            record.transform = record.transform.bent(geometry.ColumnShifts(bend.strip, tuple(float(v) for v in bend.shifts)))
        record.add("unbend", work if bent else None, bent=bent, span=bend.span, gain=round(bend.gain, 3),
                   strip=bend.strip, shifts=list(bend.shifts) if bent else [])  # fmt: skip

    # (measured once here for every preparation the tone steps finish: the stains step's measure when
    # neither it nor the unbending changed the image)
    paper_noise = measured[1] if measured is not None and measured[0] is work else noise.paper_noise(work)
    return Shaped(work, tuple(record.steps), record.transform, skew, factor, out_x_height, dusty, paper_noise, record.written)


def finish(shaped: Shaped, config: PreprocessConfig, *, intermediates_dir: Path | None = None) -> PreprocessResult:
    """The tone steps on a shaped page: kept grey when clean, else sharpened, binarised and despeckled.

    ``config``'s settings of the shared steps must be those ``shaped`` was made with; only the
    tone steps' settings (binarize, clean_paper_noise, denoise, blur_sigma, sharpen_*, otsu_*,
    sauvola_*, speckle_size) may differ, which is how one page is finished in several preparations.
    """
    if shaped.empty is not None:
        return shaped.empty
    record = _Recorder.resumed(shaped, Path(intermediates_dir) if intermediates_dir is not None else None)
    work, skew, factor, out_x_height, dusty = shaped.image, shaped.skew_degrees, shaped.scale, shaped.x_height, shaped.dusty
    letter = out_x_height or DEFAULT_X_HEIGHT

    # The premise of sharpening and binarising: a damaged page. A clean one (paper of one grey)
    # is left grey and unsharpened: Tesseract thresholds it itself and keeps lightly struck strokes.
    # An image whose ink and paper are already apart (a scan stored near black and white) gains nothing either.
    paper_noise = shaped.paper_noise
    already_separated = binarize.separability(work) if config.binarize == "auto" else 0.0
    clean = bool(paper_noise < config.clean_paper_noise or already_separated >= ALREADY_BINARY) and not dusty
    if config.denoise and config.blur_sigma > 0:
        work = cv2.GaussianBlur(work, (0, 0), config.blur_sigma)
        record.add("denoise", work, blur_sigma=config.blur_sigma)

    if config.sharpen_amount > 0 and not clean:
        work = sharpen.unsharp(work, config.sharpen_sigma, config.sharpen_amount)
        record.add("sharpen", work, sigma=config.sharpen_sigma, amount=config.sharpen_amount)

    if config.binarize == "none":
        return _finish(work, record, skew, factor, out_x_height, empty=False)
    if config.binarize == "auto" and clean:
        record.add("keep-grey", None, requested=config.binarize, paper_noise=round(paper_noise, 3),
                   separability=round(already_separated, 3), clean=clean)
        return _finish(work, record, skew, factor, out_x_height, empty=False)
    method = config.binarize
    separability = binarize.separability(work)
    if method == "auto":
        method = "otsu" if separability >= config.otsu_min_separability else "sauvola"
    if method == "otsu":
        result = binarize.otsu(work)
    elif method == "sauvola":
        result = binarize.sauvola(work, round(config.sauvola_window * letter), config.sauvola_k)
    else:
        raise BadInputError(f"unknown binarisation method {config.binarize!r} (auto, otsu, sauvola, none)")
    work = result.image
    record.add(
        "binarize",
        work,
        requested=config.binarize,
        method=method,
        separability=round(separability, 3),
        paper_noise=round(paper_noise, 3),
        threshold=result.threshold,
    )

    if config.denoise:
        work, removed = binarize.despeckle(work, letter, config.speckle_size)
        record.add(
            "despeckle", work, tiny=removed.tiny, isolated=removed.isolated, edge=removed.edge, stray=removed.stray
        )

    empty = out_x_height is None and _letter_count(work) < 5
    if empty:
        return _empty(work, record, "no letters found")
    return _finish(work, record, skew, factor, out_x_height, empty=False)


def _paper_grey(work: np.ndarray) -> int:
    return int(np.percentile(work[:: max(1, work.shape[0] // 200), :: max(1, work.shape[1] // 200)], 90))


def _ink_pixels(work: np.ndarray) -> int:
    """Pixels clearly darker than the paper (a quarter below its typical grey)."""
    return int(np.count_nonzero(work < INK_DARKNESS * _paper_grey(work)))


def _is_blank(work: np.ndarray) -> bool:
    sample = work[:: max(1, work.shape[0] // 400), :: max(1, work.shape[1] // 400)]
    low, high = np.percentile(sample, [0.5, 99.5])
    return float(high - low) < MIN_CONTRAST


def _letter_count(binary: np.ndarray) -> int:
    count, _, stats, _ = cv2.connectedComponentsWithStats((binary == binarize.INK).astype(np.uint8), connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    return int(np.count_nonzero(heights >= 6))


def _empty(work: np.ndarray, record: _Recorder, reason: str) -> PreprocessResult:
    white = np.full(work.shape, 255, np.uint8)
    record.add("empty", None, reason=reason)
    return PreprocessResult(white, tuple(record.steps), 0.0, 1.0, True, None, _checked(record.transform, white))


def _shaped_empty(work: np.ndarray, record: _Recorder, reason: str) -> Shaped:
    empty = _empty(work, record, reason)
    # (no paper measured: ``finish`` returns ``empty`` before it would read paper_noise)
    return Shaped(work, empty.steps, record.transform, 0.0, 1.0, None, False, 0.0, record.written, empty)


def _finish(
    work: np.ndarray, record: _Recorder, skew: float, factor: float, x_height: float | None, *, empty: bool
) -> PreprocessResult:
    return PreprocessResult(
        np.ascontiguousarray(work), tuple(record.steps), float(skew), float(factor), empty, x_height,
        _checked(record.transform, work),
    )


def _checked(transform: geometry.PageTransform, image: np.ndarray) -> geometry.PageTransform:
    """The transform, after checking it ends at the image's size (a step that moved pixels unrecorded is a bug)."""
    if (transform.width, transform.height) != (image.shape[1], image.shape[0]):
        raise RuntimeError(
            f"preprocess: the recorded geometric steps end at {transform.width}x{transform.height}, "
            f"the image is {image.shape[1]}x{image.shape[0]} (a step that moves pixels must call record.moved)"
        )
    return transform
