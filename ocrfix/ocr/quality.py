"""How well was a page read? An estimate from the OCR result alone, without ground truth.

Three signals, per word:

- Tesseract's confidence (0..100), read as the chance the word is right;
- garbage: a token no text is made of (no letter or digit, Latin and Cyrillic
  letters mixed, mostly symbols, a letter repeated three times or more, a
  long run without a vowel, letters between digits, a digit straight after a
  letter: о read as 0, і as 1; a small letter straight before a capital: тТыш,
  ыдДжЖыл, one letter read as two) is wrong whatever its confidence: noise
  read as text. These are shapes, and real words have some of them (СССР,
  длинношеее, XVIII, РСФСР, ВЛКСМ, ТуркВО): a word the lexicon knows, when
  one is given, is text whatever its shape. Digits repeat in numbers (10.000,
  1000р., №111): only a letter repeated counts;
- the lexicon, when one is given and the word is in its script: a known word
  is very likely right, an unknown one less likely than its confidence says.
  (On pages in another language few words are in the lexicon's script, so
  confidence and garbage carry the estimate there.)

Each word then counts its characters as right with that chance. ``score`` is
the share of a page's characters estimated right (0..1). ``net`` is the
count estimated right minus the count estimated wrong: two readings of the
same image are compared by it, so a reading that drops lines (fewer
characters) or adds noise (garbage) loses to one that reads the page whole.

``free_score`` and ``free_net`` are the same estimate without the lexicon's
judgement of words (confidence and garbage alone; the lexicon only tells that a
token of garbage's shape is a word). A lexicon judges only the words of its
language: a Komi line read with ``rus``, or a Czech page, has many words it
does not know, and a reading that turns an unknown word into a known one of
another language (Komi опытесӧ into Russian опыте) gains by the lexicon
alone. Two readings are therefore compared by both estimates
(:func:`ocrfix.recognition._clearly_better`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from ocrfix.model import Page, Word

# 4: a word the lexicon knows is never garbage; repeated digits are not
VERSION = "5"  # 5: weakest_word counts a word the lexicon knows as likely right at any confidence, as estimate does
KNOWN_WORD = 0.97  # chance a word the lexicon knows is right (at least)
UNKNOWN_WORD = 0.6  # an unknown word in the lexicon's script keeps this share of its confidence
MIN_JUDGED_LETTERS = 3  # shorter words are not looked up (abbreviations, initials)
DEFAULT_CONFIDENCE = 50.0  # for a word without one

_VOWELS = set("аеёиоуыэюяaeiouyáéíóúůýäöüåæøěїіӧ")
_PUNCTUATION = ".,;:!?\"'«»„“”()[]-–—/…"
_LETTER_REPEATED = re.compile(r"([^\W\d_])\1\1")  # a letter three times in a row (digits repeat in numbers: 10.000)
_LETTERS_BETWEEN_DIGITS = re.compile(r"\d[^\W\d_]+\d")
_DIGIT_AFTER_LETTER = re.compile(r"[^\W\d_]\d")  # numbers take letters after them (36г., 10-го), never before


@dataclass(frozen=True)
class Quality:
    """The self-check of one recognised page."""

    words: int
    characters: int
    mean_confidence: float | None  # character-weighted, 0..100; None without words
    known_share: float | None  # of the words the lexicon could judge; None when it judged none
    garbage_share: float  # share of the characters in garbage tokens
    score: float  # estimated share of characters read right, 0..1 (0 without words)
    net: float  # characters estimated right minus those estimated wrong
    free_score: float  # the same two without the lexicon: confidence and garbage alone
    free_net: float

    @property
    def garbage_characters(self) -> int:
        return round(self.garbage_share * self.characters)

    def to_dict(self) -> dict[str, float | int | None]:
        data = asdict(self)
        for name in ("mean_confidence", "known_share", "garbage_share", "score", "net", "free_score", "free_net"):
            if data[name] is not None:
                data[name] = round(float(data[name]), 1 if name.endswith("net") else 4)
        return data


def is_garbage(token: str, knows: Callable[[str], bool] | None = None) -> bool:
    """A token that no text is made of (see the module's description). ``knows`` says whether the
    lexicon knows a word: a token of garbage's shape that is a word it knows (MIN_JUDGED_LETTERS
    letters or more, all of one script: СССР, XVIII) is text. Without it, the shape alone decides."""
    core = token.strip(_PUNCTUATION)
    if not core:
        return len(token) > 2  # a dash or a full stop is text; a run of symbols is not
    if not _garbage_shape(core):
        return False
    return not (knows is not None and _judged(core, _script(core[0])) and knows(core))


def _garbage_shape(core: str) -> bool:
    """Whether ``core`` (a token without its punctuation) has a shape no text is made of."""
    alnum = sum(1 for c in core if c.isalnum())
    if alnum == 0 or alnum < 0.6 * len(core):
        return True
    letters = [c for c in core if c.isalpha()]
    scripts = {_script(c) for c in letters}
    if "latin" in scripts and "cyrillic" in scripts:
        return True
    if _LETTER_REPEATED.search(core.lower()):
        return True
    if len(letters) >= 5 and not any(c.lower() in _VOWELS for c in letters):
        return True
    if any(a.islower() and b.isupper() for a, b in zip(core, core[1:])):
        return True  # a small letter straight before a capital: one letter read as two (тТыш)
    return bool(_LETTERS_BETWEEN_DIGITS.search(core) or _DIGIT_AFTER_LETTER.search(core))


def estimate(page: Page, knows: Callable[[str], bool] | None = None, script: str = "cyrillic") -> Quality:
    """The self-check of ``page``; ``knows`` says whether the lexicon knows a word (in ``script``)."""
    return estimate_words(page.words, knows, script)


def estimate_words(words_read: Iterable[Word], knows: Callable[[str], bool] | None = None, script: str = "cyrillic") -> Quality:
    """The self-check of some words as if they were a page of their own: one text line, or a stretch of
    one, as a fallback's weak lines, the line check and a page's merge judge them (the page's estimate
    depends on its words alone, in their order)."""
    words = characters = 0
    confidence_sum = right = free_right = garbage_chars = 0.0
    judged = known = 0
    for word in words_read:
        text = word.text
        if not text.strip():
            continue
        length = len(text)
        words += 1
        characters += length
        confidence = word_confidence(word.confidence)
        confidence_sum += confidence * length
        chance = confidence / 100.0
        garbage = is_garbage(text, knows)
        if garbage:
            garbage_chars += length
            chance = 0.0
        free_right += chance * length
        if not garbage and knows is not None and (core := _judged(text, script)):
            judged += 1
            if knows(core):
                known += 1
                chance = max(chance, KNOWN_WORD)
            else:
                chance *= UNKNOWN_WORD
        right += chance * length
    if characters == 0:
        return Quality(0, 0, None, None, 0.0, 0.0, 0.0, 0.0, 0.0)
    return Quality(
        words=words,
        characters=characters,
        mean_confidence=confidence_sum / characters,
        known_share=known / judged if judged else None,
        garbage_share=garbage_chars / characters,
        score=right / characters,
        net=2.0 * right - characters,
        free_score=free_right / characters,
        free_net=2.0 * free_right - characters,
    )


def weakest_word(page: Page, knows: Callable[[str], bool] | None = None, script: str = "cyrillic") -> tuple[str, float] | None:
    """The word of ``page`` least likely read right, and that chance (0..1); None without words.

    A word's chance is Tesseract's confidence, 0 for garbage, and at least KNOWN_WORD for a word
    the lexicon knows (whatever its confidence, as in :func:`estimate`: Tesseract reports 0 for
    some words it reads right); unlike in :func:`estimate`, a word the lexicon does not know keeps its
    confidence. On a page, the share of unknown words measures misreadings over hundreds of
    words; among the few words of one text line it measures the line's vocabulary: the pieces
    of words hyphenated at its ends, names, another language read with this one's letters.
    """
    weakest: tuple[str, float] | None = None
    for word in page.words:
        text = word.text
        if not text.strip():
            continue
        chance = word_chance(word, knows)
        if knows is not None and is_known(text, knows, script):  # a word the lexicon knows is never garbage
            chance = max(chance, KNOWN_WORD)
        if weakest is None or chance < weakest[1]:
            weakest = (text, chance)
    return weakest


def word_chance(word: Word, knows: Callable[[str], bool] | None = None) -> float:
    """The chance (0..1) that ``word`` is read right by Tesseract's confidence alone: 0 for garbage
    (:func:`is_garbage`, ``knows`` sparing the words the lexicon knows), else its confidence / 100.
    :func:`weakest_word` raises a known word's to KNOWN_WORD besides."""
    return 0.0 if is_garbage(word.text, knows) else word_confidence(word.confidence) / 100.0


def word_confidence(confidence: float | None) -> float:
    """A word's confidence (0..100) as the estimate counts it: DEFAULT_CONFIDENCE when it has none."""
    return DEFAULT_CONFIDENCE if confidence is None else max(0.0, min(100.0, float(confidence)))


def is_known(text: str, knows: Callable[[str], bool], script: str = "cyrillic") -> bool:
    """Whether the lexicon (``knows``) knows the word ``text``, judged as the estimate judges it (its
    letters without punctuation; never a word shorter than MIN_JUDGED_LETTERS or outside ``script``)."""
    return bool(core := _judged(text, script)) and knows(core)


def _judged(text: str, script: str) -> str:
    """The word ``text`` as the lexicon judges it (its letters, without punctuation), or "" when
    it is not judged: shorter than MIN_JUDGED_LETTERS, not all letters, or not all in ``script``."""
    core = text.strip(_PUNCTUATION)
    if len(core) >= MIN_JUDGED_LETTERS and core.isalpha() and all(_script(c) == script for c in core):
        return core
    return ""


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("LATIN"):
        return "latin"
    return "other"
