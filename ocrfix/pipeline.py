"""The page task: one scan page in, every per-page output file out.

``process_page`` is a pure module-level function of (task, config) that writes
into a directory it is given, so any executor (the local process pool, Dask)
can run it and the batch can make its results appear atomically. It never
raises for a bad page: the failure is returned in the outcome, so one page
cannot crash a batch.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from ocrfix.config import Config, CorrectConfig
from ocrfix.errors import ExitCode, OcrfixError
from ocrfix.fileio import atomic_write_bytes, atomic_write_json, atomic_write_text, read_text
from ocrfix.model import Correction, Page
from ocrfix.outputs import CORRECTED_TEXT, CORRECTIONS, PAGE_IMAGE, PAGE_JSON, RAW_TEXT



@dataclass(frozen=True)
class PageTask:
    page_id: str
    image_path: Path
    page_index: int = 0
    published_path: Path | None = None
    ground_truth_path: Path | None = None


@dataclass(frozen=True)
class PageOutcome:
    page_id: str
    status: str  # "ok", "empty" or "failed"
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

    def to_dict(self) -> dict:
        from dataclasses import asdict

        data = asdict(self)
        data["files"] = list(self.files)
        return data


_lexicon_cache: dict[CorrectConfig, object] = {}


def get_lexicon(config: CorrectConfig):
    """The lexicon for these settings, loaded once per process."""
    from ocrfix.lexicon import load_lexicon

    if config not in _lexicon_cache:
        _lexicon_cache[config] = load_lexicon(config)
    return _lexicon_cache[config]


def recognize_file(image_path: Path, config: Config, page_index: int = 0, *, intermediates_dir: Path | None = None):
    """Load, preprocess and OCR one page: (Page, preprocessed image, PreprocessResult or None)."""
    from ocrfix import ocr, preprocess

    loaded = preprocess.load_page(Path(image_path), page_index, config=config.preprocess)
    if config.preprocess.enabled:
        prepared = preprocess.preprocess(loaded, config.preprocess, intermediates_dir=intermediates_dir)
        image, steps, empty = prepared.image, prepared.steps, prepared.empty
    else:
        prepared, image, steps, empty = None, loaded.pixels, (), False
    if empty:
        page = Page((), width=image.shape[1], height=image.shape[0], source=str(image_path))
    else:
        page = ocr.recognize(image, config.ocr, source=str(image_path))
    # the preprocessing steps came first: record them before Tesseract's
    page = replace(page, steps=tuple(steps) + page.steps)
    return page, image, prepared


def correct(page: Page, config: Config) -> tuple[Page, tuple[Correction, ...]]:
    from ocrfix.correct import correct_page

    if not config.correct.enabled:
        return page, ()
    lexicon = get_lexicon(config.correct)
    options = {}
    if config.correct.memory:
        from ocrfix.memory import page_corrector_options

        options = page_corrector_options(config.correct.memory, lexicon, page)
    return correct_page(page, lexicon, config.correct, **options)


def process_page(task: PageTask, config: Config, page_dir: Path) -> PageOutcome:
    """Run the whole chain for one page and write its outputs into ``page_dir``."""
    started = time.perf_counter()
    try:
        return _process(task, config, Path(page_dir), started)
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


def _process(task: PageTask, config: Config, page_dir: Path, started: float) -> PageOutcome:
    import cv2

    from ocrfix import ocr
    from ocrfix.align import error_rates
    from ocrfix.report import write_page_report

    # Read the texts first: a missing transcription should fail before the slow part.
    published = read_text(task.published_path) if task.published_path else None
    truth = read_text(task.ground_truth_path) if task.ground_truth_path else None

    page, image, prepared = recognize_file(task.image_path, config, task.page_index)
    corrected_page, corrections = correct(page, config)
    raw_text, corrected_text = ocr.to_text(page), ocr.to_text(corrected_page)

    page_dir.mkdir(parents=True, exist_ok=True)
    ok, png = cv2.imencode(".png", image)
    if ok:
        atomic_write_bytes(page_dir / PAGE_IMAGE, png.tobytes())
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
        "empty" if prepared is not None and prepared.empty else "ok",
        image_path=str(task.image_path),
        corrections=len(corrections),
        cer_published=vs_published.cer if vs_published else None,
        cer_published_raw=vs_published_raw.cer if vs_published_raw else None,
        cer_ground_truth=vs_truth.cer if vs_truth else None,
        cer_ground_truth_raw=vs_truth_raw.cer if vs_truth_raw else None,
        wer_ground_truth=vs_truth.wer if vs_truth else None,
        seconds=time.perf_counter() - started,
        files=tuple(sorted(p.name for p in page_dir.iterdir() if p.is_file())),
    )
