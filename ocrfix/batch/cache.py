"""The recognition cache: each page's OCR result, kept so that Tesseract never reads a page twice.

A batch first recognises its pages (preprocessing and Tesseract), then counts
the batch's collection lexicon over all their texts, then corrects every page
against it. The first pass leaves one entry per page in ``OUTDIR/.ocr-cache/``,
named by the page's *recognition key*: the image's hash, the page index, the
preprocessing and OCR settings, the versions of ocrfix's recognising code,
Tesseract and its language data, and the lexicon's (its dictionaries and word
lists, or none when correction is off): the self-check asks the lexicon which
words it knows, and its estimate decides which preparation's reading a page
keeps. Not the rest of the code, nor the correction settings: so a rerun with
other correction settings, or a batch that grew by a page (which changes the
collection and so every page's correction), takes the OCR from here.

An entry holds what the recognition task wrote (see
:func:`ocrfix.pipeline.recognize_page`: the recognised page as JSON, the
preprocessed image, the raw text) and ``_recognized.json``, added by the batch
when it moves the entry into place in one rename (like ``_done.json`` for
pages): an entry is complete if and only if that file exists and names its key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ocrfix.batch.store import STAGING, move_into_place, read_marker, remove_path
from ocrfix.batch.summary import FINISHED_STATUSES
from ocrfix.config import Config
from ocrfix.fileio import atomic_write_json, read_text
from ocrfix.outputs import RAW_TEXT

CACHE_DIR = ".ocr-cache"
MARKER = "_recognized.json"
CACHE_SCHEMA = 2  # bump when the meaning of a key or an entry changes: every page is then recognised again
# Versions that do not change a page's recognition: the code outside it ("recognition-code" covers that part).
# The lexicon does (the self-check's estimate, which picks the reading kept, looks words up in it).
NOT_RECOGNITION_VERSIONS = frozenset({"code"})


def recognition_key(image_sha256: str, page_index: int, config: Config, versions: Mapping[str, str]) -> str:
    """The cache key of one page's recognition (hex SHA-256)."""
    data = {
        "schema": CACHE_SCHEMA,
        "image_sha256": image_sha256,
        "page_index": page_index,
        "preprocess": asdict(config.preprocess),
        "ocr": asdict(config.ocr),
        "versions": {name: value for name, value in versions.items() if name not in NOT_RECOGNITION_VERSIONS},
    }
    blob = json.dumps(data, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class CachedRecognition:
    """A complete cache entry: where it is, and whether the page was blank ("empty") or not ("ok")."""

    key: str
    path: Path
    status: str

    def text(self) -> str:
        return read_text(self.path / RAW_TEXT)


class RecognitionCache:
    """The cache entries of one output folder; only the batch's parent process changes them."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.root = self.out_dir / CACHE_DIR

    def entry_dir(self, key: str) -> Path:
        return self.root / key

    def lookup(self, key: str | None) -> CachedRecognition | None:
        """The complete entry for ``key``, or None."""
        if key is None:
            return None
        path = self.entry_dir(key)
        marker = read_marker(path / MARKER, key)
        if marker is None or marker.get("status") not in FINISHED_STATUSES:
            return None
        return CachedRecognition(key, path, marker["status"])

    def commit(self, key: str, staged: Path, status: str) -> CachedRecognition:
        """Mark ``staged`` complete and move it into place as the entry of ``key`` (replacing an older one)."""
        atomic_write_json(staged / MARKER, {"key": key, "status": status})
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.entry_dir(key)
        move_into_place(staged, target, self.out_dir / STAGING)
        return CachedRecognition(key, target, status)

    def prune(self, keep: Iterable[str]) -> int:
        """Remove every entry whose key is not in ``keep``; how many went."""
        if not self.root.is_dir():
            return 0
        wanted = set(keep)
        removed = 0
        for entry in self.root.iterdir():
            if entry.name not in wanted:
                remove_path(entry)
                removed += 1
        return removed
