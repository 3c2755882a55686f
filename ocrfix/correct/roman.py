"""Roman numerals typed in Latin capitals and read by a Cyrillic OCR as look-alike
letters: months in dates ('15. УП. 36г.' -> '15.VII.36г.') and numbered items
('в ПТи ТУ кварталах' -> 'в III и IV кварталах').

Each function proposes :class:`~ocrfix.correct.scoring.Candidate` records over the
input text; the corrector scores them and keeps the best of those that overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import regex

from ocrfix.correct import context, tables
from ocrfix.correct.scoring import Candidate
from ocrfix.lexicon.normalize import fold

# What a typed Roman numeral looks like to a Cyrillic OCR.
_ROMAN_LOOKALIKE = {seen: roman for seen, roman, _, _ in tables.rows("roman_lookalikes")}
# A letter may be read as two characters (V as '\\У', its two strokes apart): the readings, longest first.
_PIECE = regex.compile("|".join(regex.escape(seen) for seen in sorted(_ROMAN_LOOKALIKE, key=len, reverse=True)))


def _read(seen: str, table: dict[str, str]) -> str | None:
    """The Roman letters the characters ``seen`` stand for, read piece by piece (a piece of two
    characters before one); None where a piece has no reading in ``table``."""
    pieces = _PIECE.findall(seen)
    if "".join(pieces) != seen or any(piece not in table for piece in pieces):
        return None
    return "".join(table[piece] for piece in pieces)

_YEAR_WORDS = tables.mapping("year_words")
_YEAR_G = _YEAR_WORDS["abbreviation"]  # 'г.' after the year: '15.VII.36г.'
_YEAR_G_LOOKALIKES = frozenset(c for c in _YEAR_WORDS["abbreviation_lookalikes"] if c.islower())  # г, т, Latin r
# a typed г read as its capital, the same shape larger, standing apart after the year ('11.1Х.37 Г. 21ч.'):
# no capital follows it (then it may be an initial: '37 Г. Иванов')
_YEAR_G_CAPITAL = _YEAR_G.upper()
_AND = tables.mapping("rule_words")["numeral_and"]  # 'III и IV'
_MONTHS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
           "XI": 11, "XII": 12}
# The leading (?=\d) changes no match (a day begins with a digit) but lets the regex
# module skip to the digits instead of trying the whole pattern at every position (8x faster).
_DATE = regex.compile(
    r"(?=\d)(?<![\d.])(?P<day>[0-3]?\d)[.:](?P<s1>\s?)(?P<month>[" + regex.escape("".join(_ROMAN_LOOKALIKE)) + r"]{1,6})"
    r"[.,](?P<s2>\s?)(?P<year>(?:19)?\d\d)(?=\s?[" + regex.escape("".join(sorted(_YEAR_G_LOOKALIKES))) + r"]|[\s.,;:)]|$)"
)
_TOO_MANY_STROKES = regex.compile(r"(?<=V)IIII+$")  # VIIII: one stroke read twice


def _month(seen: str) -> str | None:
    month = _read(seen, _ROMAN_LOOKALIKE)
    if month is None:
        return None
    if month not in _MONTHS:
        month = _TOO_MANY_STROKES.sub("III", month)
    return month if month in _MONTHS else None


# A date's shape whatever its characters ('4.Х:.37', 'Э.МТТТ. 37г.'): where the characters read spell no
# date, the ones Tesseract offered for them may (see roman_dates)
_DATE_SHAPE = regex.compile(r"(?<![\w.])(?P<day>\w{1,2})[.:]\s?(?P<month>[^\s.,]{1,6})[.,]\s?(?:19)?\d\d")
_SMALL_LOOKALIKES = {c.lower(): c for c in tables.column("case_lookalike_capitals")}  # х for Х: the same shape
MAX_DATE_READINGS = 1024  # (a date of eight characters with two or three offers each)


def _offered_readings(text: str, m: regex.Match, offered: Callable[[int], str]) -> Iterator[str]:
    """The text with the day's and the month's characters of the date-shaped match ``m`` read as
    Tesseract's alternatives for them (a digit for a day's character; for a month's, any character,
    and a small letter's capital of the same shape: 'х' for 'Х'), fewest changes first."""
    options = []
    for pos in range(m.start("day"), m.end("day")):
        options.append((pos, [c for c in offered(pos) if c.isdigit()]))
    for pos in range(m.start("month"), m.end("month")):
        capital = _SMALL_LOOKALIKES.get(text[pos])
        options.append((pos, ([capital] if capital else []) + [c for c in offered(pos) if c != capital]))
    options = [(pos, alts) for pos, alts in options if alts]
    variants = [[]]
    for pos, alts in options:
        variants = [v + [(pos, None)] for v in variants] + [v + [(pos, c)] for v in variants for c in alts]
        if len(variants) > MAX_DATE_READINGS:
            return
    variants.sort(key=lambda v: sum(c is not None for _, c in v))
    for variant in variants[1:]:
        chars = list(text[m.start():m.end()])
        for pos, c in variant:
            if c is not None:
                chars[pos - m.start()] = c
        yield text[:m.start()] + "".join(chars) + text[m.end():]


