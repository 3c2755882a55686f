"""How texts are cut into the units that are compared.

Three cuts, all on NFC text:

* grapheme clusters (Unicode extended grapheme clusters, UAX #29), the unit
  of the character error rate: ``е`` + U+0308 and ``ё`` are one and the same
  unit, so a combining mark never counts as a character of its own;
* words, the unit of the word error rate: UAX #29 word boundaries, keeping
  only the pieces that hold at least one letter, digit or similar
  character. This is dinglehopper's definition (there through ``uniseg``;
  here through the ``regex`` module's default word boundaries, which agree
  on every string we tried, see ``scripts/record_dinglehopper.py``);
* layout tokens, the unit of alignment for people: grapheme clusters, except
  that a run of whitespace is one token (so a line break lines up with a
  space) and a hyphen that breaks a word at the end of a line is folded into
  the character before it (so ``коман-`` / ``дования`` lines up with
  ``командования``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

_GRAPHEME = regex.compile(r"\X")
_WORD_BOUNDARY = regex.compile(r"(?w)\b")
# A word broken across lines: letter, hyphen (or soft hyphen / not sign), the line
# break with any spacing around it, letter. The letters are not part of the match.
_HYPHEN_BREAK = regex.compile(r"(?<=\p{L})[-\u00ad\u2010\u00ac][ \t]*\r?\n\s*(?=\p{L})")
# General categories whose characters alone never make a word (dinglehopper's list).
_NON_WORD_CATEGORIES = frozenset("OMPZS")
_NON_WORD_SUBCATEGORIES = frozenset({"Cc", "Cf"})

SPACE_KEY = " "


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def graphemes(text: str) -> list[str]:
    """The extended grapheme clusters of ``text`` after NFC normalisation."""
    return _GRAPHEME.findall(nfc(text))


def _is_word_character(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] not in _NON_WORD_CATEGORIES and category not in _NON_WORD_SUBCATEGORIES


def words(text: str) -> list[str]:
    """The words of ``text`` (NFC) as dinglehopper counts them for the WER."""
    text = nfc(text)
    cuts = sorted({0, len(text), *(m.start() for m in _WORD_BOUNDARY.finditer(text))})
    pieces = (text[a:b] for a, b in zip(cuts, cuts[1:]))
    return [piece for piece in pieces if any(_is_word_character(c) for c in piece)]


@dataclass(frozen=True, slots=True)
class Token:
    """One unit of alignment: ``key`` is what is compared, ``start:end`` the span it covers."""

    key: str
    start: int
    end: int

    @property
    def is_space(self) -> bool:
        return self.key == SPACE_KEY


def layout_tokens(text: str) -> list[Token]:
    """Layout tokens of an NFC ``text`` (see the module docstring); spans index ``text``."""
    folded = [(m.start(), m.end()) for m in _HYPHEN_BREAK.finditer(text)]
    tokens: list[Token] = []
    fold_index = 0
    for match in _GRAPHEME.finditer(text):
        start, end, cluster = match.start(), match.end(), match.group()
        while fold_index < len(folded) and folded[fold_index][1] <= start:
            fold_index += 1
        if fold_index < len(folded) and folded[fold_index][0] <= start and tokens:
            previous = tokens[-1]
            tokens[-1] = Token(previous.key, previous.start, end)
            continue
        if cluster.isspace():
            if tokens and tokens[-1].is_space:
                tokens[-1] = Token(SPACE_KEY, tokens[-1].start, end)
            else:
                tokens.append(Token(SPACE_KEY, start, end))
            continue
        tokens.append(Token(cluster, start, end))
    return tokens


def word_tokens(text: str) -> list[Token]:
    """Whitespace-separated words of an NFC ``text``, with line-end hyphenation undone.

    The key of a word broken across lines is the joined word; its span runs
    from its first to its last character, hyphen and line break included.
    """
    result: list[Token] = []
    keys: list[str] = []
    start = end = 0
    for token in layout_tokens(text):
        if token.is_space:
            if keys:
                result.append(Token("".join(keys), start, end))
                keys = []
            continue
        if not keys:
            start = token.start
        keys.append(token.key)
        end = token.end
    if keys:
        result.append(Token("".join(keys), start, end))
    return result


def normalize_layout(text: str) -> str:
    """``text`` (NFC) with every whitespace run made one space, line-end hyphenation undone, and trimmed."""
    return "".join(token.key for token in layout_tokens(nfc(text))).strip()
