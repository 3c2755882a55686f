"""The page tasks: one scan page in, every per-page output file out.

``process_page`` is a pure module-level function of (task, config) that writes
into a directory it is given, so any executor (the local process pool, Dask)
can run it and the batch can make its results appear atomically. It never
raises for a bad page: the failure is returned in the outcome, so one page
cannot crash a batch.

A batch runs it in two passes: ``recognize_page`` (preprocessing and OCR,
kept in the batch's recognition cache), then ``process_page`` with the
task's ``recognition_dir`` set (no OCR: the page is read from the cache) and
the batch's collection lexicon. Without ``recognition_dir`` it does the whole
chain itself, with a collection lexicon counted over the page alone.
"""

from __future__ import annotations

import os
import shutil
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ocrfix.config import Config
from ocrfix.errors import ExitCode, OcrfixError
from ocrfix.fileio import (
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_text,
    read_json,
    read_text,
)
from ocrfix.geometry import PageOrigin, PageTransform
from ocrfix.lexicon.shared import get_lexicon
from ocrfix.model import Correction, Page
from ocrfix.outputs import CORRECTED_TEXT, CORRECTIONS, PAGE_IMAGE, PAGE_JSON, RAW_TEXT

if TYPE_CHECKING:
    from ocrfix.correct import CollectionLexicon


@dataclass(frozen=True)
class PageTask:
    page_id: str
    image_path: Path
    page_index: int = 0
    published_path: Path | None = None
    ground_truth_path: Path | None = None
    # A transcription of the whole document the page belongs to (a multi-page file, a folder of pages, or
    # one named by several manifest rows): the batch cuts it into the pages' shares (ocrfix.reconcile.split)
    # and sets this page's share as offsets into its NFC text. Without a share the page has none.
    published_document: bool = False
    published_span: tuple[int, int] | None = None
    # Set by the batch for its correction pass:
    recognition_dir: Path | None = None  # the page as recognize_page left it: no OCR in process_page
    recognition_status: str = "ok"  # what recognize_page said: "ok", "empty" for a blank page, or "doubtful"
    collection_path: Path | None = None  # the batch's collection lexicon (see ocrfix.batch.collection)
    collection_sha256: str | None = None  # its content hash, checked when it is read


@dataclass(frozen=True)
class PageOutcome:
    page_id: str
    status: str  # "ok", "empty", "doubtful" (finished, but the self-check doubts the reading) or "failed"
    image_path: str = ""
    error: str | None = None
    exit_code: int = 0
    corrections: int = 0
    cer_published: float | None = None  # corrected text vs the published transcription
    cer_published_raw: float | None = None  # raw OCR vs the published transcription
    cer_ground_truth: float | None = None  # corrected text vs the ground truth, when known
    cer_ground_truth_raw: float | None = None
    wer_ground_truth: float | None = None
    seconds: float = 0.0
    files: tuple[str, ...] = field(default_factory=tuple)
    quality: dict | None = None  # the recognition's self-check (see quality_record)

    def to_dict(self) -> dict:
        from dataclasses import asdict

        data = asdict(self)
        data["files"] = list(self.files)
        return data


def recognize_file(image_path: Path, config: Config, page_index: int = 0, *, intermediates_dir: Path | None = None):
    """Load, prepare and OCR one page: (Page, the image its boxes refer to, PreprocessResult or None).

    The page's ``recognition`` step holds the self-check (see :mod:`ocrfix.recognition`):
    read it with :func:`ocrfix.recognition.verdict_of`.
    """
    recognition = recognize_path(image_path, config, page_index, intermediates_dir=intermediates_dir)
    return recognition.page, recognition.image, recognition.prepared


