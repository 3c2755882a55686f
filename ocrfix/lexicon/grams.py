"""Which letters stand between which neighbours in some known form.

Every form, padded as ``^^form$$``, is cut into four-letter windows ``abcd``.
Two tables record them by the letter that is left out:

    left[a + b + d]  holds c   (a letter with two neighbours on its left, one on its right)
    right[a + c + d] holds b   (a letter with one neighbour on its left, two on its right)

A word in which some letter is missing from either table cannot be a known form,
so candidate generation asks the tables which letters may go between two
neighbours before it builds a variant and looks it up in the trie: about a third
of the alphabet survives, and no known word is ever left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

Grams = tuple[dict[str, str], dict[str, str]]
Masks = tuple[dict[str, int], dict[str, int]]  # the tables' letters of ALPHABET as bit masks (see letter_masks)

ALPHABET = "абвгдежзийклмнопрстуфхцчшщъыьэюя"  # the letters candidate generation tries
_BITS = {letter: 1 << i for i, letter in enumerate(ALPHABET)}  # bit i of a mask: ALPHABET[i]
ALL_LETTERS = (1 << len(ALPHABET)) - 1  # the mask of every letter of ALPHABET
PAD_LEFT = "^^"
PAD_RIGHT = "$$"


def letter_grams(keys: Iterable[str]) -> Grams:
    """The two tables for these (folded) forms."""
    windows: set[str] = set()
    for key in keys:
        padded = PAD_LEFT + key + PAD_RIGHT
        windows.update(padded[i:i + 4] for i in range(len(padded) - 3))
    left: dict[str, set[str]] = {}
    right: dict[str, set[str]] = {}
    for w in windows:
        left.setdefault(w[0] + w[1] + w[3], set()).add(w[2])
        right.setdefault(w[0] + w[2] + w[3], set()).add(w[1])
    return ({k: "".join(sorted(v)) for k, v in left.items()}, {k: "".join(sorted(v)) for k, v in right.items()})


def merged(base: Grams, extra: Grams) -> Grams:
    """Tables that allow what either allows (new dicts; ``base`` is not changed)."""
    out = (dict(base[0]), dict(base[1]))
    for table, more in zip(out, extra):
        for k, letters in more.items():
            table[k] = "".join(sorted(set(table.get(k, "")) | set(letters)))
    return out


def letter_masks(grams: Grams) -> Masks:
    """The two tables with each entry's letters of ALPHABET as a bit mask (others left out): what
    :func:`mask_between` reads, so that the letters between two neighbours are one ``&`` of two
    look-ups rather than a string intersected and filtered. Made once, when a lexicon is loaded."""
    bits = _BITS
    # (a table's letters are distinct: the sum of their bits is their union)
    return ({k: sum([bits.get(c, 0) for c in v]) for k, v in grams[0].items()},
            {k: sum([bits.get(c, 0) for c in v]) for k, v in grams[1].items()})


def mask_between(masks: Masks, before: str, after: str) -> int:
    """The letters of ALPHABET that may stand between ``before`` (the two characters on the left,
    padded with ^) and ``after`` (the two on the right, padded with $), as a mask of ALPHABET's
    letters (from :func:`letter_masks`)."""
    return masks[0].get(before + after[0], 0) & masks[1].get(before[1] + after, 0)


@cache  # (the masks a lexicon's tables give: a few thousand)
def mask_letters(mask: int) -> str:
    """The letters of ALPHABET a mask holds, in ALPHABET's order (which is code-point order)."""
    return "".join([letter for i, letter in enumerate(ALPHABET) if mask >> i & 1])
