"""Where sentences begin in typewritten OCR text: what the case of a word is judged
against. A page's words with their text, as the case-slip and real-word passes read
them (:class:`Words`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import regex

from ocrfix.correct import tables
from ocrfix.correct.tokens import Token, case_shape
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.normalize import fold

SENTENCE_END = tables.marks("sentence_end")
DASHES = tables.marks("dash")
RUNNING_LINE = 45  # characters: a line at least this long is running text, not a heading or an address
# the abbreviations typed after a number, whose period ends no sentence ('5 млн. рублей')
NUMBER_ABBREVIATIONS = frozenset(a for a, kind in tables.rows("number_abbreviations") if kind != "sign")
# a lower-case word this short before a period may be an abbreviation ('т.', 'тов.', 'млн.'): its period ends
# no sentence (abbreviation_period), an unknown one is left as read (engine.protect_tokens), and a piece split
# off so short is not joined to the word before it (structural.split_word_join)
SHORT_ABBREVIATION = 3
_LAST_LETTERS = regex.compile(r"\p{L}+$")


def number_abbreviation(word: str) -> bool:
    """Whether the last letters of ``word`` are an abbreviation typed after a number
    (number_abbreviations.tsv, its signs aside: '5 млн. рублей'), whose period ends no sentence."""
    found = _LAST_LETTERS.search(word)
    return found is not None and fold(found.group()) in NUMBER_ABBREVIATIONS


def abbreviation_period(word: str, lexicon: Lexicon) -> bool:
    """Whether a period right after ``word`` (what stands between a blank and the period) is an
    abbreviation's, which ends no sentence: a word with a period inside ('т.т', 'с.г'), a lower-case
    word of SHORT_ABBREVIATION letters or fewer ('т.', 'тов.', 'млн.'), an abbreviation typed after a
    number (:func:`number_abbreviation`) or one the lexicon lists ('ЦК.'). Not a number's ('3.') nor a
    bracket's or a quotation's period. The one test of it for the sentence starts."""
    found = _LAST_LETTERS.search(word)
    if found is None:
        return False
    if "." in word:
        return True
    letters = found.group()
    return (letters.islower() and len(letters) <= SHORT_ABBREVIATION) or number_abbreviation(letters) or (
        lexicon.is_abbreviation(fold(letters)))


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the characters of these spans (other than line breaks) made spaces."""
    parts = []
    done = 0  # text[:done] is in parts
    for start, end in sorted((start, end) for start, end in spans if start < end):
        if end <= done:
            continue
        start = max(start, done)  # (spans may overlap)
        parts.append(text[done:start])
        parts.append("".join(["\n" if c == "\n" else " " for c in text[start:end]]))
        done = end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


def runs_on(text: str, newline: int) -> bool:
    """The sentence goes on past the line break at ``newline``: the line before is a
    line of running text (RUNNING_LINE characters or more) ending in a lower-case word
    or a comma, as in 'при условии принятия на' / 'Себя обязательств'. (Headings,
    addresses and signatures are short lines, and a blank line ends a paragraph.)"""
    line_start = text.rfind("\n", 0, newline) + 1
    line = text[line_start:newline].rstrip()
    return len(line) >= RUNNING_LINE and (line[-1] == "," or line[-1].isalpha() and line[-1].islower())


def sentence_start(text: str, start: int) -> bool:
    """Whether a word at ``start`` begins a sentence: after a sentence end, a dash, a
    closing bracket or a number, or at a line start unless the line before runs on
    (see :func:`runs_on`). Pass the text with its specks blanked."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0:
        return True
    if text[i] == "\n":
        return not runs_on(text, i)
    if text[i] in SENTENCE_END or text[i] in DASHES or text[i] == ")":
        return True
    return text[i].isdigit()


@dataclass(frozen=True)
class Words:
    """A text's word tokens and their folded keys, with ``plain``: the text with its
    specks blanked, which sentences are judged on ('резервного :' / 'Фонда')."""

    text: str
    plain: str
    tokens: list[Token]
    keys: list[str]

    @cached_property
    def longest_line(self) -> int:
        """The length of ``plain``'s longest line, its trailing blanks left out (found once)."""
        return max(len(line.rstrip()) for line in self.plain.split("\n"))

    def sentence_start(self, token: Token) -> bool:
        return sentence_start(self.plain, token.start)

    def one_sentence(self, start: int, end: int) -> bool:
        """No sentence ends by a line break between these offsets: none there, or one
        after a line that runs on (see :func:`runs_on`)."""
        newline = self.plain.find("\n", start, end)
        return newline == -1 or (self.plain.find("\n", newline + 1, end) == -1 and runs_on(self.plain, newline))

    def between_lower_words(self, index: int, *, after_comma: bool = False,
                            next_shape: str = "lower") -> tuple[Token, Token] | None:
        """The word's neighbours, when both are lower-case words of its sentence; with
        ``after_comma``, also when a comma on the same line comes just before it (the sentence
        runs on, whatever the case of the word before: 'т. Назаровым, В ауле') and a lower-case
        word of its sentence after it. With ``next_shape``, the word after is of that case shape
        instead ('title': a name after a lower-case word, 'складов В Хоргосе')."""
        tokens = self.tokens
        if index == 0 or index + 1 >= len(tokens):
            return None
        before, after = tokens[index - 1], tokens[index + 1]
        if case_shape(after.text) != next_shape:
            return None
        comma = after_comma and self.plain[before.end:tokens[index].start] == ", "
        if case_shape(before.text) != "lower" and not comma:
            return None
        if not self.one_sentence(before.end, after.start):
            return None
        return before, after

    def lower_context(self, index: int) -> bool:
        """The word follows a lower-case word of the same sentence."""
        return index > 0 and case_shape(self.tokens[index - 1].text) == "lower" and not self.sentence_start(
            self.tokens[index])

    def inside_sentence(self, index: int) -> bool:
        """Not the first word of a sentence: after a lower-case word, a comma, or a number
        abbreviation ('5 млн. РУблей')."""
        if self.lower_context(index):
            return True
        token = self.tokens[index]
        if index == 0 or not self.one_sentence(self.tokens[index - 1].end, token.start):
            return False
        if not self.sentence_start(token):
            return True
        prev = self.tokens[index - 1]
        return self.text[prev.end:prev.end + 1] == "." and number_abbreviation(prev.text)
