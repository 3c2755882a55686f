"""The collection lexicon's data: words a document or batch keeps using."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CollectionLexicon:
    """Folded word -> how often it occurs in the collection (only words that joined)."""

    counts: Mapping[str, int] = field(default_factory=dict)
    surfaces: Mapping[str, str] = field(default_factory=dict)

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
        return CollectionLexicon(dict(counts), {**other.surfaces, **self.surfaces})
