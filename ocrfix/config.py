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

from ocrfix.errors import ConfigError
from ocrfix.fingerprint import value_digest


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
    clean_paper_noise: float = 1.5  # grey levels: a page whose paper is calmer is clean, kept grey and unsharpened
    fat_stroke: float = 0.33  # x-heights: strokes at least this wide (over-inked type) are thinned; 0 = never
    lift_stains: bool = True  # a stained page is divided by itself with its strokes closed over (only when much of it is mottled)
    unbend: bool = True  # lines bent by a fold are put straight (only when the page's rows are measured bent)
    toner_specks: float = 1.0  # toner grains per letter: a page sown with more toner dust is median-filtered; 0 = never
    dither_tiles: float = 0.05  # share of the page dithered (toner dots finer than a stroke): from it on its toner is cleared to paper; 0 = never


BLOCK_MODES = ("gaps", "tesseract")  # the choices of ``ocr.blocks`` (see OcrConfig.blocks)


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
    invert_lines: bool = False  # Tesseract reads a prepared page's weak lines again inverted (the image as loaded: always)


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
class ReconcileConfig:
    """How the scan and a published transcription are reconciled (ocrfix/reconcile/)."""

    enabled: bool = True  # reconcile with the published transcription when one is known
    agreed_change_margin: float = 2.0  # log10 odds the corrector needs to change a word both witnesses read alike
    max_inserted_words: int = 3  # a longer run only the published text has is never added (repeated line, other page)
    published_error_floor: float = 0.02  # bounds of the published text's word error rate estimated per page
    published_error_ceiling: float = 0.5
    scan_drop_rate: float = 0.01  # how often Tesseract misses a word the page has
    third_witness: bool = False  # read the scan's unsure lines again with Tesseract's Cyrillic script model
    third_witness_below: float = 80.0  # ... the lines whose words' mean confidence is below this


@dataclass(frozen=True)
class Config:
    preprocess: PreprocessConfig = field(default_factory=PreprocessConfig)
    ocr: OcrConfig = field(default_factory=OcrConfig)
    correct: CorrectConfig = field(default_factory=CorrectConfig)
    reconcile: ReconcileConfig = field(default_factory=ReconcileConfig)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def fingerprint(self) -> str:
        from ocrfix import __version__

        settings = {"ocrfix": __version__, **self.to_dict()}
        if self.correct.memory:
            # what the memory says matters, not only where it is
            memory = Path(self.correct.memory)
            settings["memory_sha256"] = hashlib.sha256(memory.read_bytes()).hexdigest() if memory.is_file() else None
        return value_digest(settings)

    def override(self, section: str, **values: Any) -> Config:
        """A copy with some settings of one section changed (None means keep)."""
        current = getattr(self, section)
        changes = {k: v for k, v in values.items() if v is not None}
        return replace(self, **{section: replace(current, **changes)})


@dataclass(frozen=True)
class Limit:
    """What a setting may be besides its type: one of ``choices``, or within [low, high]."""

    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.low is not None and self.high is not None:
            return f"between {self.low:g} and {self.high:g}"
        return f"at least {self.low:g}" if self.low is not None else f"at most {self.high:g}"

    def allows(self, value: Any) -> bool:
        if self.choices:
            return value in self.choices
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


