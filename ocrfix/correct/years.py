"""The word after a year: a four-digit year in these documents is followed by
'г.' (after a range of years 'гг.') or by a form of 'год', so a misreading there
has one answer ('20 августа 1937 т.' -> 'г.', '1938 - 1939 гр.' -> 'гг.',
'15 июля 1936 гога' -> 'года').

The function proposes :class:`~ocrfix.correct.scoring.Candidate` records over the
input text; the corrector scores them and keeps the best of those that overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import regex
from rapidfuzz.distance import Levenshtein

from ocrfix.correct import context, tables
from ocrfix.correct.scoring import Candidate
from ocrfix.correct.tokens import apply_case
from ocrfix.lexicon.normalize import fold

_WORDS = tables.mapping("year_words")  # год, г., гг. and their misreadings (year_words.tsv)
G = _WORDS["abbreviation"]
GG = _WORDS["range_abbreviation"]
G_LOOKALIKES = frozenset(_WORDS["abbreviation_lookalikes"])  # what a typed 'г' of 'г.' is read as
GG_LOOKALIKES = G_LOOKALIKES | frozenset(_WORDS["range_lookalikes"])  # ... and in 'гг.', where 'гр.' is common
FREQUENT_ZIPF = 3.5  # after a bare year, a word at least this frequent is taken as typed ('1937 голов')

_DASH = "[" + regex.escape(tables.marks("dash")) + "]"  # a year range's hyphen or dash (mark_sets.tsv)
_YEAR = regex.compile(
    r"(?<![\d.,/-])(?P<year>1[89]\d\d)(?P<range>[ \t]*" + _DASH + r"[ \t]*1[89]\d\d)?(?P<gap>[ \t]*)"
    r"(?P<word>\p{L}{1,7})(?!\p{L})(?P<dot>\.?)"
)
_RANGE_BEFORE = regex.compile(r"\d{4}[ \t]*" + _DASH + r"[ \t]*$")  # '1358 — 1939': the first year misread
_CAPITAL_NEXT = regex.compile(r"[ \t]*\p{Lu}")


@cache
def year_forms() -> tuple[str, ...]:
    """The forms of 'год' (pymorphy3's paradigm, the forms on its stem: not лет, лета, гг), in
    the paradigm's order."""
    lemma = _WORDS["lemma"]
    forms: dict[str, None] = {}
    for parse in context.analyzer().parse(lemma):
        if parse.normal_form == lemma:
            forms.update((f.word, None) for f in parse.lexeme
                         if f.word.startswith(lemma) and "Abbr" not in f.tag)
    return tuple(forms)


@cache
def _month_before() -> regex.Pattern:
    """A month's genitive ending just before the year ('20 августа 1937'): the months of
    months.tsv, inflected by pymorphy3; the genitive's last letter may be either of theirs."""
    morph = context.analyzer()
    genitives = []
    for lemma in tables.column("months"):
        parse = next(p for p in morph.parse(lemma) if p.normal_form == lemma and p.tag.POS == "NOUN")
        genitives.append(parse.inflect({"gent", "sing"}).word)
    stems = "|".join(regex.escape(g[:-1]) for g in genitives)
    endings = "".join(sorted({g[-1] for g in genitives}))
    return regex.compile(rf"(?:{stems})[{regex.escape(endings)}][ \t]+$", regex.IGNORECASE)


def year_words(text: str, zipf: Callable[[str], float]) -> list[Candidate]:
    """Edits for misread 'г.', 'гг.' and forms of 'год' right after a year.

    An abbreviation is repaired when each of its letters looks like a typed г and,
    after a bare year (no day and month before it), no capital follows on the line
    ('1937 т. Сталин' may be 'тов.'). A word is repaired when it is one letter from
    a form of 'год' (the commonest such form) and, after a bare year, rarer than
    FREQUENT_ZIPF ('1937 голов' is a count of cattle)."""
    edits = []
    for m in _YEAR.finditer(text):
        word, key = m.group("word"), fold(m.group("word"))
        full_date = bool(_month_before().search(text, max(0, m.start() - 12), m.start()))
        years_range = bool(m.group("range") or _RANGE_BEFORE.search(text, max(0, m.start() - 8), m.start()))
        if m.group("dot") and len(key) <= 2:
            target, lookalikes = (GG, GG_LOOKALIKES) if years_range else (G, G_LOOKALIKES)
            if word == target or len(word) != len(target) or not all(c in lookalikes for c in word):
                continue
            if not full_date and _CAPITAL_NEXT.match(text, m.end()):
                continue
            edits.append(Candidate(m.start("word"), m.end("word"), target, "year-abbreviation",
                              f"after a year: '{target}.' misread (the year's abbreviation)"))
        elif len(key) >= 3 and not years_range and key not in year_forms():
            near = [form for form in year_forms() if Levenshtein.distance(key, form) == 1]
            target = max(near, key=zipf) if near else None  # the commonest (of equals, the first)
            if target is None or (not full_date and zipf(key) >= FREQUENT_ZIPF):
                continue
            edits.append(Candidate(m.start("word"), m.end("word"), apply_case(word, target), "year-word",
                              f"after a year: a form of 'год' misread ('{target}', one letter)"))
    return edits
