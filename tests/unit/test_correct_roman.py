"""Roman numerals read as Cyrillic look-alikes (ocrfix.correct.roman), without the lexicon."""

from __future__ import annotations

import pytest

from ocrfix.correct.engine import apply_edits
from ocrfix.correct.roman import roman_dates, roman_numerals


def _numerals(text: str) -> str:
    edits, _keep = roman_numerals(text)
    return apply_edits(text, edits)[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("в ПТи ТУ кварталах", "в III и IV кварталах"),
    ("по разделам П, Ш и ТУ", "по разделам II, III и IV"),
    ("пункт У решения", "пункт V решения"),
    ("глава ХП", "глава XII"),
    ("в Ш квартале", "в III квартале"),
    ("ПТ. Вопрос НКИД.", "III. Вопрос НКИД."),
    ("ТУ-УТ", "IV-VI"),
    ("стоял У квартала", "стоял У квартала"),  # a single У is the preposition
    ("У нас. У них", "У нас. У них"),
    ("Т. Литвинову, П. Иванову", "Т. Литвинову, П. Иванову"),  # initials
    ("ТУ и ТАСС", "ТУ и ТАСС"),  # no numbering context
    ("№ П51/118", "№ П51/118"),  # identifiers
])
def test_numerals(text, expected):
    assert _numerals(text) == expected


def test_invalid_numerals_in_context_are_kept():
    text = "в ПТи ШТ кварталах"
    edits, keep = roman_numerals(text)
    assert edits == []
    assert [text[s:e] for s, e in keep] == ["ПТи", "ШТ"]


@pytest.mark.parametrize(("text", "expected"), [
    ("от 20.УТттт. 37 г.", "от 20.VIII.37г."),
    ("от 15.Утт.36г.", "от 15.VII.36г."),
    ("от 15. УП. 36г.", "от 15.VII.36г."),
    ("от 15.VII.36г.", "от 15.VII.36г."),
    ("от 14.1.37 г.", "от 14.1.37 г."),
    ("от 20.ТТТТ.37г.", "от 20.ТТТТ.37г."),  # IIII: no stroke is dropped without a V
])
def test_dates(text, expected):
    assert apply_edits(text, roman_dates(text))[0] == expected


def test_a_date_read_as_no_date_is_read_through_the_characters_tesseract_offered():
    """roman.roman_dates with ``offered``: '4.Х:.37' spells no month, but Tesseract offered 'т' (an I)
    for the colon; 'Э.МТТТ. 37г.' no day, but it offered '9' for the Э and '\\' (a stroke of V) for
    the М. Without the offers nothing changes."""
    from ocrfix.correct import roman

    text = "Получена 4.Х:.37 г. 01 ч.; протокол от Э.МТТТ. 37г. 147."
    colon, e, m = text.index(":"), text.index("Э"), text.index("М")
    offers = {colon: "тГ", e: "9У", m: "\\"}
    found = [(text[c.start:c.end], c.replacement) for c in roman.roman_dates(text, lambda pos: offers.get(pos, ""))]
    assert found == [("4.Х:.37 г", "4.XI.37 г"), ("Э.МТТТ. 37", "9.VIII.37")]
    assert roman.roman_dates(text, lambda pos: "") == [] == roman.roman_dates(text)


def test_a_date_that_spells_a_date_is_not_read_through_the_offered_characters():
    """A date whose characters already spell one, Arabic ('14.1.37') or Roman ('4.XI.37'), stays as
    read whatever Tesseract offered for them (an I for the 1, a 1 for the 4)."""
    from ocrfix.correct import roman

    text = "письмо от 14.1.37 и телеграмма от 4.XI.37 г."
    one, four = text.index("1.37"), text.index("4.XI")
    offers = {one: "I", four: "1"}
    assert roman.roman_dates(text, lambda pos: offers.get(pos, "")) == []

def test_a_digit_between_look_alike_letters_is_an_i_of_a_numeral():
    from ocrfix.correct import roman

    numerals, _ = roman.roman_numerals("работе портов в Т1Т квартале 1937 года")
    assert [c.replacement for c in numerals] == ["III"]
