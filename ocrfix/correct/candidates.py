"""Candidate generation by confusion-driven expansion: apply the error model's
edits to the OCR word and keep what the vocabulary knows. Each candidate carries
the cost of the edits that made it, so no separate distance computation is needed.

Edits are only tried where they can lead to a word: an edit at position i needs
word[:i] to begin some known form and the rest after the edit to end one
(prefix and suffix look-ups in the two tries). For a typical OCR error that
leaves one or two positions to try, so a word costs a few hundred look-ups,
never a scan of the lexicon.

The search is staged, cheapest first, and stops as soon as a stage found a
convincing candidate: (1) one listed confusion, (2) two listed confusions,
(3) any single edit (a substitution by any letter, a dropped or invented letter,
a swap), (4) for long words with nothing yet, one listed confusion and one
arbitrary edit, in either order.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from operator import itemgetter
from typing import Protocol

from ocrfix.correct.error_model import CHEAP_COST, DOUBLED_LETTER_COST, ErrorModel
from ocrfix.lexicon.grams import ALPHABET

# Two containers (Vocab.known_sets) a variant must be in one of to be kept, or None: keep every variant. Each edit
# loop unpacks it once into (every, first, second) and asks ``every or variant in first or variant in second`` inline.
HeldBy = tuple[Container[str], Container[str]] | None

CHEAP = CHEAP_COST  # edits at or below this cost are "listed confusions" that combine freely
GOOD_ENOUGH = -1.5  # a stage whose best score (see score) is at most this ends the search
# (-0.3 until the ninth round: a cheap confusion into a rare word, 'толива' -> 'полива' at -0.9, ended it before
# the single arbitrary edits, 'топлива' at -1.45, were tried; -1.0 to -2.0 chose alike on the development part
# and its fresh damage 3-8, -1.5 best, with no measurable cost in time)
DEEP_MIN_LENGTH = 6
SHORT = 4  # words this short always get every single edit tried
DEEP_FIRSTS = 100  # first edits tried at most in stage 4 (bounds the time a hopeless word costs)


class Vocab(Protocol):
    known_sets: tuple[Container[str], Container[str]]  # a key is known when either holds it
    def zipf(self, key: str) -> float: ...
    def has_prefix(self, prefix: str) -> bool: ...
    def has_suffix(self, suffix: str) -> bool: ...
    start_parts: tuple[Container[str], Container[str], Callable[[str], bool]]
    def letters(self, before: str, after: str) -> str: ...


def score(cost: float, zipf: float, alpha: float = 3.0) -> float:
    """Noisy-channel score, lower is better: alpha * edit cost - log10 frequency (Zipf)."""
    return alpha * cost - zipf


def best_score(found: dict[str, float], zipf: Callable[[str], float]) -> float:
    """The best (least) :func:`score` of the readings ``found`` (reading -> cost); infinity when none."""
    return min((score(c, zipf(v)) for v, c in found.items()), default=float("inf"))


def window(word: str, vocab: Vocab, known_prefix: int = 0, known_suffix: int = 0) -> tuple[int, int]:
    """(p, s): word[:p] is the longest start of a known form, word[s:] the longest end.
    ``known_prefix`` / ``known_suffix`` are lengths already known to begin / end a
    known form (they narrow the binary searches)."""
    return (_prefix_end(word, vocab, known_prefix),
            _suffix_start(word, vocab.has_suffix, len(word) - min(known_suffix, len(word))))


def _prefix_end(word: str, vocab: Vocab, lo: int = 0) -> int:
    """The largest p >= lo with word[:p] beginning a known form (word[:lo] must)."""
    lo, hi = min(lo, len(word)), len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if vocab.has_prefix(word[:mid]):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _suffix_start(word: str, ends: Callable[[str], bool], hi: int) -> int:
    """The smallest s <= hi with word[s:] ending a known form (``ends``, as Vocab.has_suffix
    answers; word[hi:] must): a binary search, as the ends of a known form's ends end one too."""
    lo = 0
    while lo < hi:
        mid = (lo + hi) // 2
        if ends(word[mid:]):
            hi = mid
        else:
            lo = mid + 1
    return lo


