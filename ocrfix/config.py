"""Settings: built-in defaults < a TOML config file < command-line options.

Each stage has its own frozen section; stages receive only their section.
``Config.fingerprint()`` identifies the effective settings (with versions),
so a batch can tell whether a finished page must be redone.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ocrfix.errors import BadInputError


@dataclass(frozen=True)
class PreprocessConfig:
    enabled: bool = True
    crop_borders: bool = True
    deskew: bool = True
    max_skew_degrees: float = 10.0
    flatten_illumination: bool = True
    denoise: bool = True
    binarize: str = "auto"  # "auto", "otsu", "sauvola", "none"
    rescale: bool = True
    target_x_height: int = 26  # pixels; Tesseract reads best at about 20-35
    max_pixels: int = 120_000_000  # refuse larger images (decompression bombs)
    pdf_dpi: int = 300  # PDF pages are rendered at this resolution
    pdf_timeout_seconds: float = 60.0  # a PDF page (or page count) taking longer is refused: hostile PDFs
    max_pdf_pages: int = 10_000  # refuse PDFs claiming more pages
    pdf_memory_mb: int = 2048  # the PDF renderer's process may use at most this much memory: hostile PDFs
    invert_negatives: bool = True  # white-on-black scans are turned into black on white
    detect_orientation: bool = True  # quarter turns and upside-down pages
    min_x_height: float = 20.0  # pages whose x-height lies in [min, max] are not rescaled
    max_x_height: float = 35.0
    blur_sigma: float = 0.0  # Gaussian smoothing before binarisation (part of denoise), pixels
    speckle_size: float = 0.12  # denoise removes ink specks up to this share of the x-height across
    otsu_min_separability: float = 0.6  # "auto" binarisation uses Otsu when ink and paper separate this well
    sauvola_window: float = 2.0  # Sauvola's window, in x-heights
    sauvola_k: float = 0.2
    sharpen_amount: float = 1.5  # unsharp masking before binarisation; 0 = off
    sharpen_sigma: float = 1.5  # pixels


@dataclass(frozen=True)
class OcrConfig:
    languages: str = "rus"
    psm: int = 4  # Tesseract page segmentation: 4 = one column of lines (beat 6 on the sample scans, tied 3; scripts/bench_ocr.py)
    oem: int = 1  # LSTM engine
    timeout_seconds: float = 180.0
    char_alternatives: bool = True
    tesseract_cmd: str = "tesseract"
    dpi: int = 300  # resolution Tesseract is told the image has
    omp_thread_limit: int = 1  # OpenMP threads per Tesseract run; 0 = Tesseract's default (all cores)
    blocks: str = "gaps"  # "gaps": blocks end at blank lines (vertical gaps); "tesseract": Tesseract's paragraphs


@dataclass(frozen=True)
class CorrectConfig:
    enabled: bool = True
    lexicon_dir: str = ""  # empty: the curated lexicons shipped in ocrfix/data/lexicons/
    max_cost: float = 2.0
    protect_confidence: float = 95.0  # words OCR'd at or above this are not touched
    real_word_errors: bool = True  # also fix real words that disagree with their neighbours (бить -> быть)
    use_context: bool = True  # rank close candidates by agreement with the neighbouring words
    join_line_hyphens: bool = False  # join 'командо-' / 'вания' (changes the line structure)
    remove_specks: bool = True  # drop stand-alone dirt marks ('. -', '|', '°') the OCR read as text
    yo_as_e: bool = True  # write ё as е: period typewriters had no ё, so an OCR'd ё is е with a speck
    memory: str = ""  # collection memory of reviewer decisions (JSON); empty: none


@dataclass(frozen=True)
class Config:
    preprocess: PreprocessConfig = field(default_factory=PreprocessConfig)
    ocr: OcrConfig = field(default_factory=OcrConfig)
    correct: CorrectConfig = field(default_factory=CorrectConfig)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def fingerprint(self) -> str:
        from ocrfix import __version__

        settings = {"ocrfix": __version__, **self.to_dict()}
        if self.correct.memory:
            # what the memory says matters, not only where it is
            memory = Path(self.correct.memory)
            settings["memory_sha256"] = hashlib.sha256(memory.read_bytes()).hexdigest() if memory.is_file() else None
        blob = json.dumps(settings, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def override(self, section: str, **values: Any) -> Config:
        """A copy with some settings of one section changed (None means keep)."""
        current = getattr(self, section)
        changes = {k: v for k, v in values.items() if v is not None}
        return replace(self, **{section: replace(current, **changes)})


def load_config(path: str | Path | None) -> Config:
    """Defaults, updated by the TOML file at ``path`` when one is given."""
    config = Config()
    if path is None:
        return config
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInputError(f"cannot read config file {path}: {exc}") from exc
    for section in fields(Config):
        values = data.pop(section.name, {})
        known = {f.name for f in fields(getattr(config, section.name))}
        unknown = set(values) - known
        if unknown:
            raise BadInputError(
                f"config file {path}: unknown setting(s) in [{section.name}]: {', '.join(sorted(unknown))}"
            )
        config = config.override(section.name, **values)
    if data:
        raise BadInputError(f"config file {path}: unknown section(s): {', '.join(sorted(data))}")
    return config
