"""How words are keyed in the lexicon: NFC, lower case, ё folded to е.

Typewriters of the period rarely had ё, and the morphological dictionary spells
it everywhere, so both sides are folded before they meet.
"""

from __future__ import annotations

import re
import unicodedata

# Characters of the Cyrillic block (U+0400-U+04FF): each is in NFC, composes with no letter beside it
# and lower-cases alone, whatever stands beside it (a test checks every one beside every small letter)
_CYRILLIC_BLOCK = re.compile("[\u0400-\u04ff]*")


def fold(word: str) -> str:
    """The lexicon key of ``word``."""
    if not word.isascii() and not unicodedata.is_normalized("NFC", word):
        word = unicodedata.normalize("NFC", word)
    # lower() has made every Ё an ё (no character lower-cases to Ё), and str.replace is
    # about eight times faster than str.translate on Cyrillic text (fold runs for every word)
    return word.lower().replace("ё", "е")


def has_yo(text: str) -> bool:
    """Whether ``text`` writes ё, small or capital (the letter :func:`fold` writes as е)."""
    return "ё" in text or "Ё" in text


def folds_letterwise(word: str) -> bool:
    """``fold(letter + word) == letter + fold(word)`` and ``fold(word + letter) == fold(word) + letter``
    for every small Cyrillic letter other than ё: true of a word of the Cyrillic block's characters
    alone (no normalisation joins such a letter to its neighbour, and lower() takes them one by one),
    so a caller that folds the word with each letter beside it may fold the word once."""
    return _CYRILLIC_BLOCK.fullmatch(word) is not None