def recognize_path(image_path: Path, config: Config, page_index: int = 0, *, intermediates_dir: Path | None = None):
    """Load one page and recognise it with its self-check: a :class:`ocrfix.recognition.Recognition`."""
    from ocrfix import preprocess
    from ocrfix.recognition import recognize_loaded

    loaded = preprocess.load_page(Path(image_path), page_index, config=config.preprocess)
    recognition = recognize_loaded(loaded, config, knows=word_check(config), intermediates_dir=intermediates_dir)
    # where the boxes lie on the original: the winning preparation's geometry (none for the image as loaded)
    transform = recognition.prepared.transform if recognition.prepared is not None else None
    if transform is None:
        transform = PageTransform.identity(loaded.pixels.shape[1], loaded.pixels.shape[0])
    image = recognition.image
    if (transform.width, transform.height) != (image.shape[1], image.shape[0]):
        # the boxes are in the frame of the image Tesseract read: its transform must end there
        raise RuntimeError(
            f"the page was read from a {image.shape[1]}x{image.shape[0]} image, but its recorded transform "
            f"ends at {transform.width}x{transform.height} (give the origin the transform of the image read)"
        )
    origin = PageOrigin(transform, page_number=loaded.page_index + 1, dpi=loaded.dpi)
    return replace(recognition, page=replace(recognition.page, origin=origin))


def word_check(config: Config):
    """The lexicon's look-up for the self-check, when the lexicon is used at all (it is loaded for correction)."""
    if not config.correct.enabled:
        return None
    try:
        return get_lexicon(config.correct).knows_as_written  # in its case: a mix of cases is a misreading
    except OcrfixError:
        return None  # no lexicon: the check goes by confidence and garbage; correction will say what is missing


def correct(
    page: Page, config: Config, collection: CollectionLexicon | None = None
) -> tuple[Page, tuple[Correction, ...]]:
    """Correct a recognised page; ``collection`` is the batch's collection lexicon (None: the page's own)."""
    from ocrfix.correct import correct_page

    if not config.correct.enabled:
        return page, ()
    lexicon = get_lexicon(config.correct)
    return correct_page(page, lexicon, config.correct, **_corrector_options(page, config, collection))


def _corrector_options(page: Page, config: Config, collection: CollectionLexicon | None) -> dict:
    """The corrector's keyword options: the collection lexicon, and what the memory adds."""
    options: dict = {} if collection is None else {"collection": collection}
    if config.correct.memory:
        from ocrfix.memory import page_corrector_options

        options = page_corrector_options(config.correct.memory, get_lexicon(config.correct), page, collection=collection)
    return options


def reconcile(page: Page, corrected: Page, corrections: tuple[Correction, ...], published: str, config: Config,
              collection: CollectionLexicon | None = None, image=None):
    """The page read from both witnesses, the scan and the published transcription (see ocrfix.reconcile);
    with ``[reconcile] third_witness``, the scan's unsure lines of ``image`` (the image the page's boxes
    refer to) read again by Tesseract's Cyrillic script model as a third."""
    from ocrfix.correct import build_collection_lexicon, default_error_model
    from ocrfix.correct.vocabulary import Vocabulary
    from ocrfix.ocr import to_text
    from ocrfix.reconcile import reconcile_page

    lexicon = get_lexicon(config.correct)
    options = _corrector_options(page, config, collection)
    model = options.get("error_model") or default_error_model(lexicon)
    words = options.get("collection")
    if words is None:
        words = build_collection_lexicon([to_text(page)], lexicon, error_model=model)
    from ocrfix.correct import correct_text

    def published_changes(text: str):
        if not config.correct.enabled:
            return ()
        extra = {k: v for k, v in options.items() if k in ("error_model", "forbidden", "fixes")}
        return correct_text(text, lexicon, config.correct, collection=words, **extra).corrections

    return reconcile_page(page, corrected, corrections, published, Vocabulary(lexicon, words), model, config.reconcile,
                          published_changes, third_witness(page, image, config))


def third_witness(page: Page, image, config: Config):
    """The scan's unsure lines read again by Tesseract's Cyrillic script model (None when the setting is
    off); without the model installed, or without the image, a record of why there is no third reading."""
    from ocrfix.errors import MissingDependencyError
    from ocrfix.ocr.regions import read_regions
    from ocrfix.reconcile.page import ThirdWitness
    from ocrfix.reconcile.third import MODEL, line_box, unsure_lines

    if not config.reconcile.third_witness:
        return None
    lines = unsure_lines(page, config.reconcile.third_witness_below)
    if not lines:
        return ThirdWitness(lines, None, "no line is unsure")
    if image is None:
        return ThirdWitness(lines, None, "the page's image is not at hand")
    try:
        other = read_regions(image, [line_box(page, n) for n in lines],
                             replace(config.ocr, languages=MODEL, char_alternatives=False), crop=False,
                             source=page.source or "")
    except MissingDependencyError as exc:
        return ThirdWitness(lines, None, f"{exc.message}; {exc.hint}" if exc.hint else exc.message)
    return ThirdWitness(lines, other)