def roman_dates(text: str, offered: Callable[[int], str] | None = None) -> list[Candidate]:
    """'15. УП. 36г.' -> '15.VII.36г.', '15.У1.37г.' -> '15.VI.37г.', '20.УТттт. 37 г.' ->
    '20.VIII.37г.', '14. √1,37r.' -> '14.VI.37г.', '23.УП.37т.' -> '23.VII.37г.' (valid months only; a stroke read twice
    after V is dropped; a colon after the day or a comma after the month is a misread
    period; the space before 'г' goes with the other spaces of a date the OCR spread out, and
    stays where the date itself was typed tight: '11.1Х.37 г.' -> '11.IX.37 г.'; the г read as its
    capital, standing apart, is lowered: '11.IX.37 Г. 21ч.' -> '11.IX.37 г.')."""
    edits = [edit for m in _DATE.finditer(text) if (edit := _date_edit(text, m)) is not None]
    if offered is None:
        return edits
    for shape in _DATE_SHAPE.finditer(text):
        if _spells_date(_DATE.match(text, shape.start())):  # (so is every date the first pass mended)
            continue
        for reading in _offered_readings(text, shape, offered):
            m = _DATE.match(reading, shape.start())
            if m is not None and (edit := _date_edit(reading, m, offered_reading=True)) is not None:
                edits.append(replace(edit, reason="Roman-numeral month read as Cyrillic/digits (as Tesseract "
                                                  "offered its characters)"))
                break
    return sorted(edits, key=lambda e: e.start)


def _spells_date(m: regex.Match | None) -> bool:
    """Whether the characters of the date matched by ``m`` (None: no match) spell a date as read: a
    day and a month, Arabic ('14.1.37') or Roman ('4.XI.37', or look-alikes of one); Tesseract's
    alternatives are then no reason to read it otherwise."""
    return m is not None and (m.group("month").isdigit() or _month(m.group("month")) is not None)