def edits(word: str, model: ErrorModel, p: int | None = None, s: int = 0, *, cheap_only: bool,
          letters: Callable[[str, str], str] | None = None,
          held_by: HeldBy = None) -> dict[str, float]:
    """Words one edit away with its cost; only edits at positions i <= p whose
    replaced span ends at or after s (p=None: anywhere). ``letters(before, after)``,
    when given, names the letters some known form has between those neighbours
    (see Vocabulary.letters): arbitrary substitutions and insertions try only
    those, which leaves out only variants no vocabulary word can be. ``held_by``, when
    given, two containers (Vocab.known_sets): only the variants one of them holds."""
    if cheap_only:
        return _cheap_edits(word, model, len(word) if p is None else p, s, held_by)
    return _all_edits(word, model, len(word) if p is None else p, s, letters, held_by=held_by)


_NO_COSTS: dict[str, float] = {}


def _NO_LETTERS(before: str, after: str) -> str:
    return ""


def _all_edits(word: str, model: ErrorModel, p: int, s: int,
               letters: Callable[[str, str], str] | None, arbitrary: bool = True,
               held_by: HeldBy = None) -> dict[str, float]:
    """:func:`edits` without ``cheap_only``. Written out flat, as the hottest loop of the
    search: no helper call per variant, and a pair's cost read from model.cost_rows
    (seen -> {intended: cost}) rather than model.pairs, which needs a tuple built per look-up.
    A variant made twice keeps its cheaper cost, except that an arbitrary substitution or
    insertion never replaces an earlier variant (listed confusions come first). Without
    ``arbitrary``, the listed edits and swaps only (no substitution or insertion of a letter
    the error model does not list). With ``held_by`` (Vocab.known_sets), only the variants one of
    the two containers holds (asked as each is made, without a call): the same known variants, in
    the same order and at the same costs, without storing the rest (most of them) only to drop them."""
    n = len(word)
    letters = letters if arbitrary else _NO_LETTERS
    every, first, second = (True, None, None) if held_by is None else (False, *held_by)
    out: dict[str, float] = {}
    get = out.get
    rows = model.cost_rows
    default = model.default_cost
    padded = "^^" + word + "$$"
    # substitutions and deletions of one character at i: need i <= p and i + 1 >= s
    for i in range(max(0, s - 1), min(p, n - 1) + 1):
        head, ch, tail = word[:i], word[i], word[i + 1:]
        for intended, cost in model.by_seen.get(ch, ()):
            variant = f"{head}{intended}{tail}"
            if (every or variant in first or variant in second) and variant and cost < get(variant, 9.0):
                out[variant] = cost
        row = rows.get(ch, _NO_COSTS)
        variant = head + tail  # ch deleted
        if variant and (every or variant in first or variant in second):
            if i and ch == word[i - 1] and DOUBLED_LETTER_COST < get(variant, 9.0):
                out[variant] = DOUBLED_LETTER_COST
            cost = row.get("", default)
            if cost < get(variant, 9.0):
                out[variant] = cost
        for letter in (letters(padded[i:i + 2], padded[i + 3:i + 5]) if letters else ALPHABET):
            if letter != ch:
                variant = f"{head}{letter}{tail}"
                if (every or variant in first or variant in second) and variant not in out:
                    out[variant] = row.get(letter, default)
    pattern = model.multi_pattern  # listed multi-character confusions (most words hold none of their strings)
    if pattern is not None and pattern.search(word) is not None:
        _multi_char_edits(word, model.multi_seen, p, s, out, held_by)
    # swaps of neighbours at i, i+1
    for i in range(max(0, s - 2), min(p, n - 2) + 1):
        if word[i] != word[i + 1]:
            variant = f"{word[:i]}{word[i + 1]}{word[i]}{word[i + 2:]}"
            if (every or variant in first or variant in second) and default < get(variant, 9.0):
                out[variant] = default
    # dropped characters, inserted at i: need s <= i <= p
    inserted = rows.get("", _NO_COSTS)
    for i in range(s, min(p, n) + 1):
        head, tail = word[:i], word[i:]
        for intended, cost in model.dropped:
            variant = f"{head}{intended}{tail}"
            if (every or variant in first or variant in second) and variant and cost < get(variant, 9.0):
                out[variant] = cost
        for letter in (letters(padded[i:i + 2], padded[i + 2:i + 4]) if letters else ALPHABET):
            variant = f"{head}{letter}{tail}"
            if (every or variant in first or variant in second) and variant not in out:
                out[variant] = inserted.get(letter, default)
    out.pop(word, None)
    return out


