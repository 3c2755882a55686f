"""The word after a year: a four-digit year in these documents is followed by
'г.' (after a range of years 'гг.') or by a form of 'год', so a misreading there
has one answer ('20 августа 1937 т.' -> 'г.', '1938 - 1939 гр.' -> 'гг.',
'15 июля 1936 гога' -> 'года').

The function returns :class:`Edit` records over the input text; the engine applies
the ones that do not overlap.
"""

from __future__ import annotations

from collections.abc import Callable

import regex
from rapidfuzz.distance import Levenshtein

from ocrfix.correct import tables
from ocrfix.correct.structural import Edit
from ocrfix.correct.tokens import apply_case
from ocrfix.lexicon.normalize import fold

# Forms of 'год', the commonest first (a misreading one letter from several takes the first).
YEAR_FORMS = tables.column("year_forms")
G_LOOKALIKES = frozenset("гтrГТ")  # what a typed 'г' of 'г.' is read as
GG_LOOKALIKES = G_LOOKALIKES | {"р"}  # ... and in 'гг.', where 'гр.' is common
FREQUENT_ZIPF = 3.5  # after a bare year, a word at least this frequent is taken as typed ('1937 голов')

_YEAR = regex.compile(
    r"(?<![\d.,/-])(?P<year>1[89]\d\d)(?P<range>[ \t]*[-–—][ \t]*1[89]\d\d)?(?P<gap>[ \t]*)"
    r"(?P<word>\p{L}{1,7})(?!\p{L})(?P<dot>\.?)"
)
_MONTH_BEFORE = regex.compile(
    r"(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)[яа][ \t]+$", regex.IGNORECASE)
_RANGE_BEFORE = regex.compile(r"\d{4}[ \t]*[-–—][ \t]*$")  # '1358 — 1939': the first year misread
_CAPITAL_NEXT = regex.compile(r"[ \t]*\p{Lu}")


def year_words(text: str, zipf: Callable[[str], float]) -> list[Edit]:
    """Edits for misread 'г.', 'гг.' and forms of 'год' right after a year.

    An abbreviation is repaired when each of its letters looks like a typed г and,
    after a bare year (no day and month before it), no capital follows on the line
    ('1937 т. Сталин' may be 'тов.'). A word is repaired when it is one letter from
    a form of 'год' and, after a bare year, rarer than FREQUENT_ZIPF ('1937 голов' is
    a count of cattle)."""
    edits = []
    for m in _YEAR.finditer(text):
        word, key = m.group("word"), fold(m.group("word"))
        full_date = bool(_MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start()))
        years_range = bool(m.group("range") or _RANGE_BEFORE.search(text, max(0, m.start() - 8), m.start()))
        if m.group("dot") and len(key) <= 2:
            target, lookalikes = ("гг", GG_LOOKALIKES) if years_range else ("г", G_LOOKALIKES)
            if key == target or len(word) != len(target) or not all(c in lookalikes for c in word):
                continue
            if not full_date and _CAPITAL_NEXT.match(text, m.end()):
                continue
            edits.append(Edit(m.start("word"), m.end("word"), target, 0.3,
                              f"after a year: '{target}.' misread (the year's abbreviation)"))
        elif len(key) >= 3 and key not in YEAR_FORMS and not years_range:
            target = next((form for form in YEAR_FORMS if Levenshtein.distance(key, form) == 1), None)
            if target is None or (not full_date and zipf(key) >= FREQUENT_ZIPF):
                continue
            edits.append(Edit(m.start("word"), m.end("word"), apply_case(word, target), 0.4,
                              f"after a year: a form of 'год' misread ('{target}', one letter)"))
    return edits
