"""Adding a user's entries to the lexicon (what `ocrfix lexicon add` does): they go
to the user's own word lists (see :func:`ocrfix.lexicon.store.user_lexicon_dir`),
never into the curated files shipped with ocrfix."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

import regex

from ocrfix.errors import BadInputError
from ocrfix.fileio import atomic_write_text
from ocrfix.lexicon.sources import CURATED_KINDS

_ENTRY = regex.compile(r"[\p{L}][\p{L}\-()'.]*(?:\s*~\s*\p{L}+)?")


def add_entries(lexicon_dir: Path, kind: str, words: Iterable[str],
                known_dirs: Iterable[Path] = ()) -> tuple[Path, list[str]]:
    """Append new entries to ``<lexicon_dir>/<kind>.txt`` (the folder is made when
    missing); returns the file and what was new. An entry already in that file, or in
    the same kind's file of ``known_dirs`` (the curated lexicons), is not new."""
    if kind not in CURATED_KINDS:
        raise BadInputError(f"unknown lexicon kind {kind!r}", f"use one of: {', '.join(sorted(CURATED_KINDS))}")
    entries = []
    for raw in words:
        word = unicodedata.normalize("NFC", raw.split("#", 1)[0].strip())
        if not word:
            continue
        if not _ENTRY.fullmatch(word):
            raise BadInputError(f"not a lexicon entry: {raw!r}", "one word per entry (hyphens allowed, 'word ~ model')")
        entries.append(word)
    if not entries:
        raise BadInputError("no words to add", "give words as arguments or with --file")
    path = Path(lexicon_dir) / f"{kind}.txt"
    current = _read(path)
    present = {line.split("#", 1)[0].strip() for line in current.splitlines()}
    for other in known_dirs:
        present.update(line.split("#", 1)[0].strip() for line in _read(Path(other) / f"{kind}.txt").splitlines())
    new = [e for e in dict.fromkeys(entries) if e not in present]
    if new:
        text = current if current.endswith("\n") or not current else current + "\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, text + "\n".join(new) + "\n")
        except OSError as exc:
            raise BadInputError(f"cannot write {path}: {exc}", "set OCRFIX_DATA_DIR to a writable folder") from exc
    return path, new


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read {path}: {exc}") from exc


def read_word_file(path: Path) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read word list {path}: {exc}") from exc
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
