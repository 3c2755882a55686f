"""Environment checks behind ``ocrfix doctor``: what is missing and how to fix it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from ocrfix.config import Config
from ocrfix.errors import OcrfixError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    optional: bool = False


def check_tesseract(config: Config) -> list[Check]:
    from ocrfix.ocr import probe

    try:
        info = probe(config.ocr)
    except OcrfixError as exc:
        return [Check("tesseract", False, exc.message, exc.hint or "")]
    checks = [Check("tesseract", True, f"{info.version} at {info.path}")]
    for lang in config.ocr.languages.split("+"):
        if lang in info.languages:
            checks.append(Check(f"language data '{lang}'", True, "installed"))
        else:
            package = f"tesseract-ocr-{lang}"
            checks.append(Check(f"language data '{lang}'", False, "not installed", f"apt-get install {package}"))
    return checks


def check_lexicon(config: Config) -> Check:
    import time

    from ocrfix.pipeline import get_lexicon

    started = time.perf_counter()
    try:
        lexicon = get_lexicon(config.correct)
    except OcrfixError as exc:
        return Check("lexicon", False, exc.message, exc.hint or "pip install -e . (pymorphy3-dicts-ru, wordfreq)")
    return Check("lexicon", True, f"{len(lexicon):,} word forms, loaded in {time.perf_counter() - started:.2f} s")


def check_chromium() -> Check:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return Check("chromium (browser tests)", True, path, optional=True)
    return Check("chromium (browser tests)", False, "not found", "apt-get install chromium", optional=True)


def run_checks(config: Config) -> list[Check]:
    return [*check_tesseract(config), check_lexicon(config), check_chromium()]
