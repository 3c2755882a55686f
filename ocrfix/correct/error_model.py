"""The OCR error model: what it costs to believe the OCR printed ``seen`` where
``intended`` was typed.

Costs are in units of one arbitrary edit (1.0). The prior comes from a confusion
table (``ocrfix/data/lexicons/confusions.learned.tsv``, learned from the hand-made
``confusions.tsv``: :func:`default_error_model`); :meth:`ErrorModel.updated` blends in
character confusions counted from data (confident matches in a batch, or
corrections a reviewer accepted), and ``forbidden`` holds word pairs a reviewer
rejected ("never change X to Y").
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ocrfix.correct import tables
from ocrfix.errors import BadInputError
from ocrfix.lexicon.normalize import fold
from ocrfix.lexicon.sources import CONFUSION_TABLES

if TYPE_CHECKING:
    from ocrfix.lexicon import Lexicon

DEFAULT_COST = 1.0
DOUBLED_LETTER_COST = 0.4  # the OCR repeating a letter
CHEAP_COST = 0.5  # edits at or below this cost are "listed confusions" that combine freely
MIN_COST = 0.05


@dataclass(frozen=True)
class ErrorModel:
    """Edit costs. ``pairs`` maps (seen, intended) to a cost; either side may be
    empty (an invented or a dropped character) or longer than one character."""

    pairs: Mapping[tuple[str, str], float]
    default_cost: float = DEFAULT_COST
    forbidden: frozenset[tuple[str, str]] = frozenset()
    # Derived indexes, built in __post_init__.
    by_seen: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict, compare=False, repr=False)
    dropped: tuple[tuple[str, float], ...] = field(default=(), compare=False, repr=False)
    multi_seen: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = field(default=(), compare=False, repr=False)
    # The same, cheap edits only (cost <= CHEAP_COST), for the searches that combine them.
    cheap_by_seen: Mapping[str, tuple[tuple[str, float], ...]] = field(default_factory=dict, compare=False, repr=False)
    cheap_dropped: tuple[tuple[str, float], ...] = field(default=(), compare=False, repr=False)
    cheap_multi_seen: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = field(default=(), compare=False,
                                                                                    repr=False)
    cheapest: float = field(default=0.0, compare=False, repr=False)  # the least a cheap edit costs
    # finds whether a word holds any of multi_seen's (cheap_multi_seen's) seen strings at all (None: none listed)
    multi_pattern: re.Pattern | None = field(default=None, compare=False, repr=False)
    cheap_multi_pattern: re.Pattern | None = field(default=None, compare=False, repr=False)
    # ``pairs`` by seen: {seen: {intended: cost}} (a look-up needs no tuple built)
    cost_rows: Mapping[str, Mapping[str, float]] = field(default_factory=dict, compare=False, repr=False)
    # no listed edit costs more than an arbitrary one (the default): the candidate search may then make
    # the arbitrary letters apart from the listed edits (candidates.generate)
    listed_within_default: bool = field(default=True, compare=False, repr=False)
    # what the costs are, as a value: memos key on it (never on the object's id, which is reused)
    signature: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        # The indexes serve searches over folded keys (lexicon keys, see ocrfix.lexicon.normalize):
        # an edit that cannot change a folded key (е -> ё) can never make one, so they leave it out
        # (cost() still prices it), and cheapest is the least of the edits that remain.
        search = {(seen, intended): cost for (seen, intended), cost in self.pairs.items()
                  if fold(seen) != fold(intended)}
        by_seen: dict[str, list[tuple[str, float]]] = {}
        dropped: list[tuple[str, float]] = []
        for (seen, intended), cost in search.items():
            if seen == "":
                dropped.append((intended, cost))
            else:
                by_seen.setdefault(seen, []).append((intended, cost))
        object.__setattr__(self, "by_seen", {k: tuple(sorted(v, key=lambda p: p[1])) for k, v in by_seen.items()})
        object.__setattr__(self, "dropped", tuple(sorted(dropped, key=lambda p: p[1])))
        multi = tuple((k, v) for k, v in self.by_seen.items() if len(k) > 1)
        object.__setattr__(self, "multi_seen", multi)

        def cheap(options: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
            return tuple(o for o in options if o[1] <= CHEAP_COST)

        object.__setattr__(self, "cheap_by_seen", {k: c for k, v in self.by_seen.items() if (c := cheap(v))})
        object.__setattr__(self, "cheap_dropped", cheap(self.dropped))
        object.__setattr__(self, "cheap_multi_seen", tuple((k, c) for k, v in multi if (c := cheap(v))))
        object.__setattr__(self, "multi_pattern", _any_of(k for k, _ in self.multi_seen))
        object.__setattr__(self, "cheap_multi_pattern", _any_of(k for k, _ in self.cheap_multi_seen))
        rows: dict[str, dict[str, float]] = {}
        for (seen, intended), cost in search.items():
            rows.setdefault(seen, {})[intended] = cost
        object.__setattr__(self, "cost_rows", rows)
        object.__setattr__(self, "listed_within_default", all(c <= self.default_cost for c in search.values()))
        object.__setattr__(self, "cheapest", min(
            [DOUBLED_LETTER_COST, *(c for v in self.cheap_by_seen.values() for _, c in v),
             *(c for _, c in self.cheap_dropped)]))
        object.__setattr__(self, "_single_tables", {})
        blob = repr((sorted(self.pairs.items()), self.default_cost)).encode("utf-8")
        object.__setattr__(self, "signature", hashlib.sha256(blob).hexdigest()[:16])

    def single_substitutions(self, max_cost: float) -> Mapping[str, tuple[tuple[str, float], ...]]:
        """seen letter -> the single letters it may stand for at most ``max_cost``, cheapest first."""
        table = self._single_tables.get(max_cost)  # type: ignore[attr-defined]
        if table is None:
            table = {}
            for seen, options in self.by_seen.items():
                if len(seen) == 1:
                    kept = tuple(o for o in options if len(o[0]) == 1 and o[1] <= max_cost)
                    if kept:
                        table[seen] = kept
            self._single_tables[max_cost] = table  # type: ignore[attr-defined]
        return table

    def cost(self, seen: str, intended: str) -> float:
        """Cost of one edit (single characters or a listed multi-character pair)."""
        if seen == intended:
            return 0.0
        return self.pairs.get((seen, intended), self.default_cost)

    def allows(self, original: str, replacement: str) -> bool:
        """False for a word pair a reviewer forbade (compared folded)."""
        return (fold(original), fold(replacement)) not in self.forbidden

    def with_forbidden(self, pairs: Iterable[tuple[str, str]]) -> ErrorModel:
        """A copy that never changes ``original`` to ``replacement`` for the given pairs."""
        extra = frozenset((fold(a), fold(b)) for a, b in pairs)
        return replace(self, forbidden=self.forbidden | extra)

    def updated(self, counts: Mapping[tuple[str, str], int], totals: Mapping[str, int] | None = None,
                *, prior_strength: float = 20.0) -> ErrorModel:
        """A copy whose costs blend the prior with observed confusion counts.

        ``counts[(seen, intended)]`` is how often the OCR printed ``seen`` for
        ``intended``; ``totals[intended]`` how often ``intended`` was read at all
        (defaults to the counts' own sum per character). The probability of a
        confusion is smoothed toward the prior (cost c means probability 10**-c
        scaled), and the cost becomes -log10 of it, clipped to [MIN_COST, default].
        """
        if totals is None:
            agg: Counter[str] = Counter()
            for (_seen, intended), n in counts.items():
                agg[intended] += n
            totals = agg
        pairs = dict(self.pairs)
        for (seen, intended), n in counts.items():
            if seen == intended or n <= 0:
                continue
            prior_cost = pairs.get((seen, intended), self.default_cost)
            prior_p = 10 ** (-prior_cost * 2)  # cost 1.0 ~ 1 in 100 readings
            total = max(totals.get(intended, n), n)
            p = (n + prior_strength * prior_p) / (total + prior_strength)
            pairs[(seen, intended)] = min(self.default_cost, max(MIN_COST, -math.log10(p) / 2))
        return replace(self, pairs=pairs)


def _any_of(strings: Iterable[str]) -> re.Pattern | None:
    """A pattern that finds any of these strings (None when there are none)."""
    strings = list(strings)
    return re.compile("|".join(map(re.escape, strings))) if strings else None


def load_error_model(path: str | Path) -> ErrorModel:
    """Read a confusion table: tab-separated seen, intended, cost[, note]; '#' comments."""
    pairs: dict[tuple[str, str], float] = {}
    for number, raw in enumerate(tables.read_lines(Path(path), "confusion table"), 1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("seen\t"):
            continue
        cells = raw.split("\t")
        if len(cells) < 3:
            raise BadInputError(f"{path}:{number}: expected seen<TAB>intended<TAB>cost")
        try:
            cost = float(cells[2])
        except ValueError as exc:
            raise BadInputError(f"{path}:{number}: cost {cells[2]!r} is not a number") from exc
        seen, intended = cells[0], cells[1]
        if seen == intended or cost < 0:
            raise BadInputError(f"{path}:{number}: a pair must change something and cost >= 0")
        pairs[(seen, intended)] = cost
    return ErrorModel(pairs)


def confusion_counts(word_pairs: Iterable[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """Character confusions (seen, intended) counted from (OCR word, true word) pairs.

    Equal pairs count nothing; a pair is aligned with Levenshtein edit operations.
    Feed it confident matches or accepted corrections and pass the result to
    :meth:`ErrorModel.updated`.
    """
    from rapidfuzz.distance import Levenshtein

    counts: Counter[tuple[str, str]] = Counter()
    for seen, intended in word_pairs:
        seen, intended = fold(seen), fold(intended)
        if seen == intended:
            continue
        for op in Levenshtein.editops(seen, intended):
            if op.tag == "replace":
                counts[(seen[op.src_pos], intended[op.dest_pos])] += 1
            elif op.tag == "delete":  # the OCR printed a character that was not typed
                counts[(seen[op.src_pos], "")] += 1
            else:  # insert: the OCR dropped a typed character
                counts[("", intended[op.dest_pos])] += 1
    return counts


@lru_cache(maxsize=8)
def _model_from(path: str, mtime: float) -> ErrorModel:
    return load_error_model(path)


def default_error_model(lexicon: Lexicon) -> ErrorModel:
    """The confusion table next to the lexicon's curated files (read once per change): the one
    learned from the corpus (``confusions.learned.tsv``, ``scripts/learn_error_model.py``, the
    hand-made table its prior) where the folder has it, else the hand-made ``confusions.tsv``."""
    for name in CONFUSION_TABLES:
        path = Path(lexicon.source_dir) / name
        if path.exists():
            return _model_from(str(path), path.stat().st_mtime)
    return ErrorModel({})
