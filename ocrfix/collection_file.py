"""The batch's collection lexicon as a file (``OUTDIR/collection-lexicon.json``):
its words, their counts and surface forms, and its content hash.

The batch (:mod:`ocrfix.batch.collection`) counts it and writes it; each page task
(:mod:`ocrfix.pipeline`) reads it back by path and hash. This module is the format
both share, below both of them.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrfix.errors import BadInputError
from ocrfix.fileio import atomic_write_json, read_json
from ocrfix.outputs import COLLECTION_LEXICON

COLLECTION_FILE = COLLECTION_LEXICON
FORMAT_NAME = "ocrfix-collection"
FORMAT_VERSION = 1

if TYPE_CHECKING:
    from ocrfix.correct import CollectionLexicon


@dataclass(frozen=True)
class BatchCollection:
    """A batch's collection lexicon (folded word -> count, and its surface form), its hash and inputs' digest.

    Plain data, so that deciding whether a batch changed never loads the corrector.
    """

    counts: Mapping[str, int]
    surfaces: Mapping[str, str]
    sha256: str
    inputs: str
    pages: int  # pages whose text was counted
    words_seen: int = 0  # word tokens counted, and those spelt with ё (does the batch write ё?)
    yo_seen: int = 0

    def lexicon(self) -> CollectionLexicon:
        from ocrfix.correct import CollectionLexicon

        return CollectionLexicon(dict(self.counts), dict(self.surfaces), self.words_seen, self.yo_seen)

    def summary(self) -> dict[str, Any]:
        return {"scope": "batch", "sha256": self.sha256, "words": len(self.counts), "pages": self.pages,
                "file": COLLECTION_FILE}


def collection_sha256(counts: Mapping[str, int], surfaces: Mapping[str, str], writes_yo: bool = False) -> str:
    """What the corrector uses of a collection: its words, and whether it writes ё (only
    then in the hash, so a page of known words added to a batch changes nothing)."""
    value: Any = _words(counts, surfaces)
    if writes_yo:
        value = {"words": value, "writes_yo": True}
    blob = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


def _words(counts: Mapping[str, int], surfaces: Mapping[str, str]) -> list[list[Any]]:
    return [[key, surfaces.get(key, key), int(count)] for key, count in sorted(counts.items())]


def write_collection(out_dir: Path, collection: BatchCollection) -> Path:
    path = Path(out_dir) / COLLECTION_FILE
    atomic_write_json(
        path,
        {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "sha256": collection.sha256,
            "inputs": collection.inputs,
            "pages": collection.pages,
            "words_seen": collection.words_seen,
            "yo_seen": collection.yo_seen,
            "words": [{"word": key, "surface": surface, "count": count} for key, surface, count in _words(collection.counts, collection.surfaces)],
        },
    )
    return path


def read_collection(path: Path) -> BatchCollection:
    """The collection in ``path``; a :class:`BadInputError` when it is malformed or its hash does not match."""
    data = read_json(Path(path), "the batch's collection lexicon")
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME or data.get("format_version") != FORMAT_VERSION:
        raise BadInputError(f"{path} is not an ocrfix collection lexicon (version {FORMAT_VERSION})")
    try:
        counts: dict[str, int] = {}
        surfaces: dict[str, str] = {}
        for item in data["words"]:
            key = unicodedata.normalize("NFC", str(item["word"]))
            counts[key] = int(item["count"])
            surfaces[key] = unicodedata.normalize("NFC", str(item["surface"]))
        seen = (int(data.get("words_seen", 0)), int(data.get("yo_seen", 0)))
        collection = BatchCollection(counts, surfaces, str(data["sha256"]), str(data["inputs"]), int(data["pages"]),
                                     *seen)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadInputError(f"{path}: malformed collection lexicon: {type(exc).__name__}: {exc}") from exc
    if collection_sha256(counts, surfaces, collection.lexicon().writes_yo) != collection.sha256:
        raise BadInputError(f"{path}: the words do not match the recorded hash (edited or damaged)")
    return collection


def stored_collection(out_dir: Path) -> BatchCollection | None:
    """The collection an earlier run wrote into ``out_dir``, if there is a sound one."""
    path = Path(out_dir) / COLLECTION_FILE
    if not path.is_file():
        return None
    try:
        return read_collection(path)
    except BadInputError:
        return None


_loaded: dict[tuple[str, str], CollectionLexicon] = {}


def load_collection_lexicon(path: Path, sha256: str) -> CollectionLexicon:
    """The lexicon in ``path``, which must have content hash ``sha256``; read once per process (for page tasks)."""
    cache_key = (str(Path(path).resolve()), sha256)
    if cache_key not in _loaded:
        collection = read_collection(path)
        if collection.sha256 != sha256:
            raise BadInputError(
                f"{path} changed while the batch was running (hash {collection.sha256[:12]}, expected {sha256[:12]})",
                hint="run the batch again",
            )
        _loaded.clear()
        _loaded[cache_key] = collection.lexicon()
    return _loaded[cache_key]
