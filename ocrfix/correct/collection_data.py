"""The collection lexicon's data: words a document or batch keeps using."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ocrfix.fingerprint import value_digest
from ocrfix.lexicon.grams import Grams, Masks, letter_grams, letter_masks

YO_MIN_WORDS = 2
YO_SHARE = 200


@dataclass(frozen=True)
class CollectionLexicon:
    """Folded word -> how often it occurs in the collection (only words that joined)."""

    counts: Mapping[str, int] = field(default_factory=dict)
    surfaces: Mapping[str, str] = field(default_factory=dict)
    words_seen: int = 0  # word tokens counted over the collection's texts
    yo_seen: int = 0  # ... of which spelt with ё

    @property
    def writes_yo(self) -> bool:
        """The collection spells with ё (modern print does; 1930s typewriters had none, so
        an OCR'd ё there is е with a speck): at least two words and one word in 200."""
        return self.yo_seen >= YO_MIN_WORDS and self.yo_seen * YO_SHARE >= self.words_seen

    def __contains__(self, key: str) -> bool:
        return key in self.counts

    def __len__(self) -> int:
        return len(self.counts)

    # Derived once per collection (a batch's pages share it), as the corrector's vocabulary reads it.
    @cached_property
    def signature(self) -> int:
        """What the collection holds, as a value: memos key on it."""
        return hash(frozenset(self.counts.items()))

    @cached_property
    def digest(self) -> str:
        """A short hash of what the collection holds, as the correct stage's Step records it."""
        return value_digest(sorted(self.counts.items()))

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Every start of a word of the collection (the empty one and the whole word included)."""
        return frozenset(key[:i] for key in self.counts for i in range(len(key) + 1))

    @cached_property
    def suffixes(self) -> frozenset[str]:
        """Every end of a word of the collection (the empty one and the whole word included)."""
        return frozenset(key[i:] for key in self.counts for i in range(len(key) + 1))

    @cached_property
    def grams(self) -> Grams:
        """The letter tables of its words (see ocrfix.lexicon.grams)."""
        return letter_grams(self.counts)

    @cached_property
    def letter_masks(self) -> Masks:
        """:attr:`grams` as masks of the alphabet's letters (see ocrfix.lexicon.grams.letter_masks)."""
        return letter_masks(self.grams)

    def zipf(self, key: str) -> float:
        """A frequency for ranking: a word that recurs in the collection is as good as a common word."""
        n = self.counts.get(key, 0)
        return 2.5 + math.log10(n) if n else 0.0

    def merged(self, other: CollectionLexicon) -> CollectionLexicon:
        counts = Counter(self.counts)
        counts.update(other.counts)
        return CollectionLexicon(dict(counts), {**other.surfaces, **self.surfaces},
                                 self.words_seen + other.words_seen, self.yo_seen + other.yo_seen)
