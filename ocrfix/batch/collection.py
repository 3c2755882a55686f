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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ocrfix.collection_file import (
    COLLECTION_FILE,
    BatchCollection,
    collection_sha256,
    load_collection_lexicon,
    read_collection,
    stored_collection,
    write_collection,
)
from ocrfix.config import Config
from ocrfix.lexicon.shared import get_lexicon

__all__ = [  # the file format (ocrfix.collection_file) is part of what the batch's users need
    "COLLECTION_FILE", "INPUTS_SCHEMA", "BatchCollection", "collection_inputs", "collection_sha256", "count_collection",
    "load_collection_lexicon", "make_batch_collection", "one_witness", "read_collection", "stored_collection",
    "write_collection",
]

INPUTS_SCHEMA = 3  # bump when how a collection is counted changes: every batch then counts again
NEAR_DUPLICATE = 0.5  # share of word pairs two pages have in common (Jaccard) from which one copies the other
SKETCH_SIZE = 8  # word pairs per page that find the pages it may copy

if TYPE_CHECKING:
    from ocrfix.correct import CollectionLexicon


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
    lexicon = get_lexicon(config.correct)
    if config.correct.memory:
        from ocrfix.memory import corrector_options, load_memory_cached

        return corrector_options(load_memory_cached(Path(config.correct.memory)), lexicon, texts)["collection"]
    from ocrfix.correct import build_collection_lexicon, default_error_model

    return build_collection_lexicon(list(texts), lexicon, error_model=default_error_model(lexicon))


def one_witness(pages: Sequence[tuple[str, str | None, str]]) -> tuple[list[str], dict[str, str]]:
    """The texts a collection is counted over, each document once, and which pages were left out as copies.

    ``pages`` are (page id, image hash, OCR text) in the batch's order. A page is
    a copy of an earlier one when its image is the same file content, or when
    the two OCR texts share at least NEAR_DUPLICATE of their word pairs (the
    same document scanned twice, or sent as a JPEG and a PDF, reads almost the
    same; two different pages share a few percent). A document counted twice
    would make its recurring OCR errors look like the batch's own words.
    Candidates are found through each page's SKETCH_SIZE smallest word-pair
    hashes, so the work grows with the pages, not with their pairs.
    """
    kept: list[tuple[str, frozenset[str]]] = []
    by_image: dict[str, str] = {}
    by_sketch: dict[str, list[int]] = {}
    texts: list[str] = []
    copies: dict[str, str] = {}
    for page_id, image, text in pages:
        if image is not None and image in by_image:
            copies[page_id] = by_image[image]
            continue
        pairs = _word_pairs(text)
        sketch = sorted(pairs, key=_stable_hash)[:SKETCH_SIZE]
        candidates = sorted({index for element in sketch for index in by_sketch.get(element, ())})
        original = next((kept[i][0] for i in candidates if _jaccard(pairs, kept[i][1]) >= NEAR_DUPLICATE), None)
        if original is not None:
            copies[page_id] = original
            continue
        if image is not None:
            by_image[image] = page_id
        for element in sketch:
            by_sketch.setdefault(element, []).append(len(kept))
        kept.append((page_id, pairs))
        texts.append(text)
    return texts, copies


def _word_pairs(text: str) -> frozenset[str]:
    from ocrfix.correct.tokens import WORD
    from ocrfix.lexicon.normalize import fold

    words = [fold(w) for w in WORD.findall(text)]
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def _stable_hash(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def make_batch_collection(texts: Sequence[str], config: Config, inputs: str) -> BatchCollection:
    lexicon = count_collection(texts, config)
    counts = {key: int(count) for key, count in sorted(lexicon.counts.items())}
    surfaces = {key: lexicon.surfaces.get(key, key) for key in counts}
    seen = (lexicon.words_seen, lexicon.yo_seen)
    return BatchCollection(counts, surfaces, collection_sha256(counts, surfaces, lexicon.writes_yo), inputs,
                           len(texts), *seen)


