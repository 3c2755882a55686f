"""The lexicon and the collection lexicon seen as one vocabulary: membership,
frequency, and the prefix/suffix and neighbour-letter look-ups that prune
candidate generation."""

from __future__ import annotations

from collections.abc import Container, Sequence

from ocrfix.correct.collection_data import CollectionLexicon
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.grams import mask_between, mask_letters
from ocrfix.lexicon.sources import web_only

UNVERIFIED_PENALTY = 1.5
CACHE_LIMIT = 500_000  # prefixes remembered for a batch before its caches start again (a page's few thousand)
_NOT_ASKED = object()  # what a memo holds for a key not looked up yet (None is an answer: no entry)


class Vocabulary:
    def __init__(self, lexicon: Lexicon, collection: CollectionLexicon | None = None) -> None:
        self.lexicon = lexicon
        self.collection = collection or CollectionLexicon()
        self.signature = self.collection.signature
        self._forms = lexicon.forms
        self._overlay = lexicon.overlay
        self._counts = self.collection.counts
        # What these remember depends on the lexicon and the collection only: one cache each for
        # every page of a batch (in the lexicon's memo under the collection's signature, so
        # Lexicon.forget() drops them), not one per page.
        batches = lexicon.memo("vocabulary")
        caches = batches.get(self.signature)
        if caches is None or len(caches[0]) > CACHE_LIMIT:
            batches.clear()  # one batch at a time
            # (the last: the curated forms and the collection's words in one set, so that a key the
            # forms' DAWG lacks takes one look-up more, not two)
            caches = batches[self.signature] = ({}, {}, {}, {}, {}, {}, frozenset(self._overlay).union(self._counts))
        (self._prefix_cache, self._zipf_cache, self._suffix_cache, self._known_cache,
         self._entry_cache, self._weak_cache, self._others) = caches
        self._prefixes = self.collection.prefixes
        self._lexicon_has_prefix, self._lexicon_has_suffix = lexicon.has_prefix, lexicon.has_suffix
        self._suffixes = self.collection.suffixes
        # What has_prefix and has_suffix ask, without their memo, for the candidate search's
        # tightest loop (the windows of the variants a first edit makes: new strings, which a memo
        # would mostly miss, and a miss costs about three times the look-up): the collection's
        # starts, the curated forms' starts, then the forms' DAWG; the ends likewise (that DAWG
        # holds the forms reversed: it is asked for the end reversed).
        self.start_parts = (self._prefixes, lexicon.overlay_prefixes, lexicon.forms.has_keys_with_prefix)
        # (None: the collection has no words, whose letters the lexicon's would have to be joined with)
        self._collection_masks = self.collection.letter_masks if self.collection.grams[0] else None

    @property
    def known_sets(self) -> tuple[Container[str], Container[str]]:
        """What :meth:`known` asks, for a loop that asks it of many keys without a call each: the
        lexicon's forms' DAWG, and the curated forms and the collection's words in one set."""
        return self._forms, self._others

    def known(self, key: str) -> bool:
        """A form of the lexicon (its DAWG or its curated overlay) or a word of the collection."""
        return key in self._forms or key in self._others

    def known_cached(self, key: str) -> bool:
        """:meth:`known`, remembered: for the words of the text, which repeat."""
        hit = self._known_cache.get(key)
        if hit is None:
            hit = self._known_cache[key] = key in self._forms or key in self._others
        return hit

    def entry(self, key: str) -> tuple[float, int] | None:
        """The lexicon's (zipf, flags) of a form, or None (the collection aside), remembered."""
        found = self._entry_cache.get(key, _NOT_ASKED)  # (a miss raising KeyError cost more than the look-up)
        if found is _NOT_ASKED:
            found = self._entry_cache[key] = self.lexicon.lookup(key)
        return found

    def weak(self, key: str) -> bool:
        """No word, or a form only the frequency list knows (no dictionary, no curated list has
        it), remembered."""
        found = self._weak_cache.get(key)
        if found is None:
            entry = self.entry(key)  # (None for a word only the collection has, as for no word)
            found = self._weak_cache[key] = entry is None or web_only(entry[1])
        return found

    def weak_indices(self, keys: Sequence[str]) -> list[int]:
        """The positions of the ``keys`` that are :meth:`weak`, in their order: one call for a
        text's words (most of them remembered already)."""
        cache, weak = self._weak_cache, self.weak
        return [i for i, key in enumerate(keys) if (cache[key] if key in cache else weak(key))]

    def zipf(self, key: str) -> float:
        """Frequency for ranking candidates. A form only the web frequency list knows
        (no dictionary, no curated lexicon) counts for less: that list is full of typos."""
        cached = self._zipf_cache.get(key)
        if cached is not None:
            return cached
        found = self.lexicon.lookup(key)
        value = 0.0
        if found is not None:
            value, flags = found
            if value and web_only(flags):
                value = max(0.0, value - UNVERIFIED_PENALTY)
        value = max(value, self.collection.zipf(key))
        self._zipf_cache[key] = value
        return value

    def has_prefix(self, prefix: str) -> bool:
        hit = self._prefix_cache.get(prefix)
        if hit is None:
            hit = self._prefix_cache[prefix] = prefix in self._prefixes or self._lexicon_has_prefix(prefix)
        return hit

    def has_suffix(self, suffix: str) -> bool:
        hit = self._suffix_cache.get(suffix)
        if hit is None:
            hit = self._suffix_cache[suffix] = suffix in self._suffixes or self._lexicon_has_suffix(suffix)
        return hit

    def letters(self, before: str, after: str) -> str:
        """Letters of the alphabet that some known form has between these neighbours
        (two characters each side, padded with ^ and $; see ocrfix.lexicon.grams), in ALPHABET's order."""
        if self._collection_masks is None:
            return self.lexicon.letters(before, after)
        return mask_letters(self.lexicon.letter_mask(before, after) | mask_between(self._collection_masks, before, after))
