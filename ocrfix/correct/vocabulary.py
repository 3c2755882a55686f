"""The lexicon and the collection lexicon seen as one vocabulary: membership,
frequency, and the prefix/suffix look-ups that prune candidate generation."""

from __future__ import annotations

from ocrfix.correct.collection_data import CollectionLexicon
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.sources import DOMAIN, MORPH

UNVERIFIED_PENALTY = 1.5


class Vocabulary:
    def __init__(self, lexicon: Lexicon, collection: CollectionLexicon | None = None) -> None:
        self.lexicon = lexicon
        self.collection = collection or CollectionLexicon()
        self.signature = hash(frozenset(self.collection.counts.items()))
        self._prefix_cache: dict[str, bool] = {}
        self._zipf_cache: dict[str, float] = {}
        self._suffix_cache: dict[str, bool] = {}
        self._prefixes: set[str] = set()
        self._suffixes: set[str] = set()
        for key in self.collection.counts:
            for i in range(len(key) + 1):
                self._prefixes.add(key[:i])
                self._suffixes.add(key[i:])

    def known(self, key: str) -> bool:
        return key in self.lexicon or key in self.collection.counts

    def zipf(self, key: str) -> float:
        """Frequency for ranking candidates. A form only the web frequency list knows
        (no dictionary, no curated lexicon) counts for less: that list is full of typos."""
        cached = self._zipf_cache.get(key)
        if cached is not None:
            return cached
        value = self.lexicon.zipf(key)
        if value and not self.lexicon.flags(key) & (MORPH | DOMAIN):
            value = max(0.0, value - UNVERIFIED_PENALTY)
        value = max(value, self.collection.zipf(key))
        self._zipf_cache[key] = value
        return value

    def has_prefix(self, prefix: str) -> bool:
        hit = self._prefix_cache.get(prefix)
        if hit is None:
            hit = prefix in self._prefixes or self.lexicon.has_prefix(prefix)
            self._prefix_cache[prefix] = hit
        return hit

    def has_suffix(self, suffix: str) -> bool:
        hit = self._suffix_cache.get(suffix)
        if hit is None:
            hit = suffix in self._suffixes or self.lexicon.has_suffix(suffix)
            self._suffix_cache[suffix] = hit
        return hit
