"""The only module that runs the Tesseract binary.

:func:`probe` checks, once per process, that Tesseract is installed, new
enough, and has the language data a config asks for; a missing piece is a
:class:`~ocrfix.errors.MissingDependencyError` naming the Debian package.
:func:`run_tesseract` runs it on one image file with one OpenMP thread and a
timeout, and returns its TSV (and, when asked, hOCR with per-character LSTM
choices) from a single run.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocrfix.config import OcrConfig
from ocrfix.errors import MissingDependencyError, OcrError, OcrTimeoutError

MINIMUM_MAJOR_VERSION = 4  # the LSTM engine and TSV output
BINARY_PACKAGE = "tesseract-ocr"
PROBE_TIMEOUT_SECONDS = 30.0

# Variables set on every recognition run: TSV always, hOCR with the best
# alternatives per character (lstm_choice_mode=2) when alternatives are wanted.
TSV_VARIABLES: tuple[tuple[str, str], ...] = (
    ("tessedit_create_tsv", "1"),
    ("tessedit_create_txt", "0"),
)
HOCR_VARIABLES: tuple[tuple[str, str], ...] = (
    ("tessedit_create_hocr", "1"),
    ("hocr_char_boxes", "1"),
    ("lstm_choice_mode", "2"),
)


@dataclass(frozen=True)
class TesseractInfo:
    """What :func:`probe` found: enough to run Tesseract and to record how it ran."""

    version: str  # e.g. "5.3.0"
    path: str  # the resolved binary
    languages: tuple[str, ...]  # language data installed
    tessdata_dir: str
    traineddata: tuple[tuple[str, str], ...] = ()  # (language, "sha256:<first 16 hex>") for the config's languages


@dataclass(frozen=True)
class TesseractOutput:
    """The files one run produced, read as text."""

    tsv: str
    hocr: str  # "" unless alternatives were asked for
    stderr: str
    seconds: float


# Tesseract's script models (``Cyrillic``, ``script/Cyrillic``) are packaged by Debian under the script's
# ISO 15924 code: tesseract-ocr-script-cyrl.
SCRIPT_CODES = {"cyrillic": "cyrl", "latin": "latn", "greek": "grek"}


def debian_package_for_language(language: str) -> str:
    """Debian's package for a Tesseract language code (``chi_sim`` -> ``tesseract-ocr-chi-sim``,
    ``Cyrillic`` -> ``tesseract-ocr-script-cyrl``)."""
    name = language.removeprefix("script/")
    if name[:1].isupper() and name.lower() in SCRIPT_CODES:
        return f"{BINARY_PACKAGE}-script-{SCRIPT_CODES[name.lower()]}"
    return f"{BINARY_PACKAGE}-{language.lower().replace('_', '-').replace('/', '-')}"


def requested_languages(config: OcrConfig) -> tuple[str, ...]:
    return tuple(part for part in config.languages.split("+") if part)


def probe(config: OcrConfig) -> TesseractInfo:
    """Check the binary and the language data ``config`` needs; cached per process."""
    info = _probe_binary(config.tesseract_cmd)
    languages = requested_languages(config)
    if not languages:
        raise MissingDependencyError("no OCR language configured", hint="set ocr.languages, e.g. 'rus'")
    missing = [lang for lang in languages if lang not in info.languages]
    if missing:
        packages = " ".join(debian_package_for_language(lang) for lang in missing)
        raise MissingDependencyError(
            f"Tesseract has no data for language(s) {', '.join(repr(m) for m in missing)}"
            f" (installed: {', '.join(info.languages) or 'none'}; data directory {info.tessdata_dir})",
            hint=f"install the Debian package(s): apt-get install {packages}",
        )
    digests = tuple((lang, _traineddata_digest(info.tessdata_dir, lang)) for lang in languages)
    return TesseractInfo(info.version, info.path, info.languages, info.tessdata_dir, digests)


def _missing_binary(cmd: str, why: str) -> MissingDependencyError:
    return MissingDependencyError(
        f"Tesseract {why}: {cmd!r}",
        hint=f"install the Debian packages {BINARY_PACKAGE} and {BINARY_PACKAGE}-rus, or set ocr.tesseract_cmd",
    )


@lru_cache(maxsize=8)
def _probe_binary(cmd: str) -> TesseractInfo:
    path = shutil.which(cmd)
    if path is None:
        raise _missing_binary(cmd, "not found")
    try:
        version_run = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=PROBE_TIMEOUT_SECONDS, check=False
        )
        langs_run = subprocess.run(
            [path, "--list-langs"], capture_output=True, text=True, timeout=PROBE_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _missing_binary(cmd, f"could not be run ({exc})") from exc
    match = re.search(r"tesseract\s+v?(\d+)\.(\d+)\S*", version_run.stdout + version_run.stderr)
    if version_run.returncode != 0 or match is None:
        raise _missing_binary(cmd, "did not report a version; is it Tesseract?")
    version = match.group(0).split()[-1].lstrip("v")
    if int(match.group(1)) < MINIMUM_MAJOR_VERSION:
        raise MissingDependencyError(
            f"Tesseract {version} at {path} is too old: ocrfix needs {MINIMUM_MAJOR_VERSION}.0 or newer",
            hint=f"install a newer {BINARY_PACKAGE}",
        )
    languages, tessdata_dir = _parse_list_langs(langs_run.stdout + "\n" + langs_run.stderr)
    return TesseractInfo(version=version, path=path, languages=languages, tessdata_dir=tessdata_dir)


def _parse_list_langs(output: str) -> tuple[tuple[str, ...], str]:
    """Languages and data directory from ``tesseract --list-langs``."""
    languages: list[str] = []
    tessdata_dir = ""
    listing = False
    for raw in output.splitlines():
        line = raw.strip()
        header = re.match(r'List of available languages in "(.*)"', line)
        if header:
            tessdata_dir, listing = header.group(1), True
            continue
        if listing and re.fullmatch(r"[\w/.-]+", line):
            languages.append(line)
    return tuple(sorted(languages)), tessdata_dir


@lru_cache(maxsize=32)
def _traineddata_digest(tessdata_dir: str, language: str) -> str:
    """A short digest of a language model file, so outputs record which model read them."""
    path = Path(tessdata_dir) / f"{language}.traineddata"
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return "unknown"
    return f"sha256:{digest.hexdigest()[:16]}"


# Tesseract's LSTM engine reads every text line whose mean character confidence is below a threshold
# (5.3: ``invert_threshold``, 0.7; 5.0-5.2: 0.5) a second time from the line's image inverted, and keeps
# the inverted reading when it is more confident. ocrfix judges a page's polarity itself (preprocess:
# negatives), so that second reading of every weak line of a damaged page is switched off unless
# ``ocr.invert_lines`` asks for it. ``tessedit_do_invert=0`` turns it off from 5.0 on (deprecated for
# ``invert_threshold=0`` in 5.3, honoured to 5.5); 4.x always inverts, and ignores the variable.
NO_LINE_INVERSION: tuple[tuple[str, str], ...] = (("tessedit_do_invert", "0"),)


def command_variables(config: OcrConfig) -> tuple[tuple[str, str], ...]:
    """The ``-c`` variables a run with ``config`` uses (recorded in outputs)."""
    inversion = () if config.invert_lines else NO_LINE_INVERSION
    return TSV_VARIABLES + inversion + (HOCR_VARIABLES if config.char_alternatives else ())


def tesseract_environment(config: OcrConfig) -> dict[str, str]:
    """The environment for a run: one OpenMP thread unless the config says otherwise."""
    env = dict(os.environ)
    if config.omp_thread_limit > 0:
        env["OMP_THREAD_LIMIT"] = str(config.omp_thread_limit)
    else:
        env.pop("OMP_THREAD_LIMIT", None)
    return env


def run_tesseract(image_path: Path, work_dir: Path, config: OcrConfig, info: TesseractInfo, *, source: str = "") -> TesseractOutput:
    """Run Tesseract once on ``image_path``, writing its outputs under ``work_dir``."""
    output_base = Path(work_dir) / "ocr"
    command = [
        info.path,
        str(image_path),
        str(output_base),
        "-l",
        config.languages,
        "--psm",
        str(config.psm),
        "--oem",
        str(config.oem),
        "--dpi",
        str(config.dpi),
    ]
    for name, value in command_variables(config):
        command += ["-c", f"{name}={value}"]
    where = f" on {source}" if source else ""
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=config.timeout_seconds,
            env=tesseract_environment(config),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the child
        raise OcrTimeoutError(
            f"Tesseract did not finish{where} within {config.timeout_seconds:g} s",
            hint="raise ocr.timeout_seconds, or check that the image is a page of text",
            stderr=_decode(exc.stderr),
        ) from exc
    except OSError as exc:
        raise _missing_binary(info.path, f"could not be started ({exc.strerror})") from exc
    seconds = time.perf_counter() - started
    stderr = _decode(completed.stderr)
    if completed.returncode != 0:
        last_line = next((ln for ln in reversed(stderr.splitlines()) if ln.strip()), "no message")
        raise OcrError(
            f"Tesseract failed{where} (exit status {completed.returncode}): {last_line.strip()}",
            stderr=stderr,
        )
    tsv = _read_output(output_base.with_suffix(".tsv"), where, stderr)
    hocr = _read_output(output_base.with_suffix(".hocr"), where, stderr) if config.char_alternatives else ""
    return TesseractOutput(tsv=tsv, hocr=hocr, stderr=stderr, seconds=seconds)


def _read_output(path: Path, where: str, stderr: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise OcrError(f"Tesseract reported success{where} but wrote no {path.suffix} file", stderr=stderr) from exc
    except UnicodeDecodeError as exc:
        raise OcrError(f"Tesseract wrote a {path.suffix} file{where} that is not UTF-8", stderr=stderr) from exc


def _decode(data: bytes | str | None) -> str:
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return data.decode("utf-8", errors="replace")
