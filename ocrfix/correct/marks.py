"""Marks that break the typewriter's conventions: a speck read as a mark, or a mark misread.

A typist put a period, comma, colon or semicolon right after a word and a space after it; a
hyphen between two parts of a word with no space on either side, a dash with a space on both.
A mark the OCR prints against these conventions is a speck or a misreading, and the words around
it say which (each function proposes :class:`~ocrfix.correct.scoring.Candidate` records; the
corrector scores them and keeps the best of those that overlap):

- :func:`leading_marks`: a period, comma, colon or semicolon glued to the start of a lower-case
  word after a space ('во .все аулы', 'и :необходимое'): a speck;
- :func:`phrase_periods`: a period inside a phrase no sentence can end in: after a preposition or
  conjunction ('до. наших дней'), or between an adjective and the noun it agrees with
  ('закупочные. цены'), before a lower-case word: a speck;
- :func:`periods_before_commas`: a period (or two) between a whole word and a comma
  ('заблудиться.., а'): a speck (an abbreviation's period stays: 'г.,');
- :func:`open_hyphens`: a hyphen glued to a whole word's end before a space and a lower-case word
  ('Среднесуточная- погрузка'): a speck ('двух- и трехэтажные' stays: a hyphen before a conjunction
  is a suspended compound's);
- :func:`offered_periods`: a comma for which Tesseract itself offered a period, before a capitalised
  word that is no name ('еволюции, Утром'): the period it saw (evidence from the scan, not grammar).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import regex

from ocrfix.correct import context, tables
from ocrfix.correct.scoring import Candidate
from ocrfix.correct.sentences import Words
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.normalize import fold
from ocrfix.lexicon.sources import NAME, PLACE

_FUNCTION_POS = frozenset({"PREP", "CONJ"})  # the parts of speech no sentence ends with
PHRASE_WORD_MIN = 2  # letters: a one-letter word before a period may be an initial or an abbreviation ('с. г.', 'и. о.')
WHOLE_WORD_MIN = 4  # letters: a shorter word before a period may be an abbreviation ('млн.,', 'г.,')

_LEADING = regex.compile(r"(?<=[ \t])[.,:;](?=\p{Ll})")
_PERIOD_BETWEEN = regex.compile(r"(?<=\p{L})\.(?=[ \t]+\p{L})")
_PERIOD_COMMA = regex.compile(r"(?<=\p{L})\.{1,2}(?=,[ \t]+\p{Ll})")
_OPEN_HYPHEN = regex.compile(r"(?<=\p{L})-(?=[ \t]+(\p{Ll}+))")
_SUSPENDED = frozenset(tables.column("suspended_hyphen_words"))  # 'двух- и трехэтажные'


def leading_marks(text: str) -> list[Candidate]:
    """'во .все аулы' -> 'во все аулы': a mark glued to a lower-case word's start after a space (the
    corrector first asks whether it stands for the word's lost first letter, ':еобходимое', and
    removes it only before a known word: :func:`known_after`)."""
    return [Candidate(m.start(), m.end(), "", "leading-mark", "a mark glued to a word's start (a speck)")
            for m in _LEADING.finditer(text)]


_WORD_AFTER = regex.compile(r"\p{L}+(?:-\p{L}+)*(?=[^\p{L}\p{N}-]|$)")


def known_after(text: str, pos: int, known: Callable[[str], bool]) -> bool:
    """The word starting at ``pos`` (its letters and hyphens, up to a space or a mark) is a known one."""
    found = _WORD_AFTER.match(text, pos)
    return found is not None and known(fold(found.group()))


def _after_words(pattern: regex.Pattern, words: Words) -> Iterator[tuple[regex.Match, int]]:
    """The matches of ``pattern`` in the text that start where a word token ends, each with that
    token's index (the tokens' ends looked up only once a match is found)."""
    ends: dict[int, int] | None = None
    for m in pattern.finditer(words.text):
        if ends is None:
            ends = {token.end: i for i, token in enumerate(words.tokens)}
        i = ends.get(m.start())
        if i is not None:
            yield m, i


def phrase_periods(words: Words, lexicon: Lexicon, free: Callable[[int, int], bool]) -> list[Candidate]:
    """'до. наших дней', 'закупочные. цены на шерсть' -> no period: a period on the same line between
    a known word no sentence ends with (a preposition or conjunction of PHRASE_WORD_MIN letters or
    more, its likeliest reading) or an adjective, and a lower-case known word it governs or agrees
    with (context.agreement)."""
    text, tokens, keys = words.text, words.tokens, words.keys
    edits = []
    for m, i in _after_words(_PERIOD_BETWEEN, words):
        if i + 1 >= len(tokens) or not free(m.start(), m.end()):
            continue
        before, after = tokens[i], tokens[i + 1]
        if not (before.text.islower() and after.text.islower()) or "\n" in text[m.end():after.start]:
            continue
        key, next_key = keys[i], keys[i + 1]
        if len(key) < PHRASE_WORD_MIN or key not in lexicon or next_key not in lexicon or lexicon.is_abbreviation(key):
            continue
        found = context.tags(key)
        if not found:
            continue
        if found[0].POS in _FUNCTION_POS:
            why = "a period after a word no sentence ends with (a speck)"
        elif len(key) > WHOLE_WORD_MIN and found[0].POS in {"ADJF", "PRTF"} and context.agreement(next_key, key, None):
            why = "a period between an adjective and the noun it agrees with (a speck)"
        else:
            continue
        edits.append(Candidate(m.start(), m.end(), "", "phrase-period", why))
    return edits


def periods_before_commas(words: Words, lexicon: Lexicon) -> list[Candidate]:
    """'заблудиться.., а' -> 'заблудиться, а': a period, or two, between a whole dictionary word (no
    abbreviation, WHOLE_WORD_MIN letters or more: not 'Восточн.,') and a comma the sentence runs on
    after (a lower-case word follows on the line; before a line break the period may end the sentence
    and the comma be the speck: 'в феврале..,')."""
    edits = []
    for m, i in _after_words(_PERIOD_COMMA, words):
        key = words.keys[i]
        if len(key) >= WHOLE_WORD_MIN and context.tags(key) and not lexicon.is_abbreviation(key) and not (
                context.is_abbreviation(key)):
            edits.append(Candidate(m.start(), m.end(), "", "period-comma", "a period before a comma (a speck)"))
    return edits


def open_hyphens(words: Words, lexicon: Lexicon) -> list[Candidate]:
    """'Среднесуточная- погрузка' -> 'Среднесуточная погрузка': a hyphen glued to the end of a whole
    known word (WHOLE_WORD_MIN letters or more) before a space and a known lower-case word on the
    same line, unless that word is a conjunction of a suspended compound ('двух- и трехэтажные')."""
    edits = []
    for m, i in _after_words(_OPEN_HYPHEN, words):
        following = fold(m.group(1))
        if following in _SUSPENDED or following not in lexicon:
            continue
        key = words.keys[i]
        if len(key) >= WHOLE_WORD_MIN and key in lexicon and not lexicon.is_abbreviation(key):
            edits.append(Candidate(m.start(), m.end(), "", "open-hyphen",
                                   "a hyphen glued to a whole word's end before a space (a speck)"))
    return edits


_COMMA_BEFORE_CAPITAL = regex.compile(r"(?<=\p{L}),(?=\s+(\p{Lu}[\p{L}-]*)|\s*\Z)")


def offered_periods(text: str, offered: Callable[[int], str], lexicon: Lexicon) -> list[Candidate]:
    """'еволюции, Утром' -> 'еволюции. Утром', '50 м, Получена' -> 'м. Получена': a comma glued to a
    word, for which Tesseract itself offered a period, before a capitalised word that is no name (a list
    of names runs on after its commas: 'Чернову, Любимову') or at the text's end: the period it saw."""
    edits = []
    for m in _COMMA_BEFORE_CAPITAL.finditer(text):
        if "." not in offered(m.start()):
            continue
        following = m.group(1)
        if following is not None:
            key = fold(following)
            if lexicon.flags(key) & (NAME | PLACE) or context.is_name(key) or following.isupper() and len(following) > 1:
                continue
        edits.append(Candidate(m.start(), m.end(), ".", "offered-period",
                               "a period read as a comma (Tesseract offered the period)"))
    return edits
