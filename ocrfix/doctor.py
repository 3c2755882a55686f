"""Environment checks behind ``ocrfix doctor``: what is missing and how to fix it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
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


def check_lexicon(config: Config, report: Callable[[str], None] | None = None) -> list[Check]:
    """The compiled lexicon (built first when missing: ``report`` hears about it), and
    where its curated and user word lists are."""
    import time

    from ocrfix.lexicon.shared import get_lexicon
    from ocrfix.lexicon.sources import curated_files
    from ocrfix.lexicon.store import cache_root, lexicon_dirs

    started = time.perf_counter()
    try:
        curated, user = lexicon_dirs(config.correct)
        lexicon = get_lexicon(config.correct, report=report)
    except OcrfixError as exc:
        return [Check("lexicon", False, exc.message,
                      exc.hint or "reinstall ocrfix with its dependencies (pymorphy3-dicts-ru, wordfreq, marisa-trie)")]
    mine = curated_files([user])
    return [
        Check("lexicon", True, f"{len(lexicon):,} word forms ({len(lexicon.overlay):,} curated), "
                               f"loaded in {time.perf_counter() - started:.2f} s from {cache_root()}"),
        Check("curated word lists", True, f"{len(curated_files([curated]))} files in {curated}"),
        Check("your word lists (ocrfix lexicon add)", True,
              f"{len(mine)} file(s) in {user}" if mine else f"none yet (they go to {user})"),
    ]


def check_chromium() -> Check:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return Check("chromium (browser tests)", True, path, optional=True)
    return Check("chromium (browser tests)", False, "not found", "apt-get install chromium", optional=True)


def check_pdf_font() -> Check:
    from ocrfix.export.pdf import FONT_PACKAGE, font_file

    name = "font of searchable PDFs (regenerate --pdf)"
    path = font_file()
    if path is not None:
        return Check(name, True, str(path), optional=True)
    return Check(name, False, "not found", f"apt-get install {FONT_PACKAGE}", optional=True)


def run_checks(config: Config, report: Callable[[str], None] | None = None) -> list[Check]:
    return [*check_tesseract(config), *check_lexicon(config, report), check_pdf_font(), check_chromium()]
