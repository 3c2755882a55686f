"""How words are keyed in the lexicon: NFC, lower case, ё folded to е.

Typewriters of the period rarely had ё, and the morphological dictionary spells
it everywhere, so both sides are folded before they meet.
"""

from __future__ import annotations

import unicodedata


def fold(word: str) -> str:
    """The lexicon key of ``word``."""
    if not word.isascii() and not unicodedata.is_normalized("NFC", word):
        word = unicodedata.normalize("NFC", word)
    # lower() has made every Ё an ё (no character lower-cases to Ё), and str.replace is
    # about eight times faster than str.translate on Cyrillic text (fold runs for every word)
    return word.lower().replace("ё", "е")