def _date_edit(text: str, m: regex.Match, offered_reading: bool = False) -> Candidate | None:
    """The repair of the date ``m`` matched in ``text`` (see roman_dates), or None: nothing to mend."""
    if m.group("month").isdigit():
        return None  # 14.1.37: an Arabic month is what was typed
    month = _month(m.group("month"))
    if month is None or not 1 <= int(m.group("day")) <= 31:
        return None
    end = m.end()
    capital_g = (text[end:end + 2] == " " + _YEAR_G_CAPITAL and not text[end + 2:end + 3].isalpha()
                 and not text[end + 3:end + 5].lstrip()[:1].isupper())
    # nothing to mend: the month read as typed (Latin), the date not spread at both its periods, no capital г
    if not capital_g and month == m.group("month") and not (m.group("s1") and m.group("s2")) and not offered_reading:
        return None
    replacement = f"{m.group('day')}.{month}.{m.group('year')}"
    if capital_g or text[end:end + 1] == " " and text[end + 1:end + 2] in _YEAR_G_LOOKALIKES and not text[end + 2:end + 3].isalpha():
        # '15. УП. 36 г.' -> '15.VII.36г.': the OCR spread the whole date, so this space is its
        # too; in '11.1Х.37 г.' the date is tight and the space before г is the typist's: kept
        spread = bool(m.group("s1") or m.group("s2"))
        end += 2  # the 'г' inside the edit, so a page merges its words
        replacement += (_YEAR_G if spread else " " + _YEAR_G)
    elif text[end:end + 1] in _YEAR_G_LOOKALIKES - {_YEAR_G} and not text[end + 1:end + 2].isalpha():
        end += 1  # '37r.', '37т.': the year's г read as a Latin r or as т
        replacement += _YEAR_G
    return Candidate(m.start(), end, replacement, "roman-date", "Roman-numeral month read as Cyrillic/digits")


# --- numbered items ------------------------------------------------------------------

_NUMERAL_LOOKALIKE = {seen: roman for seen, roman, numbering, _ in tables.rows("roman_lookalikes") if numbering == "yes"}
_ALONE = frozenset(seen for seen, _, _, alone in tables.rows("roman_lookalikes") if alone == "yes")
# A run of look-alike capitals standing alone, with a conjunction 'и' the OCR may have glued to it (ПТи ТУ).
# A digit 1 may stand for an I before a look-alike letter ('1У' for IV) or between two ('Т1Т' for III), never alone.
_DIGITS = "".join(c for c in _NUMERAL_LOOKALIKE if c.isdigit())
_LETTERS = "".join(sorted({c for seen in _NUMERAL_LOOKALIKE if not seen.isdigit() for c in seen}))
_CANDIDATE = regex.compile(rf"(?<![\p{{L}}\d.])(?P<numeral>[{regex.escape(_DIGITS)}]?[{regex.escape(_LETTERS)}]+"
                           rf"(?:[{regex.escape(_DIGITS)}][{regex.escape(_LETTERS)}]+)*)"
                           rf"(?P<glued>{regex.escape(_AND)})?(?![\p{{L}}\d])")
_JOINER = regex.compile(rf"[ \t]*[,{regex.escape(tables.marks('dash'))}][ \t]*|[ \t]+{regex.escape(_AND)}[ \t]+")
_GLUED_JOINER = regex.compile(r"[ \t]+")
_WORD_BEFORE = regex.compile(r"(\p{L}+)\.?[ \t]*$")
_WORD_AFTER = regex.compile(r"[ \t]*(\p{L}+)")
_LOOK_BACK = 40  # characters searched for the word before a numeral (longer than any numbering word and its spacing)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int  # after the glued 'и', if any
    seen: str  # the look-alike letters
    glued: bool

    @property
    def roman(self) -> str | None:
        value = _read(self.seen, _NUMERAL_LOOKALIKE)
        return value if value is not None and is_roman_numeral(value) else None

    @property
    def unambiguous(self) -> bool:
        """No Russian word: two look-alikes or more (ПТ, ТУ), or one that alone can only be a
        numeral (Ш, Latin capitals)."""
        return len(self.seen) > 1 or self.seen in _ALONE


def _groups(text: str) -> list[list[_Candidate]]:
    """Runs of look-alike tokens joined as numbers are ('III и IV', 'I, II', 'V-VI')."""
    groups: list[list[_Candidate]] = []
    for m in _CANDIDATE.finditer(text):
        candidate = _Candidate(m.start(), m.end(), m.group("numeral"), bool(m.group("glued")))
        if groups:
            last = groups[-1][-1]
            joiner = _GLUED_JOINER if last.glued else _JOINER
            if joiner.fullmatch(text, last.end, candidate.start):
                groups[-1].append(candidate)
                continue
        if groups and groups[-1][-1].glued and len(groups[-1]) == 1:
            groups.pop()  # 'Хи', 'Ти': a glued 'и' with no numeral after it is no numbering
        groups.append([candidate])
    if groups and groups[-1][-1].glued:
        groups[-1].pop()
        if not groups[-1]:
            groups.pop()
    return groups


