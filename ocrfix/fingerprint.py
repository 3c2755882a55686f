"""Fingerprints of ocrfix's own code: a batch redoes the pages a code change
affects even when the version number stayed the same (a development checkout, a
patched install). Part of every page's key (see ocrfix.batch.runner.collect_versions)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
RECOGNITION_CODE = ("preprocess", "ocr", "recognition.py")  # what the OCR cache depends on (the rest only corrects and reports)


def value_digest(value: object) -> str:
    """SHA-256 (16 hex digits) of a JSON value, its keys sorted: the short hash a Step, a
    configuration or a cache key records for settings, tables and word counts."""
    return hashlib.sha256(json.dumps(value, ensure_ascii=True, sort_keys=True).encode("ascii")).hexdigest()[:16]


def fingerprint(paths: Iterable[Path], base: Path) -> str:
    """SHA-256 (16 hex digits) over the Python files under ``paths`` (files or folders),
    each with its path relative to ``base``, in a fixed order."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(base).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@cache
def code_fingerprint(parts: tuple[str, ...] = ()) -> str:
    """The fingerprint of the whole package, or of these of its folders and modules."""
    return fingerprint([PACKAGE / part for part in parts] if parts else [PACKAGE], PACKAGE)
