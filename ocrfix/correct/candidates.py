"""Candidate generation by confusion-driven expansion: apply the error model's
edits to the OCR word and keep what the lexicon knows. Each candidate carries the
cost of the edits that made it, so no separate distance computation is needed.

The search is staged, cheapest first, and stops as soon as a stage found a
convincing candidate: (1) one listed confusion, (2) two listed confusions,
(3) any single edit (a substitution by any letter, a dropped or invented letter,
a swap), (4) for long words with nothing yet, one listed confusion plus one
arbitrary edit. Look-ups go to a memory-mapped trie, about a microsecond each.
"""

from __future__ import annotations

from collections.abc import Callable

from ocrfix.correct.error_model import DOUBLED_LETTER_COST, ErrorModel

ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
CHEAP = 0.5  # edits at or below this cost are "listed confusions" that combine freely
GOOD_ENOUGH = -2.5  # a stage whose best score (see score) is at most this ends the search


def score(cost: float, zipf: float, alpha: float = 3.0) -> float:
    """Noisy-channel score, lower is better: alpha * edit cost - log10 frequency (Zipf)."""
    return alpha * cost - zipf


def cheap_edits(word: str, model: ErrorModel) -> dict[str, float]:
    """Words one listed (cheap) confusion away, with its cost."""
    out: dict[str, float] = {}
    by_seen = model.by_seen
    n = len(word)
    for i, ch in enumerate(word):
        options = by_seen.get(ch)
        if options:
            head, tail = word[:i], word[i + 1:]
            for intended, cost in options:
                if cost <= CHEAP:
                    variant = head + intended + tail
                    if variant and cost < out.get(variant, 9.0):
                        out[variant] = cost
        if i and ch == word[i - 1]:
            variant = word[:i] + word[i + 1:]
            if DOUBLED_LETTER_COST < out.get(variant, 9.0):
                out[variant] = DOUBLED_LETTER_COST
    for seen, options in model.multi_seen:
        start = word.find(seen)
        while start != -1:
            head, tail = word[:start], word[start + len(seen):]
            for intended, cost in options:
                variant = head + intended + tail
                if variant and cost <= CHEAP and cost < out.get(variant, 9.0):
                    out[variant] = cost
            start = word.find(seen, start + 1)
    for intended, cost in model.dropped:
        if cost > CHEAP:
            break
        for i in range(n + 1):
            variant = word[:i] + intended + word[i:]
            if cost < out.get(variant, 9.0):
                out[variant] = cost
    out.pop(word, None)
    return out


def any_edits(word: str, model: ErrorModel) -> dict[str, float]:
    """Every word one arbitrary edit away, with the cheapest cost of reaching it."""
    out = cheap_edits(word, model)
    pairs = model.pairs
    default = model.default_cost
    n = len(word)
    for i in range(n):
        head, ch, tail = word[:i], word[i], word[i + 1:]
        variant = head + tail
        cost = pairs.get((ch, ""), default)
        if variant and cost < out.get(variant, 9.0):
            out[variant] = cost
        for letter in ALPHABET:
            if letter != ch:
                variant = head + letter + tail
                if variant not in out:
                    out[variant] = pairs.get((ch, letter), default)
        if i + 1 < n and word[i + 1] != ch:
            variant = head + word[i + 1] + ch + word[i + 2:]
            if variant not in out:
                out[variant] = default
    for i in range(n + 1):
        head, tail = word[:i], word[i:]
        for letter in ALPHABET:
            variant = head + letter + tail
            if variant not in out:
                out[variant] = pairs.get(("", letter), default)
    out.pop(word, None)
    return out


def generate(word: str, known: Callable[[str], bool], model: ErrorModel, *, max_cost: float,
             zipf: Callable[[str], float] | None = None, deep: bool = True) -> dict[str, float]:
    """Known words reachable from the folded ``word`` within ``max_cost``: {candidate: cost}."""
    found: dict[str, float] = {}

    def consider(variants: dict[str, float], base: float = 0.0) -> None:
        for variant, cost in variants.items():
            total = base + cost
            if total <= max_cost and total < found.get(variant, 9.0) and variant != word and known(variant):
                found[variant] = total

    def convincing() -> bool:
        if not found or zipf is None:
            return False
        return min(score(c, zipf(v)) for v, c in found.items()) <= GOOD_ENOUGH

    level1 = cheap_edits(word, model)
    consider(level1)
    if convincing():
        return found
    for variant, cost in level1.items():
        consider(cheap_edits(variant, model), cost)
    if convincing():
        return found
    consider(any_edits(word, model))
    if found or not deep or len(word) < 7:
        return found
    for variant, cost in level1.items():
        consider(any_edits(variant, model), cost)
    return found
