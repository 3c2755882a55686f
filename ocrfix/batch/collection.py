"""The batch's collection lexicon: counted once over every recognised page, used for every page.

Words that recur across the batch (a name that occurs once on each of five
pages) join it, and a rare unknown form close to one of them is corrected
toward it (see :mod:`ocrfix.correct.collection`). The batch writes it to
``OUTDIR/collection-lexicon.json`` before correcting; the page tasks read it
from there (a path in the task: cheap to send to any executor), and its
content hash is part of every page's key, so a page is corrected again
exactly when the batch's collection changed.

The file also records the digest of what the collection was counted from
(the pages' recognition keys and the settings), so an unchanged batch reuses
it without reading a single page's text.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocrfix.config import Config
from ocrfix.errors import BadInputError
from ocrfix.fileio import atomic_write_json, read_json
from ocrfix.outputs import COLLECTION_LEXICON

COLLECTION_FILE = COLLECTION_LEXICON
FORMAT_NAME = "ocrfix-collection"
FORMAT_VERSION = 1
INPUTS_SCHEMA = 2  # bump when how a collection is counted changes: every batch then counts again

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


def collection_inputs(config_fingerprint: str, versions: Mapping[str, str], pages: Sequence[tuple[str, str]]) -> str:
    """The digest of what a collection is counted from: settings, versions, and (page id, recognition key) pairs."""
    data = {
        "schema": INPUTS_SCHEMA,
        "config_fingerprint": config_fingerprint,
        "versions": dict(sorted(versions.items())),
        "pages": [list(pair) for pair in sorted(pages)],
    }
    blob = json.dumps(data, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


def count_collection(texts: Sequence[str], config: Config) -> CollectionLexicon:
    """The collection lexicon of ``texts`` (the pages in a fixed order), as the corrector counts it.

    With a collection memory the reviewers' words join and its learned
    confusions shape the error model, exactly as for a single page.
    """
    from ocrfix.pipeline import get_lexicon

    lexicon = get_lexicon(config.correct)
    if config.correct.memory:
        from ocrfix.memory import corrector_options, load_memory_cached

        return corrector_options(load_memory_cached(Path(config.correct.memory)), lexicon, texts)["collection"]
    from ocrfix.correct import build_collection_lexicon, default_error_model

    return build_collection_lexicon(list(texts), lexicon, error_model=default_error_model(lexicon))


def make_batch_collection(texts: Sequence[str], config: Config, inputs: str) -> BatchCollection:
    lexicon = count_collection(texts, config)
    counts = {key: int(count) for key, count in sorted(lexicon.counts.items())}
    surfaces = {key: lexicon.surfaces.get(key, key) for key in counts}
    seen = (lexicon.words_seen, lexicon.yo_seen)
    return BatchCollection(counts, surfaces, collection_sha256(counts, surfaces, lexicon.writes_yo), inputs,
                           len(texts), *seen)


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
