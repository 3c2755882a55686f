"""The collection lexicon's data: words a document or batch keeps using."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

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

    def zipf(self, key: str) -> float:
        """A frequency for ranking: a word that recurs in the collection is as good as a common word."""
        n = self.counts.get(key, 0)
        return 2.5 + math.log10(n) if n else 0.0

    def merged(self, other: CollectionLexicon) -> CollectionLexicon:
        counts = Counter(self.counts)
        counts.update(other.counts)
        return CollectionLexicon(dict(counts), {**other.surfaces, **self.surfaces},
                                 self.words_seen + other.words_seen, self.yo_seen + other.yo_seen)