def recognize_page(task: PageTask, config: Config, entry_dir: Path) -> PageOutcome:
    """A batch's first pass for one page: preprocess and OCR it, and keep the result in ``entry_dir``.

    Writes the recognised page (``page.json``), the preprocessed image
    (``page.png``) and the raw text (``raw.txt``), which ``process_page`` reads
    back when the task's ``recognition_dir`` is that folder. Status "ok", or
    "empty" for a blank page; like ``process_page`` it never raises for a bad page.
    """
    return _guarded(task, lambda started: _recognize_into(task, config, Path(entry_dir), started))


def process_page(task: PageTask, config: Config, page_dir: Path) -> PageOutcome:
    """Run the whole chain for one page (or its second part, see :class:`PageTask`) into ``page_dir``."""
    return _guarded(task, lambda started: _process(task, config, Path(page_dir), started))


def _guarded(task: PageTask, work: Callable[[float], PageOutcome]) -> PageOutcome:
    """``work``'s outcome, or a failed outcome saying what went wrong: a page task never raises."""
    started = time.perf_counter()
    try:
        return work(started)
    except OcrfixError as exc:
        return PageOutcome(
            task.page_id,
            "failed",
            image_path=str(task.image_path),
            error=exc.one_line(),
            exit_code=int(exc.exit_code),
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # an ocrfix bug must not take the batch down either
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return PageOutcome(
            task.page_id,
            "failed",
            image_path=str(task.image_path),
            error=f"internal error: {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})",
            exit_code=int(ExitCode.INTERNAL_ERROR),
            seconds=time.perf_counter() - started,
        )


def _recognize_into(task: PageTask, config: Config, entry_dir: Path, started: float) -> PageOutcome:
    from ocrfix import ocr

    recognition = recognize_path(task.image_path, config, task.page_index)
    page, image = recognition.page, recognition.image
    entry_dir.mkdir(parents=True, exist_ok=True)
    png = _encode_png(image)
    if png is not None:
        atomic_write_bytes(entry_dir / PAGE_IMAGE, png)
    atomic_write_json(entry_dir / PAGE_JSON, ocr.to_json(page))
    atomic_write_text(entry_dir / RAW_TEXT, ocr.to_text(page))
    return PageOutcome(
        task.page_id,
        recognition.status,
        image_path=str(task.image_path),
        quality=quality_record(recognition.page),
        seconds=time.perf_counter() - started,
        files=tuple(sorted(p.name for p in entry_dir.iterdir() if p.is_file())),
    )


def _encode_png(image) -> bytes | None:
    import cv2

    ok, png = cv2.imencode(".png", image)
    return png.tobytes() if ok else None


def quality_record(page: Page) -> dict | None:
    """What summary.json keeps of a page's self-check: the estimate, its estimated character error rate (None from
    a recognition step before version 11), the preparation read, the reason for doubt."""
    from ocrfix.recognition import verdict_of

    verdict = verdict_of(page)
    if verdict is None:
        return None
    return {**dict(verdict.get("quality") or {}), "estimated_cer": verdict.get("estimated_cer"),
            "preparation": verdict.get("chosen"), "input": verdict.get("input"), "reason": verdict.get("reason") or None}


def _status_of(page: Page, empty: bool) -> str:
    from ocrfix.recognition import verdict_of

    if empty:
        return "empty"
    verdict = verdict_of(page)
    return str(verdict.get("status") or "ok") if verdict else "ok"


def _recognised(task: PageTask, page_dir: Path) -> tuple[Page, bool]:
    """The page (and whether it is blank) from the task's recognition, its image put into ``page_dir``."""
    from ocrfix.ocr import page_from_json

    entry = Path(task.recognition_dir)
    page = page_from_json(read_json(entry / PAGE_JSON, "a recognised page"))
    page = replace(page, source=str(task.image_path))  # the same image may have been read from elsewhere before
    cached_image = entry / PAGE_IMAGE
    if cached_image.is_file():
        _link_or_copy(cached_image, page_dir / PAGE_IMAGE)
    return page, task.recognition_status == "empty"


def _page_image(path: Path):
    """The page image the boxes refer to (grey), or None where there is none."""
    if not path.is_file():
        return None
    import numpy as np
    from PIL import Image

    with Image.open(path) as opened:
        return np.asarray(opened.convert("L"))


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (no second copy of the image on disk) where the file system allows one, else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _process(task: PageTask, config: Config, page_dir: Path, started: float) -> PageOutcome:
    from ocrfix import ocr
    from ocrfix.align import error_rates
    from ocrfix.align.limits import check_align_size
    from ocrfix.report import write_page_report

    # Read the texts first: a missing transcription should fail before the slow part.
    published = read_text(task.published_path) if task.published_path else None
    if published is not None and task.published_document:
        published = None if task.published_span is None else published[task.published_span[0] : task.published_span[1]]
    truth = read_text(task.ground_truth_path) if task.ground_truth_path else None
    for text, path in ((published, task.published_path), (truth, task.ground_truth_path)):
        if text is not None:  # refused before the page's reading is compared with it (see align/limits.py)
            check_align_size(text, what=f"{path}")
    collection = None
    if task.collection_path is not None and config.correct.enabled:
        from ocrfix.collection_file import load_collection_lexicon

        collection = load_collection_lexicon(Path(task.collection_path), task.collection_sha256 or "")

    page_dir.mkdir(parents=True, exist_ok=True)
    if task.recognition_dir is not None:
        page, empty = _recognised(task, page_dir)
    else:
        page, image, prepared = recognize_file(task.image_path, config, task.page_index)
        empty = prepared is not None and prepared.empty
        png = _encode_png(image)
        if png is not None:
            atomic_write_bytes(page_dir / PAGE_IMAGE, png)
    corrected_page, corrections = correct(page, config, collection)
    if published is not None and config.reconcile.enabled and page.blocks:
        reconciled = reconcile(page, corrected_page, corrections, published, config, collection,
                               _page_image(page_dir / PAGE_IMAGE) if config.reconcile.third_witness else None)
        corrected_page, corrections = reconciled.page, reconciled.corrections
    raw_text, corrected_text = ocr.to_text(page), ocr.to_text(corrected_page)

    atomic_write_text(page_dir / RAW_TEXT, raw_text)
    atomic_write_text(page_dir / CORRECTED_TEXT, corrected_text)
    atomic_write_json(page_dir / CORRECTIONS, [c.to_dict() for c in corrections])
    atomic_write_json(page_dir / PAGE_JSON, ocr.to_json(corrected_page))
    write_page_report(
        page_dir,
        reference=published,
        raw=raw_text,
        corrected=corrected_text,
        corrections=corrections,
        page=corrected_page,
        image_path=page_dir / PAGE_IMAGE,
    )

    vs_published = error_rates(published, corrected_text) if published is not None else None
    vs_published_raw = error_rates(published, raw_text) if published is not None else None
    vs_truth = error_rates(truth, corrected_text) if truth is not None else None
    vs_truth_raw = error_rates(truth, raw_text) if truth is not None else None
    return PageOutcome(
        task.page_id,
        _status_of(page, empty),
        image_path=str(task.image_path),
        quality=quality_record(page),
        corrections=sum(1 for c in corrections if c.replacement != c.original),
        cer_published=vs_published.cer if vs_published else None,
        cer_published_raw=vs_published_raw.cer if vs_published_raw else None,
        cer_ground_truth=vs_truth.cer if vs_truth else None,
        cer_ground_truth_raw=vs_truth_raw.cer if vs_truth_raw else None,
        wer_ground_truth=vs_truth.wer if vs_truth else None,
        seconds=time.perf_counter() - started,
        files=tuple(sorted(p.name for p in page_dir.iterdir() if p.is_file())),
    )