def _arbitrary_edits(word: str, model: ErrorModel, p: int, s: int, letters: Callable[[str, str], str],
                     held_by: HeldBy = None) -> dict[str, float]:
    """The arbitrary substitutions and insertions of :func:`_all_edits` alone (each letter ``letters``
    allows there, at the error model's cost for it, the default for a letter it does not list), over
    the same positions. Where no listed edit costs more than the default (ErrorModel.listed_within_default),
    these and ``_all_edits(..., arbitrary=False)``, each variant at the cheaper of its two costs, are
    ``_all_edits`` with them: a listed letter is made as listed first, at the same cost, and a variant
    first made by an arbitrary letter costs the default, which a listed edit made after it lowers or
    leaves (a test checks them alike)."""
    n = len(word)
    every, first, second = (True, None, None) if held_by is None else (False, *held_by)
    out: dict[str, float] = {}
    rows = model.cost_rows
    default = model.default_cost
    padded = "^^" + word + "$$"
    for i in range(max(0, s - 1), min(p, n - 1) + 1):
        head, ch, tail = word[:i], word[i], word[i + 1:]
        row = rows.get(ch, _NO_COSTS)
        for letter in letters(padded[i:i + 2], padded[i + 3:i + 5]):
            if letter != ch:
                variant = f"{head}{letter}{tail}"
                if (every or variant in first or variant in second) and variant not in out:
                    out[variant] = row.get(letter, default)
    inserted = rows.get("", _NO_COSTS)
    for i in range(s, min(p, n) + 1):
        head, tail = word[:i], word[i:]
        for letter in letters(padded[i:i + 2], padded[i + 2:i + 4]):
            variant = f"{head}{letter}{tail}"
            if (every or variant in first or variant in second) and variant not in out:
                out[variant] = inserted.get(letter, default)
    out.pop(word, None)
    return out


def _multi_char_edits(word: str, multi_seen: tuple[tuple[str, tuple[tuple[str, float], ...]], ...], p: int, s: int,
                      out: dict[str, float], held_by: HeldBy = None) -> None:
    """Add to ``out`` the variants of the listed multi-character confusions (seen -> options)
    whose span starts at or before p and ends at or after s, keeping the cheaper cost (with
    ``held_by``, only those one of its two containers holds). Asked only of a word the model's
    pattern of their seen strings finds in (ErrorModel.multi_pattern, cheap_multi_pattern): the
    caller searches once, as most words hold none and a call costs more than the search."""
    every, first, second = (True, None, None) if held_by is None else (False, *held_by)
    get = out.get
    for seen, options in multi_seen:
        start = word.find(seen)
        while start != -1:
            if start <= p and start + len(seen) >= s:
                head, tail = word[:start], word[start + len(seen):]
                for intended, cost in options:
                    variant = f"{head}{intended}{tail}"
                    if (every or variant in first or variant in second) and variant and cost < get(variant, 9.0):
                        out[variant] = cost
            start = word.find(seen, start + 1)


def _cheap_edits(word: str, model: ErrorModel, p: int, s: int,
                 held_by: HeldBy = None) -> dict[str, float]:
    """:func:`edits` with ``cheap_only``: the same variants, costs and order, from the
    model's precomputed cheap tables (a listed confusion or two per letter, so unlike
    the arbitrary edits they are not worth pruning by neighbour letters). ``held_by``: as
    :func:`_all_edits` takes it."""
    n = len(word)
    every, first, second = (True, None, None) if held_by is None else (False, *held_by)
    out: dict[str, float] = {}
    get = out.get
    by_seen = model.cheap_by_seen
    for i in range(max(0, s - 1), min(p, n - 1) + 1):
        ch = word[i]
        options = by_seen.get(ch)
        doubled = i and ch == word[i - 1]
        if options or doubled:
            head, tail = word[:i], word[i + 1:]
            if options:
                for intended, cost in options:
                    variant = f"{head}{intended}{tail}"
                    if (every or variant in first or variant in second) and variant and cost < get(variant, 9.0):
                        out[variant] = cost
            if doubled:
                variant = head + tail
                if (every or variant in first or variant in second) and variant and DOUBLED_LETTER_COST < get(variant, 9.0):
                    out[variant] = DOUBLED_LETTER_COST
    pattern = model.cheap_multi_pattern  # (see _multi_char_edits)
    if pattern is not None and pattern.search(word) is not None:
        _multi_char_edits(word, model.cheap_multi_seen, p, s, out, held_by)
    dropped = model.cheap_dropped
    if dropped:
        for i in range(s, min(p, n) + 1):
            head, tail = word[:i], word[i:]
            for intended, cost in dropped:
                variant = f"{head}{intended}{tail}"
                if (every or variant in first or variant in second) and variant and cost < get(variant, 9.0):
                    out[variant] = cost
    out.pop(word, None)
    return out


