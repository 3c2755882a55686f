"""Fingerprints of ocrfix's own code: a batch redoes the pages a code change
affects even when the version number stayed the same (a development checkout, a
patched install). Part of every page's key (see ocrfix.batch.runner.collect_versions)."""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The OCR cache depends on these and on what they import (the rest only corrects and reports): the
# recognition, and the lexicon's look-up its self-check asks (pipeline.word_check: Lexicon.knows_as_written).
RECOGNITION_ENTRIES = ("recognition.py", "lexicon/store.py")


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


def _module_file(dotted: str) -> Path | None:
    """The package's source file of module ``ocrfix.<...>`` (a package's ``__init__.py``), None when it is no module."""
    parts = dotted.split(".")[1:]
    path = PACKAGE.joinpath(*parts)
    for candidate in (path / "__init__.py", path.with_suffix(".py")) if parts else (PACKAGE / "__init__.py",):
        if candidate.is_file():
            return candidate
    return None


def _own_imports(file: Path) -> set[Path]:
    """The package's modules ``file`` imports anywhere in it (at the top or inside a function), read
    from its syntax tree, not imported; ``from ocrfix.x import y`` counts x (a package's ``__init__.py``,
    which runs first) and y too when y is a module."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(file.read_bytes(), filename=str(file))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "ocrfix" or name.startswith("ocrfix."):
                module = _module_file(name)
                if module is not None:
                    found.add(module)
    return found


@cache
def recognition_code() -> tuple[str, ...]:
    """The modules the page recognition runs: :data:`RECOGNITION_ENTRIES` and every module of the
    package they import, directly or through others (paths relative to the package, sorted). Derived
    from the imports, so a module recognition starts to use is fingerprinted without being listed."""
    seen: set[Path] = set()
    todo = [PACKAGE / entry for entry in RECOGNITION_ENTRIES]
    while todo:
        file = todo.pop()
        if file not in seen:
            seen.add(file)
            todo.extend(_own_imports(file) - seen)
    return tuple(sorted(file.relative_to(PACKAGE).as_posix() for file in seen))


@cache
def code_fingerprint(parts: tuple[str, ...] = ()) -> str:
    """The fingerprint of the whole package, or of these of its folders and modules."""
    return fingerprint([PACKAGE / part for part in parts] if parts else [PACKAGE], PACKAGE)