def _numbering_forms() -> frozenset[str]:
    """Every form of the nouns that number what follows or precedes them ('пункт III',
    'III квартал', 'раздела IV'; numbering_words.tsv), from pymorphy3's paradigms, ё as е."""
    return context.forms_of(tables.column("numbering_words"))


def is_numbering_word(word: str) -> bool:
    """пункт, раздел, глава, квартал...: a word a numeral or a letter label follows."""
    return fold(word) in _numbering_forms()


# A well-formed Roman numeral in Latin capitals (I to MMMCMXCIX).
_ROMAN_NUMERAL = regex.compile(r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def is_roman_numeral(word: str) -> bool:
    """'X', 'XX', 'XIV', 'MCM': a Roman numeral typed in Latin capitals ('в XX веке', '27.X.37г.'). The one
    test of a numeral's form, asked of the look-alikes' readings too (_Candidate.roman: 'ТУ' -> IV)."""
    return bool(_ROMAN_NUMERAL.fullmatch(word))


def _numbering_context(text: str, group: list[_Candidate]) -> bool:
    """A numbering word just before the group ('пункт У'), or just after it when no token
    of the group can be a Russian word ('в Ш квартале', but not 'стоял У квартала')."""
    start = group[0].start
    before = _WORD_BEFORE.search(text, max(0, start - _LOOK_BACK), start)
    if before and is_numbering_word(before.group(1)):
        return True
    if not all(c.unambiguous for c in group):
        return False
    after = _WORD_AFTER.match(text, group[-1].end)
    return bool(after and is_numbering_word(after.group(1)))


def _list_number(text: str, group: list[_Candidate]) -> bool:
    """'ПТ. Вопрос ...': a numeral opening a line, followed by '.' or ')'."""
    first = group[0]
    line_start = text.rfind("\n", 0, first.start) + 1
    return not text[line_start:first.start].strip() and text[group[-1].end:group[-1].end + 1] in {".", ")"}


def roman_numerals(text: str) -> tuple[list[Candidate], list[tuple[int, int]]]:
    """Numbered items typed in Roman numerals and read as Cyrillic look-alikes:
    'в ПТи ТУ кварталах' -> 'в III и IV кварталах', 'пункт УТ' -> 'пункт VI'.

    A token is converted only where numbering is evident: beside another numeral
    (joined by 'и', a comma or a dash) when one of them can be no Russian word,
    after or before a numbering word (пункт, раздел, глава, квартал...), or opening a
    line as a list number. A single letter that is also a word (У, Т) needs a numbering
    word. Returns the edits, and the spans of look-alike tokens in such a context that
    spell no valid numeral: those are to be left as they are."""
    edits: list[Candidate] = []
    keep: list[tuple[int, int]] = []
    for group in _groups(text):
        numbering = _numbering_context(text, group)
        if not (numbering or (len(group) > 1 and any(c.unambiguous for c in group))
                or (all(c.unambiguous for c in group) and _list_number(text, group))):
            continue
        romans = [c.roman for c in group]
        if any(r is None for r in romans):
            keep.extend((c.start, c.end) for c in group)
            continue
        for candidate, roman in zip(group, romans):
            replacement = roman + (" " + _AND if candidate.glued else "")
            if replacement != text[candidate.start:candidate.end]:
                edits.append(Candidate(candidate.start, candidate.end, replacement, "roman-numeral",
                                  "Roman numeral read as Cyrillic look-alike letters (numbering context)"))
    return edits, keep
