"""Word tokens with their offsets, and what kind of token each is."""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from ocrfix.correct import tables

# The longest word token the corrector looks at. The longest form in the lexicon has
# 40 letters (a test checks it stays below this); a longer run of letters is no word
# and is not a token at all, so no pass spends work on it (the candidate search
# grows with the square of a word's length).
MAX_WORD_LENGTH = 48

# Letters, with inner hyphens or apostrophes (Ма-Ху-шаня, гото-во), at most
# MAX_WORD_LENGTH characters in all; no part of a longer run is a token.
WORD = regex.compile(
    r"(?<!\p{L}|\p{L}[-'’])"  # the start of a run, not inside a longer one
    rf"(?=(?:\p{{L}}|[-'’](?=\p{{L}})){{1,{MAX_WORD_LENGTH}}}(?!\p{{L}}|[-'’]\p{{L}}))"  # the run is short enough
    r"\p{L}+(?:[-'’]\p{L}+)*"
)
# The same runs of any length, found without WORD's look-arounds (about three times faster):
# WORD's matches are the runs of at most MAX_WORD_LENGTH characters (see word_matches).
_RUN = regex.compile(r"\p{L}+(?:[-'’]\p{L}+)*")
LATIN = regex.compile(r"\p{Latin}")
# A character outside the Cyrillic block (U+0400-U+04FF, none of it Latin) and the marks inside
# word tokens: a word without one has no Latin letter, which this pattern of the standard library
# settles several times faster than LATIN's search (see has_latin).
_NOT_CYRILLIC = re.compile("[^\u0400-\u04ff'\u2019-]")
CYRILLIC = regex.compile(r"\p{Cyrillic}")
ONE_LETTER_WORDS = frozenset(tables.column("one_letter_words"))  # the words of one letter, in capitals


def one_letter_word(word: str) -> bool:
    """A word of one letter, in either case: a preposition, a conjunction, a particle or я
    (one_letter_words.tsv). A letter alone that is none of them (:func:`lone_letter`) is no word."""
    return len(word) == 1 and word.upper() in ONE_LETTER_WORDS


def lone_letter(word: str) -> bool:
    """One character that is no word of one letter ('е' of 'отход е', 'ь'): a piece of a word."""
    return len(word) == 1 and not one_letter_word(word)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    index: int  # position among the text's word tokens


def after_blank(text: str, start: int) -> bool:
    """Whether offset ``start`` of ``text`` begins the text or follows a blank (any whitespace, a line
    break too): a word there stands apart from what precedes it, glued to no mark. The one test of it."""
    return start == 0 or text[start - 1].isspace()


def glued_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``text[start:end]`` widened to the blanks on either side: the characters glued to it
    ('main.py' around 'py', 'тов.' around its period)."""
    while start and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def blank_before(text: str, at: int) -> int:
    """Where the blanks just before ``at`` begin: ``len(text[:at].rstrip())``, without copying the text before it."""
    while at and text[at - 1].isspace():
        at -= 1
    return at


def line_blank_before(text: str, at: int) -> int:
    """Where the spaces and tabs just before ``at`` begin (a line break stops them):
    ``len(text[:at].rstrip(" \t"))``, without copying the text before it. The character before them,
    ``text[n - 1:n]``, is what stands before a word on its line ('5,8 ысячи': a number)."""
    while at and text[at - 1] in " \t":
        at -= 1
    return at


def has_latin(text: str) -> bool:
    """``LATIN.search(text) is not None``, asked only of a text with some character that is neither
    Cyrillic nor a word's inner mark (most words of a Russian page have none)."""
    return _NOT_CYRILLIC.search(text) is not None and LATIN.search(text) is not None


def word_matches(text: str) -> list[regex.Match]:
    """``WORD.finditer(text)``, faster: every maximal run of letters (with inner hyphens or
    apostrophes), but those longer than MAX_WORD_LENGTH."""
    return [m for m in _RUN.finditer(text) if m.end() - m.start() <= MAX_WORD_LENGTH]


def word_texts(text: str) -> list[str]:
    """The text of each of :func:`word_matches`, found without a match object each."""
    return [w for w in _RUN.findall(text) if len(w) <= MAX_WORD_LENGTH]


def word_tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end(), i) for i, m in enumerate(word_matches(text))]


def case_shape(word: str) -> str:
    """'upper' (НКИД), 'title' (Кашгар, Ма-Ху-шаня), 'lower', or 'mixed' (КВжД)."""
    shape = _SHAPES.get(word)
    if shape is None:
        shape = _case_shape(word)
        if len(_SHAPES) > 100_000:
            _SHAPES.clear()
        _SHAPES[word] = shape
    return shape


_SHAPES: dict[str, str] = {}


def _case_shape(word: str) -> str:
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if sum(1 for c in word if c.isalpha()) > 1 else "title"
    if not any(c.isalpha() for c in word):
        return "lower"
    if word[:1].isupper() and (word[1:].islower() or not any(c.isalpha() for c in word[1:])):
        return "title"
    # Hyphenated names: each part title or lower (Ма-Ху-шаня, Алма-Атинский)
    parts = word.split("-")
    if len(parts) > 1 and all(_case_shape(p) in {"title", "lower"} for p in parts if p):
        return "title"
    return "mixed"


def apply_case(template: str, word: str) -> str:
    """``word`` written in the case shape of ``template``."""
    shape = case_shape(template)
    if shape == "upper":
        return word.upper()
    if shape == "title":
        if "-" in template and "-" in word and len(template.split("-")) == len(word.split("-")):
            return "-".join(apply_case(t, w) for t, w in zip(template.split("-"), word.split("-")))
        return word[:1].upper() + word[1:].lower()
    if shape == "lower":
        return word.lower()
    return word