# Settings with a range or a set of choices (every other setting is checked for its type only).
LIMITS: dict[tuple[str, str], Limit] = {
    ("preprocess", "max_skew_degrees"): Limit(low=0, high=45),
    ("preprocess", "binarize"): Limit(choices=("auto", "otsu", "sauvola", "none")),
    ("preprocess", "target_x_height"): Limit(low=8, high=200),
    ("preprocess", "max_pixels"): Limit(low=1),
    ("preprocess", "pdf_dpi"): Limit(low=36, high=1200),
    ("preprocess", "pdf_timeout_seconds"): Limit(low=0.1),
    ("preprocess", "max_pdf_pages"): Limit(low=1),
    ("preprocess", "pdf_memory_mb"): Limit(low=64),
    ("preprocess", "min_x_height"): Limit(low=1, high=500),
    ("preprocess", "max_x_height"): Limit(low=1, high=500),
    ("preprocess", "blur_sigma"): Limit(low=0, high=20),
    ("preprocess", "speckle_size"): Limit(low=0, high=1),
    ("preprocess", "otsu_min_separability"): Limit(low=0, high=1),
    ("preprocess", "sauvola_window"): Limit(low=0.1, high=50),
    ("preprocess", "sauvola_k"): Limit(low=0, high=1),
    ("preprocess", "sharpen_amount"): Limit(low=0, high=10),
    ("preprocess", "sharpen_sigma"): Limit(low=0.1, high=20),
    ("preprocess", "clean_paper_noise"): Limit(low=0, high=255),
    ("preprocess", "fat_stroke"): Limit(low=0, high=5),
    ("preprocess", "toner_specks"): Limit(low=0),
    ("preprocess", "dither_tiles"): Limit(low=0, high=1),
    ("ocr", "psm"): Limit(low=0, high=13),
    ("ocr", "oem"): Limit(low=0, high=3),
    ("ocr", "timeout_seconds"): Limit(low=1),
    ("ocr", "dpi"): Limit(low=36, high=1200),
    ("ocr", "omp_thread_limit"): Limit(low=0, high=1024),
    ("ocr", "blocks"): Limit(choices=BLOCK_MODES),
    ("correct", "max_cost"): Limit(low=0, high=20),
    ("correct", "protect_confidence"): Limit(low=0, high=100),
    ("reconcile", "agreed_change_margin"): Limit(low=0, high=100),
    ("reconcile", "max_inserted_words"): Limit(low=0, high=1000),
    ("reconcile", "published_error_floor"): Limit(low=0.001, high=0.999),
    ("reconcile", "published_error_ceiling"): Limit(low=0.001, high=0.999),
    ("reconcile", "scan_drop_rate"): Limit(low=0.0001, high=0.999),
    ("reconcile", "third_witness_below"): Limit(low=0, high=100),
}

_TYPE_NAMES = {"bool": "true or false", "int": "a whole number", "float": "a number", "str": "a string"}


def _check_value(section: str, name: str, type_name: str, value: Any) -> Any:
    """The value as the setting's type, or a ConfigError naming the setting."""
    key = f"[{section}] {name}"
    if type_name == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    expected = {"bool": bool, "int": int, "float": float, "str": str}.get(type_name)
    if expected is not None and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
        raise ConfigError(f"setting {key} must be {_TYPE_NAMES[type_name]}, not {value!r}")
    limit = LIMITS.get((section, name))
    if limit is not None and not limit.allows(value):
        raise ConfigError(f"setting {key} must be {limit.describe()}, not {value!r}")
    return value


def validate(config: Config) -> Config:
    """The same settings with every value checked (type, range, choices) and ints given
    for floats made floats; a ConfigError names the first bad setting."""
    for section in fields(Config):
        current = getattr(config, section.name)
        values = {f.name: _check_value(section.name, f.name, str(f.type), getattr(current, f.name))
                  for f in fields(current)}
        config = replace(config, **{section.name: replace(current, **values)})
    if config.reconcile.published_error_floor > config.reconcile.published_error_ceiling:
        raise ConfigError("setting [reconcile] published_error_floor must not exceed published_error_ceiling")
    pre = config.preprocess
    if pre.min_x_height > pre.max_x_height:
        raise ConfigError(f"setting [preprocess] min_x_height ({pre.min_x_height:g}) must not exceed "
                            f"max_x_height ({pre.max_x_height:g})")
    if not config.ocr.languages.strip() or not config.ocr.tesseract_cmd.strip():
        raise ConfigError("setting [ocr] " + ("languages" if not config.ocr.languages.strip() else "tesseract_cmd")
                            + " must not be empty")
    return config


def load_config(path: str | Path | None) -> Config:
    """Defaults, updated by the TOML file at ``path`` when one is given, every value
    validated (a ConfigError names the file and the setting)."""
    config = Config()
    if path is None:
        return config
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    for section in fields(Config):
        values = data.pop(section.name, {})
        if not isinstance(values, dict):
            raise ConfigError(f"config file {path}: [{section.name}] must be a section (a table), not {values!r}")
        known = {f.name for f in fields(getattr(config, section.name))}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(
                f"config file {path}: unknown setting(s) in [{section.name}]: {', '.join(sorted(unknown))}"
            )
        config = config.override(section.name, **values)
    if data:
        raise ConfigError(f"config file {path}: unknown section(s): {', '.join(sorted(data))}")
    try:
        return validate(config)
    except ConfigError as exc:
        raise ConfigError(f"config file {path}: {exc.message}", exc.hint) from exc


def to_toml(config: Config) -> str:
    """The settings as a TOML file ``load_config`` reads back to the same settings."""
    lines: list[str] = []
    for section in fields(Config):
        lines.append(f"[{section.name}]")
        for f in fields(getattr(config, section.name)):
            lines.append(f"{f.name} = {_toml_value(getattr(getattr(config, section.name), f.name))}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string