def substitutions(word: str, model: ErrorModel, max_cost: float,
                  held_by: HeldBy = None) -> dict[str, float]:
    """Words one listed single-letter substitution of at most ``max_cost`` away (for real-word checks);
    with ``held_by``, only those one of the two containers holds (asked without a call)."""
    out: dict[str, float] = {}
    table = model.single_substitutions(max_cost)
    first, second = (None, None) if held_by is None else held_by
    for i, ch in enumerate(word):
        options = table.get(ch)
        if options:
            head, tail = word[:i], word[i + 1:]
            for intended, cost in options:
                variant = f"{head}{intended}{tail}"
                if (first is None or variant in first or variant in second) and cost < out.get(variant, 9.0):
                    out[variant] = cost
    return out


def cheap_edits(word: str, model: ErrorModel) -> dict[str, float]:
    """Words one listed (cheap) confusion away, anywhere in the word."""
    return edits(word, model, cheap_only=True)


_COST = itemgetter(1)  # of a (variant, cost) pair


def generate(word: str, vocab: Vocab, model: ErrorModel, *, max_cost: float, deep: bool = True,
             acceptable: float = 1.5) -> dict[str, float]:
    """Known words reachable from the folded ``word`` within ``max_cost``: {candidate: cost}.
    The last stage runs only while no candidate scores ``acceptable`` or better."""
    found: dict[str, float] = {}
    known = vocab.known_sets  # (the edits below keep only the variants these hold, as they make them)
    letters = vocab.letters

    def consider(variants: dict[str, float], base: float = 0.0) -> None:
        """Keep the ``variants`` (known ones: made with ``held_by=known``) within max_cost, each at its cheapest."""
        for variant, cost in variants.items():
            total = base + cost
            if total <= max_cost and total < found.get(variant, 9.0) and variant != word:
                found[variant] = total

    def convincing() -> bool:  # short words are cheap to search fully, and easily misled
        return len(word) > SHORT and best_score(found, vocab.zipf) <= GOOD_ENOUGH

    # A first variant's window (see window), or None when no second edit can make it known: the
    # same for the cheap second edits and, for the 12 cheapest firsts, the arbitrary ones.
    windows: dict[str, tuple[int, int] | None] = {}
    # (the variants are new strings: their starts and ends are asked without the vocabulary's
    # memo and without a call a look-up, see Vocabulary.start_parts)
    few_starts, curated_starts, form_starts = vocab.start_parts
    ends = vocab.has_suffix

    def window_after(variant: str) -> tuple[int, int] | None:
        n = len(variant)
        # the first edit is the leftmost: the variant must still begin a known form just after it
        # (lo: one past the letters it shares with the word at its start, counted here, not by a call)
        lo = 1
        for x, y in zip(word, variant):
            if x != y:
                break
            lo += 1
        if lo > n:
            lo = n
        # The word's last known_end letters are its longest end that ends a known form: when
        # the variant ends with them and the letter before them (word_tail, the edit lies
        # further left), that end is the variant's longest too (no look-up needed); and as
        # edits() needs s <= p + reach, the variant must then begin a known form at least
        # s - reach letters long, which one look-up settles before the scan goes on from there.
        s = n - known_end if word_tail is not None and variant.endswith(word_tail) else -1
        if s >= 0 and s - reach > lo:
            lo = s - reach
        # p: the longest start of a known form, scanned letter by letter from lo rather than found
        # by a binary search (_prefix_end): after a first edit it lies within a letter or two of
        # lo (a random change rarely goes on to spell more of a word), so the scan asks less
        head = variant[:lo]
        if not (head in few_starts or head in curated_starts or form_starts(head)):
            return None
        p = lo
        while p < n:
            head = variant[:p + 1]
            if not (head in few_starts or head in curated_starts or form_starts(head)):
                break
            p += 1
        if s >= 0:
            return p, s
        # every edit lies at most ``reach`` letters before the end of the window's prefix;
        # an end of a known end ends one too, so the search for the longest may start there
        hi = p + reach
        if hi >= n:
            return p, _suffix_start(variant, ends, n)
        if not ends(variant[hi:]):
            return None
        return p, _suffix_start(variant, ends, hi)

    cheap_pattern = model.cheap_multi_pattern

    def second(firsts: Iterable[tuple[str, float]], cheap_only: bool, budget: int = 1 << 30, above: float = -1.0) -> None:
        # (``firsts``: (variant, cost) pairs, in the order the edits made them; only those costing more than ``above``)
        # (a cheap second edit costs at least model.cheapest: past max_cost, none can count;
        # the firsts come cheapest first, so past the first such one none can: they are left out
        # before the sort, which keeps the cheapest ``budget`` of the rest in the same order)
        least = model.cheapest if cheap_only else 0.3
        for variant, cost in sorted([f for f in firsts if above < f[1] and f[1] + least <= max_cost], key=_COST)[:budget]:
            found_window = windows.get(variant, windows)  # (windows itself: not yet found)
            if found_window is windows:
                found_window = windows[variant] = window_after(variant)
            if found_window is None:
                continue
            p, s = found_window
            if cheap_only:
                # (past p + 1, only a listed multi-character confusion reaches from p to s: a variant
                # holding none of them, most, makes no second edit, which needs no call to find)
                if s > p + 1 and (cheap_pattern is None or cheap_pattern.search(variant) is None):
                    continue
                consider(_cheap_edits(variant, model, p, s, known), cost)
            else:
                # An arbitrary letter costs the default (a listed one is made as listed first), and
                # no later edit makes its string cheaper (but a listed multi-character confusion,
                # which may make it too): past max_cost, none of them can count, so none is made.
                arbitrary = cost + model.default_cost <= max_cost or (
                    model.multi_pattern is not None and model.multi_pattern.search(variant) is not None)
                consider(_all_edits(variant, model, p, s, letters, arbitrary, known), cost)

    p, s = window(word, vocab)
    known_end = len(word) - s  # the longest end of the word that ends a known form
    word_tail = word[-known_end - 1:] if known_end < len(word) else None  # that end and the letter before it
    reach = max(2, max((len(seen) for seen, _ in model.multi_seen), default=1))  # swaps span 2 letters
    # every single listed confusion, the cheap ones and those above the cheap line alike (a confusion learned at
    # 0.52, 'Делее' -> 'Далее', no longer waits behind a cheap one into another word, 'Деле')
    listed = _all_edits(word, model, p, s, letters, False, known)  # (with the swaps and deletions, kept for stage 3)
    consider({v: c for v, c in listed.items() if c < model.default_cost})
    if convincing() or max_cost < 0.2:
        return found
    cheap_firsts = edits(word, model, p, 0, cheap_only=True)
    second(cheap_firsts.items(), cheap_only=True)
    if convincing() or max_cost < model.default_cost:
        return found
    if model.listed_within_default:  # every single edit: the listed ones made above, and the arbitrary letters
        consider(listed)
        consider(_arbitrary_edits(word, model, p, s, letters, known))
    else:
        consider(_all_edits(word, model, p, s, letters, held_by=known))
    if not deep or len(word) < DEEP_MIN_LENGTH:
        return found
    if best_score(found, vocab.zipf) <= acceptable:
        return found
    second(cheap_firsts.items(), cheap_only=False, budget=DEEP_FIRSTS // 8)
    if best_score(found, vocab.zipf) > acceptable:
        second(deep_firsts(word, model, p, max_cost), cheap_only=True, budget=DEEP_FIRSTS, above=CHEAP)
    return found


def deep_firsts(word: str, model: ErrorModel, p: int, max_cost: float) -> list[tuple[str, float]]:
    """The first edits of the search's last stage, which a cheap second edit follows, as
    (variant, cost) pairs in the order :func:`_all_edits` makes them (every edit at or before p,
    the arbitrary letters each of the alphabet): of these it tries the DEEP_FIRSTS cheapest above
    CHEAP whose cost plus a cheap edit's keeps within ``max_cost``. An arbitrary letter costs the
    default (a listed one is made as listed first), so where the default and the cheapest edit
    exceed ``max_cost`` (the names' and the capitals' search) only listed edits can count: then
    only those are made (a word of about ten letters has 600 edits, 50 of them listed), and all
    of them only where more than DEEP_FIRSTS count, as the order then decides which are cut."""
    if model.default_cost + model.cheapest <= max_cost:
        return list(_all_edits(word, model, p, 0, None).items())
    listed = _all_edits(word, model, p, 0, None, arbitrary=False)
    counted = sum(1 for cost in listed.values() if CHEAP < cost and cost + model.cheapest <= max_cost)
    return list((listed if counted <= DEEP_FIRSTS else _all_edits(word, model, p, 0, None)).items())
